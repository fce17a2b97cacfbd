"""BVH parser + forward kinematics + sensor sites + SMPL retargeting; bad files; the real CMU files."""

from __future__ import annotations


import numpy as np
import pytest

from lib.datasets.bvh import (CMU_UNIT_M, P4_SITES, detect_convention, estimate_stature, forward_kinematics,
                              load_bvh, read_bvh, site_tracks, stature_from_legs, to_motion_clip)
from lib.datasets.errors import DataFormatError
from lib.params import SHARED_DATA


# A tiny skeleton: root + a 2-joint chain with an End Site, and a joint whose Euler order is X then Z.
TINY = """HIERARCHY
ROOT Hips
{
\tOFFSET 0.0 0.0 0.0
\tCHANNELS 6 Xposition Yposition Zposition Zrotation Yrotation Xrotation
\tJOINT Spine
\t{
\t\tOFFSET 0 10 0
\t\tCHANNELS 3 Zrotation Yrotation Xrotation
\t\tJOINT Head
\t\t{
\t\t\tOFFSET 0 5 0
\t\t\tCHANNELS 3 Zrotation Yrotation Xrotation
\t\t\tEnd Site
\t\t\t{
\t\t\t\tOFFSET 0 0 1
\t\t\t}
\t\t}
\t}
\tJOINT Tail
\t{
\t\tOFFSET 0 0 -2
\t\tCHANNELS 3 Xrotation Yrotation Zrotation
\t\tEnd Site
\t\t{
\t\t\tOFFSET 0 0 1
\t\t}
\t}
}
MOTION
Frames: 3
Frame Time: 0.0083333
0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
1 2 3 90 0 0 0 0 0 0 0 0 0 0 0
0 0 0 0 0 0 0 0 0 90 0 90 90 0 90
"""


def write(tmp_path, text, name="tiny.bvh"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_parse_tiny_hierarchy(tmp_path):
    motion = read_bvh(write(tmp_path, TINY))
    sk = motion.skeleton
    assert sk.names == ("Hips", "Spine", "Head", "Head_end", "Tail", "Tail_end")
    assert sk.parents.tolist() == [-1, 0, 1, 2, 0, 4]
    assert sk.n_channels == 15 and motion.frames.shape == (3, 15) and motion.fps == 120.0
    np.testing.assert_allclose(sk.rest_positions[3], [0, 15, 1])


def test_known_rotations_give_known_positions(tmp_path):
    pose = forward_kinematics(read_bvh(write(tmp_path, TINY)), scale=1.0)
    i = pose.index
    # frame 0: rest pose
    np.testing.assert_allclose(pose.positions[0, i("Head_end")], [0, 15, 1], atol=1e-12)
    # frame 1: root at (1,2,3) turned 90 deg about Z: Rz(90) maps +Y to -X, so the spine points along -X
    np.testing.assert_allclose(pose.positions[1, i("Hips")], [1, 2, 3], atol=1e-12)
    np.testing.assert_allclose(pose.positions[1, i("Spine")], [1 - 10, 2, 3], atol=1e-12)
    np.testing.assert_allclose(pose.positions[1, i("Head")], [1 - 15, 2, 3], atol=1e-12)
    np.testing.assert_allclose(pose.positions[1, i("Head_end")], [1 - 15, 2, 4], atol=1e-12)
    # frame 2, same angles z=90, x=90 on two joints with different channel orders (end offset (0,0,1)):
    # Head "Z Y X": R = Rz(90) Rx(90): Rx takes (0,0,1) to (0,-1,0), Rz takes that to (1,0,0)
    np.testing.assert_allclose(pose.positions[2, i("Head_end")] - pose.positions[2, i("Head")], [1, 0, 0], atol=1e-12)
    # Tail "X Y Z": R = Rx(90) Rz(90): Rz leaves (0,0,1), Rx takes it to (0,-1,0)
    np.testing.assert_allclose(pose.positions[2, i("Tail_end")] - pose.positions[2, i("Tail")], [0, -1, 0], atol=1e-12)
    assert np.allclose(pose.rotations[2, i("Head_end")], pose.rotations[2, i("Head")])


def test_unit_scale_and_rotation_matrices(tmp_path):
    motion = read_bvh(write(tmp_path, TINY))
    metres = forward_kinematics(motion, units="cmu")
    units = forward_kinematics(motion, scale=1.0)
    np.testing.assert_allclose(metres.positions, units.positions * CMU_UNIT_M)
    np.testing.assert_allclose(metres.rotations, units.rotations)
    np.testing.assert_allclose(np.linalg.det(metres.rotations), 1.0)
    assert CMU_UNIT_M == pytest.approx(0.05644, abs=1e-5)
    with pytest.raises(ValueError, match="scale"):
        forward_kinematics(motion, scale=0)


CMU_131_STYLE = """HIERARCHY
ROOT Hips
{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Yrotation Xrotation
  JOINT RHipJoint
  {
    OFFSET 0 0 0
    CHANNELS 3 Zrotation Yrotation Xrotation
    JOINT RightHip
    {
      OFFSET -1 -1 0
      CHANNELS 3 Zrotation Yrotation Xrotation
      JOINT RightKnee
      {
        OFFSET 0 -8 0
        CHANNELS 3 Zrotation Yrotation Xrotation
        End Site
        {
          OFFSET 0 -8 0
        }
      }
    }
  }
  JOINT Chest
  {
    OFFSET 0 4 0
    CHANNELS 3 Zrotation Yrotation Xrotation
    JOINT Head
    {
      OFFSET 0 4 0
      CHANNELS 3 Zrotation Yrotation Xrotation
      End Site
      {
        OFFSET 0 2 0
      }
    }
    JOINT LeftElbow
    {
      OFFSET 5 0 0
      CHANNELS 3 Zrotation Xrotation Yrotation
      JOINT LeftWrist
      {
        OFFSET 0 -4 0
        CHANNELS 3 Zrotation Xrotation Yrotation
      }
    }
  }
}
MOTION
Frames: 2
Frame Time: 0.01
""" + ("0 17 0" + " 0" * 24 + "\n") * 2


def test_p4_sites_on_both_cmu_naming_conventions(tmp_path):
    with pytest.raises(DataFormatError, match="joint LeftWrist has no OFFSET"):
        read_bvh(write(tmp_path, CMU_131_STYLE.replace("OFFSET 0 -4 0", "")))
    pose = load_bvh(write(tmp_path, CMU_131_STYLE), scale=1.0)
    tracks = site_tracks(pose, P4_SITES)
    assert set(tracks) == set(P4_SITES)
    np.testing.assert_allclose(tracks["left_wrist"].position[0], [5, 17, 0])  # the wrist joint
    np.testing.assert_allclose(tracks["right_thigh"].position[0], [-1, 17 - 1 - 4, 0])  # mid-thigh
    np.testing.assert_allclose(tracks["head"].position[0], [0, 17 + 8 + 1, 0])  # mid-skull
    assert tracks["head"].rotation.shape == (2, 3, 3)
    cgspeed = (CMU_131_STYLE.replace("RightHip", "RightUpLeg").replace("RightKnee", "RightLeg")
               .replace("LeftElbow", "LeftForeArm").replace("LeftWrist", "LeftHand"))
    tracks2 = site_tracks(load_bvh(write(tmp_path, cgspeed, "cg.bvh"), scale=1.0), P4_SITES)
    for site in P4_SITES:
        np.testing.assert_allclose(tracks2[site].position, tracks[site].position)
    with pytest.raises(KeyError, match="left_wrist"):
        site_tracks(load_bvh(write(tmp_path, TINY), scale=1.0), ["left_wrist"])
    with pytest.raises(ValueError, match="unknown"):
        site_tracks(pose, ["nose"])


@pytest.mark.parametrize("edit,match", [
    (lambda t: t.replace("HIERARCHY", "HIERARCHIE"), "does not start with 'HIERARCHY'"),
    (lambda t: t.split("MOTION")[0], "no MOTION section"),
    (lambda t: t.rsplit("\n", 2)[0] + "\n", "header says 3 frames but 2 motion rows follow \\(file truncated"),
    (lambda t: t.rstrip("\n").rsplit(" ", 1)[0] + "\n", "motion row 3 has 14 values; the hierarchy declares 15"),
    (lambda t: t.replace("OFFSET 0 10 0", "OFFSET 0 ten 0"), "non-numeric"),
    (lambda t: t.replace("Zrotation Yrotation Xrotation\n\t\tJOINT Head", "Zrotation Yrotation Wrotation\n\t\tJOINT Head"),
     "unknown channel"),
    (lambda t: t.replace("CHANNELS 3 Zrotation Yrotation Xrotation\n\t\tJOINT", "CHANNELS 4 Zrotation Yrotation Xrotation\n\t\tJOINT"),
     "CHANNELS must be"),
    (lambda t: t.replace("Frame Time: 0.0083333", "Frame Time: 0"), "Frame Time 0.0 must be positive"),
    (lambda t: t.replace("Frames: 3", "Frame count 3"), "MOTION header"),
    (lambda t: t.replace("0 0 0 0 0 0 0 0 0 90 0 90 90 0 90", "0 0 0 0 0 0 0 0 0 nan 0 90 90 0 90"), "NaN/inf"),
    (lambda t: t.replace("\t}\n\tJOINT Tail", "\tJOINT Tail", 1), "unclosed"),
])
def test_malformed_bvh_names_the_file_and_the_problem(tmp_path, edit, match):
    path = write(tmp_path, edit(TINY), "broken.bvh")
    with pytest.raises(DataFormatError, match=match) as err:
        read_bvh(path)
    assert "broken.bvh" in str(err.value)


def test_missing_bvh_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="BVH file"):
        read_bvh(tmp_path / "none.bvh")


# ------------------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def cmu():
    root = SHARED_DATA / "cmu_mocap"
    if not (root / "131_02.bvh").is_file():
        pytest.skip(f"real CMU BVH files not found at {root} (present on developer machines and in CI)")
    return {name: load_bvh(root / f"{name}.bvh") for name in ("131_01", "131_02", "131_03")}


def peak_speed(pose, seconds=1.0):
    """Highest horizontal root speed averaged over ``seconds``, m/s."""
    xz = pose.positions[:, 0, [0, 2]]
    k = int(seconds * pose.fps)
    return float((np.linalg.norm(xz[k:] - xz[:-k], axis=1) / seconds).max())


def test_real_131_02_header_and_rigid_bones(cmu):
    pose = cmu["131_02"]
    assert pose.n_frames == 1247 and pose.fps == 120.0 and len(pose.names) == 38
    for child in ("LeftKnee", "LeftAnkle", "RightElbow", "Head"):
        c = pose.index(child)
        bone = np.linalg.norm(pose.positions[:, c] - pose.positions[:, pose.parents[c]], axis=1)
        np.testing.assert_allclose(bone, np.linalg.norm(pose.offsets[c]), rtol=1e-9)  # FK keeps bone lengths
    np.testing.assert_allclose(pose.rotations @ np.swapaxes(pose.rotations, -1, -2), np.broadcast_to(np.eye(3), pose.rotations.shape), atol=1e-9)


def test_real_cmu_body_size_is_human_after_unit_conversion(cmu):
    for name, pose in cmu.items():
        head_top = estimate_stature(pose)
        legs = stature_from_legs(pose)
        # measured head-top height 1.42-1.46 m (this conversion omits the thorax); from the legs 1.63 m
        assert 1.4 < head_top < 2.0, name
        assert 1.5 < legs < 2.0, name
        hips = np.median(pose.positions[:, 0, 1])
        assert 0.8 < hips < 1.1, name  # standing hip-joint height


def test_real_cmu_walking_speed_and_steps(cmu):
    # 131_01 holds a normal walk: 1.28 m/s peak over 1 s. 131_02 ("Start Walk Stop") is a slow
    # short-step walk: 0.36 m/s peak, 1.7 m covered. Wrong units would give x0.45 (inches) or x17.7 (raw).
    assert 0.5 < peak_speed(cmu["131_01"]) < 2.0
    slow = cmu["131_02"]
    assert 0.2 < peak_speed(slow) < 2.0
    xz = slow.positions[:, 0, [0, 2]]
    assert 1.0 < np.linalg.norm(xz[-1] - xz[0]) < 5.0
    ankle = slow.positions[:, slow.index("RightAnkle"), 1]
    lifted = ankle > ankle.min() + 0.05  # foot off the ground by more than 5 cm
    assert 5 <= np.count_nonzero(np.diff(lifted.astype(int)) == 1) <= 30  # individual steps


def test_real_cmu_sites_and_retargeted_smpl_clip(cmu):
    from lib.body.kinematics import forward_kinematics as smpl_fk
    from lib.body.skeleton import JOINT_INDEX, skeleton_from_stature

    pose = cmu["131_02"]
    tracks = site_tracks(pose)
    assert tracks["head"].position[:, 1].min() > tracks["right_thigh"].position[:, 1].max()
    assert detect_convention(pose.names) == "cmu_131"
    clip = to_motion_clip(pose)
    assert clip.poses.shape == (1247, 24, 3) and clip.fps == 120.0
    np.testing.assert_allclose(clip.trans, pose.positions[:, 0])
    rot, pos = smpl_fk(clip.poses[::10], clip.trans[::10], skeleton_from_stature(clip.subject["stature"]))
    for a, b, ba, bb in [("left_elbow", "left_wrist", "LeftElbow", "LeftWrist"), ("right_hip", "right_knee", "RightHip", "RightKnee"),
                         ("right_knee", "right_ankle", "RightKnee", "RightAnkle"), ("left_shoulder", "left_elbow", "LeftShoulder", "LeftElbow"),
                         ("neck", "head", "Neck", "Head")]:
        u = pos[:, JOINT_INDEX[b]] - pos[:, JOINT_INDEX[a]]
        v = pose.positions[::10, pose.index(bb)] - pose.positions[::10, pose.index(ba)]
        cos = (u * v).sum(1) / np.linalg.norm(u, axis=1) / np.linalg.norm(v, axis=1)
        assert cos.min() > 0.9999, (a, b)  # SMPL bones point where the mocap bones point
    assert clip.resampled(60).n_frames == 624
