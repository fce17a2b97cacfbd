"""Skeleton and forward kinematics: bone lengths, known rotations, batching, bad input."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from lib.body.anatomy import anatomical_to_local
from lib.body.kinematics import chain_joints, forward_kinematics
from lib.body.skeleton import (JOINT_INDEX, JOINT_NAMES, PARENTS, WINTER, Subject, sample_subject,
                               skeleton_from_stature)

J = JOINT_INDEX


def test_smpl_topology_and_winter_proportions():
    assert len(JOINT_NAMES) == 24 and list(PARENTS[:4]) == [-1, 0, 0, 0]
    sk = skeleton_from_stature(1.75)
    rest = sk.rest_positions
    floor = rest[J["left_ankle"], 1] - WINTER["ankle_height"] * 1.75
    # Winter Fig. 4.1 landmark heights (fraction of stature) are reproduced by the rest pose
    assert (rest[J["left_hip"], 1] - floor) / 1.75 == pytest.approx(0.530, abs=1e-9)
    assert (rest[J["left_knee"], 1] - floor) / 1.75 == pytest.approx(0.285, abs=1e-9)
    assert sk.bone_lengths[J["left_elbow"]] == pytest.approx(0.186 * 1.75)
    assert sk.bone_lengths[J["left_wrist"]] == pytest.approx(0.146 * 1.75)
    assert rest[J["left_hip"], 0] > 0 > rest[J["right_hip"], 0]  # left is +X
    assert sk.pelvis_height == pytest.approx(-floor)


def test_sample_subject_is_seeded_and_in_range():
    a = [sample_subject(np.random.default_rng(3)) for _ in range(2)]
    assert a[0] == a[1]
    statures = [sample_subject(np.random.default_rng(s)).stature for s in range(200)]
    assert 1.45 <= min(statures) and max(statures) <= 2.05 and np.std(statures) > 0.05
    with pytest.raises(ValueError, match="sex"):
        sample_subject(np.random.default_rng(0), sex="other")
    with pytest.raises(ValueError, match="stature"):
        skeleton_from_stature(17.5)


def test_fk_preserves_bone_lengths_under_random_poses():
    rng = np.random.default_rng(0)
    sk = Subject(stature=1.68).skeleton()
    poses = rng.normal(scale=1.0, size=(50, 24, 3))
    trans = rng.normal(size=(50, 3))
    rot, pos = forward_kinematics(poses, trans, sk)
    for j in range(1, 24):
        lengths = np.linalg.norm(pos[:, j] - pos[:, PARENTS[j]], axis=1)
        np.testing.assert_allclose(lengths, sk.bone_lengths[j], rtol=1e-10)
    np.testing.assert_allclose(pos[:, 0], trans + sk.offsets[0])
    np.testing.assert_allclose(np.einsum("tjik,tjil->tjkl", rot, rot), np.broadcast_to(np.eye(3), rot.shape), atol=1e-12)


def test_known_rotations_give_known_positions():
    sk = skeleton_from_stature(1.75)
    poses = np.zeros((1, 24, 3))
    poses[0, J["left_shoulder"]] = [0.0, 0.0, np.pi / 2]  # +90 deg about z: the T-pose arm (+X) points up
    poses[0, 0] = [0.0, np.pi / 2, 0.0]                    # root turned 90 deg about y: +X -> -Z
    rot, pos = forward_kinematics(poses, np.array([[1.0, 2.0, 3.0]]), sk)
    rest = sk.rest_positions
    root = Rotation.from_rotvec([0, np.pi / 2, 0])
    np.testing.assert_allclose(pos[0, J["left_hip"]], [1, 2, 3] + root.apply(rest[J["left_hip"]]), atol=1e-12)
    upper_arm = sk.bone_lengths[J["left_elbow"]]
    np.testing.assert_allclose(pos[0, J["left_elbow"]] - pos[0, J["left_shoulder"]], [0, upper_arm, 0], atol=1e-12)
    expected = (root * Rotation.from_rotvec([0, 0, np.pi / 2])).as_matrix()
    np.testing.assert_allclose(rot[0, J["left_elbow"]], expected, atol=1e-12)  # elbow inherits the shoulder's rotation


def test_anatomical_conventions_point_limbs_the_expected_way():
    sk = skeleton_from_stature(1.75)

    def limb(joint, child, angles):
        a = np.zeros((1, 24, 3))
        a[0, J[joint]] = angles
        _, pos = forward_kinematics(anatomical_to_local(a, np.zeros((1, 3))), np.zeros((1, 3)), sk)
        d = pos[0, J[child]] - pos[0, J[joint]]
        return d / np.linalg.norm(d)

    np.testing.assert_allclose(limb("left_hip", "left_knee", (90, 0, 0)), [0, 0, 1], atol=1e-9)     # flexion: forward
    np.testing.assert_allclose(limb("right_hip", "right_knee", (90, 0, 0)), [0, 0, 1], atol=1e-9)
    np.testing.assert_allclose(limb("left_shoulder", "left_elbow", (0, 0, 0)), [0, -1, 0], atol=1e-9)  # arm at the side
    np.testing.assert_allclose(limb("right_shoulder", "right_elbow", (0, 90, 0)), [-1, 0, 0], atol=1e-9)  # abduction
    np.testing.assert_allclose(limb("left_shoulder", "left_elbow", (180, 0, 0)), [0, 1, 0], atol=1e-9)  # overhead
    np.testing.assert_allclose(limb("left_knee", "left_ankle", (90, 0, 0)), [0, 0, -1], atol=1e-9)   # knee: backward


def test_subset_batches_and_per_sequence_offsets_match_full_fk():
    rng = np.random.default_rng(1)
    poses = rng.normal(scale=0.5, size=(2, 30, 24, 3))
    trans = rng.normal(size=(2, 30, 3))
    sks = [skeleton_from_stature(1.6), skeleton_from_stature(1.9)]
    offsets = np.stack([s.offsets for s in sks])[:, None]  # (2, 1, 24, 3) broadcast over frames
    rot, pos = forward_kinematics(poses, trans, offsets, joints=[20, 2, 15], chunk=7)
    for b in range(2):
        full_rot, full_pos = forward_kinematics(poses[b], trans[b], sks[b])
        np.testing.assert_allclose(rot[b], full_rot[:, [20, 2, 15]], atol=1e-12)
        np.testing.assert_allclose(pos[b], full_pos[:, [20, 2, 15]], atol=1e-12)
    assert chain_joints([20]) == [0, 3, 6, 9, 13, 16, 18, 20]


def test_fk_rejects_bad_shapes():
    sk = skeleton_from_stature(1.75)
    with pytest.raises(ValueError, match="poses"):
        forward_kinematics(np.zeros((5, 22, 3)), np.zeros((5, 3)), sk)
    with pytest.raises(ValueError, match="trans"):
        forward_kinematics(np.zeros((5, 24, 3)), np.zeros((4, 3)), sk)
    with pytest.raises(ValueError, match="joint index"):
        forward_kinematics(np.zeros((5, 24, 3)), np.zeros((5, 3)), sk, joints=[30])
