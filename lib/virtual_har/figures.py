"""Figures of notebook 41: class balance, cleaning, Table 2 as bars, confusion matrices (Fig. 5-6),
fine-tuning curves and the beyond-paper panels. Each function draws on new axes and returns the figure."""

from __future__ import annotations

import numpy as np

from lib.plots import PALETTE
from lib.virtual_har import gap
from lib.virtual_har.cleaning import STAGES


def class_balance(classes, raw_counts, upsampled_counts, title: str = "virtual training windows per class"):
    """Bars of windows per class before and after interpolation up-sampling (§2.3)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.5, 3.4))
    x = np.arange(len(classes))
    ax.bar(x - 0.2, raw_counts, 0.4, label="cut from the clips", color=PALETTE[0])
    ax.bar(x + 0.2, upsampled_counts, 0.4, label="after interpolation up-sampling", color=PALETTE[1])
    ax.set_xticks(x, classes, rotation=35, ha="right")
    ax.set(ylabel="windows", title=title)
    ax.legend()
    return fig


def acceleration_filter_scatter(corpus, classes_to_show=("walking", "running", "jumping", "standing")):
    """Wrist log-peak vs log-variance per clip for a few categories; clips removed by step 2 marked ×."""
    import matplotlib.pyplot as plt


    fig, ax = plt.subplots(figsize=(6.2, 4.2))
    described = corpus.info["described_label"]
    stage = corpus.info["stage"]
    for i, name in enumerate(classes_to_show):
        k = corpus.classes.index(name)
        kept = (described == k) & (stage == 0)
        gone = (described == k) & (stage == STAGES.index("acceleration filter"))
        ax.scatter(corpus.info["acc_peak_log"][kept], corpus.info["acc_var_log"][kept], s=14, color=PALETTE[i],
                   label=name, alpha=0.7)
        ax.scatter(corpus.info["acc_peak_log"][gone], corpus.info["acc_var_log"][gone], s=40, marker="x",
                   color=PALETTE[i])
    ax.set(xlabel="log wrist |a| peak (99th pct, m/s²)", ylabel="log variance of wrist |a|",
           title="acceleration-based filtering (× = removed)")
    ax.legend(fontsize=8)
    return fig


def table2_bars(frame):
    """Accuracy of every Table 2 cell, ours (mean ± std) beside the paper's."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9.5, 4.0))
    labels = [f"exp {r.experiment}\n{r.method.replace(' method', '')}" for r in frame.itertuples()]
    x = np.arange(len(frame))
    ax.bar(x - 0.2, frame["paper acc %"], 0.4, color="0.75", label="paper")
    ax.bar(x + 0.2, frame["acc_mean"], 0.4, yerr=frame["acc_std"], color=PALETTE[0], capsize=3, label="ours")
    ax.set_xticks(x, labels, fontsize=8)
    ax.set(ylabel="accuracy (%)", ylim=(0, 100), title="Table 2: accuracy per experiment and method")
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig


def confusion_pair(cm_left, cm_right, classes, titles=("Fig. 5: experiment 2", "Fig. 6: experiment 3")):
    """Two row-normalised confusion matrices side by side (sklearn counts, seaborn heatmaps)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.4))
    for ax, cm, title in zip(axes, (cm_left, cm_right), titles):
        cm = np.asarray(cm, dtype=float)
        norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
        sns.heatmap(norm, annot=True, fmt=".2f", cmap="Blues", vmin=0, vmax=1, cbar=False, ax=ax,
                    xticklabels=classes, yticklabels=classes, annot_kws={"fontsize": 8})
        ax.set(xlabel="predicted", ylabel="true", title=title)
        ax.tick_params(axis="x", rotation=35)
        ax.tick_params(axis="y", rotation=0)
    fig.tight_layout()
    return fig


def finetune_curves(curves_by_method: dict, exp2_acc: dict | None = None):
    """Test accuracy vs fine-tuning epoch (mean ± std over seeds); epoch 0 = without fine-tuning."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for i, (method, curves) in enumerate(curves_by_method.items()):
        acc = 100 * np.array([[row["acc"] for row in c] for c in curves])
        epochs = [row["epoch"] for row in curves[0]]
        ax.plot(epochs, acc.mean(0), color=PALETTE[i], label=f"{method}: fine-tuned FC layers")
        ax.fill_between(epochs, acc.mean(0) - acc.std(0), acc.mean(0) + acc.std(0), color=PALETTE[i], alpha=0.2)
        if exp2_acc and method in exp2_acc:
            ax.axhline(100 * exp2_acc[method], color=PALETTE[i], ls="--", lw=1, label=f"{method}: trained on real only")
    ax.axhline(50, color="0.5", ls=":", lw=1)
    ax.axvline(20, color="0.5", ls=":", lw=1)
    ax.set(xlabel="fine-tuning epoch (0 = virtual-trained, not fine-tuned)", ylabel="real-sensor test accuracy (%)",
           ylim=(0, 100), title="fine-tuning on the real-sensor training split")
    ax.legend(fontsize=8, loc="lower right")
    return fig


def sensor_ablation_bars(frame):
    """Accuracy (mean ± std over seeds) with each sensor dropped, experiments 2 and 3."""
    import matplotlib.pyplot as plt

    agg = frame.groupby("dropped", sort=False).agg(["mean", "std"])
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    x = np.arange(len(agg))
    for i, (col, label) in enumerate((("exp2_acc", "real only (exp. 2)"), ("exp3_acc", "virtual + fine-tuning (exp. 3)"))):
        ax.bar(x + (i - 0.5) * 0.38, 100 * agg[(col, "mean")], 0.38, yerr=100 * agg[(col, "std")].fillna(0),
               color=PALETTE[i], capsize=3, label=label)
    ax.set_xticks(x, ["all three" if d == "none" else f"without {d}" for d in agg.index])
    ax.set(ylabel="real-sensor test accuracy (%)", ylim=(0, 100), title="which sensor placement matters")
    ax.legend(fontsize=8, loc="lower right")
    return fig


def real_windows_curve(frame):
    """Accuracy vs number of real training windows: fine-tuned vs trained from scratch."""
    import matplotlib.pyplot as plt

    agg = frame.groupby("requested").agg(["mean", "std"])
    n = agg[("n_windows", "mean")]
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for i, (col, label) in enumerate((("finetuned_acc", "virtual-trained + fine-tuned FC"),
                                      ("scratch_acc", "trained from scratch on real"))):
        m, s = 100 * agg[(col, "mean")], 100 * agg[(col, "std")].fillna(0)
        ax.plot(n, m, marker="o", color=PALETTE[i], label=label)
        ax.fill_between(n, m - s, m + s, color=PALETTE[i], alpha=0.2)
    ax.set_xscale("log")
    ax.set(xlabel="real training windows", ylabel="real-sensor test accuracy (%)", ylim=(0, 100),
           title="how many real windows fine-tuning needs")
    ax.legend(fontsize=8, loc="lower right")
    return fig


def mocap_strips(timelines: dict, classes, descriptions: dict | None = None):
    """One strip per real mocap clip: the class the virtual-trained networks give each 1-s window."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    colours = {k: PALETTE[k % len(PALETTE)] for k in range(len(classes))}
    fig, ax = plt.subplots(figsize=(8.5, 0.8 + 0.7 * len(timelines)))
    used = set()
    for row, (name, tl) in enumerate(timelines.items()):
        half = 0.25  # windows overlap by 50 %: draw each over its central 0.5 s
        for t, k, v in zip(tl["t_s"], tl["pred"], tl["votes"].max(1)):
            ax.barh(row, 2 * half, left=t - half, color=colours[int(k)], alpha=0.35 + 0.65 * v, height=0.6)
            used.add(int(k))
    ax.set_yticks(range(len(timelines)),
                  [f"{n}\n({descriptions[n]})" if descriptions and n in descriptions else n for n in timelines])
    ax.invert_yaxis()
    ax.set(xlabel="time (s)", title="real CMU mocap through the virtual pipeline, classified by the virtual-trained CNN")
    ax.grid(False)
    ax.legend(handles=[Patch(color=colours[k], label=classes[k]) for k in sorted(used)], fontsize=8,
              loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def virtual_vs_real_window(virtual_window, real_window, sensors=("left_wrist", "right_thigh", "head"),
                           title: str = "one walking window, virtual vs real-sensor corpus"):
    """Acceleration magnitude of each sensor in a virtual and a real-sensor window (60 frames)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(sensors), figsize=(10, 2.8), sharey=True)
    t = np.arange(virtual_window.shape[0]) / 60.0
    for s, (ax, name) in enumerate(zip(np.atleast_1d(axes), sensors)):
        for w, label, colour in ((virtual_window, "virtual", PALETTE[0]), (real_window, "real-sensor", PALETTE[1])):
            ax.plot(t, np.linalg.norm(w[:, 12 * s:12 * s + 3], axis=1), color=colour, label=label)
        ax.set(title=name, xlabel="time (s)")
    np.atleast_1d(axes)[0].set_ylabel("|a| (m/s²)")
    np.atleast_1d(axes)[0].legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def gap_ablation_figure(rows):
    """The virtual-to-real gap and its parts (:func:`lib.virtual_har.gap.gap_ablation` rows): accuracy of the
    virtual-trained CNN without fine-tuning on the virtual reference and at each cumulative step of the
    stand-in, 5-way (restricted to the real classes) and 12-way (plain answer); mean ± std over training
    seeds, one dot per seed, P4's "< 50 %" dashed."""
    import matplotlib.pyplot as plt
    import pandas as pd


    frame = pd.DataFrame(rows)
    present = list(dict.fromkeys(frame["step"]))
    order = [s for s in gap.ROW_ORDER if s in present] + [s for s in present if s not in gap.ROW_ORDER]
    fig, ax = plt.subplots(figsize=(9.0, 4.2))
    x = np.arange(len(order))
    jitter = np.random.default_rng(0)
    for i, (col, label, marker, shift) in enumerate((("acc_5way", "restricted to the 5 real classes", "o", -0.12),
                                                    ("acc_12way", "plain 12-way answer", "s", 0.12))):
        groups = [100 * frame.loc[frame["step"] == s, col].to_numpy() for s in order]
        mean = np.array([g.mean() for g in groups])
        std = np.array([g.std(ddof=1) if len(g) > 1 else 0.0 for g in groups])  # across training seeds
        style = {"color": PALETTE[i], "marker": marker, "ms": 7, "capsize": 3, "lw": 1.2,
                 "mfc": PALETTE[i] if marker == "o" else "white"}
        steps = np.array([s != gap.VIRTUAL_REFERENCE for s in order])  # the line joins the cumulative steps only
        ax.errorbar(x[steps] + shift, mean[steps], yerr=std[steps], label=f"{label} (mean ± std over seeds)", **style)
        ax.errorbar(x[~steps] + shift, mean[~steps], yerr=std[~steps], ls="none", **style)
        for k, g in enumerate(groups):
            ax.scatter(x[k] + shift + jitter.uniform(-0.05, 0.05, len(g)), g, s=10, color=PALETTE[i], alpha=0.5,
                       zorder=3)
    ax.axhline(100 * gap.PAPER_NO_FINETUNE_BOUND, color="0.3", ls="--", lw=1, label="P4 §4.3: < 50 % on DIP-IMU")
    if gap.VIRTUAL_REFERENCE in order:
        ax.axvline(order.index(gap.VIRTUAL_REFERENCE) + 0.5, color="0.6", ls=":", lw=1)
    names = ["virtual generator\n(its test people,\n5 real classes)" if s == gap.VIRTUAL_REFERENCE
             else s.replace(", drift", ",\ndrift").replace(" & ", " &\n") for s in order]
    if order and order[-1] == "+ sensor noise":
        names[-1] += "\n(= full stand-in)"
    ax.set_xticks(x, names, fontsize=8, rotation=25, ha="right")
    ax.set(ylabel="accuracy without fine-tuning (%)", ylim=(0, 100),
           title="the virtual-to-real gap, effects added one at a time (synthetic data: simulated stand-in)")
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig
