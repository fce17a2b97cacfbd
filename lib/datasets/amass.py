"""AMASS motion files (``*_poses.npz``) as :class:`~lib.body.clip.MotionClip`.

Official source: AMASS, Mahmood et al., "AMASS: Archive of Motion Capture as Surface Shapes",
ICCV 2019, https://amass.is.tue.mpg.de (registration required; MPI non-commercial licence, no
redistribution, so nothing of AMASS is in this repository). Download the "SMPL+H G" (or SMPL-X)
body data per sub-dataset and unpack, e.g. ``<root>/CMU/01/01_01_poses.npz``.

File format (checked on the sample files of nghorbani/amass, ``support_data/github_data``):

* ``poses`` (T, 156) float: SMPL+H axis-angle, 52 joints × 3 (0–21 body, 22–36 left hand,
  37–51 right hand), or (T, 165) in the SMPL-X release: 55 joints × 3 (0–21 body, 22 jaw,
  23–24 eyes, 25–39 left hand, 40–54 right hand; joint order of ``smplx/joint_names.py``).
  Plain SMPL (T, 72) and body-only (T, 66) arrays are accepted too.
* ``trans`` (T, 3) metres in AMASS's **Z-up** world; ``betas`` (16,); ``gender`` a 0-d array
  holding ``str`` or ``bytes``; ``mocap_framerate`` (SMPL+H) or ``mocap_frame_rate`` (SMPL-X),
  e.g. 120.0 or 120.00004577636719 (rounded here before use).

Conversion to SMPL 24 joints, as TransPose/IMUPoser do (their ``preprocess.py``): the 22 body joints, then
SMPL's hand slots 22/23 take the first index-finger joint of each hand (``left_index1``,
``right_index1``); other finger joints are dropped.

Z-up → Y-up (Xinyu-Yi/TransPose ``preprocess.py``): ``A = [[1,0,0],[0,0,1],[0,-1,0]]`` left-multiplies
the root orientation and the translation. Note that SMPL places the pelvis joint at ``trans + J0(betas)``,
a body-shape dependent offset of about 0.2 m that needs the licensed model; ``MotionClip.trans`` is AMASS's
``trans`` (rotated), so absolute heights are off by that constant while velocities and
accelerations are exact.

Frame rate (DIP, eth-ait/dip18 ``data_synthesis/genSynData.py``, and TransPose): a rate that is an integer multiple
of the target is subsampled (120 → 60 Hz takes every 2nd frame); any other ratio is interpolated.
DIP interpolates the axis-angle vectors linearly; here :meth:`MotionClip.resampled` uses slerp on
the rotations (the accurate version of the same idea) and linear interpolation of ``trans``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
from scipy.spatial.transform import Rotation

from lib.body.clip import N_JOINTS, MotionClip
from lib.datasets.errors import DataFormatError, describe_content, require_dir, require_file

#: AMASS Z-up world -> SMPL/DIP Y-up world (TransPose ``amass_rot``): (x, y, z) -> (x, z, -y).
Z_UP_TO_Y_UP = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])

#: pose width -> (model name, joint index placed in SMPL slot 22, slot 23), or None for no hand joints.
POSE_LAYOUTS = {
    156: ("SMPL+H", 22, 37),   # left_index1, right_index1 (SMPLH_JOINT_NAMES)
    165: ("SMPL-X", 25, 40),   # left_index1, right_index1 (smplx JOINT_NAMES: 22 jaw, 23-24 eyes)
    72: ("SMPL", 22, 23),      # already SMPL's own left_hand, right_hand
    66: ("SMPL body", None, None),
}
FRAMERATE_KEYS = ("mocap_framerate", "mocap_frame_rate")
FIX = "give an AMASS *_poses.npz motion file (SMPL+H or SMPL-X release), not shape.npz or a re-saved file"


def _fps_from(raw: np.ndarray, path: Path) -> float:
    try:
        fps = float(np.asarray(raw).reshape(-1)[0])
    except (TypeError, ValueError, IndexError):
        arr = np.asarray(raw)
        shown = str(arr.reshape(-1)[0]) if arr.size else "(empty)"
        raise DataFormatError(path, f"frame rate {shown!r} (dtype {arr.dtype}) is not a number", FIX) from None
    if not np.isfinite(fps) or fps <= 0:
        raise DataFormatError(path, f"frame rate {fps!r} is not a positive number", FIX)
    rounded = round(fps)
    return float(rounded) if abs(fps - rounded) < 1e-3 else fps  # 120.00004577 -> 120 (seen in AMASS files)


def _decode_gender(raw) -> str:
    value = np.asarray(raw).reshape(-1)[0] if np.asarray(raw).size else ""
    if isinstance(value, (bytes, np.bytes_)):
        value = value.decode("utf-8", errors="replace")
    return str(value).strip().lower() or "unknown"


def _array(npz, key: str, path: Path) -> np.ndarray:
    """``npz[key]``; an object array (which numpy stores pickled and will not load without
    ``allow_pickle``) is reported as what it is rather than as numpy's advice to unpickle it."""
    try:
        return np.asarray(npz[key])
    except ValueError as exc:
        if "allow_pickle" not in str(exc):
            raise
        raise DataFormatError(path, f"key {key!r} holds Python objects (a pickled object array), expected a float "
                              "array", FIX) from None


def _require_numbers(path: Path, key: str, arr: np.ndarray) -> None:
    """Raise unless ``arr`` holds real numbers (a re-saved file can hold strings or booleans)."""
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise DataFormatError(path, f"{key!r} has dtype {arr.dtype}; expected float numbers", FIX)


def read_amass_npz(path: str | Path) -> dict:
    """The raw content of an AMASS ``*_poses.npz``, validated.

    returns dict: poses (T, 156|165|72|66) float64, trans (T, 3) float64 (Z-up), fps float (rounded),
    gender str ("male"/"female"/"neutral"/"unknown"), betas (B,) float64 (zeros if absent), width int.
    """
    path = require_file(path, "AMASS file")
    with open(path, "rb") as handle:
        head = handle.read(200)
    if not head.startswith(b"PK"):  # every .npz is a zip archive
        raise DataFormatError(path, f"is not a zip/.npz archive: it holds {describe_content(head)}", FIX)
    try:
        with np.load(path, allow_pickle=False) as npz:
            keys = set(npz.files)
            missing = [k for k in ("poses", "trans") if k not in keys]
            rate_key = next((k for k in FRAMERATE_KEYS if k in keys), None)
            if rate_key is None:
                missing.append(" or ".join(FRAMERATE_KEYS))
            if missing:
                raise DataFormatError(path, f"key(s) {', '.join(repr(m) for m in missing)} missing "
                                      f"(keys present: {', '.join(sorted(keys)) or 'none'})", FIX)
            poses = _array(npz, "poses", path)
            trans = _array(npz, "trans", path)
            fps_raw = _array(npz, rate_key, path)
            gender = _decode_gender(_array(npz, "gender", path)) if "gender" in keys else "unknown"
            betas = _array(npz, "betas", path).reshape(-1) if "betas" in keys else np.zeros(10)
    except DataFormatError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as exc:
        raise DataFormatError(path, f"cannot be read as an .npz archive (truncated or corrupt: {exc})",
                              "download the file again") from None

    for name, arr in (("poses", poses), ("trans", trans), ("betas", betas)):
        _require_numbers(path, name, arr)
    if poses.ndim != 2 or poses.shape[1] not in POSE_LAYOUTS:
        raise DataFormatError(path, f"'poses' has shape {poses.shape}; expected (T, W) with W in "
                              f"{sorted(POSE_LAYOUTS)} (SMPL+H 156, SMPL-X 165)", FIX)
    n = poses.shape[0]
    if n < 2:
        raise DataFormatError(path, f"'poses' has {n} frame(s); a motion needs at least 2", FIX)
    if trans.shape != (n, 3):
        raise DataFormatError(path, f"'trans' has shape {trans.shape}; expected ({n}, 3) to match 'poses'", FIX)
    for name, arr in (("poses", poses), ("trans", trans)):
        bad = ~np.isfinite(arr)
        if bad.any():
            frames = np.unique(np.nonzero(bad)[0])
            raise DataFormatError(path, f"'{name}' contains {int(bad.sum())} NaN/inf value(s) in {len(frames)} "
                                  f"frame(s), first at frame {int(frames[0])}",
                                  "re-download the file; AMASS motions contain no missing values")
    return {"poses": poses.astype(np.float64), "trans": trans.astype(np.float64), "fps": _fps_from(fps_raw, path),
            "gender": gender, "betas": betas.astype(np.float64), "width": int(poses.shape[1])}


def amass_to_smpl24(poses: np.ndarray) -> np.ndarray:
    """(T, W) AMASS axis-angle (W in 156, 165, 72, 66) -> (T, 24, 3) SMPL local axis-angle.

    Body joints 0–21 are kept; SMPL's hand slots 22/23 take ``left_index1``/``right_index1``
    (TransPose's ``pose[:, 23] = pose[:, 37]``); a body-only input leaves them at zero.
    """
    poses = np.asarray(poses, dtype=np.float64)
    if poses.ndim != 2 or poses.shape[1] not in POSE_LAYOUTS:
        raise ValueError(f"poses must have shape (T, W) with W in {sorted(POSE_LAYOUTS)}; got {poses.shape}")
    joints = poses.reshape(len(poses), -1, 3)
    out = np.zeros((len(poses), N_JOINTS, 3))
    out[:, :22] = joints[:, :22]
    _, left, right = POSE_LAYOUTS[poses.shape[1]]
    if left is not None:
        out[:, 22] = joints[:, left]
        out[:, 23] = joints[:, right]
    return out


def z_up_to_y_up(poses: np.ndarray, trans: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rotate a (T, 24, 3) SMPL pose sequence and its (T, 3) translation from Z-up to Y-up:
    only the root orientation and the translation change (as TransPose)."""
    poses = np.array(poses, dtype=np.float64)
    root = Rotation.from_matrix(Z_UP_TO_Y_UP) * Rotation.from_rotvec(poses[:, 0])
    poses[:, 0] = root.as_rotvec()
    return poses, np.asarray(trans, dtype=np.float64) @ Z_UP_TO_Y_UP.T


def load_amass(path: str | Path, fps: float | None = 60.0, root: str | Path | None = None) -> MotionClip:
    """An AMASS ``*_poses.npz`` as a Y-up SMPL-24 :class:`MotionClip` at ``fps`` (None: native rate).

    root: the AMASS folder, only to name the clip's ``source`` relative to it
    (``"amass:CMU/01/01_01_poses.npz"``). The clip's ``subject`` holds gender, betas and the
    native frame rate; ``labels`` is None (AMASS carries no activity labels; BABEL adds them).
    """
    raw = read_amass_npz(path)
    path = Path(path)
    poses, trans = z_up_to_y_up(amass_to_smpl24(raw["poses"]), raw["trans"])
    try:
        rel = path.resolve().relative_to(Path(root).resolve()) if root is not None else path.name
    except ValueError:
        rel = path.name
    subject = {"gender": raw["gender"], "betas": raw["betas"].tolist(), "native_fps": raw["fps"],
               "model": POSE_LAYOUTS[raw["width"]][0]}
    clip = MotionClip(poses, trans, raw["fps"], None, subject, f"amass:{Path(rel).as_posix()}")
    if fps is not None:
        if isinstance(fps, bool) or not isinstance(fps, (int, float, np.integer, np.floating)) or not fps > 0:
            raise ValueError(f"fps={fps!r} must be a positive number of frames per second, or None for the native rate")
        clip = clip.resampled(float(fps))
    return clip


def find_amass_files(root: str | Path) -> list[Path]:
    """All ``*_poses.npz`` under ``root``, sorted (``shape.npz`` files are not motions)."""
    root = require_dir(root, "AMASS folder")
    return sorted(p for p in root.rglob("*_poses.npz") if p.is_file())
