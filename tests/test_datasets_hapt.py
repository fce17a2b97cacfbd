"""UCI HAPT raw loader: per-sample labels from labels.txt, windows, subject split, bad files, real data."""

from __future__ import annotations


import numpy as np
import pytest

from lib.datasets.errors import DataFormatError
from lib.params import SHARED_DATA
from lib.datasets.hapt import (UCI_HAR_TEST_SUBJECTS, hapt_windows, list_experiments, load_hapt, load_recording,
                               read_activity_labels, subject_split)



def write_signal(path, rows):
    path.write_text("\n".join(" ".join(repr(float(v)) for v in r) for r in rows) + "\n")


def make_hapt(root, n=600):
    """Two experiments (users 2 and 5) in the published layout."""
    raw = root / "RawData"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for exp, user in ((1, 2), (2, 5)):
        acc = rng.normal(scale=0.05, size=(n, 3)) + [1.0, 0.0, 0.0]
        write_signal(raw / f"acc_exp{exp:02d}_user{user:02d}.txt", acc)
        write_signal(raw / f"gyro_exp{exp:02d}_user{user:02d}.txt", rng.normal(scale=0.1, size=(n, 3)))
    (raw / "labels.txt").write_text("1 2 5 11 300\n1 2 7 301 350\n1 2 4 351 590\n2 5 1 1 600\n")
    (root / "activity_labels.txt").write_text("1 WALKING           \n4 SITTING\n5 STANDING\n7 STAND_TO_SIT\n")
    return root


def test_labels_are_one_based_inclusive_rows(tmp_path):
    root = make_hapt(tmp_path / "hapt")
    rec = load_recording(root, 1, 2)
    assert rec.acc.shape == rec.gyro.shape == (600, 3) and rec.signals.shape == (600, 6) and rec.fps == 50.0
    assert rec.labels[9] == 0 and rec.labels[10] == 5  # row 11 is index 10
    assert rec.labels[299] == 5 and rec.labels[300] == 7 and rec.labels[349] == 7 and rec.labels[350] == 4
    assert rec.labels[589] == 4 and (rec.labels[590:] == 0).all()
    assert load_recording(root, 2, 5).labels.min() == 1  # a segment covering every row, ending on the last one


def test_load_filters_and_activity_names(tmp_path):
    root = make_hapt(tmp_path / "hapt")
    assert list_experiments(root) == [(1, 2), (2, 5)]
    assert [r.user for r in load_hapt(root)] == [2, 5]
    assert [r.experiment for r in load_hapt(root, users=[5])] == [2]
    assert read_activity_labels(root)[1] == "WALKING"
    with pytest.raises(ValueError, match="no HAPT experiment"):
        load_hapt(root, users=[30])


def test_uci_har_windows_and_p2_windows(tmp_path):
    root = make_hapt(tmp_path / "hapt")
    recs = load_hapt(root)
    w = hapt_windows(recs, length=128, overlap=0.5)
    # exp 1: starts 0, 64, ..., 448 (8 windows); the first is mostly unlabelled (10 of 128 are label 0, 118 are 5)
    assert w.x.shape[1:] == (128, 6) and w.x.dtype == np.float32
    assert (w.start[w.experiment == 1] % 64 == 0).all() and (w.experiment == 1).sum() == 8
    assert (w.experiment == 2).sum() == 8 and (w.y[w.experiment == 2] == 1).all()
    np.testing.assert_allclose(w.x[w.experiment == 1][2], recs[0].signals[128:256], rtol=1e-6)
    pure = hapt_windows(recs, length=128, overlap=0.5, min_purity=1.0)
    assert pure.start[pure.experiment == 1].tolist() == [64, 128, 384, 448]  # no activity change inside
    p2 = hapt_windows(recs, length=250, step=125)
    assert p2.x.shape == (2 * 3, 250, 6)
    last = hapt_windows(recs, length=128, overlap=0.5, rule="last", drop_unlabelled=True)
    assert 0 not in last.y and len(last) == 16  # every window ends on a labelled sample (the last one, 575, is 4)
    assert last.y[last.experiment == 1].tolist() == [5, 5, 5, 7, 4, 4, 4, 4]


def test_subject_split_holds_out_uci_har_test_volunteers(tmp_path):
    w = hapt_windows(load_hapt(make_hapt(tmp_path / "hapt")), length=128)
    train, test = subject_split(w.user)
    assert set(w.user[test]) == {2} and set(w.user[train]) == {5} and not (train & test).any()
    assert w.subset(test).x.shape[0] == test.sum()
    assert UCI_HAR_TEST_SUBJECTS == (2, 4, 9, 10, 12, 13, 18, 20, 24)


def test_truncated_signal_file(tmp_path):
    root = make_hapt(tmp_path / "hapt")
    path = root / "RawData" / "acc_exp01_user02.txt"
    text = path.read_text()
    path.write_text(text[: len(text) // 2].rsplit(" ", 1)[0])  # cut mid-row
    with pytest.raises(DataFormatError, match="acc_exp01_user02.txt") as err:
        load_recording(root, 1, 2)
    assert "3 numbers per row" in str(err.value) or "truncated" in str(err.value)


def test_signal_files_of_different_lengths_and_labels_past_the_end(tmp_path):
    root = make_hapt(tmp_path / "hapt")
    gyro = root / "RawData" / "gyro_exp01_user02.txt"
    gyro.write_text("\n".join(gyro.read_text().splitlines()[:500]) + "\n")
    with pytest.raises(DataFormatError, match="500 rows but acc_exp01_user02.txt has 600"):
        load_recording(root, 1, 2)
    root2 = make_hapt(tmp_path / "hapt2")
    (root2 / "RawData" / "labels.txt").write_text("1 2 5 11 700\n")
    with pytest.raises(DataFormatError, match="ends at sample 700"):
        load_recording(root2, 1, 2)


@pytest.mark.parametrize("content,match", [
    ("1 2 5 11\n", "4 columns; expected 5"),
    ("1 2 5 300 11\n", "end < start"),
    ("1 2 five 11 300\n", "5 numbers per row"),
])
def test_bad_label_file(tmp_path, content, match):
    root = make_hapt(tmp_path / "hapt")
    (root / "RawData" / "labels.txt").write_text(content)
    with pytest.raises(DataFormatError, match=match) as err:
        load_hapt(root)
    assert "labels.txt" in str(err.value)


def test_nan_in_a_signal_and_a_missing_folder(tmp_path):
    root = make_hapt(tmp_path / "hapt")
    path = root / "RawData" / "gyro_exp02_user05.txt"
    lines = path.read_text().splitlines()
    lines[41] = "nan 0.0 0.0"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFormatError, match="NaN/inf in 1 row\\(s\\), first at row 42"):
        load_recording(root, 2, 5)
    with pytest.raises(FileNotFoundError, match="HAPT folder"):
        load_hapt(tmp_path / "nowhere")


# ------------------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def real_hapt():
    root = SHARED_DATA / "hapt"
    if not (root / "RawData" / "labels.txt").is_file():
        pytest.skip(f"real UCI HAPT data not found at {root} (present on developer machines and in CI)")
    return root, load_hapt(root)


def test_real_hapt_has_61_experiments_of_30_volunteers(real_hapt):
    root, recs = real_hapt
    assert len(recs) == 61 and len({r.user for r in recs}) == 30
    assert read_activity_labels(root)[12] == "LIE_TO_STAND"
    labelled = np.concatenate([r.labels for r in recs])
    assert set(np.unique(labelled)) == set(range(13))  # 0 = unlabelled + the 12 activities


def test_real_hapt_physics_gravity_when_still_and_motion_when_walking(real_hapt):
    _, recs = real_hapt
    acc = np.concatenate([r.acc for r in recs])
    gyro = np.concatenate([r.gyro for r in recs])
    labels = np.concatenate([r.labels for r in recs])
    norm = np.linalg.norm(acc, axis=1)
    still = np.isin(labels, [4, 5, 6])  # sitting, standing, lying
    assert 0.95 < np.median(norm[still]) < 1.05  # 1 g, in g units
    assert np.std(norm[labels == 1]) > 3 * np.std(norm[still])  # walking shakes the phone
    assert np.median(np.linalg.norm(gyro[still], axis=1)) < 0.1  # rad/s, nearly still


def test_real_hapt_windows_and_split(real_hapt):
    _, recs = real_hapt
    w = hapt_windows(recs, length=128, overlap=0.5, min_purity=1.0)
    train, test = subject_split(w.user)
    assert set(np.unique(w.user[test])) == set(UCI_HAR_TEST_SUBJECTS)
    assert not set(w.user[train]) & set(UCI_HAR_TEST_SUBJECTS)
    # UCI HAR has 10,299 windows of the 6 basic activities; pure windows of all 12 are of that order
    assert 8_000 < len(w) < 14_000 and 0.2 < test.mean() < 0.4
    p2 = hapt_windows(recs, length=250, step=125)
    assert p2.x.shape[1:] == (250, 6) and len(p2) > 3_000
