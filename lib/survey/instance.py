"""Instance-based transfer, IMUTube-style (survey §4.1, [58, 59]): video pose -> virtual IMU.

From 3-D joint positions alone (no IMU hardware, no IMU labels):

1. low-pass the joint trajectories (4th-order Butterworth, zero phase, ``lowpass_hz``): the pipeline's
   post-processing, needed because double differentiation multiplies pose jitter by (2π f)²;
2. place each sensor on its bone (the fraction ``along`` of :data:`lib.survey.sensors.LAB_SITES`);
3. estimate the segment's orientation: a torso frame from the joints (pelvis: hip line and spine;
   chest: shoulder line and neck) times the *swing* that turns the bone's rest direction (from the
   average skeleton) onto its estimated direction. The twist about the bone (forearm pronation, hip
   rotation) is invisible in joint positions and is taken as zero — one part of the simulation gap;
4. hand positions and orientations to the shared :meth:`lib.body.imu.VirtualIMU.from_trajectories`
   (specific force with gravity in the sensor frame + gyroscope), the same physics as the real sensor.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfiltfilt
from scipy.spatial.transform import Rotation

from lib.body.imu import VirtualIMU
from lib.body.skeleton import JOINT_INDEX, skeleton_from_stature
from lib.survey.sensors import LAB_SITES, imu_features

_P = {name: i for i, name in enumerate(("pelvis", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle",
                                        "right_ankle", "spine3", "neck", "head", "left_shoulder", "right_shoulder",
                                        "left_elbow", "right_elbow", "left_wrist", "right_wrist"))}


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


def torso_frame(lateral: np.ndarray, up: np.ndarray) -> np.ndarray:
    """(T, 3, 3) rotation whose columns are x = lateral (to the body's left), y = up, z = forward."""
    x = _unit(lateral)
    y = _unit(up - np.sum(up * x, -1, keepdims=True) * x)
    z = np.cross(x, y)
    return np.stack([x, y, z], axis=-1)


def swing(rest_dir: np.ndarray, direction: np.ndarray) -> Rotation:
    """The twist-free rotations turning ``rest_dir`` (3,) onto each row of ``direction`` (T, 3)."""
    a = _unit(np.broadcast_to(rest_dir, direction.shape))
    b = _unit(direction)
    axis = np.cross(a, b)
    sin = np.linalg.norm(axis, axis=-1, keepdims=True)
    cos = np.sum(a * b, -1, keepdims=True)
    angle = np.arctan2(sin, cos)
    return Rotation.from_rotvec(axis / np.maximum(sin, 1e-12) * angle)


def lowpass(x: np.ndarray, fps: float, cutoff_hz: float | None, order: int = 4) -> np.ndarray:
    """Zero-phase Butterworth low-pass along axis 0 (``None`` = unchanged)."""
    if cutoff_hz is None:
        return x
    if not 0 < cutoff_hz < fps / 2:
        raise ValueError(f"lowpass_hz={cutoff_hz} must lie between 0 and the Nyquist rate {fps / 2} Hz")
    return sosfiltfilt(butter(order, cutoff_hz, fs=fps, output="sos"), x, axis=0)


def sensor_trajectories(joints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T, 16, 3) pose -> positions (T, 2, 3) and orientations (T, 2, 3, 3) of the left-wrist and
    right-thigh sensors (the order of :data:`lib.survey.sensors.LAB_SITES`)."""

    rest = skeleton_from_stature(1.75).offsets
    j = lambda name: joints[:, _P[name]]  # noqa: E731
    pelvis = torso_frame(j("left_hip") - j("right_hip"), j("spine3") - j("pelvis"))
    chest = torso_frame(j("left_shoulder") - j("right_shoulder"), j("neck") - j("spine3"))
    bones = {"left_wrist": ("left_elbow", "left_wrist", chest), "right_thigh": ("right_hip", "right_knee", pelvis)}
    pos, ori = [], []
    for site in LAB_SITES:
        start, end, frame = bones[site.name]
        bone = j(end) - j(start)
        rest_dir = rest[JOINT_INDEX[end]]
        local = np.einsum("tji,tj->ti", frame, bone)  # bone direction in the torso frame
        rot = Rotation.from_matrix(frame) * swing(rest_dir, local)
        pos.append(j(start) + site.along * bone)
        ori.append(rot.as_matrix())
    return np.stack(pos, axis=1), np.stack(ori, axis=1)


def pose_to_imu(joints: np.ndarray, fps: float, lowpass_hz: float | None = 4.0) -> np.ndarray:
    """(T, 16, 3) estimated 3-D pose (metres, Y-up) -> (T, 12) virtual IMU channels
    [acc (3), gyro (3)] × [left wrist, right thigh] (m/s², rad/s), like the real sensor's."""

    joints = np.asarray(joints, dtype=np.float64)
    if joints.ndim != 3 or joints.shape[1:] != (len(_P), 3) or len(joints) < 8:
        raise ValueError(f"pose_to_imu needs (T >= 8, {len(_P)}, 3) joint positions; got {joints.shape}")
    smooth = lowpass(joints, fps, lowpass_hz)
    pos, ori = sensor_trajectories(smooth)
    imu = VirtualIMU(sites=LAB_SITES, acc_frame="sensor", gravity=True, gyro=True).from_trajectories(pos, ori, fps)
    return imu_features(imu.acc, imu.gyro)
