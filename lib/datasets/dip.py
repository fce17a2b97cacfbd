"""DIP-IMU recordings (``DIP_IMU/s_XX/NN.pkl``): real Xsens IMU readings with SMPL ground truth.

Official source: DIP-IMU, Huang, Kaufmann et al., "Deep Inertial Poser", SIGGRAPH Asia 2018,
https://dip.is.tue.mpg.de (registration required; research licence, no redistribution, so no DIP
file is in this repository). 10 subjects ``s_01``…``s_10``, files ``01.pkl``…``05.pkl``; the usual
test split is s_09 and s_10 (TransPose, Yi et al. 2021; IMUPoser, Mollyn et al. 2023).

File format (as the public loaders of TransPose, PIP, IMUPoser and aitviewer read it): a Python-2 pickle,
read with ``encoding="latin1"``, holding a dict with

* ``imu_ori`` (T, 17, 3, 3) sensor orientation matrices, calibrated to the SMPL (Y-up) frame;
* ``imu_acc`` (T, 17, 3) accelerations in m/s², by inference global and gravity-free (TransPose feeds them
  unchanged beside its gravity-free synthetic ones);
* ``gt`` (T, 72) SMPL axis-angle pose including the root; no translation, no shape.

60 Hz. The 17 sensors, index → segment (aitviewer's ``examples/load_DIP_IMU.py``): see :data:`SENSOR_NAMES`.
Sensor sets (TransPose's and IMUPoser's ``imu_mask``, and ours for P4): :data:`SENSOR_SETS` — ``"p4"`` = left
lower arm (DIP's "wrist" sensor, 7), right upper leg (thigh, 10), head (0), in that order.

Missing values (TransPose ``preprocess.py``, ``process_dipimu``): the IMU arrays contain NaNs. They are
filled from neighbouring frames — each pass copies the previous frame's value into a NaN, then the
next frame's value into any NaN still left — for 4 passes; then the first and last 6 frames are
dropped; a sequence that still has NaNs is rejected (TransPose discards it). Only the selected
sensors are filled and checked, as in TransPose.

Security: unpickling runs code stored in the file; load DIP pickles only from the official download.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from lib.body.clip import N_JOINTS, MotionClip
from lib.datasets.errors import DataFormatError, require_dir, require_file

FPS = 60.0
N_SENSORS = 17

#: DIP sensor index -> body segment (aitviewer ``examples/load_DIP_IMU.py``).
SENSOR_NAMES = (
    "head", "sternum", "pelvis", "left_shoulder", "right_shoulder", "left_upper_arm", "right_upper_arm",
    "left_lower_arm", "right_lower_arm", "left_upper_leg", "right_upper_leg", "left_lower_leg",
    "right_lower_leg", "left_hand", "right_hand", "left_foot", "right_foot",
)
#: SMPL joint whose segment each DIP sensor sits on (aitviewer ``examples/load_DIP_IMU.py``).
SENSOR_SMPL_JOINT = (15, 12, 0, 13, 14, 16, 17, 20, 21, 1, 2, 4, 5, 22, 23, 10, 11)

#: Named sensor subsets (DIP indices, in output order).
SENSOR_SETS = {
    "p4": (7, 10, 0),                 # left wrist (lower arm), right thigh, head: the DIP sensors on P4's sites
    "dip6": (7, 8, 11, 12, 0, 2),     # DIP / TransPose imu_mask (preprocess.py)
    "imuposer": (7, 8, 9, 10, 0, 2),  # IMUPoser imu_mask (preprocess_all.py)
    "all": tuple(range(N_SENSORS)),
}
#: Names of the P4 sites in the order of ``SENSOR_SETS["p4"]``.
P4_SITES = ("left_wrist", "right_thigh", "head")
TEST_SUBJECTS = ("s_09", "s_10")
FILL_PASSES = 4
TRIM = 6
FIX = "give an original DIP-IMU pickle (DIP_IMU/s_XX/NN.pkl from dip.is.tue.mpg.de)"


@dataclass
class DIPSequence:
    """One DIP-IMU recording after NaN filling and trimming.

    ori:     (T, S, 3, 3) sensor orientations (rotation matrices), SMPL Y-up frame
    acc:     (T, S, 3) accelerations, m/s², global frame, gravity-free (DIP convention)
    poses:   (T, 24, 3) SMPL local axis-angle ground truth (no translation in DIP)
    sensors: (S,) DIP sensor indices, in the order of the S axis
    fps:     60.0
    subject: "s_01" … "s_10" (parent folder name)
    source:  the file path
    n_filled: how many NaN values were filled
    """

    ori: np.ndarray
    acc: np.ndarray
    poses: np.ndarray
    sensors: tuple
    fps: float = FPS
    subject: str = ""
    source: str = ""
    n_filled: int = 0
    sensor_names: tuple = field(init=False)

    def __post_init__(self) -> None:
        self.sensor_names = tuple(SENSOR_NAMES[i] for i in self.sensors)

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return self.acc.shape[0]

    def to_clip(self) -> MotionClip:
        """The ground-truth pose as a :class:`MotionClip` (translation zero: DIP has none)."""
        return MotionClip(self.poses, np.zeros((self.n_frames, 3)), self.fps, None,
                          {"subject": self.subject, "gender": "female" if self.subject == "s_06" else "male"},
                          f"dip:{self.subject}/{Path(self.source).name}")


def resolve_sensors(sensors: str | Sequence[int | str]) -> tuple[int, ...]:
    """DIP indices from a set name in :data:`SENSOR_SETS`, or a sequence of indices / segment names."""
    if isinstance(sensors, str):
        if sensors not in SENSOR_SETS:
            raise ValueError(f"sensors={sensors!r} is unknown; use one of {list(SENSOR_SETS)} or a list of indices/names")
        return SENSOR_SETS[sensors]
    out = []
    for s in sensors:
        if isinstance(s, str):
            if s not in SENSOR_NAMES:
                raise ValueError(f"sensor name {s!r} is unknown; DIP's sensors are {list(SENSOR_NAMES)}")
            out.append(SENSOR_NAMES.index(s))
        elif isinstance(s, (int, np.integer)) and 0 <= s < N_SENSORS:
            out.append(int(s))
        else:
            raise ValueError(f"sensor {s!r} must be an index 0..{N_SENSORS - 1} or a name from {list(SENSOR_NAMES)}")
    if not out:
        raise ValueError("sensors is empty; give at least one DIP sensor")
    return tuple(out)


def fill_nan_from_neighbours(x: np.ndarray, passes: int = FILL_PASSES) -> tuple[np.ndarray, int]:
    """Fill NaNs along axis 0 (frames) from adjacent frames, ``passes`` times (as TransPose).

    Each pass first copies frame t-1 into NaNs of frame t, then frame t+1 into NaNs still left
    (element-wise), so a gap of up to 2·passes frames closes. returns (filled copy, number filled).
    """
    x = np.array(x, dtype=np.float64)
    before = int(np.isnan(x).sum())
    for _ in range(passes):
        hole = np.isnan(x[1:])
        x[1:][hole] = x[:-1][hole]
        hole = np.isnan(x[:-1])
        x[:-1][hole] = x[1:][hole]
    return x, before - int(np.isnan(x).sum())


def _read_pickle(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            data = pickle.load(f, encoding="latin1")
    except (EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError, IndexError) as exc:
        raise DataFormatError(path, f"cannot be unpickled (truncated or not a pickle: {type(exc).__name__}: {exc})",
                              "download the file again") from None
    if not isinstance(data, dict):
        raise DataFormatError(path, f"holds a {type(data).__name__}, expected a dict with keys imu_ori, imu_acc, gt", FIX)
    return data


def _float_array(path: Path, key: str, value) -> np.ndarray:
    """``value`` as a float64 array, or a :class:`DataFormatError` naming the key and what it holds."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise DataFormatError(path, f"{key!r} is not an array of numbers ({exc})", FIX) from None
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        kinds = sorted({type(v).__name__ for v in arr.reshape(-1)[:100]}) if arr.dtype == object else None
        found = f"dtype {arr.dtype}" + (f" holding {kinds}" if kinds else "")
        raise DataFormatError(path, f"{key!r} has {found}; expected an array of numbers", FIX)
    return arr.astype(np.float64)


def load_dip(path: str | Path, sensors: str | Sequence[int | str] = "p4", fill_passes: int = FILL_PASSES,
             trim: int = TRIM) -> DIPSequence:
    """Read, fill and trim one DIP-IMU pickle (see the module docstring).

    sensors: a name in :data:`SENSOR_SETS` ("p4", "dip6", "imuposer", "all") or DIP indices / names
    returns :class:`DIPSequence` with T = frames - 2·trim
    raises  :class:`DataFormatError` for missing keys, wrong shapes, or NaNs left after filling
    """
    path = require_file(path, "DIP-IMU file")
    idx = list(resolve_sensors(sensors))
    if fill_passes < 0 or trim < 0:
        raise ValueError(f"fill_passes={fill_passes} and trim={trim} must be >= 0")
    data = _read_pickle(path)
    missing = [k for k in ("imu_ori", "imu_acc", "gt") if k not in data]
    if missing:
        raise DataFormatError(path, f"key(s) {missing} missing (keys present: {sorted(map(str, data))})", FIX)
    ori, acc, gt = (_float_array(path, key, data[key]) for key in ("imu_ori", "imu_acc", "gt"))
    if ori.ndim == 3 and ori.shape[1:] == (N_SENSORS, 9):
        ori = ori.reshape(len(ori), N_SENSORS, 3, 3)
    n = ori.shape[0] if ori.ndim else 0
    expected = {"imu_ori": ((n, N_SENSORS, 3, 3), ori), "imu_acc": ((n, N_SENSORS, 3), acc), "gt": ((n, 72), gt)}
    for key, (shape, arr) in expected.items():
        if arr.shape != shape:
            raise DataFormatError(path, f"'{key}' has shape {arr.shape}; expected {shape} "
                                  f"(T frames, {N_SENSORS} sensors; T taken from imu_ori)", FIX)
    if n <= 2 * trim:
        raise DataFormatError(path, f"has {n} frames, not more than the 2 x {trim} trimmed at the ends", FIX)
    ori, n_ori = fill_nan_from_neighbours(ori[:, idx], fill_passes)
    acc, n_acc = fill_nan_from_neighbours(acc[:, idx], fill_passes)
    sl = slice(trim, n - trim)
    ori, acc, gt = ori[sl], acc[sl], gt[sl]
    for key, arr in (("imu_ori", ori), ("imu_acc", acc), ("gt", gt)):
        bad = ~np.isfinite(arr)
        if bad.any():
            frames = np.unique(np.nonzero(bad)[0]) + trim
            raise DataFormatError(path, f"'{key}' still has {int(bad.sum())} NaN/inf value(s) in {len(frames)} frame(s) "
                                  f"(first at frame {int(frames[0])}) after {fill_passes} filling passes",
                                  "skip this recording as TransPose does, or pass a larger fill_passes")
    return DIPSequence(ori=ori, acc=acc, poses=gt.reshape(len(gt), N_JOINTS, 3), sensors=tuple(idx),
                       subject=path.parent.name, source=str(path), n_filled=n_ori + n_acc)


def find_dip_files(root: str | Path, subjects: Sequence[str] | None = None) -> list[Path]:
    """``<root>/s_XX/*.pkl`` sorted, optionally only the given subjects (e.g. :data:`TEST_SUBJECTS`)."""
    root = require_dir(root, "DIP-IMU folder")
    files = sorted(root.glob("s_*/*.pkl"))
    if subjects is not None:
        wanted = set(subjects)
        files = [f for f in files if f.parent.name in wanted]
    return files


def load_dip_folder(root: str | Path, sensors: str | Sequence[int | str] = "p4",
                    subjects: Sequence[str] | None = None) -> tuple[list[DIPSequence], list[tuple[Path, str]]]:
    """Every readable recording under ``root``; returns (sequences, skipped) where skipped lists
    (file, reason) for recordings rejected by :func:`load_dip` (e.g. NaNs left after filling)."""
    sequences, skipped = [], []
    for f in find_dip_files(root, subjects):
        try:
            sequences.append(load_dip(f, sensors))
        except DataFormatError as exc:
            skipped.append((f, exc.problem))
    return sequences, skipped
