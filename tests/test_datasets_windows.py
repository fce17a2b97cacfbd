"""Sliding windows: counts, contents, label rules and edge cases (lib.datasets.windows)."""

from __future__ import annotations

import numpy as np
import pytest

from lib.datasets.windows import (make_windows, n_windows, resolve_step, sliding_windows, window_labels,
                                  window_starts)


def naive_windows(x, length, step):
    return np.array([x[s:s + length] for s in range(0, len(x) - length + 1, step)])


@pytest.mark.parametrize("n,length,step", [(1000, 128, 64), (1000, 250, 125), (129, 128, 64), (128, 128, 1), (300, 60, 30)])
def test_windows_match_a_plain_loop(n, length, step):
    x = np.random.default_rng(0).normal(size=(n, 6))
    w = sliding_windows(x, length, step=step)
    ref = naive_windows(x, length, step)
    assert w.shape == ref.shape == (n_windows(n, length, step), length, 6)
    np.testing.assert_array_equal(w, ref)
    np.testing.assert_array_equal(window_starts(n, length, step=step), np.arange(len(ref)) * step)


def test_uci_har_overlap_gives_step_64_and_the_window_count():
    assert resolve_step(128, overlap=0.5) == 64
    assert resolve_step(128) == 64  # default 50 %
    assert resolve_step(250, overlap=0.0) == 250
    assert resolve_step(60, overlap=0.75) == 15
    assert n_windows(20598, 128, 64) == 1 + (20598 - 128) // 64


def test_series_shorter_than_a_window_gives_zero_windows_with_the_right_shape():
    w = sliding_windows(np.zeros((50, 3)), 128, step=64)
    assert w.shape == (0, 128, 3)
    out = make_windows(np.zeros((50, 3)), np.zeros(50, int), 128)
    assert out.x.shape == (0, 128, 3) and out.y.shape == (0,)


def test_windows_are_a_read_only_view_but_make_windows_copies():
    x = np.arange(40.0).reshape(20, 2)
    w = sliding_windows(x, 5, step=5)
    assert np.shares_memory(w, x) and not w.flags.writeable
    out = make_windows(x, np.zeros(20, int), 5, step=5)
    assert not np.shares_memory(out.x, x)
    out.x[0, 0, 0] = -1.0
    assert x[0, 0] == 0.0


def test_windows_along_another_axis():
    x = np.random.default_rng(1).normal(size=(3, 100, 6))  # (sequences, time, channels)
    w = sliding_windows(x, 10, step=10, axis=1)
    assert w.shape == (10, 3, 10, 6)
    np.testing.assert_array_equal(w[4], x[:, 40:50])


def test_label_rules():
    labels = np.array([1, 1, 1, 2, 2, 3, 3, 3, 3, 2])
    assert window_labels(labels, 5, step=5, rule="last").tolist() == [2, 2]
    assert window_labels(labels, 5, step=5, rule="first").tolist() == [1, 3]
    assert window_labels(labels, 5, step=5, rule="centre").tolist() == [1, 3]
    assert window_labels(labels, 5, step=5, rule="majority").tolist() == [1, 3]


def test_majority_tie_goes_to_the_smallest_label_and_matches_a_loop():
    labels = np.array([7, 7, 3, 3])
    assert window_labels(labels, 4, step=4, rule="majority").tolist() == [3]
    rng = np.random.default_rng(2)
    labels = rng.integers(0, 5, size=500)
    got = window_labels(labels, 25, step=7, rule="majority")
    ref = [np.bincount(labels[s:s + 25], minlength=5).argmax() for s in range(0, 500 - 25 + 1, 7)]
    assert got.tolist() == ref


def test_purity_filter_and_dropped_labels():
    x = np.arange(12.0)[:, None]
    labels = np.array([0, 0, 0, 0, 5, 5, 5, 5, 5, 6, 6, 6])
    pure = make_windows(x, labels, 4, step=4, rule="majority", min_purity=1.0)
    assert pure.y.tolist() == [0, 5] and pure.start.tolist() == [0, 4]
    labelled = make_windows(x, labels, 4, step=4, rule="majority", drop_labels=(0,))
    assert labelled.y.tolist() == [5, 6] and labelled.start.tolist() == [4, 8]
    np.testing.assert_array_equal(labelled.x[1, :, 0], [8, 9, 10, 11])


@pytest.mark.parametrize("kwargs,match", [
    (dict(length=0), "length"), (dict(length=10, step=0), "step"), (dict(length=10, overlap=1.0), "overlap"),
    (dict(length=10, step=5, overlap=0.5), "either"), (dict(length=2.5), "length"),
])
def test_bad_window_parameters_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sliding_windows(np.zeros(100), **kwargs)


def test_bad_label_inputs_are_named():
    with pytest.raises(ValueError, match="rule"):
        window_labels(np.zeros(10, int), 5, rule="mode")
    with pytest.raises(ValueError, match="labels must have shape"):
        make_windows(np.zeros((10, 2)), np.zeros(9, int), 5)
    with pytest.raises(ValueError, match="min_purity"):
        make_windows(np.zeros((10, 2)), np.zeros(10, int), 5, min_purity=1.5)
