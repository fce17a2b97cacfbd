"""Anatomical joint angles -> SMPL local axis-angle rotations.

Procedural motions are written in clinical terms — hip flexion, knee flexion, shoulder abduction —
in degrees, with 0 = standing upright, arms hanging at the sides, palms facing the thighs. This module
turns them into the local rotations SMPL/AMASS store, with ``Rotation.from_euler`` per joint.

Per joint, three angles (a1, a2, a3) in degrees, positive in the anatomical direction:

==============  ======================  =====================  ===================  ============
joint           a1                      a2                     a3                   Euler (left)
==============  ======================  =====================  ===================  ============
hip             flexion                 abduction              internal rotation    XZY
knee            flexion                 (varus)                (internal rotation)  XZY
ankle / foot    dorsiflexion            inversion              internal rotation    XZY
spine/neck/head flexion (forward bend)  lateral bend to left   axial twist to left  XZY
collar          elevation               protraction            (rotation)           ZYX
shoulder        flexion (raise forward) abduction (sideways)   internal rotation    XZX
elbow           flexion                 pronation              (deviation)          YXZ
wrist / hand    flexion (palm side)     ulnar deviation        (twist)              ZYX
==============  ======================  =====================  ===================  ============

Axes are SMPL's T-pose frame (x left, y up, z forward). The shoulder's proper-Euler sequence
R = Rx(-flex)·Rz(abd - 90°)·Rx(twist) starts from the T-pose: abd = 0 hangs the arm at the side,
flex = 90 points it forward, flex = 90 with abd = 90 points it sideways (horizontal abduction),
flex = 180 raises it overhead. Right-side joints are the mirror images of the left (a reflection in
x keeps rotations about x and negates those about y and z), so one table serves both sides.

The root (pelvis, joint 0) takes (heading, pitch, roll): heading = turn to the left about world up,
pitch = forward lean, roll = lean to the left; R0 = Ry(heading)·Rx(pitch)·Rz(-roll).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from lib.body.clip import N_JOINTS
from lib.body.skeleton import JOINT_NAMES

# left-side (or midline) convention: Euler sequence (intrinsic), sign per angle, offset per angle (deg)
_LEFT = {
    "hip": ("XZY", (-1, 1, -1), (0, 0, 0)),
    "knee": ("XZY", (1, 1, -1), (0, 0, 0)),
    "ankle": ("XZY", (-1, 1, -1), (0, 0, 0)),
    "foot": ("XZY", (-1, 1, -1), (0, 0, 0)),
    "collar": ("ZYX", (1, -1, 1), (0, 0, 0)),
    "shoulder": ("XZX", (-1, 1, 1), (0, -90, 0)),
    "elbow": ("YXZ", (-1, 1, 1), (0, 0, 0)),
    "wrist": ("ZYX", (-1, 1, 1), (0, 0, 0)),
    "hand": ("ZYX", (-1, 1, 1), (0, 0, 0)),
}
_MIDLINE = ("XZY", (1, -1, 1), (0, 0, 0))
ROOT_EULER = ("YXZ", (1, 1, -1))


def _mirror(seq: str, signs: tuple, offsets: tuple) -> tuple[str, tuple, tuple]:
    """Right-side convention: flip the sign (and offset) of every rotation about y or z."""
    flip = [1 if axis == "X" else -1 for axis in seq]
    return seq, tuple(s * f for s, f in zip(signs, flip)), tuple(o * f for o, f in zip(offsets, flip))


def joint_convention(joint: int) -> tuple[str, np.ndarray, np.ndarray]:
    """(Euler sequence, signs (3,), offsets (3,) deg) of SMPL joint ``joint`` (1..23)."""
    name = JOINT_NAMES[joint]
    for side in ("left_", "right_"):
        if name.startswith(side):
            seq, signs, offsets = _LEFT[name[len(side):]]
            if side == "right_":
                seq, signs, offsets = _mirror(seq, signs, offsets)
            return seq, np.array(signs, float), np.array(offsets, float)
    seq, signs, offsets = _MIDLINE
    return seq, np.array(signs, float), np.array(offsets, float)


CONVENTIONS = {j: joint_convention(j) for j in range(1, N_JOINTS)}


def anatomical_to_local(angles_deg: np.ndarray, root_deg: np.ndarray) -> np.ndarray:
    """(T, 24, 3) anatomical angles (deg; joint 0 ignored) + (T, 3) root (heading, pitch, roll) deg
    -> (T, 24, 3) SMPL local axis-angle (rad)."""
    angles_deg = np.asarray(angles_deg, dtype=np.float64)
    root_deg = np.asarray(root_deg, dtype=np.float64)
    T = angles_deg.shape[0]
    if angles_deg.shape != (T, N_JOINTS, 3) or root_deg.shape != (T, 3):
        raise ValueError(f"angles must be (T, 24, 3) and root (T, 3); got {angles_deg.shape} and {root_deg.shape}")
    poses = np.empty((T, N_JOINTS, 3))
    seq, signs = ROOT_EULER
    poses[:, 0] = Rotation.from_euler(seq, root_deg * np.array(signs), degrees=True).as_rotvec()
    for j, (seq, signs, offsets) in CONVENTIONS.items():
        block = angles_deg[:, j]
        if not offsets.any() and not block.any():
            poses[:, j] = 0.0
            continue
        poses[:, j] = Rotation.from_euler(seq, block * signs + offsets, degrees=True).as_rotvec()
    return poses


def rest_anatomical() -> np.ndarray:
    """(24, 3) anatomical angles of the neutral standing posture (all zero: arms at the sides)."""
    return np.zeros((N_JOINTS, 3))
