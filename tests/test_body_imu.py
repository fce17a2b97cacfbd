"""Virtual IMU: Eq. (3) on analytic motions, gyroscope, gravity conventions, sites, resampling."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from lib.body.clip import MotionClip
from lib.body.imu import (DIP_SITES, GRAVITY, P4_SITES, SensorSite, VirtualIMU, angular_velocity,
                          finite_difference_acceleration, resample_imu)
from lib.body.skeleton import JOINT_INDEX, skeleton_from_stature

FPS = 60.0


def spinning_clip(rate_hz: float, seconds: float = 3.0, fps: float = FPS) -> MotionClip:
    """The whole body turning about the vertical through the pelvis at a constant rate."""
    t = np.arange(int(seconds * fps)) / fps
    poses = np.zeros((t.size, 24, 3))
    poses[:, 0, 1] = 2 * np.pi * rate_hz * t
    trans = np.tile([0.0, 1.0, 0.0], (t.size, 1))
    return MotionClip(poses, trans, fps)


def test_circular_motion_acceleration_matches_omega_squared_r():
    omega, r = 2 * np.pi * 1.0, 0.5
    t = np.arange(240) / FPS
    pos = np.stack([r * np.cos(omega * t), np.ones_like(t), r * np.sin(omega * t)], axis=1)
    acc = finite_difference_acceleration(pos, FPS)
    magnitude = np.linalg.norm(acc[1:-1], axis=1)
    np.testing.assert_allclose(magnitude, omega ** 2 * r, rtol=0.01)
    # centripetal: pointing at the centre
    inward = -pos[1:-1] * [1, 0, 1] / r
    np.testing.assert_allclose(np.sum(acc[1:-1] * inward, axis=1) / magnitude, 1.0, atol=1e-9)


def test_sensor_on_a_spinning_body_feels_centripetal_acceleration_and_the_rate():
    sk = skeleton_from_stature(1.75)
    site = SensorSite("side", JOINT_INDEX["pelvis"], offset=(0.4, 0.0, 0.0))
    rate = 0.5
    imu = VirtualIMU([site], acc_frame="world", gravity=False)(spinning_clip(rate), sk)
    omega = 2 * np.pi * rate
    np.testing.assert_allclose(np.linalg.norm(imu.acc[:, 0], axis=1), omega ** 2 * 0.4, rtol=0.01)
    np.testing.assert_allclose(imu.gyro[:, 0], np.tile([0.0, omega, 0.0], (imu.n_frames, 1)), atol=1e-9)


def test_gyroscope_of_a_constant_rotation_matches_its_rate_in_the_sensor_frame():
    w = np.array([0.3, -1.2, 2.0])  # rad/s, body frame
    t = np.arange(120) / FPS
    start = Rotation.from_rotvec([0.4, 0.1, -0.7])
    ori = (start * Rotation.from_rotvec(np.outer(t, w))).as_matrix()[:, None]
    gyro = angular_velocity(ori, FPS)
    np.testing.assert_allclose(gyro[:, 0], np.tile(w, (t.size, 1)), atol=1e-9)
    assert angular_velocity(ori, FPS, edges="trim").shape == (118, 1, 3)


def test_gravity_conventions_for_a_body_at_rest():
    sk = skeleton_from_stature(1.75)
    clip = MotionClip(np.zeros((30, 24, 3)), np.tile([0.0, 1.0, 0.0], (30, 1)), FPS)
    world = VirtualIMU(P4_SITES, acc_frame="world", gravity=False)(clip, sk)
    np.testing.assert_allclose(world.acc, 0.0, atol=1e-9)
    sensor = VirtualIMU(P4_SITES, acc_frame="sensor", gravity=True)(clip, sk)
    np.testing.assert_allclose(sensor.acc, np.tile([0.0, GRAVITY, 0.0], (30, 3, 1)), atol=1e-9)  # reads +1 g up
    tilted = SensorSite("tilted_head", JOINT_INDEX["head"], mount=(np.pi / 2, 0.0, 0.0))
    reading = VirtualIMU([tilted], acc_frame="sensor", gravity=True)(clip, sk).acc[0, 0]
    np.testing.assert_allclose(reading, Rotation.from_rotvec([np.pi / 2, 0, 0]).inv().apply([0, GRAVITY, 0]), atol=1e-9)


def test_smoothing_edges_and_features():
    t = np.arange(100) / FPS
    pos = np.stack([0.5 * 3.0 * t ** 2, np.zeros_like(t), t], axis=1)[:, None]  # constant 3 m/s² along x
    for n in (1, 4):
        acc = finite_difference_acceleration(pos, FPS, smooth_n=n)
        np.testing.assert_allclose(acc[..., 0], 3.0, atol=1e-6)
    assert finite_difference_acceleration(pos, FPS, edges="trim").shape == (98, 1, 3)
    zero = finite_difference_acceleration(pos, FPS, edges="zero")
    assert np.all(zero[[0, -1]] == 0)
    with pytest.raises(ValueError, match="smooth_n"):
        finite_difference_acceleration(pos, FPS, smooth_n=0)
    sk = skeleton_from_stature(1.75)
    imu = VirtualIMU(P4_SITES)(spinning_clip(0.2), sk)
    assert imu.features().shape == (imu.n_frames, 36)  # P4: 3 sensors x (3 acc + 9 orientation)
    assert VirtualIMU(DIP_SITES)(spinning_clip(0.2), sk).features(gyro=True).shape[1] == 6 * 15
    trimmed = VirtualIMU(P4_SITES, edges="trim")(spinning_clip(0.2), sk)
    assert trimmed.acc.shape[0] == trimmed.ori.shape[0] == imu.n_frames - 2


def test_sites_resolve_offsets_along_the_bone_and_reject_bad_ones():
    sk = skeleton_from_stature(1.75)
    wrist = P4_SITES[0]
    assert wrist.joint == JOINT_INDEX["left_elbow"]  # DIP: the forearm segment carries the "wrist" sensor
    np.testing.assert_allclose(wrist.offset_in(sk), [0.92 * sk.offsets[JOINT_INDEX["left_wrist"], 0], 0.03, 0.0])
    with pytest.raises(ValueError, match="not a child"):
        SensorSite("bad", JOINT_INDEX["left_elbow"], toward=JOINT_INDEX["head"])
    with pytest.raises(ValueError, match="acc_frame"):
        VirtualIMU(acc_frame="body")


def test_resampling_imu_and_clips():
    sk = skeleton_from_stature(1.75)
    imu = VirtualIMU(P4_SITES)(spinning_clip(0.25, seconds=4.0), sk)
    down = resample_imu(imu, 50.0)
    assert down.fps == 50.0 and down.n_frames == int((imu.n_frames - 1) * 50 / 60) + 1
    # the centripetal magnitude survives polyphase resampling away from the edges
    np.testing.assert_allclose(np.linalg.norm(down.acc[10:-10, 1], axis=1),
                               np.linalg.norm(imu.acc[12:-12, 1], axis=1).mean(), rtol=0.02)
    t_out = np.arange(down.n_frames) / 50.0
    expected = Rotation.from_rotvec(np.outer(2 * np.pi * 0.25 * t_out, [0, 1, 0]))
    got = Rotation.from_matrix(down.ori[:, 2])
    assert np.degrees((expected.inv() * got).magnitude()).max() < 1e-6  # slerp of a constant-rate turn is exact
    clip = spinning_clip(0.25, seconds=2.0, fps=120.0)
    clip.labels = np.arange(clip.n_frames) // 60
    half = clip.resampled(60.0)
    assert half.n_frames == 120 and np.array_equal(half.poses, clip.poses[::2])
    odd = clip.resampled(50.0)
    yaw = odd.poses[:, 0, 1]
    np.testing.assert_allclose(yaw[1:60], 2 * np.pi * 0.25 * np.arange(1, 60) / 50.0, atol=1e-9)
    assert odd.labels[-1] == 3 and odd.labels[0] == 0
