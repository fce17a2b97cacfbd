"""Figures of notebooks 40 and 41, drawn from results only, and :data:`REDRAW` (``python -m lib.figures``).

Notebook 40 (virtual-IMU synthesis): P4 Fig. 1-2 (wrist acceleration, walking vs running), Fig. 3-4
(clapping and waving as stick figures), a real CMU walk beside procedural ones, and the sim-to-real
sensor model. Their raw signals are not in the results JSON: the motions are regenerated from the
record's seed and parameters in seconds (:mod:`lib.virtual_har.synthesis`), the CMU walk read from the
shared data folder when it is there.

Notebook 41 (activity recognition): the §2.3 cleaning and up-sampling, Table 2 as bars, the fine-tuning
curve, the virtual-to-real gap, Fig. 5-6 (confusion matrices) and the beyond-the-paper panels, each
drawn by a ``*_figure(values)`` function from the ``values`` dict the notebook passes to ``run.finish``.
The corpora take minutes to build, so the plotted numbers themselves are in ``values``.

Every function draws on new axes (or the axes given) and returns the figure; saving and the
"synthetic data" stamp are the notebook's (``run.savefig``) or :mod:`lib.figures`' job.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lib.body.analysis import dominant_frequency, spectrum
from lib.body.draw import draw_clip
from lib.body.imu import IMUData
from lib.figures import AbsentDataWarning, MissingNumbersWarning
from lib.plots import PALETTE, figure_size, legend_outside
from lib.virtual_har import experiments as ex
from lib.virtual_har import gap
from lib.virtual_har import synthesis as syn
from lib.virtual_har.cleaning import STAGES
from lib.virtual_har.corpus import CMU_DESCRIPTIONS, REAL_CLASSES, VIRTUAL_CLASSES, VirtualSpec, virtual_clip

AXIS_LABELS = ("x", "y (up)", "z")
#: The synthetic-data stamps of the figures that show real CMU motion capture.
CMU_MOCAP_STAMP = "real CMU mocap; networks trained on synthetic data"


def cmu_walk_stamp(first: str) -> str:
    """The data stamp of notebook 40's CMU figure, naming the recording shown."""
    return f"real CMU mocap ({first}) beside synthetic walks"


# =========================================================================== notebook 40

def plot_site_acceleration(imu: IMUData, site: str, start_s: float = 0.0, seconds: float = 5.0, ax=None,
                           title: str | None = None, ylim: tuple | None = None, legend: bool = True):
    """The three acceleration axes (m/s²) of one sensor over ``seconds`` from ``start_s`` (P4 Fig. 1-2 style);
    ``legend``: name the axes beside the panel."""
    import matplotlib.pyplot as plt

    if site not in imu.sites:
        raise ValueError(f"site {site!r} is not in this IMUData; sites: {list(imu.sites)}")
    k = imu.sites.index(site)
    first = round(start_s * imu.fps)
    last = min(imu.n_frames, first + round(seconds * imu.fps))
    t = np.arange(first, last) / imu.fps
    if ax is None:
        _, ax = plt.subplots(figsize=figure_size("column", 3.0))
    for axis in range(3):
        ax.plot(t, imu.acc[first:last, k, axis], color=PALETTE[axis], lw=1.2, label=AXIS_LABELS[axis])
    frame = "world, gravity removed" if imu.acc_frame == "world" and not imu.gravity else f"{imu.acc_frame} frame"
    ax.set(xlabel="time (s)", ylabel=f"acceleration (m/s²)\n{frame}", title=title or site)
    if ylim is not None:
        ax.set_ylim(ylim)
    if legend:
        legend_outside(ax, "right", frameon=False)
    return ax.figure


def plot_real_vs_virtual(runs: Sequence[tuple[str, IMUData, slice]], site: str, seconds: float = 4.0,
                         axis: int = 1, band: tuple = (0.3, 10.0)):
    """Per run (label, imu, segment): a time trace of one axis of ``site`` (same axis limits for all)
    and the Welch spectra of the acceleration magnitude, dominant peaks marked."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=figure_size("wide", 3.4), gridspec_kw={"width_ratios": [1.6, 1]})
    peak_y = 0.0
    for n, (label, imu, segment) in enumerate(runs):
        k = imu.sites.index(site)
        acc = imu.acc[segment, k]
        show = acc[: int(seconds * imu.fps)]
        t = np.arange(len(show)) / imu.fps
        axes[0].plot(t, show[:, axis], color=PALETTE[n], lw=1.2, label=label)
        mag = np.linalg.norm(acc, axis=-1)
        f, p = spectrum(mag, imu.fps)
        keep = (f >= band[0]) & (f <= band[1])
        axes[1].plot(f[keep], p[keep], color=PALETTE[n], lw=1.2, label=label)
        fd = dominant_frequency(mag, imu.fps, band)
        axes[1].axvline(fd, color=PALETTE[n], ls=":", lw=1)
        peak_y = max(peak_y, p[keep].max())
    axes[0].set(xlabel="time in the walking segment (s)", ylabel=f"{site} acc. {AXIS_LABELS[axis]} (m/s²)",
                title=f"{site}: {AXIS_LABELS[axis]} axis, same sensor and frame")
    axes[1].set(xlabel="frequency (Hz)", ylabel="PSD of |a| ((m/s²)²/Hz)", title="spectrum (dotted: dominant peak)",
                xlim=band)
    axes[0].legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def fig12_figure(walk_imu: IMUData, run_imu: IMUData):
    """P4 Fig. 1-2: the left wrist's acceleration in seconds 2-6 of the walk and of the run, one y range."""
    import matplotlib.pyplot as plt

    lim = np.abs(run_imu.acc[:, 0]).max() * 1.05
    fig, axes = plt.subplots(1, 2, figsize=figure_size("page", 3.4), sharey=True)
    plot_site_acceleration(walk_imu, "left_wrist", 2.0, 4.0, ax=axes[0], title="Fig. 1 · walking (1.3 m/s)",
                           ylim=(-lim, lim), legend=False)
    plot_site_acceleration(run_imu, "left_wrist", 2.0, 4.0, ax=axes[1], title="Fig. 2 · running (3.5 m/s)",
                           ylim=(-lim, lim))
    fig.tight_layout()
    return fig


def fig34_figure(clap, wave, body):
    """P4 Fig. 3-4: eight poses of the clapping and of the waving clip as stick figures, seen from the front."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 1, figsize=figure_size("wide", 6.6))
    draw_clip(clap, body, n_poses=8, start_s=2.0, window_s=0.9, view="front", ax=axes[0], title="Fig. 3 · clapping")
    draw_clip(wave, body, n_poses=8, start_s=2.0, window_s=1.2, view="front", ax=axes[1], title="Fig. 4 · waving")
    fig.tight_layout()
    return fig


def sensor_model_figure(clean: IMUData, real_like: IMUData, site: str = "left_wrist"):
    """The vertical acceleration of ``site`` (m/s², seconds 2-6) clean and through a sensor model."""
    import matplotlib.pyplot as plt

    k = clean.sites.index(site)
    show = slice(120, min(360, len(clean.acc)))  # seconds 2-6, or 2 to the end of a shorter clip (clip_s ≥ 5)
    t = np.arange(show.start, show.stop) / 60.0
    fig, ax = plt.subplots(figsize=figure_size("wide", 3))
    ax.plot(t, clean.acc[show, k, 1], label="virtual (clean)")
    ax.plot(t, real_like.acc[show, k, 1], label="through the consumer-IMU model", alpha=0.8)
    ax.set(xlabel="time (s)", ylabel="left wrist, vertical (m/s²)",
           title="Sim-to-real: the same walk as a real sensor would record it")
    ax.legend(frameon=False)
    return fig


def redraw_40(record: dict) -> dict:
    """Notebook 40's figures from its results record: the motions regenerated from ``seed`` and ``clip_s``;
    the CMU figure only when the recording it showed is in the shared data folder."""
    seed, params = record["seed"], record["params"]
    motions = syn.fig12_motions(seed, params["clip_s"])
    clap, wave = syn.fig34_motions(seed, motions["person"])
    _, real_like = syn.sensor_model_reading(motions["walk_imu"], seed)
    figs = {"p4_fig1_fig2_wrist_acceleration_walk_run": fig12_figure(motions["walk_imu"], motions["run_imu"]),
            "p4_fig3_fig4_clapping_waving": fig34_figure(clap, wave, motions["body"])}
    stems = list(dict.fromkeys(row["recording"] for row in record["values"].get("cmu_vs_procedural", [])))
    if stems:
        path = syn.CMU_MOCAP_DIR / f"{stems[0]}.bvh"
        if path.is_file():
            runs = syn.recording_and_draws(0, path, seed, params.get("bvh_units", "auto"), n_draws=1)
            first, shown = syn.shown_walks({stems[0]: runs})
            figs["p4_beyond_cmu_walk_vs_procedural"] = (plot_real_vs_virtual(shown, "left_wrist", seconds=4.0, axis=1),
                                                        cmu_walk_stamp(first))
        else:
            warnings.warn(AbsentDataWarning(f"{path} is absent: p4_beyond_cmu_walk_vs_procedural is not redrawn",
                                            ["p4_beyond_cmu_walk_vs_procedural"]), stacklevel=2)
    figs["p4_beyond_sensor_model_effects"] = sensor_model_figure(motions["walk_imu"], real_like)
    return figs


# =========================================================================== notebook 41

def class_balance(classes, raw_counts, upsampled_counts, title: str = "virtual training windows per class"):
    """Bars of windows per class before and after interpolation up-sampling (§2.3)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figure_size("wide", 3.4))
    x = np.arange(len(classes))
    ax.bar(x - 0.2, raw_counts, 0.4, label="cut from the clips", color=PALETTE[0])
    ax.bar(x + 0.2, upsampled_counts, 0.4, label="after interpolation up-sampling", color=PALETTE[1])
    ax.set_xticks(x, classes, rotation=35, ha="right")
    ax.set(ylabel="windows", title=title)
    ax.legend()
    return fig


FILTER_CLASSES = ("walking", "running", "jumping", "standing")


def acceleration_filter_points(corpus, classes_to_show: Sequence[str] = FILTER_CLASSES) -> list[dict]:
    """One dict per class ("class"): the log wrist |a| peak (99th percentile, m/s²) and log variance of each
    clip the acceleration filter kept ("kept_peak", "kept_var") and removed ("removed_peak", "removed_var")."""
    described, stage, info = corpus.info["described_label"], corpus.info["stage"], corpus.info
    points = []
    for name in classes_to_show:
        k = corpus.classes.index(name)
        kept = (described == k) & (stage == 0)
        gone = (described == k) & (stage == STAGES.index("acceleration filter"))
        points.append({"class": name, "kept_peak": info["acc_peak_log"][kept], "kept_var": info["acc_var_log"][kept],
                       "removed_peak": info["acc_peak_log"][gone], "removed_var": info["acc_var_log"][gone]})
    return points


def acceleration_filter_scatter(points: list[dict]):
    """Wrist log-peak vs log-variance per clip (:func:`acceleration_filter_points`); removed clips marked ×."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figure_size("column", 4.2))
    for i, p in enumerate(points):
        name = p["class"]
        ax.scatter(p["kept_peak"], p["kept_var"], s=14, color=PALETTE[i], label=name, alpha=0.7)
        ax.scatter(p["removed_peak"], p["removed_var"], s=40, marker="x", color=PALETTE[i])
    ax.set(xlabel="log wrist |a| peak (99th pct, m/s²)", ylabel="log variance of wrist |a|",
           title="acceleration-based filtering (× = removed)")
    ax.legend(fontsize=8)
    return fig


def table2_bars(frame):
    """Accuracy of every Table 2 cell, ours (mean ± std) beside the paper's."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figure_size("wide", 4.0))
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

    fig, axes = plt.subplots(1, 2, figsize=figure_size("wide", 4.4))
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

    fig, ax = plt.subplots(figsize=figure_size("column", 3.8))
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
    fig, ax = plt.subplots(figsize=figure_size("column", 3.6))
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
    fig, ax = plt.subplots(figsize=figure_size("column", 3.8))
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
    fig, ax = plt.subplots(figsize=figure_size("wide", 0.8 + 0.7 * len(timelines)))
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


def window_acc_magnitudes(window: np.ndarray, n_sensors: int = 3) -> np.ndarray:
    """(S, T) acceleration magnitude (m/s²) of each sensor of one (T, 12·S) window (12 features per sensor)."""
    return np.stack([np.linalg.norm(window[:, 12 * s:12 * s + 3], axis=1) for s in range(n_sensors)])


def virtual_vs_real_window(virtual_mags, real_mags, sensors=("left_wrist", "right_thigh", "head"),
                           title: str = "one walking window, virtual vs real-sensor corpus"):
    """Acceleration magnitude of each sensor in a virtual and a real-sensor window: (S, T) each at 60 Hz
    (:func:`window_acc_magnitudes`)."""
    import matplotlib.pyplot as plt

    virtual_mags, real_mags = np.asarray(virtual_mags), np.asarray(real_mags)
    fig, axes = plt.subplots(1, len(sensors), figsize=figure_size("wide", 2.8), sharey=True)
    t = np.arange(virtual_mags.shape[1]) / 60.0
    for s, (ax, name) in enumerate(zip(np.atleast_1d(axes), sensors)):
        for mags, label, colour in ((virtual_mags, "virtual", PALETTE[0]), (real_mags, "real-sensor", PALETTE[1])):
            ax.plot(t, mags[s], color=colour, label=label)
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
    fig, ax = plt.subplots(figsize=figure_size("wide", 4.2))
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


def visual_check_selection(corpus) -> dict:
    """The clips of §2.3's visual check: up to two clips of one class that the pose check flagged (the class
    of the first flagged clip; else "stretching arms", else the most common kept class) and kept clips of
    that class, four in all. Returns {"class", "n_flagged", "n_kept", "clips": [{"subject", "clip_index",
    "kept"}]} with the kept clips first."""
    stage, described = corpus.info["stage"], corpus.info["described_label"]
    flagged = np.flatnonzero(stage == STAGES.index("pose check"))
    kept_all = np.flatnonzero((stage == 0) & (described >= 0))
    if len(flagged):
        show_class = int(described[flagged[0]])
    elif np.any(described[kept_all] == corpus.classes.index("stretching arms")):
        show_class = corpus.classes.index("stretching arms")
    else:  # a small corpus may lack both: show its most common kept class
        show_class = int(np.bincount(described[kept_all]).argmax())
    flagged = [m for m in flagged if described[m] == show_class][:2]
    kept = [m for m in np.flatnonzero((stage == 0) & (described == show_class))][:4 - len(flagged)]
    clips = [{"subject": int(corpus.subject[m]), "clip_index": int(corpus.info["clip_index"][m]), "kept": bool(stage[m] == 0)}
             for m in list(kept) + list(flagged)]
    return {"class": corpus.classes[show_class], "n_flagged": len(flagged), "n_kept": len(kept), "clips": clips}


def visual_check_figure(selection: dict, spec: VirtualSpec):
    """The clips of :func:`visual_check_selection` as stick figures, regenerated from the corpus's ``spec``."""
    import matplotlib.pyplot as plt

    n = len(selection["clips"])
    fig, axes = plt.subplots(n, 1, figsize=figure_size("wide", 2.3 * n))
    for ax, c in zip(np.atleast_1d(axes), selection["clips"]):
        clip, subject, desc, performed, _ = virtual_clip(spec, c["subject"], c["clip_index"])
        outcome = "kept" if c["kept"] else "removed by the pose check"
        draw_clip(clip, subject.skeleton(), n_poses=7, ax=ax, title=f"described '{desc}', performed {performed}: {outcome}")
    fig.tight_layout()
    return fig


def virtual_spec(seed: int, params: dict) -> VirtualSpec:
    """The virtual corpus's spec of a notebook-41 run (its ``n_subjects`` and ``clips_per_subject`` knobs)."""
    return VirtualSpec(n_subjects=params["n_subjects"], clips_per_subject=params["clips_per_subject"], seed=seed)


# --------------------------------------------------------------------------- notebook 41, from its values

def upsampling_figure(values: dict):
    """§2.3 up-sampling: ``values["class_balance"]`` {classes, cut, upsampled} as bars."""
    cb = values["class_balance"]
    return class_balance(cb["classes"], cb["cut"], cb["upsampled"])


def acceleration_filter_figure(values: dict):
    """§2.3 acceleration filter: ``values["acceleration_filter"]`` (:func:`acceleration_filter_points`)."""
    return acceleration_filter_scatter(values["acceleration_filter"])


def window_figure(values: dict):
    """§3.2: ``values["walking_windows"]`` {virtual, real}: (3, 60) |a| per sensor of one walking window each."""
    w = values["walking_windows"]
    return virtual_vs_real_window(w["virtual"], w["real"])


def table2_figure(values: dict):
    """Table 2 as bars from ``values["table2"]`` (records of :func:`lib.virtual_har.experiments.table2_frame`)."""
    return table2_bars(pd.DataFrame(values["table2"]))


def finetune_figure(values: dict):
    """§4.3: fine-tuning curves per method (``values["finetune_curves"]``), each beside its experiment-2
    accuracy (mean over seeds of ``values["cells"]``)."""
    methods = [m for m in ex.METHODS if m in values["finetune_curves"]]
    curves = {ex.METHOD_LABELS[m]: values["finetune_curves"][m] for m in methods}
    exp2 = {ex.METHOD_LABELS[m]: np.array([c["acc"] for c in values["cells"]
                                           if c["experiment"] == 2 and c["method"] == m]).mean() for m in methods}
    return finetune_curves(curves, exp2)


def gap_figure(values: dict):
    """The virtual-to-real gap and its parts from ``values["gap_parts"]`` (:func:`gap_ablation_figure`)."""
    return gap_ablation_figure(values["gap_parts"])


def confusion_figure(values: dict):
    """Fig. 5-6 from ``values["confusion_exp2_proposed"]`` and ``["confusion_exp3_proposed"]`` (counts summed
    over seeds) and ``["real_classes"]`` (default: the five DIP classes of P4)."""
    return confusion_pair(values["confusion_exp2_proposed"], values["confusion_exp3_proposed"],
                          values.get("real_classes", list(REAL_CLASSES)))


def sensor_ablation_figure(values: dict):
    """Which sensor matters: ``values["sensor_ablation"]`` rows (:func:`sensor_ablation_bars`)."""
    return sensor_ablation_bars(pd.DataFrame(values["sensor_ablation"])[["dropped", "exp2_acc", "exp3_acc"]])


def real_windows_figure(values: dict):
    """How many real windows fine-tuning needs: ``values["real_windows_curve"]`` rows (:func:`real_windows_curve`)."""
    return real_windows_curve(pd.DataFrame(values["real_windows_curve"]))


def cmu_mocap_figure(values: dict):
    """Real CMU clips classified window by window: ``values["cmu_timelines"]`` (one {clip, t_s, votes, pred}
    per clip, :func:`lib.virtual_har.experiments.mocap_timeline`) over ``values["virtual_classes"]``."""
    timelines = {t["clip"]: {k: np.asarray(t[k]) for k in ("t_s", "votes", "pred")} for t in values["cmu_timelines"]}
    return mocap_strips(timelines, values.get("virtual_classes", list(VIRTUAL_CLASSES)), CMU_DESCRIPTIONS)


#: Notebook 41's figures drawn from its values: name -> (function, the values keys it needs).
FIGURES_41 = {
    "p4_sec23_acceleration_filter": (acceleration_filter_figure, ("acceleration_filter",)),
    "p4_sec23_upsampling": (upsampling_figure, ("class_balance",)),
    "p4_sec32_virtual_vs_real_window": (window_figure, ("walking_windows",)),
    "p4_table2_accuracy": (table2_figure, ("table2",)),
    "p4_sec43_finetuning_curve": (finetune_figure, ("finetune_curves", "cells")),
    "p4_sec43_gap_ablation": (gap_figure, ("gap_parts",)),
    "p4_fig5_fig6_confusion": (confusion_figure, ("confusion_exp2_proposed", "confusion_exp3_proposed")),
    "p4_beyond_sensor_ablation": (sensor_ablation_figure, ("sensor_ablation",)),
    "p4_beyond_real_windows": (real_windows_figure, ("real_windows_curve",)),
    "p4_beyond_cmu_mocap": (cmu_mocap_figure, ("cmu_timelines",)),
}


def redraw_41(record: dict) -> dict:
    """Notebook 41's figures from its results record. The stick figures of the visual check are regenerated
    from the record's seed and knobs; a figure whose numbers the record lacks (a results file written before
    they were kept) is left out with a warning; one the run did not draw (no gap ablation on real DIP-IMU,
    no CMU clips) is left out silently."""
    values, figs, missing = record["values"], {}, []
    for name, (draw, keys) in FIGURES_41.items():
        if any(key not in values for key in keys):
            missing.append(name)
        elif all(len(values[key]) for key in keys):
            fig = draw(values)
            figs[name] = (fig, CMU_MOCAP_STAMP) if name == "p4_beyond_cmu_mocap" else fig
    if "visual_check" in values:
        figs["p4_sec23_visual_check"] = visual_check_figure(values["visual_check"],
                                                            virtual_spec(record["seed"], record["params"]))
    else:
        missing.append("p4_sec23_visual_check")
    if missing:
        warnings.warn(MissingNumbersWarning(f"41_virtual_imu_har: the results lack the numbers of {missing} (re-run "
                                            "the notebook to keep them); those figures are not redrawn"), stacklevel=2)
    return figs


REDRAW = {"40_virtual_imu_synthesis": redraw_40, "41_virtual_imu_har": redraw_41}
