"""Virtual IMUs: sensors riding body segments, read out as acceleration, angular rate and orientation.

A sensor site is a rigid mount on a segment: the frame of SMPL joint ``joint`` (whose global rotation
is the orientation of the segment that joint drives, e.g. joint 18 = left elbow = the left forearm),
a translation in that frame and a mounting rotation. With G_j, x_j from forward kinematics,

    position     p_s = x_j + G_j · o_s            orientation  R_s = G_j · M_s   (sensor -> world)

Acceleration is P4's Eq. (3), the central second difference used by DIP (eth-ait/dip18, ``genSynData.py``):

    a_t = (p_{t-1} + p_{t+1} - 2 p_t) / Δt²

optionally with TransPose's smoothing (step n frames instead of 1 for t in [n, T-n); Xinyu-Yi/TransPose,
``preprocess.py``). Two conventions:

* ``acc_frame="world", gravity=False``: gravity-free acceleration in the Y-up world frame — DIP's
  synthetic data and Xsens ``freeAcc``;
* ``acc_frame="sensor", gravity=True``: what an accelerometer measures, the specific force
  f = R_sᵀ (a - g) with g = (0, -9.80665, 0) m/s², so a sensor at rest reads +9.81 along world up.

The gyroscope is the body-frame angular velocity from the orientation change,
ω_t = log(R_{t-1}ᵀ R_{t+1}) / (2Δt) (rad/s, sensor frame), exact for a constant rate below π/(2Δt).
Edges: ``"trim"`` drops the first and last frame (DIP: T-2 frames), ``"zero"`` sets them to 0
(TransPose), ``"nearest"`` copies the neighbouring value (default: keeps T frames, no spikes).

Sites (after DIP, TransPose and IMUPoser): :data:`P4_SITES` (left wrist on the forearm segment as DIP does, right thigh,
head), :data:`DIP_SITES` (joints 18, 19, 4, 5, 15, 0), :data:`P2_HEAD` (head-worn glasses), a
waist phone (UCI HAPT) and :data:`HEAD_SIDE_PHONE` (a phone strapped to the side of the head, in
Android's device frame). Offsets are positions on the skin approximated from the skeleton (no mesh).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Sequence

import numpy as np
from scipy.signal import resample_poly
from scipy.spatial.transform import Rotation, Slerp

from lib.body.clip import MotionClip
from lib.body.kinematics import forward_kinematics
from lib.body.skeleton import JOINT_INDEX, PARENTS, Skeleton

GRAVITY = 9.80665  # m/s², standard gravity
GRAVITY_VECTOR = np.array([0.0, -GRAVITY, 0.0])  # Y-up world
EDGE_MODES = ("nearest", "zero", "trim")
#: Fewest frames a motion needs: accelerations (Eq. 3) and angular velocities are central differences
#: over three frames. Loaders of real motion check it where a file enters (lib.datasets.bvh.to_motion_clip).
MIN_FRAMES = 3


@dataclass(frozen=True)
class SensorSite:
    """Where a sensor sits: on the segment of SMPL joint ``joint``.

    offset: (3,) metres in the segment frame (T-pose axes: x left, y up, z forward)
    along:  fraction of the bone from ``joint`` to ``toward`` added to the offset (0 = at the joint)
    toward: the joint that ends the bone (default: the joint's first child)
    mount:  (3,) rotation vector, radians: sensor frame relative to the segment frame
    """

    name: str
    joint: int
    offset: tuple = (0.0, 0.0, 0.0)
    along: float = 0.0
    toward: int | None = None
    mount: tuple = (0.0, 0.0, 0.0)

    def __post_init__(self) -> None:
        if not 0 <= self.joint < len(PARENTS):
            raise ValueError(f"SensorSite {self.name!r}: joint={self.joint} is not an SMPL joint id 0..23")
        if self.toward is not None and PARENTS[self.toward] != self.joint:
            raise ValueError(f"SensorSite {self.name!r}: toward={self.toward} is not a child of joint {self.joint}")

    def child(self) -> int | None:
        """The joint ending this sensor's bone: ``toward``, else the joint's first SMPL child; None if it has none."""
        if self.toward is not None:
            return self.toward
        children = np.flatnonzero(PARENTS == self.joint)
        return int(children[0]) if children.size else None

    def offset_in(self, skeleton: Skeleton) -> np.ndarray:
        """(3,) metric offset from the joint in its segment frame for this body."""
        offset = np.asarray(self.offset, dtype=np.float64).copy()
        if self.along:
            child = self.child()
            if child is None:
                raise ValueError(f"SensorSite {self.name!r}: joint {self.joint} has no child, so along= is undefined")
            offset += self.along * skeleton.offsets[child]
        return offset

    def mount_matrix(self) -> np.ndarray:
        """(3, 3) rotation matrix of ``mount``: the sensor frame relative to the segment frame."""
        return Rotation.from_rotvec(np.asarray(self.mount, dtype=np.float64)).as_matrix()

    def with_mount(self, rotvec: Sequence[float]) -> "SensorSite":
        """A copy of this site with ``mount`` set to the (3,) rotation vector ``rotvec`` (radians)."""
        return replace(self, mount=tuple(float(v) for v in rotvec))


_J = JOINT_INDEX
#: P4's three sensors (Sec. 4.1: left wrist, right thigh, head); orientation segments as IMUPoser's
#: (Mollyn et al. 2023).
P4_SITES = (
    SensorSite("left_wrist", _J["left_elbow"], offset=(0.0, 0.03, 0.0), along=0.92),   # forearm segment, dorsal side near the wrist
    SensorSite("right_thigh", _J["right_hip"], offset=(-0.02, 0.0, 0.07), along=0.5),  # thigh segment, front of mid-thigh (pocket)
    SensorSite("head", _J["head"], offset=(0.0, 0.07, 0.09)),                          # forehead
)
#: DIP's six synthetic sensors: orientation joints [18, 19, 4, 5, 15, 0] (DIP's ``genSynData.py``, TransPose's
#: ``ji_mask``), vertices near wrist/knee/head/root.
DIP_SITES = (
    SensorSite("left_forearm", _J["left_elbow"], offset=(0.0, 0.03, 0.0), along=0.92),
    SensorSite("right_forearm", _J["right_elbow"], offset=(0.0, 0.03, 0.0), along=0.92),
    SensorSite("left_shank", _J["left_knee"], offset=(0.0, 0.0, 0.05), along=0.15),
    SensorSite("right_shank", _J["right_knee"], offset=(0.0, 0.0, 0.05), along=0.15),
    SensorSite("head", _J["head"], offset=(0.0, 0.07, 0.09)),
    SensorSite("pelvis", _J["pelvis"]),
)
#: P2: head-worn glasses (Aria-like), at eye height in front of the head joint.
P2_HEAD = (SensorSite("head_glasses", _J["head"], offset=(0.0, 0.08, 0.10)),)
#: A phone on a belt at the front of the waist (UCI HAR/HAPT placement).
WAIST_PHONE = (SensorSite("waist", _J["pelvis"], offset=(0.0, -0.02, 0.13)),)
#: A smartphone strapped to the side of the head (P2's REALWORLD-like head position; placement is our
#: assumption, see :mod:`lib.primus.world`): over the left temple, 6 cm above the head joint (between the
#: head joint at 0.89 H and eye height at 0.936 H), 8.5 cm to the left (half a ~15 cm head breadth plus
#: strap and half the phone's thickness); upright in portrait with the screen facing outwards. The sensor
#: frame is Android's device frame (x right of the screen, y up, z out of the screen), which on this
#: mount is x = backward, y = up, z = left of the wearer: a rotation of +90° about the head's y axis.
HEAD_SIDE_PHONE = (SensorSite("head_side_phone", _J["head"], offset=(0.085, 0.06, 0.0), mount=(0.0, np.pi / 2, 0.0)),)

SITE_SETS = {"p4": P4_SITES, "dip": DIP_SITES, "p2_head": P2_HEAD, "waist": WAIST_PHONE, "head_phone": HEAD_SIDE_PHONE}


@dataclass
class IMUData:
    """Readings of S sensors over T frames.

    acc:  (T, S, 3) m/s² in ``acc_frame`` ("world" or "sensor"), with gravity if ``gravity``
    ori:  (T, S, 3, 3) sensor-to-world rotation matrices
    gyro: (T, S, 3) rad/s in the sensor frame, or None
    """

    acc: np.ndarray
    ori: np.ndarray
    fps: float
    sites: tuple
    gyro: np.ndarray | None = None
    acc_frame: str = "world"
    gravity: bool = False
    labels: np.ndarray | None = None
    meta: dict = field(default_factory=dict)

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return self.acc.shape[0]

    def features(self, gyro: bool = False) -> np.ndarray:
        """(T, S*F) per sensor [acc (3), orientation matrix row-major (9)] (+ gyro (3)): P4's 36 features for 3 sensors."""
        parts = [self.acc, self.ori.reshape(self.n_frames, -1, 9)]
        if gyro:
            if self.gyro is None:
                raise ValueError("features(gyro=True): this IMUData has no gyroscope; synthesize with gyro=True")
            parts.append(self.gyro)
        return np.concatenate(parts, axis=-1).reshape(self.n_frames, -1)


def finite_difference_acceleration(pos: np.ndarray, fps: float, smooth_n: int = 1,
                                   edges: str = "nearest") -> np.ndarray:
    """P4 Eq. (3) along axis 0: (T, ...) positions (m) -> accelerations (m/s²).

    smooth_n > 1 uses the step-n difference (p_{t-n} + p_{t+n} - 2 p_t) / (n Δt)² where it fits (TransPose).
    edges: "nearest" (T frames), "zero" (T frames, ends 0) or "trim" (T-2 frames, as DIP).
    """
    if edges not in EDGE_MODES:
        raise ValueError(f"edges={edges!r} is unknown; use one of {list(EDGE_MODES)}")
    if int(smooth_n) != smooth_n or smooth_n < 1:
        raise ValueError(f"smooth_n={smooth_n!r} must be an integer >= 1 (1 = no smoothing)")
    pos = np.asarray(pos, dtype=np.float64)
    if pos.shape[0] < MIN_FRAMES:
        raise ValueError(f"finite differences need at least {MIN_FRAMES} frames; got {pos.shape[0]}")
    acc = np.zeros_like(pos)
    acc[1:-1] = (pos[:-2] + pos[2:] - 2.0 * pos[1:-1]) * (fps * fps)
    n = int(smooth_n)
    if n > 1 and pos.shape[0] > 2 * n:
        acc[n:-n] = (pos[:-2 * n] + pos[2 * n:] - 2.0 * pos[n:-n]) * (fps * fps) / (n * n)
    if edges == "trim":
        return acc[1:-1]
    if edges == "nearest":
        acc[0], acc[-1] = acc[1], acc[-2]
    return acc


def angular_velocity(ori: np.ndarray, fps: float, edges: str = "nearest") -> np.ndarray:
    """Body-frame angular velocity (rad/s) from (T, ..., 3, 3) sensor-to-world rotations.

    Central difference ω_t = log(R_{t-1}ᵀ R_{t+1}) / (2Δt); first/last frame one-sided (or per ``edges``).
    """
    if edges not in EDGE_MODES:
        raise ValueError(f"edges={edges!r} is unknown; use one of {list(EDGE_MODES)}")
    ori = np.asarray(ori, dtype=np.float64)
    if ori.ndim < 3 or ori.shape[-2:] != (3, 3) or ori.shape[0] < MIN_FRAMES:
        raise ValueError(f"orientations must have shape (T >= {MIN_FRAMES}, ..., 3, 3); got {ori.shape}")
    lead = ori.shape[:-2]
    rots = Rotation.from_matrix(ori.reshape(-1, 3, 3))
    T, per = ori.shape[0], int(np.prod(lead[1:])) if len(lead) > 1 else 1

    def rel(a: slice, b: slice) -> np.ndarray:  # log(R_aᵀ R_b) per frame pair
        ra = rots[a.start * per:(a.stop) * per]
        rb = rots[b.start * per:(b.stop) * per]
        return (ra.inv() * rb).as_rotvec().reshape((a.stop - a.start,) + lead[1:] + (3,))

    gyro = np.zeros(lead + (3,))
    gyro[1:-1] = rel(slice(0, T - 2), slice(2, T)) * (fps / 2.0)
    if edges == "trim":
        return gyro[1:-1]
    if edges == "zero":
        return gyro
    gyro[0] = rel(slice(0, 1), slice(1, 2))[0] * fps
    gyro[-1] = rel(slice(T - 2, T - 1), slice(T - 1, T))[0] * fps
    return gyro


@dataclass
class VirtualIMU:
    """Synthesises :class:`IMUData` for ``sites`` from a motion (see the module docstring for the physics)."""

    sites: Sequence[SensorSite] = P4_SITES
    acc_frame: str = "world"
    gravity: bool = False
    smooth_n: int = 1
    edges: str = "nearest"
    gyro: bool = True

    def __post_init__(self) -> None:
        if self.acc_frame not in ("world", "sensor"):
            raise ValueError(f"acc_frame={self.acc_frame!r} is unknown; use 'world' (DIP) or 'sensor' (accelerometer)")
        if self.edges not in EDGE_MODES:
            raise ValueError(f"edges={self.edges!r} is unknown; use one of {list(EDGE_MODES)}")
        if not self.sites:
            raise ValueError("VirtualIMU needs at least one SensorSite")
        self.sites = tuple(self.sites)

    def trajectories(self, poses: np.ndarray, trans: np.ndarray, skeleton: Skeleton) -> tuple[np.ndarray, np.ndarray]:
        """Sensor positions (T, S, 3) and orientations (T, S, 3, 3) from local axis-angle poses."""
        joints = sorted({s.joint for s in self.sites})
        rot, pos = forward_kinematics(poses, trans, skeleton, joints)
        col = {j: k for k, j in enumerate(joints)}
        lead = rot.shape[:-3]
        sensor_pos = np.empty(lead + (len(self.sites), 3))
        sensor_ori = np.empty(lead + (len(self.sites), 3, 3))
        for s, site in enumerate(self.sites):
            g = rot[..., col[site.joint], :, :]
            sensor_pos[..., s, :] = pos[..., col[site.joint], :] + np.einsum("...ij,j->...i", g, site.offset_in(skeleton))
            if any(site.mount):
                sensor_ori[..., s, :, :] = np.matmul(g, site.mount_matrix())
            else:
                sensor_ori[..., s, :, :] = g
        return sensor_pos, sensor_ori

    def from_trajectories(self, sensor_pos: np.ndarray, sensor_ori: np.ndarray, fps: float,
                          labels: np.ndarray | None = None) -> IMUData:
        """Readings from sensor positions (T, S, 3) and orientations (T, S, 3, 3) sampled at ``fps``."""
        acc = finite_difference_acceleration(sensor_pos, fps, self.smooth_n, self.edges)
        ori = sensor_ori[1:-1] if self.edges == "trim" else sensor_ori
        if self.gravity:
            acc = acc - GRAVITY_VECTOR
        if self.acc_frame == "sensor":
            acc = np.einsum("...ji,...j->...i", ori, acc)  # Rᵀ a
        gyro = angular_velocity(sensor_ori, fps, self.edges) if self.gyro else None
        if labels is not None and self.edges == "trim":
            labels = labels[1:-1]
        return IMUData(acc=acc, ori=ori, fps=float(fps), sites=tuple(s.name for s in self.sites), gyro=gyro,
                       acc_frame=self.acc_frame, gravity=self.gravity, labels=labels,
                       meta={"smooth_n": self.smooth_n, "edges": self.edges})

    def __call__(self, clip: MotionClip, skeleton: Skeleton) -> IMUData:
        """Readings of every site for ``clip`` worn by the body ``skeleton``."""
        sensor_pos, sensor_ori = self.trajectories(clip.poses, clip.trans, skeleton)
        imu = self.from_trajectories(sensor_pos, sensor_ori, clip.fps, clip.labels)
        imu.meta.update(source=clip.source, subject=clip.subject)
        return imu


def _ratio(fps_in: float, fps_out: float) -> Fraction:
    return Fraction(fps_out / fps_in).limit_denominator(1000)


def resample_imu(imu: IMUData, fps: float) -> IMUData:
    """The same readings at another rate: polyphase filtering (acc, gyro), slerp (orientation), nearest label."""
    if not fps > 0:
        raise ValueError(f"fps={fps!r} must be positive")
    if abs(fps - imu.fps) < 1e-9:
        return imu
    T = imu.n_frames
    t_in = np.arange(T) / imu.fps
    n_out = int(np.floor((T - 1) * fps / imu.fps + 1e-9)) + 1
    t_out = np.arange(n_out) / fps
    ratio = _ratio(imu.fps, fps)

    def signal(x: np.ndarray | None) -> np.ndarray | None:
        if x is None:
            return None
        return resample_poly(x, ratio.numerator, ratio.denominator, axis=0, padtype="line")[:n_out]

    ori = np.empty((n_out,) + imu.ori.shape[1:])
    for s in range(imu.ori.shape[1]):
        ori[:, s] = Slerp(t_in, Rotation.from_matrix(imu.ori[:, s]))(t_out).as_matrix()
    labels = None
    if imu.labels is not None:
        labels = imu.labels[np.clip(np.rint(t_out * imu.fps).astype(int), 0, T - 1)]
    return replace(imu, acc=signal(imu.acc), gyro=signal(imu.gyro), ori=ori, fps=float(fps), labels=labels)
