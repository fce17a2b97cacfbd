"""AMASS *_poses.npz loader: both key spellings and pose widths, Z-up -> Y-up, resampling, bad files."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from lib.body.clip import MotionClip
from lib.datasets.amass import amass_to_smpl24, find_amass_files, load_amass, read_amass_npz
from lib.datasets.errors import DataFormatError

UPRIGHT = np.array([np.pi / 2, 0.0, 0.0])  # AMASS root of a standing body: SMPL's Y-up body in a Z-up world


def write_amass(path, T=24, width=156, fps=120.0, rate_key="mocap_framerate", gender=b"female", seed=0, **override):
    rng = np.random.default_rng(seed)
    poses = rng.normal(scale=0.2, size=(T, width))
    poses[:, :3] = UPRIGHT
    data = {"poses": poses, "trans": np.column_stack([np.linspace(0, 1, T), np.zeros(T), np.full(T, 0.9)]),
            "betas": np.zeros(16), "dmpls": np.zeros((T, 8)), "gender": np.array(gender), rate_key: np.array(fps)}
    data.update(override)
    data = {k: v for k, v in data.items() if v is not None}
    np.savez(path, **data)
    return data


def test_smplh_156_file_at_120hz_becomes_a_60hz_y_up_smpl24_clip(tmp_path):
    path = tmp_path / "CMU" / "01" / "01_01_poses.npz"
    path.parent.mkdir(parents=True)
    data = write_amass(path, T=24, width=156, fps=120.00004577636719)  # the real, unrounded rate of some AMASS files
    clip = load_amass(path, fps=60, root=tmp_path)
    assert isinstance(clip, MotionClip)
    assert clip.fps == 60 and clip.n_frames == 12 and clip.poses.shape == (12, 24, 3)
    assert clip.source == "amass:CMU/01/01_01_poses.npz"
    assert clip.subject["gender"] == "female" and clip.subject["native_fps"] == 120.0
    joints = data["poses"].reshape(24, 52, 3)[::2]
    np.testing.assert_allclose(clip.poses[:, 1:22], joints[:, 1:22])
    np.testing.assert_allclose(clip.poses[:, 22], joints[:, 22])  # left_index1
    np.testing.assert_allclose(clip.poses[:, 23], joints[:, 37])  # right_index1
    # Z-up (x, y, z) -> Y-up (x, z, -y): the height 0.9 m moves to the Y axis
    np.testing.assert_allclose(clip.trans[:, 1], 0.9)
    np.testing.assert_allclose(clip.trans[:, 0], data["trans"][::2, 0])
    # an upright AMASS root is the identity in SMPL's Y-up frame
    np.testing.assert_allclose(clip.poses[:, 0], 0.0, atol=1e-12)


def test_smplx_165_file_with_the_other_key_spelling_and_str_gender(tmp_path):
    path = tmp_path / "walk_poses.npz"
    data = write_amass(path, T=10, width=165, fps=60.0, rate_key="mocap_frame_rate", gender="male")
    clip = load_amass(path)
    assert clip.fps == 60 and clip.n_frames == 10 and clip.subject["gender"] == "male"
    joints = data["poses"].reshape(10, 55, 3)
    np.testing.assert_allclose(clip.poses[:, 22], joints[:, 25])  # SMPL-X left_index1 (after jaw and eyes)
    np.testing.assert_allclose(clip.poses[:, 23], joints[:, 40])  # SMPL-X right_index1
    assert clip.subject["model"] == "SMPL-X"


def test_root_orientation_and_translation_rotate_together(tmp_path):
    path = tmp_path / "turn_poses.npz"
    root = (Rotation.from_rotvec(UPRIGHT) * Rotation.from_euler("y", 30, degrees=True)).as_rotvec()
    poses = np.zeros((5, 156))
    poses[:, :3] = root
    write_amass(path, T=5, width=156, fps=60.0, poses=poses)
    clip = load_amass(path, fps=None)
    # upright body turned 30 deg about its own vertical axis -> a Y-axis rotation of 30 deg in Y-up
    np.testing.assert_allclose(Rotation.from_rotvec(clip.poses[0, 0]).as_euler("YXZ", degrees=True), [30, 0, 0], atol=1e-9)


def test_non_integer_rate_ratio_is_interpolated(tmp_path):
    path = tmp_path / "odd_poses.npz"
    write_amass(path, T=101, width=156, fps=100.0)
    clip = load_amass(path, fps=60)
    assert clip.n_frames == 61  # 1 s at 100 Hz -> 0..1 s at 60 Hz
    np.testing.assert_allclose(clip.trans[:, 0], np.linspace(0, 1, 61), atol=1e-12)  # linear trans stays linear


def test_read_amass_rounds_the_rate_and_decodes_bytes(tmp_path):
    path = tmp_path / "a_poses.npz"
    write_amass(path, fps=119.9999, gender=np.bytes_(b"neutral"))
    raw = read_amass_npz(path)
    assert raw["fps"] == 120.0 and raw["gender"] == "neutral" and raw["width"] == 156


def test_amass_to_smpl24_rejects_unknown_widths():
    assert amass_to_smpl24(np.zeros((3, 66))).shape == (3, 24, 3)
    with pytest.raises(ValueError, match="156"):
        amass_to_smpl24(np.zeros((3, 100)))


def test_find_amass_files_skips_shape_files(tmp_path):
    (tmp_path / "BMLmovi" / "s1").mkdir(parents=True)
    write_amass(tmp_path / "BMLmovi" / "s1" / "walk_poses.npz")
    np.savez(tmp_path / "BMLmovi" / "s1" / "shape.npz", betas=np.zeros(16))
    assert [p.name for p in find_amass_files(tmp_path)] == ["walk_poses.npz"]


@pytest.mark.parametrize("override,match", [
    (dict(poses=None), "'poses'"),
    (dict(mocap_framerate=None), "mocap_framerate or mocap_frame_rate"),
    (dict(poses=np.zeros((24, 100))), "shape \\(24, 100\\)"),
    (dict(trans=np.zeros((23, 3))), "'trans' has shape"),
    (dict(trans=np.full((24, 3), np.nan)), "NaN"),
    (dict(mocap_framerate=np.array(-1.0)), "positive"),
    (dict(poses=np.zeros((1, 156)), trans=np.zeros((1, 3))), "at least 2"),
])
def test_malformed_npz_names_the_file_and_the_problem(tmp_path, override, match):
    path = tmp_path / "bad_poses.npz"
    write_amass(path, **override)
    with pytest.raises(DataFormatError, match=match) as err:
        load_amass(path)
    assert "bad_poses.npz" in str(err.value)


def test_truncated_npz_is_a_clear_error(tmp_path):
    good = tmp_path / "good_poses.npz"
    write_amass(good, T=200)
    bad = tmp_path / "cut_poses.npz"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(DataFormatError, match="truncated or corrupt") as err:
        load_amass(bad)
    assert "cut_poses.npz" in str(err.value)


def test_missing_file_and_bad_fps_parameter(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope_poses.npz"):
        load_amass(tmp_path / "nope_poses.npz")
    path = tmp_path / "a_poses.npz"
    write_amass(path)
    with pytest.raises(ValueError, match="fps"):
        load_amass(path, fps=0)


def test_real_amass_files_when_present(shared_data):
    root = shared_data / "amass"
    files = sorted(root.rglob("*_poses.npz")) if root.is_dir() else []
    if not files:
        pytest.skip(f"no AMASS *_poses.npz under {root}: AMASS is licensed (amass.is.tue.mpg.de) and not "
                    "redistributed in ../shared/data; put files there to run this test")
    for f in files[:3]:
        clip = load_amass(f, fps=60, root=root)
        assert clip.fps == 60 and clip.poses.shape[1:] == (24, 3)
        up = Rotation.from_rotvec(clip.poses[:, 0]).apply([0.0, 1.0, 0.0])
        assert np.median(up[:, 1]) > 0.5, f"{f}: body not upright after Z-up -> Y-up"
