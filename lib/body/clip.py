"""The one motion container every body-model producer and consumer agrees on.

Procedural motions (``lib.body.motions``), AMASS files (``lib.datasets.amass``) and converted
BVH files all become a :class:`MotionClip`, so that one forward-kinematics path
(``lib.body.kinematics``) serves them all.

Conventions: SMPL 24-joint topology, **Y-up**, metres, seconds; joint rotations are *local*
axis-angle vectors (radians) relative to the parent joint, as AMASS stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

N_JOINTS = 24


@dataclass
class MotionClip:
    """A sequence of body poses.

    poses:   (T, 24, 3) float, local axis-angle per SMPL joint (joint 0 = pelvis, global root orientation)
    trans:   (T, 3) float, root (pelvis) translation in metres, Y-up world frame
    fps:     frames per second
    labels:  (T,) int activity id per frame, or None when unlabelled
    subject: free-form subject description (stature in m, sex, style seed, ...)
    source:  where it came from, e.g. "procedural", "amass:CMU/01/01_01_poses.npz"
    """

    poses: np.ndarray
    trans: np.ndarray
    fps: float
    labels: np.ndarray | None = None
    subject: dict = field(default_factory=dict)
    source: str = "procedural"

    def __post_init__(self) -> None:
        self.poses = np.asarray(self.poses, dtype=np.float64)
        self.trans = np.asarray(self.trans, dtype=np.float64)
        if self.poses.ndim != 3 or self.poses.shape[1:] != (N_JOINTS, 3):
            raise ValueError(f"MotionClip.poses must have shape (T, {N_JOINTS}, 3); got {self.poses.shape} ({self.source})")
        if self.trans.shape != (self.poses.shape[0], 3):
            raise ValueError(f"MotionClip.trans must have shape ({self.poses.shape[0]}, 3); got {self.trans.shape} ({self.source})")
        if not (np.isfinite(self.poses).all() and np.isfinite(self.trans).all()):
            raise ValueError(f"MotionClip from {self.source} contains NaN or inf values")
        if not self.fps > 0:
            raise ValueError(f"MotionClip.fps must be positive; got {self.fps} ({self.source})")
        if self.labels is not None:
            self.labels = np.asarray(self.labels)
            if self.labels.shape != (self.poses.shape[0],):
                raise ValueError(f"MotionClip.labels must have shape ({self.poses.shape[0]},); got {self.labels.shape}")

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return self.poses.shape[0]

    @property
    def duration_s(self) -> float:
        """Length of the clip in seconds (T / fps)."""
        return self.n_frames / self.fps

    def resampled(self, fps: float) -> "MotionClip":
        """This clip at ``fps``: an integer down-sampling ratio takes every k-th frame (DIP's ``genSynData.py``,
        TransPose's ``preprocess.py``); any other ratio interpolates each joint's rotation by slerp
        (``scipy.spatial.transform.Slerp``) and the translation linearly. Labels: nearest frame."""
        from scipy.spatial.transform import Rotation, Slerp

        if not fps > 0:
            raise ValueError(f"MotionClip.resampled(fps={fps!r}): fps must be positive")
        if abs(fps - self.fps) < 1e-9:
            return self
        step = self.fps / fps
        if abs(step - round(step)) < 1e-6 and round(step) >= 1:
            k = int(round(step))
            return MotionClip(self.poses[::k], self.trans[::k], fps, None if self.labels is None else self.labels[::k],
                              dict(self.subject), self.source)
        t_in = np.arange(self.n_frames) / self.fps
        n_out = int(np.floor((self.n_frames - 1) * fps / self.fps + 1e-9)) + 1
        t_out = np.arange(n_out) / fps
        poses = np.empty((n_out, N_JOINTS, 3))
        for j in range(N_JOINTS):
            poses[:, j] = Slerp(t_in, Rotation.from_rotvec(self.poses[:, j]))(t_out).as_rotvec()
        trans = np.stack([np.interp(t_out, t_in, self.trans[:, k]) for k in range(3)], axis=1)
        labels = None
        if self.labels is not None:
            labels = self.labels[np.clip(np.rint(t_out * self.fps).astype(int), 0, self.n_frames - 1)]
        return MotionClip(poses, trans, fps, labels, dict(self.subject), self.source)
