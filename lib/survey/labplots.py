"""Figures of the transfer lab: accuracy vs labelled target windows, and one window seen three ways."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lib.plots import PALETTE
from lib.survey.lab import CONTRASTIVE, DIFFERENT, EARLY, FEATURE, FUSION, INSPIRED_BY, INSTANCE, LATE, METHODS, \
    SHARED, TARGET_ONLY

STYLE = {TARGET_ONLY: ("black", "o", "-"), INSTANCE: (PALETTE[1], "s", "-"), SHARED: (PALETTE[0], "^", "-"),
         DIFFERENT: (PALETTE[2], "v", "-"), CONTRASTIVE: (PALETTE[4], "D", "-"), EARLY: (PALETTE[3], "o", "--"),
         FEATURE: (PALETTE[5], "s", "--"), LATE: (PALETTE[7], "^", "--")}


def plot_accuracy_vs_labels(scores: pd.DataFrame, chance: float, references: dict[str, float] | None = None,
                            figsize: tuple = (9.5, 5.2)):
    """Mean ± std (over seeds) test accuracy vs labelled target windows per class, one line per method.

    scores: rows (method, k, seed, accuracy); fusion methods (tested with IMU + pose) are dashed.
    references: horizontal lines, label -> accuracy (e.g. the label-rich source pose model)."""
    fig, ax = plt.subplots(figsize=figsize)
    stats = scores.groupby(["method", "k"])["accuracy"].agg(["mean", "std"]).reset_index()
    for method in [m for m in METHODS if m in set(stats["method"])]:
        part = stats[stats["method"] == method].sort_values("k")
        colour, marker, line = STYLE[method]
        label = f"{method} ({INSPIRED_BY[method]})" + (", IMU + pose at test" if method in FUSION else "")
        ax.errorbar(part["k"], part["mean"], yerr=part["std"].fillna(0), color=colour, marker=marker,
                    linestyle=line, capsize=3, markersize=5, linewidth=2.2 if method == TARGET_ONLY else 1.5,
                    label=label)
    ax.axhline(chance, color="0.5", linestyle=":", linewidth=1)
    ax.text(0.02, chance, " chance", transform=ax.get_yaxis_transform(), va="bottom", fontsize=8, color="0.4")
    for i, (label, value) in enumerate((references or {}).items()):
        ax.axhline(value, color=PALETTE[9 - i], linestyle="-.", linewidth=1)
        ax.text(0.02, value, " " + label, transform=ax.get_yaxis_transform(), va="bottom", fontsize=8,
                color=PALETTE[9 - i])
    ks = sorted(stats["k"].unique())
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xticks(ks, [str(k) for k in ks])
    ax.set_xlim(min(ks) - 0.15, max(ks) * 1.15)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("labelled target (IMU) windows per class")
    ax.set_ylabel("test accuracy")
    ax.set_title("Cross-modal transfer vs target-only training and sensor fusion")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=8.5)
    fig.tight_layout()
    return fig


def plot_window_views(window: dict, fps: float, activity: str, figsize: tuple = (10, 5.2)):
    """One window's wrist and thigh readings as the real sensor, the virtual IMU from the estimated
    pose, and the virtual IMU from the true motion: |specific force| and |angular rate| (magnitudes do
    not depend on the unobservable twist about the bone)."""
    t = np.arange(window["imu"].shape[1]) / fps
    fig, axes = plt.subplots(2, 2, figsize=figsize, sharex=True)
    views = (("imu", "real IMU (sensor model)", "black", 1.6), ("virtual", "virtual, from estimated pose", PALETTE[1], 1.3),
             ("virtual_clean", "virtual, from true motion", PALETTE[0], 1.1))
    for row, (sensor, name) in enumerate(((0, "left wrist"), (1, "right thigh"))):
        for col, (part, unit, title) in enumerate(((0, "m/s²", "|specific force|"), (3, "rad/s", "|angular rate|"))):
            ax = axes[row, col]
            for key, label, colour, width in views:
                x = window[key][6 * sensor + part:6 * sensor + part + 3]
                ax.plot(t, np.linalg.norm(x, axis=0), color=colour, linewidth=width, label=label)
            ax.set_title(f"{name}: {title}", fontsize=10)
            ax.set_ylabel(unit)
    for ax in axes[1]:
        ax.set_xlabel("time (s)")
    axes[0, 0].legend(fontsize=8, frameon=False)
    fig.suptitle(f"One '{activity}' window seen by the real sensor and by video → IMU", fontsize=11)
    fig.tight_layout()
    return fig
