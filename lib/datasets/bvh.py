"""BVH motion files (CMU Graphics Lab mocap): parser, forward kinematics of the file's own skeleton,
sensor sites for virtual IMUs, and an approximate retargeting to the SMPL 24-joint :class:`MotionClip`.

Official source: CMU Graphics Lab Motion Capture Database, http://mocap.cs.cmu.edu ("The data used
in this project was obtained from mocap.cs.cmu.edu. The database was created with funding from NSF
EIA-0196217."); BVH conversions by B. Hahne (cgspeed). Free for research and products, not for
resale as data (``../shared/data/README.md``).

Format: ``HIERARCHY`` (``ROOT``/``JOINT`` blocks with ``OFFSET x y z`` in the parent's frame,
``CHANNELS n ...``, ``End Site`` leaves) then ``MOTION``, ``Frames: N``, ``Frame Time: dt`` and N rows
of channel values. Rotation channels are Euler angles in degrees, applied in the listed order as
intrinsic rotations: ``Zrotation Yrotation Xrotation`` means R = Rz·Ry·Rx, i.e.
``Rotation.from_euler("ZYX", [z, y, x], degrees=True)``; the order is read per joint (the CMU
subject-131 files use ZXY for the arms). Position channels (the root's) replace the joint's offset.

Channel declarations accepted (checked per joint, because a damaged file can shift channels between
joints and keep the total, which would otherwise parse into misaligned columns): every ROOT/JOINT has
exactly one ``CHANNELS n name1 ... namen`` line with n names, holding the three rotation channels
(``Xrotation``, ``Yrotation``, ``Zrotation``, each once, in any order) and optionally the three position
channels (each once): 6 for the root as in CMU files, 3 (or 6, as some exporters write) for the others.
Joint names are unique. The virtual IMU needs at least :data:`lib.body.imu.MIN_FRAMES` frames after
resampling, which :func:`to_motion_clip` checks with the file's name in the message.

Forward kinematics (per joint j with parent p, vectorised over frames):
``G_j = G_p · R_j`` and ``x_j = x_p + G_p · offset_j``; an End Site becomes a joint named
``<parent>_end`` with the parent's rotation.

Units and axes: CMU lengths are in the CMU unit, 1/0.45 inch = 0.05644 m (the ASF ``length 0.45``
convention; data README), converted here to metres with :data:`CMU_UNIT_M`; CMU BVH is Y-up, and the
rest pose faces +Z with the subject's left on +X, like SMPL's canonical frame.

Joint names differ between CMU conversions: the subject-131 files use LeftHip/LeftKnee/LeftAnkle,
lowerback/Chest/Chest2, LeftCollar/LeftShoulder/LeftElbow/LeftWrist; the common cgspeed files use
LeftUpLeg/LeftLeg/LeftFoot, LowerBack/Spine/Spine1, LeftShoulder(=clavicle)/LeftArm/LeftForeArm/LeftHand.
Both are recognised (:data:`SMPL_MAPS`, :data:`SITES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np
from scipy.spatial.transform import Rotation

from lib.body.clip import N_JOINTS, MotionClip
from lib.body.imu import MIN_FRAMES
from lib.datasets.errors import DataFormatError, read_text

#: One CMU length unit in metres: 1/0.45 inch (``../shared/data/README.md``).
CMU_UNIT_M = 0.0254 / 0.45
END_SUFFIX = "_end"
_ROT = {"Xrotation": "X", "Yrotation": "Y", "Zrotation": "Z"}
_POS = {"Xposition": 0, "Yposition": 1, "Zposition": 2}
FIX = "give a BVH file (HIERARCHY ... MOTION ...), e.g. a CMU cgspeed conversion"
FIX_CHANNELS = ("the hierarchy's channel declarations are damaged (counts shifted between joints?); "
                "export or download the file again")


# --------------------------------------------------------------------------------------------- parsing
@dataclass(frozen=True)
class BVHSkeleton:
    """The hierarchy: J joints in file order (End Sites included as ``<parent>_end``).

    names: (J,) str; parents: (J,) int (-1 root); offsets: (J, 3) file units, in the parent's frame;
    channels: (J,) tuple of channel names (empty for End Sites); column: (J,) index of each joint's
    first channel in a motion row (-1 for End Sites)
    """

    names: tuple
    parents: np.ndarray
    offsets: np.ndarray
    channels: tuple
    column: np.ndarray

    @property
    def n_channels(self) -> int:
        return sum(len(c) for c in self.channels)

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"joint {name!r} is not in this BVH skeleton; joints: {list(self.names)}") from None

    @property
    def rest_positions(self) -> np.ndarray:
        """(J, 3) joint positions with all rotations zero, root at the origin, file units."""
        pos = np.zeros((len(self.names), 3))
        for j, p in enumerate(self.parents):
            if p >= 0:
                pos[j] = pos[p] + self.offsets[j]
        return pos


@dataclass(frozen=True)
class BVHMotion:
    """A parsed BVH file. frames: (T, C) channel values as stored (degrees, file units)."""

    skeleton: BVHSkeleton
    frames: np.ndarray
    frame_time: float
    source: str

    @property
    def fps(self) -> float:
        fps = 1.0 / self.frame_time
        return float(round(fps)) if abs(fps - round(fps)) < 0.01 else fps  # ".0083333" -> 120

    @property
    def n_frames(self) -> int:
        return self.frames.shape[0]


def _floats(tokens: list[str], path: Path, what: str) -> list[float]:
    try:
        values = [float(t) for t in tokens]
    except ValueError:
        raise DataFormatError(path, f"{what} has a non-numeric value in {tokens}", FIX) from None
    if not np.isfinite(values).all():
        raise DataFormatError(path, f"{what} has NaN/inf in {tokens}", FIX)
    return values


def _check_channels(names: tuple, joint: str, where: str, path: Path) -> None:
    """Raise unless ``names`` (one joint's channels) are 3 rotations, optionally with 3 positions, each
    axis once (the conventions in the module docstring)."""
    rotations = [c for c in names if c in _ROT]
    positions = [c for c in names if c in _POS]
    repeated = sorted({c for c in names if names.count(c) > 1})
    if repeated:
        problem = f"naming {repeated} twice"
    elif len(rotations) != 3:
        problem = f"of which {len(rotations)} rotation(s)"
    elif len(positions) not in (0, 3):
        problem = f"of which {len(positions)} position(s)"
    else:
        return
    raise DataFormatError(path, f"{where}: joint {joint} declares {len(names)} channel(s) {list(names)}, {problem}; "
                          "expected 3 rotation channels (Xrotation, Yrotation, Zrotation, each once, in any order), "
                          "optionally with 3 position channels (the root's 6: Xposition Yposition Zposition + "
                          "3 rotations)", FIX_CHANNELS)


def _column_name(skeleton: BVHSkeleton, column: int) -> str:
    """'joint Hips, Zrotation' for a 0-based column of a motion row."""
    starts = [(first, k) for k, first in enumerate(skeleton.column) if 0 <= first <= column]
    joint = max(starts)[1]  # the joint whose channels start last at or before ``column``
    return f"joint {skeleton.names[joint]}, {skeleton.channels[joint][column - skeleton.column[joint]]}"


def _non_numeric(path: Path, rows: list[str], skeleton: BVHSkeleton) -> DataFormatError:
    """The error for motion rows numpy could not read as numbers, naming the first bad value's row and channel."""
    for k, row in enumerate(rows):
        for c, token in enumerate(row.split()):
            try:
                float(token)
            except ValueError:
                return DataFormatError(path, f"motion row {k + 1}, value {c + 1} ({_column_name(skeleton, c)}): "
                                       f"{token!r} is not a number", "download the file again")
    return DataFormatError(path, "motion rows hold values that are not plain decimal numbers", FIX)


def _parse_hierarchy(lines: list[str], line0: int, path: Path) -> tuple[BVHSkeleton, int]:
    """Parse the lines after HIERARCHY up to MOTION (``line0`` = file line number of ``lines[0]``).

    returns (skeleton, index in ``lines`` of the MOTION line)
    """
    names, parents, offsets, channels, column, is_end = [], [], [], [], [], []
    declared_on: dict[str, int] = {}  # joint name -> file line that opened it
    stack: list[int] = []
    pending: int | None = None  # joint opened by ROOT/JOINT/End Site, waiting for "{"
    n_col = 0
    motion_at = None
    for i, raw in enumerate(lines):
        tok = raw.split()
        if not tok:
            continue
        key, where = tok[0], f"line {line0 + i}"
        if key in ("ROOT", "JOINT", "End"):
            if pending is not None:
                raise DataFormatError(path, f"{where}: {key} follows {names[pending]} before its '{{'", FIX)
            if key == "ROOT" and (names or stack):
                raise DataFormatError(path, f"{where}: a second ROOT; only one skeleton per file is supported", FIX)
            if key != "ROOT" and not stack:
                raise DataFormatError(path, f"{where}: {key} outside the ROOT joint", FIX)
            if key == "End" and is_end[stack[-1]]:
                raise DataFormatError(path, f"{where}: End Site inside an End Site", FIX)
            if key != "End" and len(tok) < 2:
                raise DataFormatError(path, f"{where}: {key} without a joint name", FIX)
            name = names[stack[-1]] + END_SUFFIX if key == "End" else " ".join(tok[1:])
            if name in declared_on:
                raise DataFormatError(path, f"{where}: joint name {name!r} appears twice (first on line "
                                      f"{declared_on[name]}); joint names must be unique", FIX)
            declared_on[name] = line0 + i
            names.append(name)
            parents.append(stack[-1] if stack else -1)
            offsets.append(None)
            channels.append(())
            column.append(-1)
            is_end.append(key == "End")
            pending = len(names) - 1
        elif key == "{":
            if pending is None:
                raise DataFormatError(path, f"{where}: '{{' without a ROOT/JOINT/End Site before it", FIX)
            stack.append(pending)
            pending = None
        elif key == "}":
            if not stack:
                raise DataFormatError(path, f"{where}: unbalanced '}}'", FIX)
            j = stack.pop()
            if offsets[j] is None:
                raise DataFormatError(path, f"{where}: joint {names[j]} has no OFFSET", FIX)
            if not is_end[j] and column[j] < 0:
                raise DataFormatError(path, f"{where}: joint {names[j]} has no CHANNELS line", FIX_CHANNELS)
        elif key == "OFFSET":
            if not stack or len(tok) != 4:
                raise DataFormatError(path, f"{where}: OFFSET needs 3 numbers inside a joint; got {raw.strip()!r}", FIX)
            offsets[stack[-1]] = _floats(tok[1:], path, f"{where} OFFSET")
        elif key == "CHANNELS":
            if not stack or len(tok) < 2 or not tok[1].isdigit() or len(tok) != 2 + int(tok[1]):
                raise DataFormatError(path, f"{where}: CHANNELS must be 'CHANNELS n name1 ... namen'; got {raw.strip()!r}", FIX)
            unknown = [c for c in tok[2:] if c not in _ROT and c not in _POS]
            if unknown:
                raise DataFormatError(path, f"{where}: unknown channel(s) {unknown}; expected X/Y/Z rotation/position", FIX)
            j = stack[-1]
            if is_end[j]:
                raise DataFormatError(path, f"{where}: an End Site cannot have CHANNELS", FIX)
            if column[j] >= 0:
                raise DataFormatError(path, f"{where}: joint {names[j]} has a second CHANNELS line", FIX_CHANNELS)
            _check_channels(tuple(tok[2:]), names[j], where, path)
            channels[j] = tuple(tok[2:])
            column[j] = n_col
            n_col += len(tok) - 2
        elif key == "MOTION":
            motion_at = i
            break
        else:
            raise DataFormatError(path, f"{where}: unexpected keyword {key!r} in the HIERARCHY section", FIX)
    if motion_at is None:
        raise DataFormatError(path, "has no MOTION section (file truncated?)", "download the file again")
    if stack or pending is not None:
        raise DataFormatError(path, "HIERARCHY ends inside an unclosed joint block (file truncated?)", FIX)
    if not names:
        raise DataFormatError(path, "HIERARCHY has no ROOT joint", FIX)
    skeleton = BVHSkeleton(tuple(names), np.array(parents), np.array(offsets, dtype=np.float64),
                           tuple(channels), np.array(column))
    return skeleton, motion_at


def read_bvh(path: str | Path) -> BVHMotion:
    """Parse a BVH file. Raises :class:`DataFormatError` for a bad header, hierarchy or motion block."""
    path = Path(path).expanduser()
    lines = read_text(path, "BVH file").splitlines()
    first = next((k for k, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "HIERARCHY":
        raise DataFormatError(path, "does not start with 'HIERARCHY'", FIX)
    skeleton, motion_line = _parse_hierarchy(lines[first + 1:], first + 2, path)
    rest = [line for line in lines[first + 2 + motion_line:] if line.strip()]
    if len(rest) < 2:
        raise DataFormatError(path, "MOTION section lacks 'Frames:' and 'Frame Time:' lines (file truncated?)", FIX)
    m_frames = re.fullmatch(r"\s*Frames:\s*(\d+)\s*", rest[0])
    m_time = re.fullmatch(r"\s*Frame Time:\s*([0-9.eE+-]+)\s*", rest[1])
    if not m_frames or not m_time:
        raise DataFormatError(path, f"MOTION header must be 'Frames: N' and 'Frame Time: dt'; got {rest[0]!r}, {rest[1]!r}", FIX)
    n_frames = int(m_frames.group(1))
    frame_time = _floats([m_time.group(1)], path, "Frame Time")[0]
    if frame_time <= 0:
        raise DataFormatError(path, f"Frame Time {frame_time} must be positive", FIX)
    if n_frames < 1:
        raise DataFormatError(path, "has 'Frames: 0'; a motion needs at least one frame", FIX)
    rows = rest[2:]
    n_ch = skeleton.n_channels
    if len(rows) != n_frames:
        raise DataFormatError(path, f"header says {n_frames} frames but {len(rows)} motion rows follow"
                              + (" (file truncated?)" if len(rows) < n_frames else ""), "download the file again")
    counts = np.fromiter((len(r.split()) for r in rows), dtype=np.int64, count=len(rows))
    if (counts != n_ch).any():
        k = int(np.argmax(counts != n_ch))
        raise DataFormatError(path, f"motion row {k + 1} has {counts[k]} values; the hierarchy declares {n_ch} "
                              "channels (file truncated or hierarchy mismatch?)", "download the file again")
    try:
        frames = np.array(" ".join(rows).split(), dtype=np.float64).reshape(n_frames, n_ch)
    except ValueError:
        raise _non_numeric(path, rows, skeleton) from None
    if not np.isfinite(frames).all():
        k, c = (int(v[0]) for v in np.nonzero(~np.isfinite(frames)))
        raise DataFormatError(path, f"motion row {k + 1}, value {c + 1} ({_column_name(skeleton, c)}) is "
                              f"{frames[k, c]} (NaN/inf)", "download the file again")
    return BVHMotion(skeleton, frames, frame_time, str(path))


# ---------------------------------------------------------------------------------- forward kinematics
@dataclass(frozen=True)
class BVHPose:
    """Global joint trajectories of a BVH file in metres, Y-up.

    names: (J,) joint names (End Sites as ``<parent>_end``); parents: (J,) int
    positions: (T, J, 3) metres; rotations: (T, J, 3, 3) global rotation of each joint's frame
    (the orientation of the segment from the joint to its children); offsets: (J, 3) rest offsets, metres
    """

    names: tuple
    parents: np.ndarray
    positions: np.ndarray
    rotations: np.ndarray
    offsets: np.ndarray
    fps: float
    source: str

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"joint {name!r} is not in {self.source}; joints: {list(self.names)}") from None

    @property
    def n_frames(self) -> int:
        return self.positions.shape[0]


def local_rotations(motion: BVHMotion) -> np.ndarray:
    """(T, J, 3, 3) local rotation matrix of every joint (identity for End Sites and joints without rotation channels)."""
    sk = motion.skeleton
    T, J = motion.n_frames, len(sk.names)
    out = np.broadcast_to(np.eye(3), (T, J, 3, 3)).copy()
    groups: dict[str, list[tuple[int, list[int]]]] = {}
    for j, ch in enumerate(sk.channels):
        rot = [(k, c) for k, c in enumerate(ch) if c in _ROT]
        if rot:
            seq = "".join(_ROT[c] for _, c in rot)
            groups.setdefault(seq, []).append((j, [sk.column[j] + k for k, _ in rot]))
    for seq, members in groups.items():  # one scipy call per Euler order
        joints = [j for j, _ in members]
        cols = np.array([c for _, c in members])  # (n, k)
        angles = motion.frames[:, cols]  # (T, n, k)
        mats = Rotation.from_euler(seq, angles.reshape(-1, len(seq)), degrees=True).as_matrix()
        out[:, joints] = mats.reshape(T, len(joints), 3, 3)
    return out


def forward_kinematics(motion: BVHMotion, scale: float = CMU_UNIT_M) -> BVHPose:
    """Global positions (metres: file units × ``scale``) and rotations of every joint and End Site."""
    if not scale > 0:
        raise ValueError(f"scale={scale!r} must be a positive number of metres per file unit (CMU: {CMU_UNIT_M:.5f})")
    sk = motion.skeleton
    T, J = motion.n_frames, len(sk.names)
    local = local_rotations(motion)
    glob = np.empty((T, J, 3, 3))
    pos = np.empty((T, J, 3))
    for j in range(J):
        p = sk.parents[j]
        offset = np.broadcast_to(sk.offsets[j], (T, 3)).copy()
        for k, c in enumerate(sk.channels[j]):  # position channels replace the offset
            if c in _POS:
                offset[:, _POS[c]] = motion.frames[:, sk.column[j] + k]
        if p < 0:
            glob[:, j] = local[:, j]
            pos[:, j] = offset
        else:
            glob[:, j] = glob[:, p] @ local[:, j]
            pos[:, j] = pos[:, p] + np.einsum("tij,tj->ti", glob[:, p], offset)
    return BVHPose(sk.names, sk.parents.copy(), pos * scale, glob, sk.offsets * scale, motion.fps, motion.source)


def load_bvh(path: str | Path, scale: float = CMU_UNIT_M) -> BVHPose:
    """:func:`read_bvh` then :func:`forward_kinematics`: global joint trajectories in metres, Y-up."""
    return forward_kinematics(read_bvh(path), scale)


def estimate_stature(pose: BVHPose, quantile: float = 0.95) -> float:
    """Head-top height in metres: the ``quantile`` over frames of the top of the head above the floor.

    Top of head = the Head End Site (else the Head joint); floor = the 5th percentile over frames of
    the lowest joint, i.e. the ground the supporting foot stands on. Walking lowers this by a few cm
    against standing height, and CMU's BVH skeletons omit some trunk length (subject 131: the thorax),
    so treat it as a lower bound.
    """
    head = next((n for n in ("Head" + END_SUFFIX, "Head") if n in pose.names), None)
    if head is None:
        raise DataFormatError(pose.source, "has no joint named 'Head' (nor its End Site 'Head_end'), which the "
                              "stature is measured to", f"use stature_from_legs, or rename the head joint to 'Head' "
                              f"as in the naming conventions {list(SMPL_MAPS)}")
    y = pose.positions[..., 1]
    floor = np.quantile(y.min(axis=1), 0.05)
    return float(np.quantile(y[:, pose.index(head)], quantile) - floor)


def stature_from_legs(pose: BVHPose, convention: str | None = None) -> float:
    """Stature in metres from the left thigh + shank bone lengths and Winter's ratios (thigh 0.245 H,
    shank 0.246 H; virtual-imu-facts §3). Robust to the trunk segments some CMU conversions drop."""
    from lib.body.skeleton import WINTER

    table = SMPL_MAPS[_resolve_convention(pose, convention)]
    knee, ankle = table["left_hip"][1], table["left_knee"][1]
    leg = sum(float(np.linalg.norm(pose.offsets[pose.index(j)])) for j in (knee, ankle))
    return leg / (WINTER["thigh"] + WINTER["shank"])


# ------------------------------------------------------------------------------------------ sensor sites
@dataclass(frozen=True)
class SiteSpec:
    """Where a sensor sits on a BVH skeleton (alternative joint names, first match wins).

    orientation: joint whose global rotation is the sensor's orientation (the segment it is strapped to)
    start, end, fraction: position = start + fraction · (end - start), along that segment
    """

    orientation: tuple
    start: tuple
    end: tuple
    fraction: float


#: Sensor sites: P4's three (left wrist, right thigh, head), their mirror images, pelvis.
#: Wrist: forearm orientation with the position at the wrist joint, as DIP's "wrist" sensor (virtual-imu-facts §1a);
#: thigh: thigh-segment orientation, mid-thigh position (IMUPoser, facts §1c); head: head orientation, mid-skull.
SITES = {
    "left_wrist": SiteSpec(("LeftElbow", "LeftForeArm"), ("LeftElbow", "LeftForeArm"), ("LeftWrist", "LeftHand"), 1.0),
    "right_wrist": SiteSpec(("RightElbow", "RightForeArm"), ("RightElbow", "RightForeArm"), ("RightWrist", "RightHand"), 1.0),
    "right_thigh": SiteSpec(("RightHip", "RightUpLeg"), ("RightHip", "RightUpLeg"), ("RightKnee", "RightLeg"), 0.5),
    "left_thigh": SiteSpec(("LeftHip", "LeftUpLeg"), ("LeftHip", "LeftUpLeg"), ("LeftKnee", "LeftLeg"), 0.5),
    "head": SiteSpec(("Head",), ("Head",), ("Head" + END_SUFFIX, "Head"), 0.5),
    "pelvis": SiteSpec(("Hips",), ("Hips",), ("Hips",), 0.0),
}
P4_SITES = ("left_wrist", "right_thigh", "head")


class SiteTrack(NamedTuple):
    """A sensor site's trajectory: position (T, 3) metres, rotation (T, 3, 3) global."""

    position: np.ndarray
    rotation: np.ndarray


def _first(pose: BVHPose, candidates: Sequence[str], site: str) -> int:
    for name in candidates:
        if name in pose.names:
            return pose.names.index(name)
    raise KeyError(f"sensor site {site!r} needs one of the joints {list(candidates)}, which {pose.source} lacks; "
                   f"its joints are {list(pose.names)}")


def site_tracks(pose: BVHPose, sites: Sequence[str] = P4_SITES) -> dict[str, SiteTrack]:
    """Position and orientation of each named sensor site (keys of :data:`SITES`) over the frames."""
    out = {}
    for site in sites:
        if site not in SITES:
            raise ValueError(f"sensor site {site!r} is unknown; use one of {list(SITES)}")
        spec = SITES[site]
        a, b = _first(pose, spec.start, site), _first(pose, spec.end, site)
        ori = _first(pose, spec.orientation, site)
        position = pose.positions[:, a] + spec.fraction * (pose.positions[:, b] - pose.positions[:, a])
        out[site] = SiteTrack(position, pose.rotations[:, ori].copy())
    return out


# ----------------------------------------------------------------------------- retargeting to SMPL-24
#: SMPL joint -> (BVH joint whose global rotation drives it, BVH joint at the far end of that segment;
#: None = the two rest frames are taken as equal). One map per CMU naming convention.
SMPL_MAPS = {
    "cmu_131": {
        "pelvis": ("Hips", None), "left_hip": ("LeftHip", "LeftKnee"), "right_hip": ("RightHip", "RightKnee"),
        "spine1": ("lowerback", "Chest"), "left_knee": ("LeftKnee", "LeftAnkle"), "right_knee": ("RightKnee", "RightAnkle"),
        "spine2": ("Chest", "Chest2"), "left_ankle": ("LeftAnkle", "LeftToe"), "right_ankle": ("RightAnkle", "RightToe"),
        "spine3": ("Chest2", None), "left_foot": ("LeftToe", "LeftToe_end"), "right_foot": ("RightToe", "RightToe_end"),
        "neck": ("Neck", "Head"), "left_collar": ("LeftCollar", "LeftShoulder"),
        "right_collar": ("RightCollar", "RightShoulder"), "head": ("Head", "Head_end"),
        "left_shoulder": ("LeftShoulder", "LeftElbow"), "right_shoulder": ("RightShoulder", "RightElbow"),
        "left_elbow": ("LeftElbow", "LeftWrist"), "right_elbow": ("RightElbow", "RightWrist"),
        "left_wrist": ("lhand", "LFingers"), "right_wrist": ("rhand", "RFingers"),
        "left_hand": ("LFingers", "LFingers_end"), "right_hand": ("RFingers", "RFingers_end"),
    },
    "cgspeed": {
        "pelvis": ("Hips", None), "left_hip": ("LeftUpLeg", "LeftLeg"), "right_hip": ("RightUpLeg", "RightLeg"),
        "spine1": ("LowerBack", "Spine"), "left_knee": ("LeftLeg", "LeftFoot"), "right_knee": ("RightLeg", "RightFoot"),
        "spine2": ("Spine", "Spine1"), "left_ankle": ("LeftFoot", "LeftToeBase"), "right_ankle": ("RightFoot", "RightToeBase"),
        "spine3": ("Spine1", None), "left_foot": ("LeftToeBase", "LeftToeBase_end"),
        "right_foot": ("RightToeBase", "RightToeBase_end"), "neck": ("Neck1", "Head"),
        "left_collar": ("LeftShoulder", "LeftArm"), "right_collar": ("RightShoulder", "RightArm"),
        "head": ("Head", "Head_end"), "left_shoulder": ("LeftArm", "LeftForeArm"),
        "right_shoulder": ("RightArm", "RightForeArm"), "left_elbow": ("LeftForeArm", "LeftHand"),
        "right_elbow": ("RightForeArm", "RightHand"), "left_wrist": ("LeftHand", "LeftFingerBase"),
        "right_wrist": ("RightHand", "RightFingerBase"), "left_hand": ("LeftFingerBase", "LeftHandIndex1"),
        "right_hand": ("RightFingerBase", "RightHandIndex1"),
    },
}

#: How each naming convention of :data:`SMPL_MAPS` spells the body, for messages about unknown skeletons.
CONVENTION_NOTES = {
    "cmu_131": "CMU subject-131 files: Hips, LeftHip/LeftKnee/LeftAnkle/LeftToe, lowerback/Chest/Chest2, Neck/Head, "
               "LeftCollar/LeftShoulder/LeftElbow/LeftWrist/lhand/LFingers",
    "cgspeed": "cgspeed conversions: Hips, LeftUpLeg/LeftLeg/LeftFoot/LeftToeBase, LowerBack/Spine/Spine1, Neck1/Head, "
               "LeftShoulder/LeftArm/LeftForeArm/LeftHand/LeftFingerBase/LeftHandIndex1",
}

#: Rest direction of SMPL leaf segments (no child joint to point at): feet forward, head up, hands outward.
_SMPL_LEAF_DIRECTION = {"left_foot": (0, 0, 1), "right_foot": (0, 0, 1), "head": (0, 1, 0),
                        "left_hand": (1, 0, 0), "right_hand": (-1, 0, 0)}


def missing_joints(names: Sequence[str], convention: str) -> list[str]:
    """The joints the ``convention`` mapping uses (driving and far-end joints, :data:`SMPL_MAPS` order)
    that ``names`` lacks."""
    present = set(names)
    needed = dict.fromkeys(n for pair in SMPL_MAPS[convention].values() for n in pair if n is not None)
    return [n for n in needed if n not in present]


def _fix_names() -> str:
    return ("rename the joints to one of the naming conventions the retargeting knows ("
            + "; ".join(f"{key!r}: {note}" for key, note in CONVENTION_NOTES.items()) + ")")


def detect_convention(names: Sequence[str], source: str | Path = "BVH skeleton") -> str:
    """The key of :data:`SMPL_MAPS` whose joints all exist in ``names``.

    source: the file the names come from, for the error
    raises: :class:`DataFormatError` naming ``source``, the convention that comes closest and the joints
    it lacks (e.g. a renamed ``Hips`` or a missing ``Head``), and every convention known
    """
    missing = {key: missing_joints(names, key) for key in SMPL_MAPS}
    for key, lacks in missing.items():
        if not lacks:
            return key
    closest = min(missing, key=lambda key: len(missing[key]))
    others = ", ".join(f"{key!r} lacks {len(lacks)}" for key, lacks in missing.items() if key != closest)
    raise DataFormatError(source, f"its joints match no BVH naming convention the retargeting knows: the closest, "
                          f"{closest!r}, lacks the joint(s) {missing[closest]} ({others})", _fix_names())


def _resolve_convention(pose: BVHPose, convention: str | None) -> str:
    """``convention`` checked against the pose's joints, or detected when None."""
    if convention is None:
        return detect_convention(pose.names, pose.source)
    if convention not in SMPL_MAPS:
        raise ValueError(f"convention={convention!r} is unknown; use one of {list(SMPL_MAPS)} or None to detect it")
    lacks = missing_joints(pose.names, convention)
    if lacks:
        raise DataFormatError(pose.source, f"lacks the joint(s) {lacks} that the {convention!r} naming convention "
                              "needs", _fix_names())
    return convention


def _require_frames(pose: BVHPose, n_frames: int, fps: float, needed: int) -> None:
    """Raise unless the clip has ``needed`` frames at ``fps`` (the file's rate or the resampled one)."""
    if n_frames >= needed:
        return
    resampled = "" if fps == pose.fps else f", which are {n_frames} frame(s) at {fps:g} fps"
    raise DataFormatError(pose.source, f"has {pose.n_frames} frame(s) at {pose.fps:g} fps{resampled}; the virtual IMU "
                          f"needs at least {needed} (its accelerations and angular velocities are differences over "
                          "three frames)", f"give a longer recording (at least {needed} frames at {fps:g} fps)")


def _smpl_rest_directions() -> np.ndarray:
    """(24, 3) unit rest direction of each SMPL segment in the T-pose (lib.body.skeleton)."""
    from lib.body.skeleton import JOINT_NAMES, PARENTS, skeleton_from_stature

    offsets = skeleton_from_stature(1.75).offsets
    dirs = np.zeros((N_JOINTS, 3))
    for j, name in enumerate(JOINT_NAMES):
        children = [c for c in range(N_JOINTS) if PARENTS[c] == j]
        if name in _SMPL_LEAF_DIRECTION:
            d = np.array(_SMPL_LEAF_DIRECTION[name], dtype=float)
        elif children:
            d = offsets[children[0]]  # the first child: knee for a hip, neck for spine3, ...
        else:
            d = np.array([0.0, 1.0, 0.0])
        dirs[j] = d / np.linalg.norm(d)
    return dirs


def to_motion_clip(pose: BVHPose, fps: float | None = None, convention: str | None = None,
                   min_frames: int = MIN_FRAMES) -> MotionClip:
    """Approximate retargeting of a BVH pose to SMPL-24 local axis-angle (Y-up, metres).

    Method: each SMPL joint takes the global rotation of its mapped BVH joint (:data:`SMPL_MAPS`),
    corrected by the constant rotation that turns SMPL's rest bone direction (T-pose, arms along ±X)
    into the BVH's rest bone direction (CMU: arms down, legs slightly splayed), found with
    ``Rotation.align_vectors``; locals are then ``G_parent^T · G_joint``. ``trans`` = the BVH root.

    Limits: bone *directions* of the mapped segments match the BVH exactly, but (1) the SMPL skeleton
    used with the clip has its own proportions, so positions and the rotational part of virtual
    accelerations differ by the length ratio; (2) twist about a bone is only as right as the two rest
    poses agree (the minimal rest alignment adds no twist); (3) the BVH's two neck segments and
    finger joints collapse into SMPL's one neck and hand joint; (4) pelvis and spine3 assume both rest
    frames are upright and face +Z. For sensor signals that must match the mocap, use
    :func:`site_tracks` on the BVH's own skeleton.

    min_frames: fewest frames the clip must have, before and after resampling to ``fps`` (default: what
    the virtual IMU needs, :data:`lib.body.imu.MIN_FRAMES`)
    raises: :class:`DataFormatError` naming the file for a skeleton in no known naming convention, a
    mapped segment of zero length, or too few frames
    """
    from lib.body.skeleton import JOINT_NAMES, PARENTS

    if isinstance(min_frames, bool) or not isinstance(min_frames, (int, np.integer)) or min_frames < 1:
        raise ValueError(f"min_frames={min_frames!r} must be a positive integer")
    resample = fps is not None and fps != pose.fps
    _require_frames(pose, pose.n_frames, pose.fps, max(min_frames, 2) if resample else min_frames)  # slerp needs 2
    convention = _resolve_convention(pose, convention)
    table = SMPL_MAPS[convention]
    smpl_dirs = _smpl_rest_directions()
    T = pose.n_frames
    glob = np.empty((T, N_JOINTS, 3, 3))
    for j, name in enumerate(JOINT_NAMES):
        driver, far = table[name]
        g = pose.rotations[:, pose.index(driver)]
        if far is None:
            glob[:, j] = g
            continue
        bvh_dir = pose.offsets[pose.index(far)]
        if pose.parents[pose.index(far)] != pose.index(driver) or np.linalg.norm(bvh_dir) < 1e-9:
            parent = pose.names[pose.parents[pose.index(far)]]
            raise DataFormatError(pose.source, f"joint {far} (parent {parent}, OFFSET {bvh_dir.tolist()} m) must be a "
                                  f"child of {driver} at a non-zero OFFSET for the {convention!r} retargeting",
                                  _fix_names())
        align, _ = Rotation.align_vectors(bvh_dir[None] / np.linalg.norm(bvh_dir), smpl_dirs[j][None])
        glob[:, j] = g @ align.as_matrix()
    local = np.empty((T, N_JOINTS, 3))
    local[:, 0] = Rotation.from_matrix(glob[:, 0]).as_rotvec()
    for j in range(1, N_JOINTS):
        rel = np.swapaxes(glob[:, PARENTS[j]], -1, -2) @ glob[:, j]
        local[:, j] = Rotation.from_matrix(rel).as_rotvec()
    root = pose.positions[:, 0]
    subject = {"stature": round(stature_from_legs(pose, convention), 4), "bvh_convention": convention,
               "head_top_m": round(estimate_stature(pose), 4) if "Head" in pose.names else None}
    clip = MotionClip(local, root, pose.fps, None, subject, f"bvh:{Path(pose.source).name}")
    if not resample:
        return clip
    clip = clip.resampled(float(fps))
    _require_frames(pose, clip.n_frames, float(fps), min_frames)
    return clip
