"""Drawing helpers for the P2 notebooks: few-shot curves (Fig. 4–6), IMU windows, embedding maps."""

from __future__ import annotations

import numpy as np

from lib.plots import PALETTE

#: One colour and marker per method, the same in every P2 figure.
STYLE = {
    "primus": (PALETTE[0], "o", "PRIMUS"),
    "simclr": (PALETTE[1], "s", "SimCLR"),
    "imu2clip": (PALETTE[2], "^", "IMU2CLIP"),
    "multitask_ssl": (PALETTE[3], "D", "MultitaskSSL"),
    "standard": (PALETTE[7], "x", "Standard training"),
    "ss": (PALETTE[1], "s", "SS"),
    "nn": (PALETTE[3], "v", "NN"),
    "ss_mm": (PALETTE[4], "P", "SS+MM"),
    "mm_nn": (PALETTE[5], "X", "MM+NN"),
    "ss_nn": (PALETTE[6], "d", "SS+NN"),
    "random": (PALETTE[8], ".", "random encoder"),
}


def method_style(name: str, index: int = 0) -> tuple[str, str, str]:
    return STYLE.get(name, (PALETTE[index % len(PALETTE)], "o", name))


def few_shot_axes(ax, summary, methods=None, title: str = "", chance: float | None = None, labels: dict | None = None):
    """Accuracy (mean ± std over seeds) vs labelled samples per class, log x, one line per method."""
    methods = methods or list(dict.fromkeys(summary["method"]))
    for i, name in enumerate(methods):
        part = summary[summary["method"] == name].sort_values("shots")
        if part.empty:
            continue
        colour, marker, label = method_style(name, i)
        label = (labels or {}).get(name, label)
        x, m, s = part["shots"].to_numpy(), 100 * part["mean"].to_numpy(), 100 * part["std"].to_numpy()
        ax.plot(x, m, marker=marker, color=colour, label=label, markersize=4)
        ax.fill_between(x, m - s, m + s, color=colour, alpha=0.15, linewidth=0)
    if chance is not None:
        ax.axhline(100 * chance, color="0.5", linestyle=":", linewidth=1)
    ax.set_xscale("log")
    ax.set(xlabel="labelled samples per class", ylabel="test accuracy (%)", title=title)
    return ax


def imu_window_axes(ax_acc, ax_gyro, window: np.ndarray, fps: float = 50.0, title: str = ""):
    """Plot one (6, T) window: acc xyz (m/s²) and gyro xyz (rad/s) against time."""
    t = np.arange(window.shape[1]) / fps
    for c, axis in enumerate("xyz"):
        ax_acc.plot(t, window[c], color=PALETTE[c], linewidth=1, label=axis)
        ax_gyro.plot(t, window[3 + c], color=PALETTE[c], linewidth=1, label=axis)
    ax_acc.set(ylabel="acc (m/s²)", title=title)
    ax_gyro.set(ylabel="gyro (rad/s)", xlabel="time (s)")


def scenario_similarity(emb: np.ndarray, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """(C, C) mean cosine similarity between the embeddings of scenario i and scenario j."""
    emb = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    centroid_sum = np.stack([emb[labels == k].sum(0) for k in range(n_classes)])
    counts = np.bincount(labels, minlength=n_classes).astype(float)
    sims = centroid_sum @ centroid_sum.T
    # exclude self-pairs on the diagonal
    diag = np.array([(np.linalg.norm(centroid_sum[k]) ** 2 - counts[k]) / max(counts[k] * (counts[k] - 1), 1)
                     for k in range(n_classes)])
    out = sims / np.maximum(np.outer(counts, counts), 1)
    out[np.diag_indices(n_classes)] = diag
    return out
