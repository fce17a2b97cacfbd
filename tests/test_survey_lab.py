"""The transfer lab: the IMU2Doppler and CLIP losses by hand, the pose -> IMU physics, and every method
on a tiny world beating chance."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from lib.survey import instance, lab, methods, world


def test_imu2doppler_loss_matches_a_hand_computed_case():
    z_imu = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    z_pose = torch.tensor([[0.0, 0.0], [0.0, 3.0]])        # squared distances 1 and 4 -> mean 2.5
    logits = torch.tensor([[0.0, 0.0], [5.0, -5.0]])
    y = torch.tensor([0, methods.UNLABELLED])               # item 0: CE = ln 2; item 1 unlabelled: CE = 0
    loss = methods.imu2doppler_loss(z_imu, z_pose, logits, y, alpha=2.0, beta=0.5)
    assert loss.item() == pytest.approx(0.5 * 2.5 + 2.0 * math.log(2.0) / 2, rel=1e-6)
    # fully labelled: beta * mean L2 + alpha * mean CE; CE of item 1 = ln(1 + e^-10)
    both = methods.imu2doppler_loss(z_imu, z_pose, logits, torch.tensor([0, 0]), alpha=2.0, beta=0.5)
    assert both.item() == pytest.approx(1.25 + 2.0 * (math.log(2.0) + math.log1p(math.exp(-10.0))) / 2, rel=1e-6)
    none = methods.imu2doppler_loss(z_imu, z_pose, logits, torch.tensor([-1, -1]), alpha=2.0, beta=0.5)
    assert none.item() == pytest.approx(1.25)
    with pytest.raises(ValueError, match="embeddings"):
        methods.imu2doppler_loss(z_imu, z_pose[:1], logits, y)


def test_clip_loss_is_symmetric_and_small_for_aligned_pairs():
    a = torch.eye(4)
    assert methods.clip_loss(a, a, scale=100.0).item() < 1e-6
    assert methods.clip_loss(a, a.roll(1, 0), scale=100.0).item() > 10       # every positive is wrong
    b = torch.randn(4, 3, generator=torch.Generator().manual_seed(0))
    c = torch.randn(4, 3, generator=torch.Generator().manual_seed(1))
    assert methods.clip_loss(b, c).item() == pytest.approx(methods.clip_loss(c, b).item(), rel=1e-6)


def test_pose_to_imu_of_a_body_at_rest_reads_gravity():
    from lib.body.clip import MotionClip
    from lib.body.kinematics import joint_positions
    from lib.body.skeleton import skeleton_from_stature

    T = 40
    clip = MotionClip(poses=np.zeros((T, 24, 3)), trans=np.tile([0.0, 0.95, 0.0], (T, 1)), fps=30.0)
    joints = joint_positions(clip, skeleton_from_stature(1.75))[:, world.POSE_INDEX]
    x = instance.pose_to_imu(joints, 30.0, lowpass_hz=None)
    for sensor in range(2):
        acc, gyro = x[:, 6 * sensor:6 * sensor + 3], x[:, 6 * sensor + 3:6 * sensor + 6]
        assert np.allclose(np.linalg.norm(acc, axis=1), 9.80665, atol=1e-6)
        assert np.allclose(gyro, 0.0, atol=1e-9)
    with pytest.raises(ValueError, match="joint positions"):
        instance.pose_to_imu(joints[:, :5], 30.0)


def test_helpers_twist_draws_and_pose_noise():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 12, 20))
    y = lab.twist(x, rng, 45.0)
    for s in range(4):  # rotations keep each 3-vector's norm
        assert np.allclose(np.linalg.norm(x[:, 3 * s:3 * s + 3], axis=1), np.linalg.norm(y[:, 3 * s:3 * s + 3], axis=1))
    labels = np.repeat(np.arange(3), 6)
    small, big = lab.draw_labelled(labels, 2, seed=4), lab.draw_labelled(labels, 4, seed=4)
    assert set(small) <= set(big) and np.bincount(labels[big]).tolist() == [4, 4, 4]
    with pytest.raises(ValueError, match="exceeds"):
        lab.draw_labelled(labels, 7, seed=0)
    joints = np.tile(rng.standard_normal((1, 16, 3)) * 0.3, (90, 1, 1))  # a still body
    assert np.array_equal(world.PoseNoise(scale=0.0).apply(joints, 30.0, rng), joints)
    noisy = world.PoseNoise().apply(joints, 30.0, np.random.default_rng(1))
    rel = (noisy - noisy[:, :1]) - (joints - joints[:, :1])  # root-relative error: a few centimetres
    assert 0.01 < np.linalg.norm(rel[:, 1:], axis=-1).mean() < 0.1
    with pytest.raises(ValueError, match="occlusion_p"):
        world.PoseNoise(occlusion_p=2.0)
    with pytest.raises(ValueError, match="sensor_preset"):
        world.LabConfig(sensor_preset="perfect")


@pytest.fixture(scope="module")
def tiny_world():
    config = world.LabConfig(activities=("walking", "clapping", "stretching_arms"),
                             subjects={"source": 3, "paired": 2, "target": 2, "test": 2})
    return world.make_world(config, {"source": 8, "paired": 8, "target": 3, "test": 6}, seed=0)


def test_world_shapes_and_determinism(tiny_world):
    test = world.split(tiny_world, "test")
    assert test["pose"].shape == (18, 51, 60) and test["imu"].shape == (18, 12, 60)
    assert test["virtual"].shape == test["imu"].shape and np.isfinite(test["imu"]).all()
    assert np.bincount(test["y"]).tolist() == [6, 6, 6]
    with pytest.raises(ValueError, match="split"):
        world.split(tiny_world, "validation")


def test_every_method_beats_chance_on_a_tiny_world(tiny_world):
    settings = lab.LabSettings(budgets=(0, 3), seeds=(0,), steps=40, align_steps=60)
    result = lab.TransferLab(tiny_world, settings).run()
    assert set(result.scores["method"]) == set(lab.METHODS)
    assert len(result.scores) == len(lab.METHODS) + 3  # k=0: instance, shared, contrastive
    chance = 1 / 3
    by_method = result.scores.groupby("method")["accuracy"].max()
    assert (by_method > chance).all(), by_method.to_dict()
    again = lab.TransferLab(tiny_world, settings).run()
    assert np.allclose(again.scores["accuracy"], result.scores["accuracy"]), "same seed -> same numbers"
