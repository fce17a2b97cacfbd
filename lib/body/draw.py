"""Stick figures of SMPL-topology poses (P4 Fig. 3-4 show clapping and waving as rendered bodies).

Views (the body is first turned to face +Z, so every clip is drawn the same way):

* ``"front"``: seen from in front — screen x = the body's left (+X), screen y = up;
* ``"side"``: seen from the body's right — screen x = forward (+Z), screen y = up;
* ``"top"``: from above — screen x = +X, screen y = forward.

Left limbs are drawn in the palette's first colour, right limbs in the second, the trunk in grey.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from lib.body.clip import MotionClip
from lib.body.kinematics import joint_positions
from lib.body.skeleton import JOINT_INDEX, JOINT_NAMES, PARENTS, Skeleton
from lib.plots import PALETTE

BONES = [(int(PARENTS[j]), j) for j in range(1, len(PARENTS))]
_AXES = {"front": (0, 1), "side": (2, 1), "top": (0, 2)}


def _check_view(view: str) -> None:
    if view not in _AXES:
        raise ValueError(f"view={view!r} is unknown; use one of {list(_AXES)}")


def _bone_colour(child: int) -> str:
    name = JOINT_NAMES[child]
    return PALETTE[0] if name.startswith("left_") else PALETTE[1] if name.startswith("right_") else "0.35"


def face_forward(positions: np.ndarray) -> np.ndarray:
    """Turn (T, 24, 3) positions about the vertical through frame 0's pelvis so the body faces +Z at frame 0."""
    p = np.asarray(positions, dtype=np.float64)
    across = p[0, JOINT_INDEX["left_hip"]] - p[0, JOINT_INDEX["right_hip"]]  # points to the body's left
    angle = np.arctan2(across[2], across[0])  # rotation about Y that maps `across` onto +X
    c, s = np.cos(angle), np.sin(angle)
    rot = np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])
    centre = p[0, 0] * np.array([1.0, 0.0, 1.0])
    return (p - centre) @ rot.T


def draw_pose(ax, pos: np.ndarray, view: str = "front", offset: float = 0.0, alpha: float = 1.0,
              lw: float = 2.0, joints: bool = True) -> None:
    """Draw one (24, 3) pose on a 2-D matplotlib axis, shifted right by ``offset`` metres."""
    _check_view(view)
    i, k = _AXES[view]
    for parent, child in BONES:
        ax.plot([pos[parent, i] + offset, pos[child, i] + offset], [pos[parent, k], pos[child, k]],
                color=_bone_colour(child), lw=lw, alpha=alpha, solid_capstyle="round")
    if joints:
        ax.scatter(pos[:, i] + offset, pos[:, k], s=6, color="0.2", alpha=alpha, zorder=3)
    head = pos[JOINT_INDEX["head"]]
    ax.add_patch(_circle((head[i] + offset, head[k] + 0.04), 0.09, alpha))


def _circle(xy, r, alpha):
    from matplotlib.patches import Circle

    return Circle(xy, r, fill=False, color="0.35", lw=1.5, alpha=alpha)


def filmstrip(ax, positions: np.ndarray, frames: Sequence[int], view: str = "front", spacing: float = 0.9,
              trail: Sequence[str] = ("left_wrist", "right_wrist"), title: str | None = None,
              centre: bool = True) -> None:
    """Poses at ``frames`` side by side (``spacing`` m apart) with the paths of the ``trail`` joints.

    centre: draw every frame relative to its own pelvis (horizontally), so travelling motions stay in place.
    """
    _check_view(view)
    i, k = _AXES[view]
    frames = list(frames)
    if centre:
        positions = positions - positions[:, :1] * np.array([1.0, 0.0, 1.0])
    for n, f in enumerate(frames):
        draw_pose(ax, positions[f], view, offset=n * spacing)
        if trail:
            lo = frames[n - 1] if n else max(0, f - (frames[1] - frames[0] if len(frames) > 1 else 10))
            for name in trail:
                path = positions[lo:f + 1, JOINT_INDEX[name]]
                ax.plot(path[:, i] + n * spacing, path[:, k], lw=1.0, ls=":", color=_bone_colour(JOINT_INDEX[name]))
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_ylabel("height (m)" if view != "top" else "forward (m)")
    ax.grid(False)
    if title:
        ax.set_title(title)


def draw_clip(clip: MotionClip, skeleton: Skeleton, n_poses: int = 6, start_s: float = 0.0,
              window_s: float | None = None, view: str = "front", ax=None, spacing: float = 0.9,
              trail: Sequence[str] = ("left_wrist", "right_wrist"), title: str | None = None):
    """Filmstrip of ``n_poses`` evenly spaced frames of ``clip`` in [start_s, start_s + window_s]; returns the axis."""
    import matplotlib.pyplot as plt

    if n_poses < 1:
        raise ValueError(f"n_poses={n_poses} must be at least 1")
    _check_view(view)
    positions = face_forward(joint_positions(clip, skeleton))
    first = int(round(start_s * clip.fps))
    last = clip.n_frames - 1 if window_s is None else min(clip.n_frames - 1, first + int(round(window_s * clip.fps)))
    if not 0 <= first < last:
        raise ValueError(f"start_s={start_s} / window_s={window_s} select no frames of a {clip.duration_s:.1f}-s clip")
    frames = np.linspace(first, last, n_poses).round().astype(int)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.2 + 1.1 * n_poses, 3.2))
    filmstrip(ax, positions, frames, view, spacing, trail, title)
    for n, f in enumerate(frames):
        ax.annotate(f"{f / clip.fps:.2f} s", (n * spacing, 0.0), xycoords=("data", "axes fraction"), xytext=(0, 2),
                    textcoords="offset points", ha="center", va="bottom", fontsize=7, color="0.3")
    heights = positions[frames][..., _AXES[view][1]]
    if view == "top":
        ax.set_ylim(heights.min() - 0.3, heights.max() + 0.3)
    else:
        ax.set_ylim(min(-0.2, heights.min() - 0.15), max(2.0, heights.max() + 0.2))
    return ax
