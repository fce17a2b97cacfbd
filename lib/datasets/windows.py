"""Sliding windows over time series, with a label per window.

Conventions of the field this helper covers:

* UCI HAR / HAPT: 2.56 s windows of 128 samples at 50 Hz with 50 % overlap (HAPT ``README.txt``);
* DeepConvLSTM (Ordóñez & Roggen 2016) and MARS: the window takes **the label of its last sample**
  (sussexwearlab/DeepConvLSTM, xspc/MARS-IEEE_IoT-HAR); 60-frame windows with step 30 for P4;
* PRIMUS / EgoExo4D: 5 s = 250 samples at 50 Hz (Nokia-Bell-Labs/pretrained-imu-encoders, ``get_imu_frames``).

Windows start at 0, step, 2·step, ...; a trailing remainder shorter than a window is dropped, so a
series of n samples gives ``1 + (n - length) // step`` windows (none when n < length).
Everything is a strided view (:func:`numpy.lib.stride_tricks.sliding_window_view`), no Python loop
over windows.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

LABEL_RULES = ("last", "majority", "first", "centre")


def resolve_step(length: int, step: int | None = None, overlap: float | None = None) -> int:
    """The hop in samples from either ``step`` or ``overlap`` (fraction of ``length`` shared by
    consecutive windows, 0 <= overlap < 1). Neither given: 50 % overlap (UCI HAR convention)."""
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 1:
        raise ValueError(f"window length={length!r} must be a positive integer number of samples")
    if step is not None and overlap is not None:
        raise ValueError(f"give either step={step!r} or overlap={overlap!r}, not both")
    if step is not None:
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 1:
            raise ValueError(f"window step={step!r} must be a positive integer number of samples")
        return int(step)
    if overlap is None:
        overlap = 0.5
    if not (isinstance(overlap, (int, float, np.floating)) and 0.0 <= float(overlap) < 1.0):
        raise ValueError(f"window overlap={overlap!r} must be a fraction in [0, 1), e.g. 0.5 for 50 %")
    return max(1, int(round(length * (1.0 - float(overlap)))))


def n_windows(n: int, length: int, step: int) -> int:
    """How many full windows of ``length`` with hop ``step`` fit in ``n`` samples."""
    return 0 if n < length else 1 + (n - length) // step


def window_starts(n: int, length: int, step: int | None = None, overlap: float | None = None) -> np.ndarray:
    """(N,) int start index of every window."""
    step = resolve_step(length, step, overlap)
    return np.arange(n_windows(n, length, step)) * step


def sliding_windows(x: np.ndarray, length: int, step: int | None = None, overlap: float | None = None,
                    axis: int = 0) -> np.ndarray:
    """Windows along ``axis`` as a read-only strided view.

    x: (..., n, ...) with time on ``axis``; returns (N, ..., length, ...): the new leading axis
    indexes windows and ``axis`` (shifted by one) now has ``length`` samples. For the usual
    (n, C) input this is (N, length, C). Copy it (``np.array(view)``) before writing into it.
    """
    x = np.asarray(x)
    if x.ndim == 0:
        raise ValueError("sliding_windows needs an array with a time axis; got a scalar")
    axis = axis % x.ndim
    step = resolve_step(length, step, overlap)
    n = x.shape[axis]
    count = n_windows(n, length, step)
    if count == 0:
        shape = list(x.shape)
        shape[axis] = length
        return np.empty((0, *shape), dtype=x.dtype)
    view = sliding_window_view(x, length, axis=axis)[(slice(None),) * axis + (slice(None, None, step),)]
    # view: (..., N, ..., length) -> (N, ..., length, ...)
    view = np.moveaxis(view, -1, axis + 1)
    return np.moveaxis(view, axis, 0)


def window_labels(labels: np.ndarray, length: int, step: int | None = None, overlap: float | None = None,
                  rule: str = "last") -> np.ndarray:
    """(N,) one label per window of the (n,) per-sample ``labels``.

    rule: "last" (DeepConvLSTM/MARS), "first", "centre" (sample ``length // 2``), or "majority"
    (most frequent label in the window; ties go to the smallest label value).
    """
    return _labels_and_purity(labels, length, resolve_step(length, step, overlap), rule)[0]


def _labels_and_purity(labels: np.ndarray, length: int, step: int, rule: str) -> tuple[np.ndarray, np.ndarray]:
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be a 1-D array with one label per sample; got shape {labels.shape}")
    if rule not in LABEL_RULES:
        raise ValueError(f"label rule={rule!r} is unknown; use one of {LABEL_RULES}")
    win = sliding_windows(labels, length, step)  # (N, length)
    if win.shape[0] == 0:
        return np.empty(0, dtype=labels.dtype), np.empty(0)
    if rule == "majority":
        values, codes = np.unique(labels, return_inverse=True)
        k = len(values)
        code_win = sliding_windows(codes.reshape(-1), length, step)
        flat = code_win + k * np.arange(code_win.shape[0])[:, None]
        counts = np.bincount(flat.ravel(), minlength=code_win.shape[0] * k).reshape(-1, k)
        best = counts.argmax(axis=1)  # first maximum = smallest label value among ties
        return values[best], counts[np.arange(len(best)), best] / length
    pick = {"last": length - 1, "first": 0, "centre": length // 2}[rule]
    chosen = win[:, pick]
    return chosen, (win == chosen[:, None]).mean(axis=1)


class Windows(NamedTuple):
    """Windows cut from one or more series.

    x:     (N, length, C) samples
    y:     (N,) window labels
    start: (N,) start index of each window in its series
    """

    x: np.ndarray
    y: np.ndarray
    start: np.ndarray


def make_windows(x: np.ndarray, labels: np.ndarray, length: int, step: int | None = None,
                 overlap: float | None = None, rule: str = "last", min_purity: float = 0.0,
                 drop_labels: Iterable = ()) -> Windows:
    """Cut ``x`` (n, C) with per-sample ``labels`` (n,) into labelled windows.

    rule:        how a window gets its label (see :func:`window_labels`)
    min_purity:  keep only windows where at least this fraction of samples carries the window's
                 label (1.0 = no activity boundary inside the window, UCI HAR style)
    drop_labels: labels whose windows are dropped, e.g. (0,) for "unlabelled"
    returns      :class:`Windows` (x copied, so it is writable)
    """
    x = np.asarray(x)
    labels = np.asarray(labels)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2:
        raise ValueError(f"x must have shape (n_samples, n_channels); got {x.shape}")
    if labels.shape != (x.shape[0],):
        raise ValueError(f"labels must have shape ({x.shape[0]},) to match x {x.shape}; got {labels.shape}")
    if not 0.0 <= min_purity <= 1.0:
        raise ValueError(f"min_purity={min_purity!r} must be a fraction in [0, 1]")
    step = resolve_step(length, step, overlap)
    y, purity = _labels_and_purity(labels, length, step, rule)
    starts = np.arange(len(y)) * step
    keep = purity >= min_purity - 1e-12
    drop = list(drop_labels)
    if drop:
        keep &= ~np.isin(y, drop)
    xw = sliding_windows(x, length, step)[keep]  # fancy indexing copies
    return Windows(np.ascontiguousarray(xw), y[keep], starts[keep])
