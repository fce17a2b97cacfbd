"""Drawing helpers for the P2 notebooks: few-shot curves (Fig. 4–6), IMU windows, embedding maps."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb

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


def method_style(name: str, index: int = 0) -> tuple:
    """(colour, marker, label, line style) of a method or run label.

    A variant ``"<method>@<setting>"`` keeps its method's colour and marker, dashed; a partly aligned run
    (``"primus@10%"``) is that colour mixed with white by its aligned fraction f (weight 0.3 + 0.7 f), so
    the runs of Fig. 6 shade from light (10 %) to the full colour (100 %). Unknown names take the
    palette's ``index``-th colour."""
    base, _, setting = name.partition("@")
    if base not in STYLE:
        return PALETTE[index % len(PALETTE)], "o", name, "-"
    colour, marker, label = STYLE[base]
    if not setting:
        return colour, marker, label, "-"
    if setting.endswith("%"):
        weight = 0.3 + 0.7 * float(setting[:-1]) / 100
        colour = tuple(float(1 - weight * (1 - c)) for c in to_rgb(colour))
    return colour, marker, f"{label} ({setting})", "--"


def few_shot_axes(ax, summary, methods=None, title: str = "", chance: float | None = None, labels: dict | None = None):
    """Accuracy (mean ± std over seeds) vs labelled samples per class, log x, one line per method."""
    methods = methods or list(dict.fromkeys(summary["method"]))
    for i, name in enumerate(methods):
        part = summary[summary["method"] == name].sort_values("shots")
        if part.empty:
            continue
        colour, marker, label, line = method_style(name, i)
        label = (labels or {}).get(name, label)
        x, m, s = part["shots"].to_numpy(), 100 * part["mean"].to_numpy(), 100 * part["std"].to_numpy()
        ax.plot(x, m, marker=marker, color=colour, label=label, markersize=4, ls=line)
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


def convergence_figure(histories, runs=None, plateau_rule: str = ""):
    """Pretraining curves of every run: validation loss relative to epoch 1 (left) and the per-epoch
    few-shot probe accuracy (right) against epochs; thin lines are pretraining seeds, thick their mean over
    the epochs every seed trained (runs that trained on until they plateaued end at different epochs, and a
    mean over the seeds still training would jump where one stops). The legend sits right of the panels.

    histories: long frame of :func:`lib.primus.experiments.history_frame` (run, seed, epoch, val_loss,
    probe_acc).
    """
    import matplotlib.pyplot as plt

    import seaborn as sns

    runs = runs or list(dict.fromkeys(histories["run"]))
    colours = sns.color_palette("tab20", len(runs))  # one colour per run: the method styles share colours
    fig, (ax_loss, ax_probe) = plt.subplots(1, 2, figsize=(15, 4.4))
    fig.subplots_adjust(left=0.06, right=0.84, wspace=0.22)
    for i, name in enumerate(runs):
        part = histories[histories["run"] == name]
        colour, label = colours[i], method_style(name, i)[2]
        style = "--" if "@" in name else "-"
        rel = part.assign(rel_loss=part["val_loss"] / part.groupby("seed")["val_loss"].transform("first"))
        for column, ax, scale in (("rel_loss", ax_loss, 1.0), ("probe_acc", ax_probe, 100.0)):
            for _, seed_part in rel.groupby("seed"):
                ax.plot(seed_part["epoch"], scale * seed_part[column], color=colour, lw=0.6, alpha=0.4, ls=style)
            per_epoch = rel.groupby("epoch")[column].agg(["mean", "count"])
            mean = per_epoch.loc[per_epoch["count"] == rel["seed"].nunique(), "mean"]
            ax.plot(mean.index, scale * mean.to_numpy(), color=colour, lw=1.8, ls=style, label=label)
    ax_loss.set(xlabel="epoch", ylabel="validation loss / its value after epoch 1", title="pretraining loss")
    ax_probe.set(xlabel="epoch", ylabel="few-shot probe accuracy (%)",
                 title="probe after every epoch (EgoExo4D-like, 10 per class)")
    handles, names = ax_probe.get_legend_handles_labels()
    fig.legend(handles, names, loc="center left", bbox_to_anchor=(0.85, 0.5), fontsize=7, frameon=False)
    if plateau_rule:
        fig.text(0.01, 0.005, plateau_rule, fontsize=7, color="0.35")
    return fig
