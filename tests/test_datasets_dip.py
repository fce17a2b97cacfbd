"""DIP-IMU pickle loader: latin1 pickles, sensor selection, NaN filling and trimming, bad files."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from lib.body.clip import MotionClip
from lib.datasets.dip import (SENSOR_SETS, fill_nan_from_neighbours, find_dip_files, load_dip, load_dip_folder,
                              resolve_sensors)
from lib.datasets.errors import DataFormatError

T = 40


def dip_arrays(T=T, seed=0):
    rng = np.random.default_rng(seed)
    ori = np.broadcast_to(np.eye(3), (T, 17, 3, 3)).copy()
    acc = rng.normal(size=(T, 17, 3))
    acc[:, :, 0] += np.arange(T)[:, None]  # frame number in x, to check trimming
    gt = rng.normal(scale=0.1, size=(T, 72))
    return {"imu_ori": ori, "imu_acc": acc, "gt": gt}


def write_pickle(path, data, protocol=2):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        pickle.dump(data, f, protocol=protocol)
    return path


def test_reads_p4_sensors_fills_short_gaps_and_trims_six_frames(tmp_path):
    data = dip_arrays()
    acc = data["imu_acc"]
    clean = acc.copy()
    acc[10:13, 7] = np.nan          # 3-frame gap on the left lower arm (DIP index 7)
    acc[0:3, 10, 1] = np.nan        # NaNs at the very start of the right thigh, y only
    data["imu_acc"][5:30, 14] = np.nan  # a long gap on an unselected sensor is ignored
    path = write_pickle(tmp_path / "s_03" / "01.pkl", data)
    seq = load_dip(path, sensors="p4")
    assert seq.acc.shape == (T - 12, 3, 3) and seq.ori.shape == (T - 12, 3, 3, 3) and seq.poses.shape == (T - 12, 24, 3)
    assert seq.sensors == (7, 10, 0) and seq.sensor_names == ("left_lower_arm", "right_upper_leg", "head")
    assert seq.subject == "s_03" and seq.fps == 60.0 and seq.n_filled == 3 * 3 + 3
    kept = np.r_[6:10, 13:T - 6]  # untouched frames come through unchanged, shifted by the 6 trimmed ones
    np.testing.assert_array_equal(seq.acc[kept - 6, 0], clean[kept, 7])
    np.testing.assert_array_equal(seq.acc[:, 1], clean[6:T - 6, 10])
    # frame 10 took frame 9, frame 12 took frame 13, frame 11 took frame 10's new value (= frame 9)
    np.testing.assert_array_equal(seq.acc[10 - 6, 0], clean[9, 7])
    np.testing.assert_array_equal(seq.acc[11 - 6, 0], clean[9, 7])
    np.testing.assert_array_equal(seq.acc[12 - 6, 0], clean[13, 7])
    np.testing.assert_allclose(seq.poses.reshape(T - 12, 72), data["gt"][6:-6])
    clip = seq.to_clip()
    assert isinstance(clip, MotionClip) and clip.fps == 60.0 and np.all(clip.trans == 0)


def test_sensor_sets_and_names():
    assert resolve_sensors("dip6") == (7, 8, 11, 12, 0, 2)
    assert resolve_sensors(["head", 10]) == (0, 10)
    assert len(resolve_sensors("all")) == 17 and set(SENSOR_SETS) >= {"p4", "dip6", "imuposer", "all"}
    with pytest.raises(ValueError, match="unknown"):
        resolve_sensors("wrists")
    with pytest.raises(ValueError, match="index 0..16"):
        resolve_sensors([17])


def test_fill_closes_gaps_of_up_to_twice_the_passes():
    x = np.arange(20.0)
    x[5:13] = np.nan  # 8 frames: 4 passes x (1 forward + 1 backward)
    filled, n = fill_nan_from_neighbours(x, passes=4)
    assert n == 8 and np.isfinite(filled).all()
    np.testing.assert_array_equal(filled[5:9], 4.0)
    np.testing.assert_array_equal(filled[9:13], 13.0)
    x[5:14] = np.nan  # 9 frames: one stays
    assert np.isnan(fill_nan_from_neighbours(x, passes=4)[0]).sum() == 1


def test_a_gap_too_long_to_fill_rejects_the_recording(tmp_path):
    data = dip_arrays()
    data["imu_acc"][10:25, 0] = np.nan
    path = write_pickle(tmp_path / "s_09" / "02.pkl", data)
    with pytest.raises(DataFormatError, match="NaN") as err:
        load_dip(path)
    assert "02.pkl" in str(err.value) and "imu_acc" in str(err.value)
    assert load_dip(path, sensors=[7, 10]).n_frames == T - 12  # the head is not selected: fine


def test_python2_style_latin1_pickle_with_extra_keys(tmp_path):
    data = dip_arrays()
    data["imu_ori"] = data["imu_ori"].reshape(T, 17, 9)  # flattened matrices are accepted
    data["sop"] = np.zeros((T, 10))
    data[b"meta"] = "gr\xfc\xdfe"  # a byte-string key and a latin1 string, as Python 2 would write them
    path = write_pickle(tmp_path / "s_01" / "03.pkl", data, protocol=0)
    seq = load_dip(path, sensors="dip6")
    assert seq.ori.shape == (T - 12, 6, 3, 3)


@pytest.mark.parametrize("mutate,match", [
    (lambda d: d.pop("gt"), "\\['gt'\\] missing"),
    (lambda d: d.update(imu_acc=np.zeros((T, 17, 2))), "'imu_acc' has shape"),
    (lambda d: d.update(gt=np.zeros((T - 1, 72))), "'gt' has shape"),
    (lambda d: d.update(imu_ori=np.zeros((T, 16, 3, 3))), "'imu_ori' has shape"),
    (lambda d: d["gt"].__setitem__((20, 3), np.nan), "'gt' still has"),
])
def test_malformed_pickles_name_the_file_and_the_problem(tmp_path, mutate, match):
    data = dip_arrays()
    mutate(data)
    path = write_pickle(tmp_path / "s_02" / "bad.pkl", data)
    with pytest.raises(DataFormatError, match=match) as err:
        load_dip(path)
    assert "bad.pkl" in str(err.value)


def test_truncated_and_non_dict_pickles(tmp_path):
    good = write_pickle(tmp_path / "s_02" / "good.pkl", dip_arrays())
    cut = tmp_path / "s_02" / "cut.pkl"
    cut.write_bytes(good.read_bytes()[:1000])
    with pytest.raises(DataFormatError, match="cannot be unpickled"):
        load_dip(cut)
    listy = write_pickle(tmp_path / "s_02" / "list.pkl", [1, 2, 3])
    with pytest.raises(DataFormatError, match="expected a dict"):
        load_dip(listy)
    short = write_pickle(tmp_path / "s_02" / "short.pkl", dip_arrays(T=12))
    with pytest.raises(DataFormatError, match="12 frames"):
        load_dip(short)
    with pytest.raises(FileNotFoundError):
        load_dip(tmp_path / "s_02" / "missing.pkl")


def test_folder_loader_skips_bad_recordings_and_filters_subjects(tmp_path):
    write_pickle(tmp_path / "s_01" / "01.pkl", dip_arrays())
    write_pickle(tmp_path / "s_09" / "01.pkl", dip_arrays())
    bad = dip_arrays()
    bad["imu_acc"][:, 7] = np.nan
    write_pickle(tmp_path / "s_09" / "02.pkl", bad)
    assert [f.parent.name for f in find_dip_files(tmp_path, subjects=["s_09"])] == ["s_09", "s_09"]
    seqs, skipped = load_dip_folder(tmp_path)
    assert len(seqs) == 2 and len(skipped) == 1 and skipped[0][0].name == "02.pkl" and "NaN" in skipped[0][1]


def test_real_dip_files_when_present(shared_data):
    root = shared_data / "DIP_IMU"
    files = find_dip_files(root) if root.is_dir() else []
    if not files:
        pytest.skip(f"no DIP-IMU pickles under {root}: DIP-IMU is licensed (dip.is.tue.mpg.de) and not "
                    "redistributed in ../shared/data; put the unpacked DIP_IMU folder there to run this test")
    seqs, skipped = load_dip_folder(root, subjects=[files[0].parent.name])
    assert seqs, f"every recording of {files[0].parent.name} was rejected: {skipped}"
    for seq in seqs:
        det = np.linalg.det(seq.ori)
        np.testing.assert_allclose(det, 1.0, atol=1e-2)  # orientations are rotation matrices
        assert np.abs(seq.acc).max() < 200.0  # m/s^2, gravity-free: far below saturation
