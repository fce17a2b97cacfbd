"""P4 corpora: shapes (N, 60, 36), labels and counts, the §2.3 cleaning, interpolation up-sampling, caching."""

from __future__ import annotations

import numpy as np
import pytest

from lib.virtual_har import cleaning
from lib.virtual_har.corpus import (REAL_CLASSES, VIRTUAL_CLASSES, RealSpec, VirtualSpec, build_real_corpus,
                                    build_virtual_corpus, cleaning_summary, load_dip_corpus, read_dip_labels,
                                    virtual_corpus)
from lib.virtual_har.sequences import SequenceCorpus, interpolated_windows, upsample
from lib.virtual_har.windows import WindowSet, subject_split

TINY_VIRTUAL = VirtualSpec(n_subjects=12, clips_per_subject=2.0, duration_s=(4.0, 6.0), seed=1)


@pytest.fixture(scope="module")
def virtual():
    return build_virtual_corpus(TINY_VIRTUAL)


@pytest.fixture(scope="module")
def real():
    return build_real_corpus(RealSpec(n_subjects=2, session_s=6.0, seed=1))


def test_virtual_windows_have_the_paper_shape(virtual):
    assert virtual.classes == VIRTUAL_CLASSES and len(VIRTUAL_CLASSES) == 12
    w = virtual.windows()
    assert w.x.shape[1:] == (60, 36) and w.x.dtype == np.float32
    assert len(w) == len(w.y) == len(w.groups) > 0
    # 50 % overlap: a clip of T frames gives 1 + (T - 60) // 30 windows
    kept = virtual.kept()
    assert len(w) == sum(1 + (virtual.lengths()[m] - 60) // 30 for m in kept if virtual.lengths()[m] >= 60)
    assert set(np.unique(w.y)) <= set(range(12))
    assert np.array_equal(np.bincount(w.y, minlength=12), w.counts())


def test_virtual_pool_contains_what_the_cleaning_removes(virtual):
    stage = virtual.info["stage"]
    assert virtual.n_clips >= 12
    assert np.all((virtual.label >= 0) == (stage == 0))
    summary = cleaning_summary(virtual)
    assert summary.loc["all clips", "clips"] == virtual.n_clips
    assert summary["clips"].iloc[:-1].sum() == virtual.n_clips


def test_same_spec_same_corpus(virtual):
    again = build_virtual_corpus(TINY_VIRTUAL)
    assert np.array_equal(again.frames, virtual.frames) and np.array_equal(again.label, virtual.label)


def test_posture_labelling_removes_boxing_and_fast_transitions():
    label, stage = cleaning.posture_labelling(["walk", "box", "walk stop run", "stretch arms"], VIRTUAL_CLASSES)
    assert label.tolist() == [0, -1, -1, VIRTUAL_CLASSES.index("stretching arms")]
    assert [cleaning.STAGES[s] for s in stage] == ["kept", "irrelevant motion", "fast transitions", "kept"]
    with pytest.raises(ValueError, match="description"):
        cleaning.posture_labelling(["moonwalk"], VIRTUAL_CLASSES)


def test_acceleration_filter_removes_an_outlier_of_its_class():
    walking = VIRTUAL_CLASSES.index("walking")
    rng = np.random.default_rng(0)
    stats = np.column_stack([rng.normal(2.0, 0.05, 20), rng.normal(1.0, 0.05, 20)])
    stats[7] = [3.5, 3.0]  # a "walk" clip with running-like wrist peaks
    label = np.full(20, walking)
    new_label, stage, z = cleaning.acceleration_filter(label, np.zeros(20, int), stats, VIRTUAL_CLASSES)
    assert new_label[7] == -1 and cleaning.STAGES[stage[7]] == "acceleration filter"
    assert (new_label[np.arange(20) != 7] == walking).all() and z[7] > 3.5


def test_real_corpus_has_five_balanced_classes_and_new_subjects(real, virtual):
    assert real.classes == REAL_CLASSES
    kept = real.label >= 0
    for s in np.unique(real.subject):  # every person has kept bouts of every class
        assert set(real.label[kept & (real.subject == s)]) == set(range(5))
    assert np.array_equal(np.bincount(real.info["session"][kept], minlength=5) > 0, np.ones(5, bool))
    assert not set(real.subjects()) & set(virtual.subjects())


def test_same_generator_real_corpus_leaves_rests_out(real):
    """Issue #17 item 3: standing rests between bouts are cut out (label -1), never under the session's class."""
    assert real.window_purity().min() == 1.0
    for m in np.flatnonzero(real.label < 0):
        assert not np.any(real.truth[real.bounds[m]:real.bounds[m + 1]] == real.info["session"][m])
    w = real.windows()
    assert w.x.shape[1:] == (60, 36) and np.isfinite(w.x).all()


def test_real_corpus_differs_from_its_clean_version():
    spec = RealSpec(n_subjects=2, session_s=6.0, seed=1)
    noisy = build_real_corpus(spec).frames
    clean = build_real_corpus(RealSpec(n_subjects=2, session_s=6.0, seed=1, sensor_effects=False)).frames
    assert noisy.shape == clean.shape and not np.allclose(noisy, clean)


def _toy_corpus():
    rng = np.random.default_rng(0)
    lengths = [200, 150, 90, 120]
    frames = rng.normal(size=(sum(lengths), 36)).astype(np.float32)
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    return SequenceCorpus(frames, bounds, label=[0, 0, 1, 1], subject=[0, 1, 2, 3], classes=("a", "b"))


def test_upsampling_balances_the_classes():
    corpus = _toy_corpus()
    base = corpus.windows()
    assert base.counts().tolist() == [5 + 4, 2 + 3]
    balanced = upsample(corpus, np.arange(4), np.random.default_rng(0), "max")
    assert balanced.counts().tolist() == [9, 9]
    assert np.array_equal(balanced.x[:len(base)], base.x)  # the real windows stay, new ones are appended
    assert set(balanced.groups[len(base):]) <= {2, 3}  # interpolated from the minority class's own subjects
    assert upsample(corpus, np.arange(4), np.random.default_rng(0), "none").counts().tolist() == [9, 5]
    with pytest.raises(ValueError, match="target"):
        upsample(corpus, np.arange(4), np.random.default_rng(0), "mean")


def test_interpolated_windows_start_at_fractional_times():
    # frames that count time (x[t] = t in every feature): an interpolated window at t0 reads t0, t0 + 1, ...
    lengths = [100, 80]
    frames = np.concatenate([np.arange(n, dtype=np.float32)[:, None].repeat(36, 1) for n in lengths])
    corpus = SequenceCorpus(frames, [0, 100, 180], label=[0, 1], subject=[5, 6], classes=("a", "b"))
    x, src = interpolated_windows(corpus, np.array([1]), 40, np.random.default_rng(1))
    assert x.shape == (40, 60, 36) and (src == 1).all()
    t0 = x[:, 0, 0]
    assert np.allclose(x[..., 0], t0[:, None] + np.arange(60), atol=1e-4)
    assert (t0 >= 0).all() and (t0 < 80 - 60).all() and np.mean(np.abs(t0 - np.round(t0)) > 1e-3) > 0.9


def test_subject_split_keeps_people_apart():
    groups = np.repeat(np.arange(10), 3)
    train, test = subject_split(groups, 0.3, np.random.default_rng(0))
    assert len(test) == 3 and len(train) == 7 and not set(train) & set(test)
    with pytest.raises(ValueError, match="test_fraction"):
        subject_split(groups, 1.5, np.random.default_rng(0))


def test_window_set_rejects_bad_shapes():
    with pytest.raises(ValueError, match="36"):
        WindowSet(np.zeros((2, 60, 30)), [0, 1], [0, 0], ("a", "b"))
    with pytest.raises(ValueError, match="labels"):
        WindowSet(np.zeros((2, 60, 36)), [0, 5], [0, 0], ("a", "b"))


def test_without_sensor_drops_twelve_features():
    w = WindowSet(np.arange(2 * 60 * 36, dtype=np.float32).reshape(2, 60, 36), [0, 1], [0, 0], ("a", "b"))
    d = w.without_sensor("right_thigh")
    assert d.x.shape == (2, 60, 24) and d.sensors == ("left_wrist", "head")
    assert np.array_equal(d.x[..., :12], w.x[..., :12]) and np.array_equal(d.x[..., 12:], w.x[..., 24:])


def test_corpus_cache_round_trip(tmp_path, virtual):
    first = virtual_corpus(TINY_VIRTUAL, cache_dir=tmp_path)
    assert np.array_equal(first.frames, virtual.frames)
    assert list(tmp_path.glob("p4_virtual_corpus/*.npz"))
    second = virtual_corpus(TINY_VIRTUAL, cache_dir=tmp_path)
    assert np.array_equal(second.info["stage"], virtual.info["stage"])


def test_dip_path_needs_the_label_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="p4_labels.csv"):
        load_dip_corpus(tmp_path)
    (tmp_path / "p4_labels.csv").write_text("file,class\ns_01/01.pkl,dancing\n")
    with pytest.raises(ValueError, match="dancing"):
        read_dip_labels(tmp_path / "p4_labels.csv")


def test_dip_pickles_become_36_features(tmp_path):
    import pickle

    rng = np.random.default_rng(0)
    T = 100
    for s, (name, cls) in enumerate((("s_01/01.pkl", "walking"), ("s_02/03.pkl", "jumping"))):
        path = tmp_path / "DIP_IMU" / name
        path.parent.mkdir(parents=True)
        ori = np.tile(np.eye(3), (T, 17, 1, 1))
        acc = rng.normal(size=(T, 17, 3))
        acc[10, 7] = np.nan  # a gap the loader fills
        with open(path, "wb") as handle:
            pickle.dump({"imu_ori": ori, "imu_acc": acc, "gt": np.zeros((T, 72))}, handle, protocol=2)
    (tmp_path / "p4_labels.csv").write_text("s_01/01.pkl,walking\ns_02/03.pkl,jumping\n")
    corpus = load_dip_corpus(tmp_path)
    assert corpus.classes == REAL_CLASSES and corpus.frames.shape == (2 * (T - 12), 36)
    assert corpus.label.tolist() == [REAL_CLASSES.index("walking"), REAL_CLASSES.index("jumping")]
    assert corpus.subject.tolist() == [1, 2]
    # per sensor: acc (3) then the rotation matrix (9); identity orientation -> entries 3, 7, 11 are 1
    assert np.allclose(corpus.frames[:, [3, 7, 11]], 1.0) and np.allclose(corpus.frames[:, [4, 5, 6]], 0.0)


def test_dip_holds_out_s09_and_s10_when_present(tmp_path):
    import pickle

    from lib.virtual_har.experiments import real_split

    T = 200
    files = {"s_01/01.pkl": "walking", "s_02/01.pkl": "walking", "s_09/01.pkl": "walking", "s_10/02.pkl": "jumping"}
    for name in files:
        path = tmp_path / "DIP_IMU" / name
        path.parent.mkdir(parents=True)
        with open(path, "wb") as handle:
            pickle.dump({"imu_ori": np.tile(np.eye(3), (T, 17, 1, 1)), "imu_acc": np.zeros((T, 17, 3)),
                         "gt": np.zeros((T, 72))}, handle, protocol=2)
    (tmp_path / "p4_labels.csv").write_text("".join(f"{k},{v}\n" for k, v in files.items()))
    corpus = load_dip_corpus(tmp_path)
    assert corpus.info["test_split"].tolist() == [False, False, True, True]
    for seed in (0, 1):  # the same held-out people for every seed
        train, test = real_split(corpus, seed)
        assert set(np.unique(train.groups)) == {1, 2} and set(np.unique(test.groups)) == {9, 10}
