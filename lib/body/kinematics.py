"""Forward kinematics on the SMPL tree, vectorised over frames and sequences.

Input is what AMASS stores (its ``*_poses.npz`` files): per frame, a local axis-angle rotation per joint
(joint 0 = the global root orientation) and a root translation. For each joint j with parent p,

    G_j = G_p · L_j                (global rotation; L_j = local rotation of joint j)
    x_j = x_p + G_p · o_j          (position; o_j = rest offset of j from p, the T-pose bone)
    G_0 = L_0,  x_0 = trans + o_0

which is SMPL's rigid-transform chain without the mesh. Axis-angle -> matrix conversion is done by
``scipy.spatial.transform.Rotation``; the chain products are batched ``numpy.matmul`` calls (float64)
over blocks of a few thousand frames that stay in the CPU cache, so a frame costs well under a
microsecond per joint on one core. Only the ancestors of the joints asked for are computed (a wrist
needs 7 of the 24), and long inputs are processed block by block so memory stays bounded.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
from scipy.spatial.transform import Rotation

from lib.body.clip import N_JOINTS, MotionClip
from lib.body.skeleton import PARENTS, Skeleton

DEFAULT_CHUNK = 4096  # frames per block: small enough to stay in the CPU cache


def chain_joints(joints: Iterable[int], parents: Sequence[int] = PARENTS) -> list[int]:
    """The joints needed to place ``joints``: each one and all its ancestors, parents before children."""
    needed: set[int] = set()
    for j in joints:
        j = int(j)
        if not 0 <= j < len(parents):
            raise ValueError(f"joint index {j} is out of range 0..{len(parents) - 1}")
        while j >= 0 and j not in needed:
            needed.add(j)
            j = int(parents[j])
    order, seen = [], set()

    def visit(j: int) -> None:  # parents first (SMPL already numbers parents lower, but do not rely on it)
        if j in seen:
            return
        if parents[j] >= 0:
            visit(int(parents[j]))
        seen.add(j)
        order.append(j)

    for j in sorted(needed):
        visit(j)
    return order


def _offsets_array(skeleton: Skeleton | np.ndarray) -> np.ndarray:
    offsets = skeleton.offsets if isinstance(skeleton, Skeleton) else np.asarray(skeleton, dtype=np.float64)
    if offsets.shape[-2:] != (N_JOINTS, 3):
        raise ValueError(f"skeleton offsets must have shape (..., {N_JOINTS}, 3); got {offsets.shape}")
    return offsets


def forward_kinematics(poses: np.ndarray, trans: np.ndarray, skeleton: Skeleton | np.ndarray,
                       joints: Sequence[int] | None = None, parents: Sequence[int] = PARENTS,
                       chunk: int = DEFAULT_CHUNK) -> tuple[np.ndarray, np.ndarray]:
    """Global joint rotations and positions.

    poses:    (..., 24, 3) local axis-angle, radians (leading dims: frames, or sequences x frames)
    trans:    (..., 3) root translation, metres
    skeleton: a :class:`Skeleton`, or offsets (24, 3) / (..., 24, 3) broadcastable to the leading dims
    joints:   joint ids to return (default: all 24, in order); only their ancestors are computed
    returns   rotations (..., J, 3, 3) and positions (..., J, 3), J = len(joints)
    """
    poses = np.asarray(poses, dtype=np.float64)
    trans = np.asarray(trans, dtype=np.float64)
    if poses.ndim < 2 or poses.shape[-2:] != (N_JOINTS, 3):
        raise ValueError(f"poses must have shape (..., {N_JOINTS}, 3) (local axis-angle per SMPL joint); got {poses.shape}")
    lead = poses.shape[:-2]
    if trans.shape != lead + (3,):
        raise ValueError(f"trans must have shape {lead + (3,)} to match poses {poses.shape}; got {trans.shape}")
    offsets = _offsets_array(skeleton)
    joints = list(range(N_JOINTS)) if joints is None else [int(j) for j in joints]
    order = chain_joints(joints, parents)
    slot = {j: k for k, j in enumerate(order)}

    n = int(np.prod(lead)) if lead else 1
    flat_poses = poses.reshape(n, N_JOINTS, 3)
    flat_trans = trans.reshape(n, 3)
    per_frame_offsets = offsets.ndim > 2
    if per_frame_offsets:
        flat_offsets = np.broadcast_to(offsets, lead + (N_JOINTS, 3)).reshape(n, N_JOINTS, 3)
    rot_out = np.empty((n, len(joints), 3, 3))
    pos_out = np.empty((n, len(joints), 3))
    chunk = max(1, int(chunk))
    K = len(order)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        m = stop - start
        # joint-major layout (K, m, ...): each joint's block is contiguous; small chunks stay in cache
        rotvecs = np.ascontiguousarray(flat_poses[start:stop, order].transpose(1, 0, 2)).reshape(-1, 3)
        local = Rotation.from_rotvec(rotvecs).as_matrix().reshape(K, m, 3, 3)
        glob: list[np.ndarray] = [None] * K  # type: ignore[list-item]
        pos: list[np.ndarray] = [None] * K  # type: ignore[list-item]
        for k, j in enumerate(order):
            p = int(parents[j])
            o_j = flat_offsets[start:stop, j] if per_frame_offsets else offsets[j]
            if p < 0:
                glob[k] = local[k]
                pos[k] = flat_trans[start:stop] + o_j
                continue
            gp = glob[slot[p]]
            glob[k] = np.matmul(gp, local[k])
            step = np.einsum("nij,nj->ni", gp, o_j) if per_frame_offsets else np.einsum("nij,j->ni", gp, o_j)
            pos[k] = pos[slot[p]] + step
        for out_k, j in enumerate(joints):
            rot_out[start:stop, out_k] = glob[slot[j]]
            pos_out[start:stop, out_k] = pos[slot[j]]
    return rot_out.reshape(lead + (len(joints), 3, 3)), pos_out.reshape(lead + (len(joints), 3))


def clip_kinematics(clip: MotionClip, skeleton: Skeleton | np.ndarray,
                    joints: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`forward_kinematics` of a :class:`MotionClip`: rotations (T, J, 3, 3), positions (T, J, 3)."""
    return forward_kinematics(clip.poses, clip.trans, skeleton, joints)


def joint_positions(clip: MotionClip, skeleton: Skeleton | np.ndarray) -> np.ndarray:
    """(T, 24, 3) world positions of all joints, metres."""
    return clip_kinematics(clip, skeleton)[1]
