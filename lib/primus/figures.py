"""The figures of notebooks 20–24, drawn from their results dictionaries; :data:`REDRAW` redraws them.

Each notebook draws its figures with these functions on the ``values`` it passes to ``run.finish``, so
``python -m lib.figures <notebook>`` (:mod:`lib.figures`) redraws the committed figures from
``results/<notebook>.json`` in seconds, without pretraining. Notebook 20's take and device figures show
raw simulator output: they are regenerated from the world of the record's seed (a few seconds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.colors import to_rgb

from lib.body.draw import draw_clip
from lib.plots import PALETTE, figure_size, legend_outside
from lib.primus.convergence import LOSS_TOLERANCE, PROBE_TOLERANCE
from lib.primus.experiments import make_world_config
from lib.primus.scenarios import PRETRAINING, TASKS
from lib.primus.spec import FIG4, FIG5, FIG5_LABELS, FIG6_LABELS
from lib.primus.world import World

if TYPE_CHECKING:
    import matplotlib.pyplot as plt
    import pandas as pd

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
    fig, (ax_loss, ax_probe) = plt.subplots(1, 2, figsize=figure_size("page", 4.4))
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


# --------------------------------------------------------------------------- notebook 20: the world

def world_take_figure(world, seed: int):
    """A 'cook' take of ``world`` (:class:`lib.primus.world.World`): stick figures over its first 5-s window
    and that window's head IMU (acc m/s², gyro rad/s). Returns (figure, recording, example windows)."""
    import matplotlib.pyplot as plt

    recording, example = world.example_take("cook", n_windows=2, seed=seed)
    start = example["start"][0] / 50.0
    fig = plt.figure(figsize=figure_size("wide", 6.2))
    grid = fig.add_gridspec(3, 1, height_ratios=[1.4, 1, 1])
    draw_clip(recording.clip, recording.skeleton, n_poses=7, start_s=start, window_s=5.0, view="side",
              ax=fig.add_subplot(grid[0]), title=f"a 'cook' take, window 1: \"{example['narration'][0]}\"")
    imu_window_axes(fig.add_subplot(grid[1]), fig.add_subplot(grid[2]), example["imu"][0])
    fig.axes[1].legend(ncol=3, loc="upper right")
    return fig, recording, example


def embedding_similarity_figure(similarity: dict, names) -> plt.Figure:
    """Heat maps of the (C, C) mean cosine similarity between scenarios' embeddings, one per modality.

    similarity: {"video": C x C nested lists, "text": ...} (:func:`lib.primus.experiments.scenario_similarities`);
    names: the C scenario names."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=figure_size("wide", 4.4))
    for ax, key in zip(axes, ("video", "text")):
        sims = np.asarray(similarity[key])
        im = ax.imshow(sims, vmin=0, vmax=1, cmap="viridis")
        ax.set(xticks=range(len(names)), yticks=range(len(names)), title=f"{key} embeddings")
        ax.set_xticklabels(names, rotation=60, ha="right")
        ax.set_yticklabels(names if key == "video" else [])
        ax.grid(False)
        for i in range(len(names)):
            ax.text(i, i, f"{sims[i, i]:.2f}", ha="center", va="center", fontsize=7, color="w")
    fig.colorbar(im, ax=axes, shrink=0.8, label="mean cosine similarity")
    return fig


def imu_by_scenario_figure(traces: dict, names, fps: float = 50.0) -> plt.Figure:
    """One window per scenario: |specific force| (m/s²) and 5 × |angular rate| (rad/s) against time (s).

    traces: {"acc": [C windows of T magnitudes], "gyro": [...]} (:func:`lib.primus.experiments.imu_magnitudes`)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 4, figsize=figure_size("page", 4.6), sharex=True, sharey=True)
    for k, ax in enumerate(axes.ravel()):
        acc, gyro = np.asarray(traces["acc"][k]), np.asarray(traces["gyro"][k])
        t = np.arange(len(acc)) / fps
        ax.plot(t, acc, lw=1, label="|acc| (m/s²)")
        ax.plot(t, 5 * gyro, lw=1, label="5 × |gyro| (rad/s)")
        ax.set_title(names[k], fontsize=9)
    axes[0, 0].legend(fontsize=7)
    for ax in axes[1]:
        ax.set_xlabel("time (s)")
    return fig


def world_devices_figure(world, seed: int) -> plt.Figure:
    """The same walking bout through the glasses and the head-strapped phone (REALWORLD-like task's device)."""
    import matplotlib.pyplot as plt

    titles = {"glasses": "glasses (research-grade IMU)", "head_phone": "head phone (Android frame, MPU-6500-class IMU)"}
    fig, axes = plt.subplots(2, 2, figsize=figure_size("wide", 4.6), sharex=True)
    for col, dev in enumerate(("glasses", "head_phone")):
        _, walk = world.example_take("walking", n_windows=1, device=dev, task=TASKS["realworld"], seed=seed)
        imu_window_axes(axes[0, col], axes[1, col], walk["imu"][0], title=titles[dev])
    axes[0, 0].legend(ncol=3, fontsize=7)
    return fig


def redraw_world(record: dict) -> dict:
    """Notebook 20's figures: the take and the two devices regenerated from the world of the record's seed and
    ``n_pretrain`` (seconds), the similarity maps and IMU magnitudes from its values (when it has them: a real
    corpus without scenario labels has neither)."""
    values, seed = record["values"], record["seed"]
    world = World(make_world_config(record["mode"], seed, record["params"]["n_pretrain"]))
    figures = {"p2_world_take": world_take_figure(world, seed)[0]}
    if "embedding_similarity" in values:
        figures["p2_world_embedding_similarity"] = embedding_similarity_figure(values["embedding_similarity"],
                                                                               PRETRAINING.class_names)
    if "imu_by_scenario" in values:
        figures["p2_world_imu_by_scenario"] = imu_by_scenario_figure(values["imu_by_scenario"], PRETRAINING.class_names)
    figures["p2_world_devices"] = world_devices_figure(world, seed)
    return figures


# --------------------------------------------------------------------------- notebook 21: pretraining

def plateau_rule_text(n_seeds: int, source: str) -> str:
    """The footnote of the convergence figure: the plateau rule's tolerances, the seeds and the corpus."""
    return (f"plateau: last third's mean probe ≤ best before + {PROBE_TOLERANCE:g} point, best val loss ≥ best before − "
            f"{100 * LOSS_TOLERANCE:g} %; {n_seeds} pretraining seed(s), {source}")


def pretraining_convergence_figure(values: dict, n_seeds: int, source: str) -> plt.Figure:
    """:func:`convergence_figure` of ``values["histories"]`` (records: run, seed, epoch, train_loss, val_loss,
    probe_acc) with the plateau rule as its footnote."""
    import pandas as pd

    return convergence_figure(pd.DataFrame(values["histories"]), plateau_rule=plateau_rule_text(n_seeds, source))


def retrieval_table(values: dict):
    """``values["retrieval"]`` as a DataFrame, one row per run (and the random encoder): n, video/text R@1, R@10."""
    import pandas as pd

    return pd.DataFrame(values["retrieval"]).set_index("index").rename_axis(None)


def pretraining_retrieval_figure(values: dict, n_seeds: int) -> plt.Figure:
    """Bars of IMU → video / text recall@1 and @10 (%) per run on the held-out segments, R@10's chance dotted."""
    import matplotlib.pyplot as plt

    ret = retrieval_table(values)
    n = int(ret["n"].iloc[0])
    fig, ax = plt.subplots(figsize=figure_size("wide", 3.6))
    (100 * ret[["video_R@1", "video_R@10", "text_R@1", "text_R@10"]]).plot.bar(ax=ax, width=0.8)
    ax.axhline(100 * 10 * (1.0 / ret["n"].iloc[0]), color="0.4", ls=":", lw=1, label="R@10 chance")
    ax.set(ylabel="recall (%)", title=f"IMU → video / text retrieval on {n} held-out segments "
           f"(mean of {n_seeds} pretraining seed(s))")
    ax.legend(fontsize=7, ncol=5)
    return fig


def redraw_pretraining(record: dict) -> dict:
    """Notebook 21's figures from its results record."""
    values, n_seeds = record["values"], record["params"]["n_seeds"]
    return {"p2_pretraining_convergence": pretraining_convergence_figure(values, n_seeds, record["data"]),
            "p2_pretraining_retrieval": pretraining_retrieval_figure(values, n_seeds)}


# --------------------------------------------------------------------------- notebooks 22-24: Fig. 4-6

#: The data stamp of the HAPT panel (pretrained on simulated data, probed on real data).
HAPT_STAMP = "pretrained on synthetic data; probed on real UCI HAPT"


def summary_frame(records) -> pd.DataFrame:
    """A few-shot summary (method, shots, mean, std, n_seeds; accuracy as a fraction) from its records."""
    import pandas as pd

    return pd.DataFrame(records)


def few_shot_panels(summary: dict, methods, labels: dict | None = None, legend: dict | None = None):
    """One :func:`few_shot_axes` panel per task of Table I, in its order: (figure, axes); the legend right of
    the last panel (``legend``: its keyword arguments).

    summary: {task name: summary records} (``values["summary"]`` of notebooks 22–24)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=figure_size("page", 4.2))
    for ax, name in zip(axes, [t for t in TASKS if t in summary]):
        few_shot_axes(ax, summary_frame(summary[name]), methods=list(methods), title=f"{TASKS[name].mirrors}-like",
                      chance=1 / len(TASKS[name].classes), labels=labels)
    legend_outside(axes[-1], "right", **(legend or {}))
    return fig, axes


def fig4_figure(values: dict, n_seeds: int) -> plt.Figure:
    """Fig. 4: few-shot accuracy of PRIMUS, the baselines and standard training on the three tasks."""
    fig, _ = few_shot_panels(values["summary"], list(FIG4) + ["standard"], legend={"fontsize": 8})
    fig.suptitle(f"bands: ± 1 sd across {n_seeds} pretraining seed(s)", fontsize=8, y=1.0, va="bottom")
    return fig


def hapt_figure(values: dict) -> plt.Figure:
    """The real-data panel of notebook 22: the Fig. 4 encoders probed on UCI HAPT (six classes)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figure_size("column", 4))
    few_shot_axes(ax, summary_frame(values["hapt"]), methods=list(FIG4) + ["standard"],
                  title="UCI HAPT (real, waist phone)", chance=1 / 6)
    legend_outside(ax, "right", fontsize=8)
    return fig


def redraw_few_shot(record: dict) -> dict:
    """Notebook 22's figures from its results record (the HAPT panel when the run had HAPT)."""
    values = record["values"]
    figures = {"p2_fig4_few_shot": fig4_figure(values, record["params"]["n_seeds"])}
    if values.get("hapt") is not None:
        figures["p2_fig4_hapt"] = (hapt_figure(values), HAPT_STAMP)
    return figures


def fig5_figure(values: dict) -> plt.Figure:
    """Fig. 5: few-shot accuracy of every combination of the SS, MM and NN terms on the three tasks."""
    return few_shot_panels(values["summary"], FIG5, FIG5_LABELS, legend={"fontsize": 7, "ncol": 2})[0]


def fig6_figure(values: dict) -> plt.Figure:
    """Fig. 6: few-shot accuracy of PRIMUS at every aligned fraction, IMU2CLIP and the 10 % control."""
    return few_shot_panels(values["summary"], FIG6_LABELS, FIG6_LABELS, legend={"fontsize": 7})[0]


#: notebook -> its redraw function (:mod:`lib.figures`).
REDRAW = {
    "20_primus_world": redraw_world,
    "21_primus_pretraining": redraw_pretraining,
    "22_primus_few_shot": redraw_few_shot,
    "23_primus_ablations": lambda record: {"p2_fig5_ablations": fig5_figure(record["values"])},
    "24_primus_aligned_fraction": lambda record: {"p2_fig6_aligned_fraction": fig6_figure(record["values"])},
}
