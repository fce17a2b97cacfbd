"""Few-shot linear probing (lib.probe): sampling, shot limits, mean ± std over seeds."""

import numpy as np
import pytest

from lib.probe import (few_shot_curve, l2_normalise, linear_probe_curve, logistic_probe, sample_few_shot,
                       summarise, usable_shots)


def blobs(n_per_class=60, n_classes=4, dim=16, spread=0.6, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_classes, dim))
    y = np.repeat(np.arange(n_classes), n_per_class)
    return centres[y] + spread * rng.normal(size=(len(y), dim)), y


def test_sampling_takes_n_per_class_and_all_of_small_classes():
    labels = np.array([0] * 10 + [1] * 3)
    idx = sample_few_shot(labels, 5, np.random.default_rng(0))
    assert np.bincount(labels[idx]).tolist() == [5, 3]
    assert len(set(idx)) == len(idx)
    with pytest.raises(ValueError, match="n_per_class"):
        sample_few_shot(labels, 0, np.random.default_rng(0))


def test_usable_shots_stop_where_the_data_do():
    labels = np.array([0] * 30 + [1] * 12)
    assert usable_shots(labels) == [1, 2, 5, 10]
    with pytest.raises(ValueError, match="two classes"):
        usable_shots(np.zeros(5))


def test_probe_learns_separable_blobs_and_more_shots_help():
    x, y = blobs()
    tx, ty = blobs(seed=0)[0][::2], y[::2]
    curves = linear_probe_curve(x, y, tx + 0.0, ty, shots=(1, 20), seeds=(0, 1, 2), method="m")
    summary = summarise(curves)
    assert list(summary["n_seeds"]) == [3, 3]
    assert summary.loc[summary.shots == 20, "mean"].item() > 0.9
    assert summary.loc[summary.shots == 20, "mean"].item() >= summary.loc[summary.shots == 1, "mean"].item()


def test_mean_and_std_over_seeds_by_hand():
    # a fake fit_predict whose accuracy is decided by the seed: seed s gets the first s+1 of 4 test items right
    test = np.array([0, 1, 0, 1])

    def fit_predict(index, seed):
        pred = 1 - test
        pred[: seed + 1] = test[: seed + 1]
        return pred

    curves = few_shot_curve(np.array([0, 0, 1, 1]), test, fit_predict, shots=(1, 2), seeds=(0, 1, 2))
    row = summarise(curves).iloc[0]
    assert row["mean"] == pytest.approx(np.mean([0.25, 0.5, 0.75]))
    assert row["std"] == pytest.approx(np.std([0.25, 0.5, 0.75], ddof=1))


def test_same_seed_same_curve():
    x, y = blobs()
    a = linear_probe_curve(x, y, x, y, shots=(2, 5), seeds=(0, 1))
    b = linear_probe_curve(x, y, x, y, shots=(2, 5), seeds=(0, 1))
    assert a.equals(b)


def test_probe_is_scale_free_through_l2_normalisation():
    x, y = blobs()
    assert np.allclose(np.linalg.norm(l2_normalise(x), axis=1), 1.0)
    p1 = logistic_probe(x[::6], y[::6], x)
    p2 = logistic_probe(7 * x[::6], y[::6], x)
    assert np.array_equal(p1, p2)
    with pytest.raises(ValueError, match="differ in length"):
        linear_probe_curve(x, y[:-1], x, y)
