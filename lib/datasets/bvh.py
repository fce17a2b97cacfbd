"""BVH motion files (CMU Graphics Lab mocap and other humanoid BVH): parser, forward kinematics of the
file's own skeleton in metres, sensor sites for virtual IMUs, and an approximate retargeting to the SMPL
24-joint :class:`MotionClip`.

Official source of the bundled test data: CMU Graphics Lab Motion Capture Database, http://mocap.cs.cmu.edu
("The data used in this project was obtained from mocap.cs.cmu.edu. The database was created with funding
from NSF EIA-0196217."); BVH conversions by B. Hahne (cgspeed). Free for research and products, not for
resale as data (the terms on mocap.cs.cmu.edu).

Format: ``HIERARCHY`` (``ROOT``/``JOINT`` blocks with ``OFFSET x y z`` in the parent's frame,
``CHANNELS n ...``, ``End Site`` leaves) then ``MOTION``, ``Frames: N``, ``Frame Time: dt`` and N rows
of channel values. Rotation channels are Euler angles in degrees, applied in the listed order as
intrinsic rotations: ``Zrotation Yrotation Xrotation`` means R = Rz·Ry·Rx, i.e.
``Rotation.from_euler("ZYX", [z, y, x], degrees=True)``; the order is read per joint and may be any of the
six permutations (the CMU subject-131 files use ZXY for the arms).

Position channels, on the root or on any joint (6-channel files, e.g. exports "with displacement"), are
the joint's translation from its parent in the parent's frame for that frame: they *replace* its OFFSET,
which holds the rest value of the same translation. This is how Blender's BVH importer reads them
(``io_anim_bvh/import_bvh.py`` poses a bone at the channel value minus its rest head) and how D. Holden's
widely copied ``BVH.py`` loader does (6-channel joints take their positions from the channels); adding the
channels to the OFFSET would count the rest offset twice for files that write it in both places.

Channel declarations accepted (checked per joint, because a damaged file can shift channels between
joints and keep the total, which would otherwise parse into misaligned columns): every ROOT/JOINT has
exactly one ``CHANNELS n name1 ... namen`` line with n names, holding the three rotation channels
(``Xrotation``, ``Yrotation``, ``Zrotation``, each once, in any order) and optionally the three position
channels (each once): 6 for the root as in CMU files, 3 or 6 for the others; any other count is a
:class:`DataFormatError` naming the joint. Joint names are unique. End Sites may have zero length (some
exporters write ``OFFSET 0 0 0``): they carry no bone direction and are skipped where one is needed. The
virtual IMU needs at least :data:`lib.body.imu.MIN_FRAMES` frames after resampling, which
:func:`to_motion_clip` checks with the file's name in the message.

Forward kinematics (per joint j with parent p, vectorised over frames):
``G_j = G_p · R_j`` and ``x_j = x_p + G_p · offset_j``; an End Site becomes a joint named
``<parent>_end`` with the parent's rotation.

Units and axes: BVH files carry no length unit. :func:`load_bvh` detects it from the height of the rest
pose (:func:`detect_units`: the one of m, cm, mm, inch and the CMU unit that makes an adult, 1.2–2.2 m tall
at rest) unless ``units=`` or ``scale=`` says it. The CMU unit is 1/0.45 inch = 0.05644 m
(:data:`CMU_UNIT_M`): the CMU FAQ (mocap.cs.cmu.edu/faqs.php) converts ASF/AMC lengths to metres with
(1.0/0.45)·2.54/100, the ASF header's ``length 0.45``; the cgspeed BVH files keep those numbers (subject
131: 7.2 units hip to knee = 0.41 m). Axes: Y up, and the rest pose faces +Z with the subject's left on +X,
like SMPL's canonical frame (as CMU and most BVH exporters write).

Joint names differ between tools. The retargeting reads its joint-name maps from the data file
:data:`CONVENTIONS_FILE` (``bvh_conventions.json``, sources cited per entry): CMU subject-131
(LeftHip/LeftKnee/LeftAnkle, lowerback/Chest/Chest2, LeftCollar/LeftShoulder/LeftElbow/LeftWrist), CMU
cgspeed (LeftUpLeg/LeftLeg/LeftFoot, LowerBack/Spine/Spine1, LeftShoulder(=clavicle)/LeftArm/LeftForeArm/
LeftHand), Mixamo (``mixamorig:Hips``, ``mixamorig:LeftUpLeg`` ..., prefix optional), 3ds Max Biped
(``Bip01 Pelvis``, ``Bip01 L Thigh`` ..., prefix optional) and the Unreal mannequin (``pelvis``,
``thigh_l``, ``calf_l`` ...). :func:`detect_convention` picks the one whose required joints are all present
(case-insensitive); a skeleton in none raises one :class:`DataFormatError` that lists what the closest
convention lacks and how to add a map. :data:`SITES` (sensor sites on the file's own skeleton) name the
two CMU conventions' joints.
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
from lib.body.skeleton import JOINT_NAMES, PARENTS, WINTER, skeleton_from_stature
from lib.datasets.errors import DataFormatError, read_text

#: One CMU length unit in metres: 1/0.45 inch (``:units length 0.45`` in the database's ASF skeleton files).
CMU_UNIT_M = 0.0254 / 0.45
END_SUFFIX = "_end"
_ROT = {"Xrotation": "X", "Yrotation": "Y", "Zrotation": "Z"}
_POS = {"Xposition": 0, "Yposition": 1, "Zposition": 2}
FIX = "give a BVH file (HIERARCHY ... MOTION ...), e.g. a CMU cgspeed conversion"
FIX_CHANNELS = ("the hierarchy's channel declarations are damaged (counts shifted between joints?); "
                "export or download the file again")


# --------------------------------------------------------------------------------------------- parsing

def rest_pose(parents, offsets: np.ndarray) -> np.ndarray:
    """(J, 3) joint positions with every rotation zero: each joint at its parent plus its offset (parents
    before children, root at the origin), in the offsets' units."""
    pos = np.zeros((len(parents), 3))
    for j, p in enumerate(parents):
        if p >= 0:
            pos[j] = pos[p] + offsets[j]
    return pos

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
        """Total channel count C over all joints: the number of values in a motion row."""
        return sum(len(c) for c in self.channels)

    def index(self, name: str) -> int:
        """Position of joint ``name`` in ``names``; KeyError when it is not there."""
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"joint {name!r} is not in this BVH skeleton; joints: {list(self.names)}") from None

    @property
    def rest_positions(self) -> np.ndarray:
        """(J, 3) joint positions with all rotations zero, root at the origin, file units."""
        return rest_pose(self.parents, self.offsets)


@dataclass(frozen=True)
class BVHMotion:
    """A parsed BVH file. frames: (T, C) channel values as stored (degrees, file units)."""

    skeleton: BVHSkeleton
    frames: np.ndarray
    frame_time: float
    source: str

    @property
    def fps(self) -> float:
        """Frames per second, 1 / ``frame_time``, rounded to a whole number when within 0.01 of one."""
        fps = 1.0 / self.frame_time
        return float(round(fps)) if abs(fps - round(fps)) < 0.01 else fps  # ".0083333" -> 120

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
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


# --------------------------------------------------------------------------------------------- units
#: Metres per file unit of each length unit a BVH file is read in (``units=`` of :func:`load_bvh`).
#: ``cmu``: the CMU database's unit, 1/0.45 inch (:data:`CMU_UNIT_M`).
UNITS = {"m": 1.0, "cm": 0.01, "mm": 0.001, "inch": 0.0254, "cmu": CMU_UNIT_M}
#: What ``units=`` accepts: ``"auto"`` (:func:`detect_units`) or a key of :data:`UNITS`.
UNIT_CHOICES = ("auto", *UNITS)
#: Rest-pose heights, metres, that :func:`detect_units` accepts as an adult body (see there).
PLAUSIBLE_REST_HEIGHT_M = (1.2, 2.2)


def rest_height(skeleton: BVHSkeleton) -> float:
    """Height of the rest pose in file units: the vertical (Y) extent of every joint and End Site with all
    rotations zero, i.e. from the lowest point of the feet to the head (top of the head where the skeleton
    has a head End Site). BVH rest poses stand upright (T-, A- or arms-down pose)."""
    y = skeleton.rest_positions[:, 1]
    return float(y.max() - y.min())


def detect_units(skeleton: BVHSkeleton, source: str | Path = "BVH skeleton") -> str:
    """The length unit (key of :data:`UNITS`) in which the skeleton's rest pose is an adult's height.

    Rule: of m, cm, mm, inch and the CMU unit, the one that puts :func:`rest_height` inside
    :data:`PLAUSIBLE_REST_HEIGHT_M` = 1.2–2.2 m. Why these bounds: adult statures lie within about
    1.45–2.0 m, and a BVH rest pose measures 0.83–1.0 of the stature: less where the skeleton stops at
    the head joint (eye/chin heights are 0.94/0.87 of stature in Winter, *Biomechanics and Motor Control
    of Human Movement*, Fig. 4.1) or drops trunk segments (the CMU subject-131 skeleton is 1.37 m tall at
    rest for a 1.63 m stature from its legs); 1.45 × 0.83 ≈ 1.2 and 2.0 m plus a head End Site's margin
    ≈ 2.2. The window is only 1.83× wide while the two closest units differ 2.22× (inch vs CMU unit), so at
    most one unit fits.

    raises: :class:`DataFormatError` naming ``source``, the rest height and the body each unit would
    give, when no unit fits (a child or a partial skeleton, feet or decimetres, a Z-up file)
    """
    height = rest_height(skeleton)
    lo, hi = PLAUSIBLE_REST_HEIGHT_M
    fits = [unit for unit, m in UNITS.items() if lo <= height * m <= hi]
    if fits:
        return fits[0]  # at most one (see above)
    extents = np.ptp(skeleton.rest_positions, axis=0)
    implied = ", ".join(f"{height * m:.3g} m in {unit}" for unit, m in UNITS.items())
    upright = ("" if extents[1] >= 0.5 * extents.max() else
               f"; its rest pose is {extents.round(3).tolist()} file units along X, Y, Z, so it may not be Y-up "
               "as BVH files are")
    raise DataFormatError(source, f"its rest pose is {height:.4g} file units tall, which is no adult body in any "
                          f"length unit the loader knows ({implied}; accepted {lo}-{hi} m){upright}",
                          f"give the unit: load_bvh(path, units=...) with one of {list(UNITS)}, or scale= metres "
                          "per file unit (notebook 40: parameter bvh_units)")


def _resolve_scale(skeleton: BVHSkeleton, source: str, scale: float | None, units: str | None) -> tuple[str, float]:
    """(unit name, metres per file unit) from an explicit ``scale``, a named unit, or detection."""
    if scale is not None:
        if units not in (None, "auto"):
            raise ValueError(f"give scale={scale!r} or units={units!r}, not both")
        if isinstance(scale, bool) or not isinstance(scale, (int, float, np.floating)) or not scale > 0 \
                or not np.isfinite(scale):
            raise ValueError(f"scale={scale!r} must be a positive number of metres per file unit "
                             f"(CMU: {CMU_UNIT_M:.5f}); or leave it None and use units= one of {list(UNIT_CHOICES)}")
        return "given", float(scale)
    if units is None or units == "auto":
        unit = detect_units(skeleton, source)
        return unit, UNITS[unit]
    if units not in UNITS:
        raise ValueError(f"units={units!r} is unknown; use one of {list(UNIT_CHOICES)} (or scale= metres per file unit)")
    return units, UNITS[units]


# ---------------------------------------------------------------------------------- forward kinematics
@dataclass(frozen=True)
class BVHPose:
    """Global joint trajectories of a BVH file in metres, Y-up.

    names: (J,) joint names (End Sites as ``<parent>_end``); parents: (J,) int
    positions: (T, J, 3) metres; rotations: (T, J, 3, 3) global rotation of each joint's frame
    (the orientation of the segment from the joint to its children); offsets: (J, 3) rest offsets, metres
    units: the file's length unit (key of :data:`UNITS`, or "given" for an explicit ``scale``);
    scale: metres per file unit
    """

    names: tuple
    parents: np.ndarray
    positions: np.ndarray
    rotations: np.ndarray
    offsets: np.ndarray
    fps: float
    source: str
    units: str = "given"
    scale: float = 1.0

    def index(self, name: str) -> int:
        """Position of joint ``name`` in ``names``; KeyError when it is not there."""
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"joint {name!r} is not in {self.source}; joints: {list(self.names)}") from None

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return self.positions.shape[0]

    @property
    def rest_positions(self) -> np.ndarray:
        """(J, 3) joint positions in the rest pose (all rotations zero), root at the origin, metres."""
        return rest_pose(self.parents, self.offsets)


def local_rotations(motion: BVHMotion) -> np.ndarray:
    """(T, J, 3, 3) local rotation matrix of every joint (identity for End Sites and joints without rotation channels).

    Each joint's three rotation channels are Euler angles in the order its CHANNELS line lists them, any of
    the six permutations, applied as intrinsic rotations (R = R_first · R_second · R_third)."""
    sk = motion.skeleton
    T, J = motion.n_frames, len(sk.names)
    out = np.broadcast_to(np.eye(3), (T, J, 3, 3)).copy()
    groups: dict[str, list[tuple[int, list[int]]]] = {}
    for j, ch in enumerate(sk.channels):
        rot = [(k, c) for k, c in enumerate(ch) if c in _ROT]
        if rot:
            seq = "".join(_ROT[c] for _, c in rot)
            groups.setdefault(seq, []).append((j, [sk.column[j] + k for k, _ in rot]))
    for seq, members in groups.items():  # one scipy call per Euler order; upper case = intrinsic
        joints = [j for j, _ in members]
        cols = np.array([c for _, c in members])  # (n, k)
        angles = motion.frames[:, cols]  # (T, n, k)
        mats = Rotation.from_euler(seq, angles.reshape(-1, len(seq)), degrees=True).as_matrix()
        out[:, joints] = mats.reshape(T, len(joints), 3, 3)
    return out


def forward_kinematics(motion: BVHMotion, scale: float | None = None, units: str | None = "auto") -> BVHPose:
    """Global positions (metres) and rotations of every joint and End Site.

    scale: metres per file unit, when known exactly; else
    units: ``"auto"`` (default: :func:`detect_units` from the rest pose's height) or a key of :data:`UNITS`
    ("m", "cm", "mm", "inch", "cmu")

    A joint's position channels (the root's, or any joint's in a 6-channel file) replace its OFFSET for that
    frame: the channel values are the joint's translation from its parent (module docstring).
    raises: :class:`DataFormatError` when ``units="auto"`` finds no plausible unit; ``ValueError`` for a bad
    ``scale``/``units``
    """
    sk = motion.skeleton
    unit, scale = _resolve_scale(sk, motion.source, scale, units)
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
    return BVHPose(sk.names, sk.parents.copy(), pos * scale, glob, sk.offsets * scale, motion.fps, motion.source,
                   unit, scale)


def load_bvh(path: str | Path, scale: float | None = None, units: str | None = "auto") -> BVHPose:
    """:func:`read_bvh` then :func:`forward_kinematics`: global joint trajectories in metres, Y-up.

    units: "auto" (detected from the skeleton's height, :func:`detect_units`), "m", "cm", "mm", "inch" or
    "cmu"; scale: metres per file unit instead of ``units``
    """
    return forward_kinematics(read_bvh(path), scale=scale, units=units)


def estimate_stature(pose: BVHPose, quantile: float = 0.95, convention: str | None = None) -> float:
    """Head-top height in metres: the ``quantile`` over frames of the top of the head above the floor.

    Top of head = the Head End Site (else the Head joint); in other naming conventions the joint the SMPL
    head segment points at (else the head joint) of :func:`joint_map`. Floor = the 5th percentile over frames
    of the lowest joint, i.e. the ground the supporting foot stands on. Walking lowers this by a few cm
    against standing height, and CMU's BVH skeletons omit some trunk length (subject 131: the thorax),
    so treat it as a lower bound.
    """
    head = next((n for n in ("Head" + END_SUFFIX, "Head") if n in pose.names), None) if convention is None else None
    if head is None:
        try:
            jm = joint_map(pose, convention)
        except DataFormatError as exc:
            raise DataFormatError(pose.source, "has no joint named 'Head' (nor its End Site 'Head_end'), which the "
                                  f"stature is measured to, and {exc.problem}", "use stature_from_legs, or "
                                  + (exc.fix or "")) from None
        head = jm.ends["head"] or jm.drivers["head"]
    y = pose.positions[..., 1]
    floor = np.quantile(y.min(axis=1), 0.05)
    return float(np.quantile(y[:, pose.index(head)], quantile) - floor)


def stature_from_legs(pose: BVHPose, convention: str | None = None) -> float:
    """Stature in metres from the left thigh + shank bone lengths (rest distances hip→knee→ankle joint of the
    naming convention's map) and Winter's ratios (thigh 0.245 H, shank 0.246 H; Winter's Fig. 4.1, after
    Drillis & Contini 1966). Robust to the trunk segments some CMU conversions drop."""
    jm = joint_map(pose, convention)
    rest = pose.rest_positions
    hip, knee, ankle = (pose.index(jm.drivers[j]) for j in ("left_hip", "left_knee", "left_ankle"))
    leg = float(np.linalg.norm(rest[knee] - rest[hip]) + np.linalg.norm(rest[ankle] - rest[knee]))
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
#: Wrist: forearm orientation with the position at the wrist joint, as DIP's "wrist" sensor (eth-ait/dip18
#: ``genSynData.py``); thigh: thigh-segment orientation, mid-thigh position (IMUPoser, Mollyn et al. 2023);
#: head: head orientation, mid-skull.
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
    """Position and orientation of each named sensor site (keys of :data:`SITES`) over the frames.

    The sites name CMU joints (both CMU conventions); for other naming conventions retarget with
    :func:`to_motion_clip` and place the sensors on the SMPL skeleton (:mod:`lib.body.imu`)."""
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


# ------------------------------------------------------------------------- naming conventions (data)
#: The joint-name maps, kept as data: one entry per naming convention (format: its ``_format`` note and
#: :func:`load_conventions`). Add a convention there; no code changes are needed.
CONVENTIONS_FILE = Path(__file__).with_name("bvh_conventions.json")
#: SMPL joints a BVH file may lack (toes, fingers): absent, they move rigidly with their SMPL parent.
SMPL_LEAVES = ("left_foot", "right_foot", "left_hand", "right_hand")
#: A rest segment shorter than this (metres) has no direction (zero-length End Sites, coincident joints).
MIN_SEGMENT_M = 1e-3


def _normal(name: str) -> str:
    """A joint name as compared: case-folded, spaces as underscores ("Bip01 L Thigh" -> "bip01_l_thigh")."""
    return name.casefold().replace(" ", "_")


@dataclass(frozen=True)
class Convention:
    """One BVH joint-naming convention and its map onto SMPL-24 (an entry of :data:`CONVENTIONS_FILE`).

    joints / optional: SMPL joint -> tuple of alternative BVH joint names (first present wins); ``optional``
    holds the :data:`SMPL_LEAVES` a file may lack. ends: leaf SMPL joint -> names of the joint its segment
    points at. prefix: compiled regex of a documented name prefix (matched after :func:`_normal`), or None.
    """

    key: str
    label: str
    sources: tuple
    prefix: re.Pattern | None
    joints: dict
    optional: dict
    ends: dict

    def normal(self, name: str) -> str:
        """``name`` as compared under this convention: :func:`_normal`, then the prefix removed."""
        name = _normal(name)
        return self.prefix.sub("", name, count=1) if self.prefix is not None else name

    def finder(self, names: Sequence[str]):
        """A function: alternatives -> the first one present in ``names`` (exact name, else the one name
        equal under :meth:`normal`), or None."""
        exact = set(names)
        by_key: dict[str, list[str]] = {}
        for n in names:
            by_key.setdefault(self.normal(n), []).append(n)

        def find(alternatives: Sequence[str]) -> str | None:
            for alt in alternatives:
                if alt in exact:
                    return alt
                hits = by_key.get(_normal(alt), [])
                if len(hits) == 1:
                    return hits[0]
            return None
        return find


def _names_of(value, where: str, path: Path) -> tuple:
    """A map value (one name or a list of alternatives) as a non-empty tuple of strings."""
    names = (value,) if isinstance(value, str) else tuple(value) if isinstance(value, list) else ()
    if not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise DataFormatError(path, f"{where}: {value!r} must be a joint name or a non-empty list of alternative "
                              "names", "see the file's '_format' note")
    return names


def load_conventions(path: str | Path = CONVENTIONS_FILE) -> dict[str, Convention]:
    """The naming conventions of a JSON map file (default :data:`CONVENTIONS_FILE`), checked: every SMPL joint
    but the :data:`SMPL_LEAVES` under ``joints``, leaves under ``joints`` or ``optional``, names as strings or
    lists of strings, a valid ``prefix`` regex. Raises :class:`DataFormatError` naming the entry."""
    import json


    path = Path(path)
    try:
        data = json.loads(read_text(path, "BVH naming-convention map"))
    except json.JSONDecodeError as exc:
        raise DataFormatError(path, f"is not valid JSON ({exc})", "see the file's '_format' note") from None
    table = data.get("conventions") if isinstance(data, dict) else None
    if not isinstance(table, dict) or not table:
        raise DataFormatError(path, "has no 'conventions' object", "see the file's '_format' note")
    out = {}
    for key, entry in table.items():
        where = f"convention {key!r}"
        if not isinstance(entry, dict):
            raise DataFormatError(path, f"{where} must be an object", "see the file's '_format' note")
        maps = {}
        for field_ in ("joints", "optional", "ends"):
            raw = entry.get(field_, {})
            if not isinstance(raw, dict):
                raise DataFormatError(path, f"{where}: '{field_}' must be an object", "see the file's '_format' note")
            unknown = [j for j in raw if j not in JOINT_NAMES]
            if unknown:
                raise DataFormatError(path, f"{where}: '{field_}' names {unknown}, which are not SMPL joints; "
                                      f"use {list(JOINT_NAMES)}", "see the file's '_format' note")
            maps[field_] = {j: _names_of(v, f"{where}, {field_}[{j!r}]", path) for j, v in raw.items()}
        lacking = [j for j in JOINT_NAMES if j not in maps["joints"] and j not in maps["optional"]]
        required_missing = [j for j in lacking if j not in SMPL_LEAVES]
        if required_missing or [j for j in maps["optional"] if j not in SMPL_LEAVES]:
            raise DataFormatError(path, f"{where}: 'joints' must map every SMPL joint except the leaves "
                                  f"{list(SMPL_LEAVES)} (which may go under 'optional'); missing "
                                  f"{required_missing}, optional non-leaves "
                                  f"{[j for j in maps['optional'] if j not in SMPL_LEAVES]}",
                                  "see the file's '_format' note")
        prefix = entry.get("prefix")
        try:
            compiled = None if prefix is None else re.compile(f"^(?:{prefix})", re.IGNORECASE)
        except (re.error, TypeError) as exc:
            raise DataFormatError(path, f"{where}: prefix {prefix!r} is not a regular expression ({exc})",
                                  "see the file's '_format' note") from None
        out[key] = Convention(key, str(entry.get("label", key)), tuple(entry.get("sources", ())), compiled,
                              maps["joints"], maps["optional"], maps["ends"])
    return out


#: The naming conventions known to :func:`detect_convention`, read from :data:`CONVENTIONS_FILE`.
CONVENTIONS = load_conventions()

#: Rest direction of SMPL leaf segments (no child joint to point at): feet forward, head up, hands outward.
_SMPL_LEAF_DIRECTION = {"left_foot": (0, 0, 1), "right_foot": (0, 0, 1), "head": (0, 1, 0),
                        "left_hand": (1, 0, 0), "right_hand": (-1, 0, 0)}


def _convention(key: str) -> Convention:
    if key not in CONVENTIONS:
        raise ValueError(f"convention={key!r} is unknown; use one of {list(CONVENTIONS)} or None to detect it")
    return CONVENTIONS[key]


def _match(names: Sequence[str], key: str) -> tuple[dict, list[str], list[str]]:
    """(SMPL joint -> BVH name or None, BVH names lacking, SMPL joints they drive) under convention ``key``."""
    conv = _convention(key)
    find = conv.finder(names)
    drivers, lacking, smpl = {}, [], []
    for joint, alternatives in conv.joints.items():
        drivers[joint] = find(alternatives)
        if drivers[joint] is None:
            lacking.append(" or ".join(alternatives))
            smpl.append(joint)
    for joint, alternatives in conv.optional.items():
        drivers[joint] = find(alternatives)
    return drivers, lacking, smpl


def missing_joints(names: Sequence[str], convention: str) -> list[str]:
    """The BVH joints the ``convention`` map requires (:data:`CONVENTIONS`; alternatives joined by " or ")
    that ``names`` lacks, compared case-insensitively and with the convention's prefix optional."""
    return _match(names, convention)[1]


def _fix_names() -> str:
    return (f"add a joint-name map for this skeleton to {CONVENTIONS_FILE} (an entry under 'conventions': "
            "{'label': ..., 'sources': [...], 'prefix': null, 'joints': {SMPL joint: 'BVH joint' or [alternatives], "
            "...}, 'optional': {...}, 'ends': {...}}; the file's '_format' note explains each field), or rename the "
            "joints to one of the conventions known: "
            + "; ".join(f"{key!r}: {conv.label}" for key, conv in CONVENTIONS.items()))


def detect_convention(names: Sequence[str], source: str | Path = "BVH skeleton") -> str:
    """The key of :data:`CONVENTIONS` whose required joints all exist in ``names`` (case-insensitive, a
    documented prefix optional); of several, the one that maps the most joints (then the file's order).

    source: the file the names come from, for the error
    raises: :class:`DataFormatError` naming ``source``, the convention that comes closest and the joints
    it lacks (e.g. a renamed ``Hips`` or a missing ``Head``), every convention known, and how to add a map
    """
    results = {key: _match(names, key) for key in CONVENTIONS}
    complete = [key for key, (_, lacking, _) in results.items() if not lacking]
    if complete:
        return max(complete, key=lambda key: sum(v is not None for v in results[key][0].values()))
    closest = min(results, key=lambda key: len(results[key][1]))
    _, lacking, smpl = results[closest]
    others = ", ".join(f"{key!r} lacks {len(r[1])}" for key, r in results.items() if key != closest)
    raise DataFormatError(source, f"its joints match no BVH naming convention the retargeting knows: the closest, "
                          f"{closest!r}, lacks the joint(s) {lacking} (for the SMPL joints {smpl}; {others})",
                          _fix_names())


@dataclass(frozen=True)
class JointMap:
    """Where each SMPL joint comes from in one BVH skeleton.

    drivers: SMPL joint -> BVH joint whose global rotation drives it (None: an absent leaf, which follows
    its SMPL parent); ends: SMPL joint -> BVH joint (or End Site) its segment points at in the rest pose,
    None where the segment has no single direction (pelvis, spine3: several children) or none could be
    found (zero-length End Site, a leaf with several children and no ``ends`` entry)
    """

    convention: str
    drivers: dict
    ends: dict


def _children(parents: Sequence[int]) -> list[list[int]]:
    kids: list[list[int]] = [[] for _ in parents]
    for j, p in enumerate(parents):
        if p >= 0:
            kids[p].append(j)
    return kids


def joint_map(pose: BVHPose, convention: str | None = None) -> JointMap:
    """The SMPL <- BVH joint map of ``pose`` under ``convention`` (None: :func:`detect_convention`).

    Segment ends: a SMPL joint with one SMPL child points at that child's driver; a leaf (head, feet,
    hands, or a joint whose child is absent) at the first present joint of the convention's ``ends``, else
    at its driver's only child (an End Site counts); joints with several SMPL children get none.
    raises: :class:`DataFormatError` if a required joint is missing
    """
    key = _resolve_convention(pose, convention)
    conv = CONVENTIONS[key]
    drivers, _, _ = _match(pose.names, key)
    find = conv.finder(pose.names)
    smpl_kids = _children(PARENTS)
    bvh_kids = _children(pose.parents)
    ends = {}
    for j, joint in enumerate(JOINT_NAMES):
        kids = smpl_kids[j]
        if drivers[joint] is None or len(kids) > 1:
            ends[joint] = None
        elif kids and drivers[JOINT_NAMES[kids[0]]] is not None:
            ends[joint] = drivers[JOINT_NAMES[kids[0]]]
        else:
            listed = find(conv.ends.get(joint, ()))
            only = bvh_kids[pose.index(drivers[joint])]
            ends[joint] = listed if listed is not None else (pose.names[only[0]] if len(only) == 1 else None)
    return JointMap(key, drivers, ends)


def _rest_direction(pose: BVHPose, rest: np.ndarray, driver: str, end: str | None) -> np.ndarray | None:
    """Unit rest direction of the segment the ``driver`` joint rotates, toward ``end`` (a descendant): from
    the driver to the first joint on the path to ``end`` that lies at least :data:`MIN_SEGMENT_M` away.
    None if ``end`` is None, is not below the driver, or lies at the driver (zero-length End Site)."""
    if end is None:
        return None
    d, k = pose.index(driver), pose.index(end)
    path = []
    while k >= 0 and k != d:
        path.append(k)
        k = pose.parents[k]
    if k != d:
        return None
    for k in reversed(path):
        v = rest[k] - rest[d]
        if np.linalg.norm(v) >= MIN_SEGMENT_M:
            return v / np.linalg.norm(v)
    return None


def _resolve_convention(pose: BVHPose, convention: str | None) -> str:
    """``convention`` checked against the pose's joints, or detected when None."""
    if convention is None:
        return detect_convention(pose.names, pose.source)
    lacks = missing_joints(pose.names, convention)  # ValueError for an unknown key
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

    Method: each SMPL joint takes the global rotation of its driving BVH joint (:func:`joint_map`, maps in
    :data:`CONVENTIONS_FILE`), corrected by the constant rotation that turns SMPL's rest bone direction
    (T-pose, arms along ±X) into the BVH's rest bone direction (CMU: arms down, legs slightly splayed),
    found with ``Rotation.align_vectors``; locals are then ``G_parent^T · G_joint``. An absent leaf (no toe
    or finger joint) keeps its SMPL parent's rotation; a segment without a rest direction (zero-length End
    Site) is taken as aligned. ``trans`` = the position of the joint driving the SMPL pelvis.

    Limits: bone *directions* of the mapped segments match the BVH exactly, but (1) the SMPL skeleton
    used with the clip has its own proportions, so positions and the rotational part of virtual
    accelerations differ by the length ratio; (2) twist about a bone is only as right as the two rest
    poses agree (the minimal rest alignment adds no twist); (3) the BVH's extra spine and neck segments
    and finger joints collapse into SMPL's joints; (4) pelvis and spine3 assume both rest frames are
    upright and face +Z (so the file must be Y-up with the body facing +Z at rest, as BVH files are). For
    sensor signals that must match the mocap, use :func:`site_tracks` on the BVH's own skeleton.

    min_frames: fewest frames the clip must have, before and after resampling to ``fps`` (default: what
    the virtual IMU needs, :data:`lib.body.imu.MIN_FRAMES`)
    subject: stature (m, from the legs), bvh_convention, bvh_units, bvh_m_per_unit, head_top_m
    raises: :class:`DataFormatError` naming the file for a skeleton in no known naming convention (listing
    the joints the closest convention lacks) or too few frames
    """
    if isinstance(min_frames, bool) or not isinstance(min_frames, (int, np.integer)) or min_frames < 1:
        raise ValueError(f"min_frames={min_frames!r} must be a positive integer")
    resample = fps is not None and fps != pose.fps
    _require_frames(pose, pose.n_frames, pose.fps, max(min_frames, 2) if resample else min_frames)  # slerp needs 2
    jm = joint_map(pose, convention)
    rest = pose.rest_positions
    smpl_dirs = _smpl_rest_directions()
    T = pose.n_frames
    glob = np.empty((T, N_JOINTS, 3, 3))
    for j, name in enumerate(JOINT_NAMES):
        driver = jm.drivers[name]
        if driver is None:  # an absent leaf moves with its parent
            glob[:, j] = glob[:, PARENTS[j]]
            continue
        g = pose.rotations[:, pose.index(driver)]
        bvh_dir = _rest_direction(pose, rest, driver, jm.ends[name])
        if bvh_dir is None:
            glob[:, j] = g
            continue
        align, _ = Rotation.align_vectors(bvh_dir[None], smpl_dirs[j][None])
        glob[:, j] = g @ align.as_matrix()
    local = np.empty((T, N_JOINTS, 3))
    local[:, 0] = Rotation.from_matrix(glob[:, 0]).as_rotvec()
    for j in range(1, N_JOINTS):
        rel = np.swapaxes(glob[:, PARENTS[j]], -1, -2) @ glob[:, j]
        local[:, j] = Rotation.from_matrix(rel).as_rotvec()
    root = pose.positions[:, pose.index(jm.drivers["pelvis"])]
    head_top = jm.ends["head"] or jm.drivers["head"]
    subject = {"stature": round(stature_from_legs(pose, jm.convention), 4), "bvh_convention": jm.convention,
               "bvh_units": pose.units, "bvh_m_per_unit": pose.scale,
               "head_top_m": round(estimate_stature(pose, convention=jm.convention), 4) if head_top else None}
    clip = MotionClip(local, root, pose.fps, None, subject, f"bvh:{Path(pose.source).name}")
    if not resample:
        return clip
    clip = clip.resampled(float(fps))
    _require_frames(pose, clip.n_frames, float(fps), min_frames)
    return clip
