"""Every figure of P3's notebooks, drawn from the survey's tables (30) or from a results dict (31).

Notebook 30 (the survey's own figures, drawn from ``lib/survey/data/*.csv``; nothing trained):

* :func:`draw_task_map` — Fig. 1: human-motion tasks placed by time scale and abstraction
  (positions from ``motion_tasks.csv``, i.e. the order Section 2.2's text gives);
* :func:`draw_fusion_vs_transfer` — Fig. 2: early / feature / late sensor fusion vs cross-modal
  transfer, with Section 3.1's comparison underneath;
* :func:`draw_instance_vs_feature` — Fig. 3: instance-based transfer (h = f ∘ g, or g⁻¹ to curate
  target data) vs feature-based transfer (aligned latent spaces), Section 4;
* :func:`draw_works_timeline` — the reviewed works by category and year (``works.csv``).

Notebook 31 (the transfer lab), from the ``values`` dict the notebook passes to ``run.finish``:

* :func:`plot_window_views` — one test window as the real IMU and the two virtual IMUs;
* :func:`plot_lab_accuracy` / :func:`plot_accuracy_vs_labels` — accuracy vs labelled target windows.

:data:`REDRAW` maps each notebook to the function that redraws all its saved figures from its results
record (``python -m lib.figures 31_survey_transfer_lab``). The diagram primitives are :func:`box` and
:func:`arrow`.
"""

from __future__ import annotations

import textwrap
from itertools import pairwise

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from lib.plots import PALETTE, figure_size
from lib.survey import lab, tables
from lib.survey.tables import cite

SOURCE = PALETTE[0]  # video / source modality
TARGET = PALETTE[1]  # IMU / target modality
MODEL = "#f2f2f2"
LABEL = PALETTE[2]
STATUS_COLOURS = {"mature": PALETTE[2], "extensively addressed": PALETTE[0], "open": PALETTE[3], "": PALETTE[7]}


def box(ax, x: float, y: float, text: str, *, w: float = 1.6, h: float = 0.6, colour: str = MODEL,
        text_colour: str = "black", fontsize: float = 10, alpha: float = 1.0, bold: bool = False) -> tuple:
    """A rounded box centred at (x, y) in data units; returns its (left, right, bottom, top)."""
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.12",
                                facecolor=colour, edgecolor="0.25", linewidth=1.0, alpha=alpha, zorder=2))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color=text_colour, zorder=3,
            fontweight="bold" if bold else "normal")
    return (x - w / 2, x + w / 2, y - h / 2, y + h / 2)


def arrow(ax, start: tuple, end: tuple, *, text: str | None = None, colour: str = "0.2", style: str = "-|>",
          dashed: bool = False, rad: float = 0.0, fontsize: float = 9, text_offset: tuple = (0.0, 0.15)) -> None:
    """An arrow from ``start`` to ``end`` (data units), optionally labelled at its midpoint."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=14, color=colour, linewidth=1.3,
                                 linestyle="--" if dashed else "-", connectionstyle=f"arc3,rad={rad}", zorder=1,
                                 shrinkA=2, shrinkB=2))
    if text:
        ax.text((start[0] + end[0]) / 2 + text_offset[0], (start[1] + end[1]) / 2 + text_offset[1], text,
                ha="center", va="bottom", fontsize=fontsize, color=colour, zorder=3)


def _canvas(ax, xlim: tuple, ylim: tuple) -> None:
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")


# --------------------------------------------------------------------------- Fig. 1

def _spread(tasks: pd.DataFrame, step: float = 0.5) -> pd.DataFrame:
    """Tasks sharing one (time, abstraction) cell are spread vertically around it."""
    out = tasks.copy()
    out["x"] = out["time_rank"].astype(float)
    out["y"] = out["abstraction_rank"].astype(float)
    for _, group in out.groupby(["time_rank", "abstraction_rank"]):
        if len(group) > 1:
            offsets = (pd.RangeIndex(len(group)) - (len(group) - 1) / 2) * step
            out.loc[group.index, "y"] += list(offsets)
    return out


def draw_task_map(tasks: pd.DataFrame, figsize: tuple = figure_size("wide", 6.2)):
    """Fig. 1: each task at (time-scale rank, abstraction rank); an edge joins each task to those one
    abstraction level up (Section 2.2's chain from precise single-image tasks to abstract long-term
    ones); tasks inside the survey's scope (multimodal action and activity recognition) are outlined."""
    pos = _spread(tasks)
    w, h = 0.86, 0.42
    fig, ax = plt.subplots(figsize=figsize)
    levels = sorted(pos["abstraction_rank"].unique())
    for lower, upper in pairwise(levels):
        for a in pos[pos["abstraction_rank"] == lower].itertuples():
            for b in pos[pos["abstraction_rank"] == upper].itertuples():
                arrow(ax, (a.x, a.y + h / 2), (b.x, b.y - h / 2), colour="0.65")
    pos["label"] = [textwrap.fill(task, 19) for task in pos["task"]]
    pos["h"] = [0.16 + 0.13 * (label.count("\n") + 1) for label in pos["label"]]
    for row in pos.itertuples():
        colour = STATUS_COLOURS.get(row.status, STATUS_COLOURS[""])
        box(ax, row.x, row.y, row.label, w=w, h=row.h, colour=colour, text_colour="white", fontsize=8.5, alpha=0.92)
    scope = pos[pos["in_review_scope"]]
    for row in scope.itertuples():
        hh = row.h
        ax.add_patch(FancyBboxPatch((row.x - w / 2 - 0.04, row.y - hh / 2 - 0.05), w + 0.08, hh + 0.1,
                                    boxstyle="round,pad=0.02,rounding_size=0.14", facecolor="none",
                                    edgecolor=PALETTE[9], linewidth=2.5, zorder=4))
    ticks = pos.drop_duplicates("time_rank").sort_values("time_rank")
    ax.set_xticks(ticks["x"], [textwrap.fill(t, 18) for t in ticks["time_scale"]])
    ax.set_yticks(levels, ["precise"] + [""] * (len(levels) - 2) + ["abstract"])
    ax.set_xlim(pos["x"].min() - 0.6, pos["x"].max() + 0.6)
    ax.set_ylim(pos["y"].min() - 0.6, pos["y"].max() + 0.6)
    ax.set_xlabel("time scale of the task →")
    ax.set_ylabel("abstraction / coarseness →")
    ax.grid(False)
    handles = [plt.Line2D([], [], marker="s", linestyle="", markersize=10, color=c, label=s or "not stated")
               for s, c in STATUS_COLOURS.items() if s in set(pos["status"])]
    handles.append(plt.Line2D([], [], marker="s", linestyle="", markersize=10, markerfacecolor="none",
                              markeredgecolor=PALETTE[9], markeredgewidth=2.5, label="scope of the survey"))
    ax.legend(handles=handles, title="research status (survey §2.2)", loc="upper left", frameon=False)
    ax.set_title("Human-motion tasks by time scale and abstraction (survey Fig. 1)")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- Fig. 2

def _fusion_row(ax, y: float, kind: str) -> None:
    """One fusion pipeline (video + IMU -> label) whose merge point depends on ``kind``."""
    box(ax, 0.9, y + 0.45, "video", w=1.1, h=0.45, colour=SOURCE, text_colour="white")
    box(ax, 0.9, y - 0.45, "IMU", w=1.1, h=0.45, colour=TARGET, text_colour="white")
    if kind == "early":
        box(ax, 2.6, y, "concat\nraw data", w=1.2, h=0.75)
        arrow(ax, (1.45, y + 0.45), (2.0, y + 0.1))
        arrow(ax, (1.45, y - 0.45), (2.0, y - 0.1))
        box(ax, 4.3, y, "model", w=1.2, h=0.6)
        arrow(ax, (3.2, y), (3.7, y))
        last = 4.9
    elif kind == "feature":
        box(ax, 2.3, y + 0.45, "encoder", w=1.0, h=0.42)
        box(ax, 2.3, y - 0.45, "encoder", w=1.0, h=0.42)
        arrow(ax, (1.45, y + 0.45), (1.8, y + 0.45))
        arrow(ax, (1.45, y - 0.45), (1.8, y - 0.45))
        box(ax, 3.6, y, "concat\nfeatures", w=1.0, h=0.75)
        arrow(ax, (2.8, y + 0.45), (3.1, y + 0.12))
        arrow(ax, (2.8, y - 0.45), (3.1, y - 0.12))
        box(ax, 4.65, y, "head", w=0.7, h=0.5)
        arrow(ax, (4.1, y), (4.3, y))
        last = 5.0
    else:
        box(ax, 2.5, y + 0.45, "model", w=1.0, h=0.42)
        box(ax, 2.5, y - 0.45, "model", w=1.0, h=0.42)
        arrow(ax, (1.45, y + 0.45), (2.0, y + 0.45))
        arrow(ax, (1.45, y - 0.45), (2.0, y - 0.45))
        box(ax, 4.2, y, "combine\ndecisions", w=1.3, h=0.75)
        arrow(ax, (3.0, y + 0.45), (3.55, y + 0.12), text="ŷ₁", text_offset=(0, 0.05))
        arrow(ax, (3.0, y - 0.45), (3.55, y - 0.12), text="ŷ₂", text_offset=(0, -0.3))
        last = 4.85
    box(ax, 5.75, y, "ŷ", w=0.5, h=0.45, colour=LABEL, text_colour="white", bold=True)
    arrow(ax, (last, y), (5.5, y))


def draw_fusion_vs_transfer(figsize: tuple = figure_size("page", 7.2)):
    """Fig. 2: three fusion levels (Section 3.1, [31, 32, 18]) beside cross-modal transfer, and the
    survey's comparison of the two below them."""
    fig = plt.figure(figsize=figsize)
    ax = fig.add_axes([0.0, 0.26, 1.0, 0.70])
    _canvas(ax, (-0.4, 13.2), (-0.6, 6.4))
    ax.text(2.9, 6.15, "Sensor fusion", ha="center", fontsize=13, fontweight="bold")
    ax.text(9.6, 6.15, "Cross-modal transfer", ha="center", fontsize=13, fontweight="bold")
    for y, kind, title in ((4.9, "early", "early (data-level)"), (2.7, "feature", "feature-level (intermediate)"),
                           (0.5, "late", "late (decision-level)")):
        ax.text(-0.35, y + 0.95, title, fontsize=10, style="italic", color="0.3")
        _fusion_row(ax, y, kind)
    ax.plot([6.6, 6.6], [-0.5, 6.2], color="0.7", linewidth=1)
    # cross-modal: 1) train on labelled source, 2) transfer, 3) infer from the target alone
    ax.text(7.0, 5.45, "① train on the labelled source modality", fontsize=10, color="0.3")
    box(ax, 7.8, 4.8, "video\n+ labels", w=1.3, h=0.7, colour=SOURCE, text_colour="white")
    box(ax, 9.8, 4.8, "video model f", w=1.6, h=0.6)
    box(ax, 11.8, 4.8, "ŷ", w=0.5, h=0.45, colour=LABEL, text_colour="white", bold=True)
    arrow(ax, (8.45, 4.8), (9.0, 4.8))
    arrow(ax, (10.6, 4.8), (11.55, 4.8))
    ax.text(7.0, 3.55, "② transfer to the target", fontsize=10, color="0.3")
    box(ax, 7.8, 2.9, "IMU\n(few labels)", w=1.5, h=0.7, colour=TARGET, text_colour="white")
    box(ax, 9.8, 2.9, "IMU model h", w=1.6, h=0.6)
    arrow(ax, (9.8, 4.5), (9.8, 3.2), text="instances\nor features", colour=PALETTE[4], text_offset=(0.75, -0.3))
    arrow(ax, (8.55, 2.9), (9.0, 2.9))
    ax.text(7.0, 1.55, "③ inference with the target modality only", fontsize=10, color="0.3")
    box(ax, 7.8, 0.9, "IMU", w=1.1, h=0.45, colour=TARGET, text_colour="white")
    box(ax, 9.8, 0.9, "IMU model h", w=1.6, h=0.6)
    box(ax, 11.8, 0.9, "ŷ", w=0.5, h=0.45, colour=LABEL, text_colour="white", bold=True)
    arrow(ax, (8.35, 0.9), (9.0, 0.9))
    arrow(ax, (10.6, 0.9), (11.55, 0.9))
    table = fig.add_axes([0.03, 0.0, 0.94, 0.25])
    table.axis("off")
    rows = [["at inference", "every modality (usually)", "one modality at a time"],
            ["labels", "collect and label all modalities", "assumes one sensor has limited labelled data"],
            ["system", "fixed sensor set", "modular: easy to add or remove sensors"],
            ["accuracy", "may perform better: uses all sensors jointly", "bounded by what the source model learnt (§6)"],
            ["transfer learning?", "no", "yes (a type of transfer learning)"]]
    tab = table.table(cellText=rows, colLabels=["", "sensor fusion", "cross-modal transfer"], loc="center",
                      cellLoc="left", colWidths=[0.16, 0.4, 0.44])
    tab.auto_set_font_size(False)
    tab.set_fontsize(9.5)
    tab.scale(1, 1.3)
    for (r, c), cell in tab.get_celld().items():
        cell.set_edgecolor("0.8")
        if r == 0 or c == 0:
            cell.set_text_props(fontweight="bold")
    return fig


# --------------------------------------------------------------------------- Fig. 3

def draw_instance_vs_feature(figsize: tuple = figure_size("page", 6.4)):
    """Fig. 3: instance-based transfer maps target inputs to source inputs (h = f ∘ g), or source to
    target (g⁻¹) to curate labelled target data; feature-based transfer aligns latent spaces Z^S, Z^T.
    Y = Y^S = Y^T (Section 4: only the input spaces differ)."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=figsize, gridspec_kw={"hspace": 0.08})
    _canvas(top, (-0.3, 13.3), (-0.4, 3.0))
    _canvas(bottom, (-0.3, 13.3), (-0.6, 3.0))
    top.text(-0.2, 2.7, "Instance-based transfer (§4.1)", fontsize=13, fontweight="bold")
    box(top, 1.0, 1.6, r"$X^T$" + "\nIMU", w=1.2, h=0.8, colour=TARGET, text_colour="white")
    box(top, 3.4, 1.6, r"$g: X^T \to X^S$", w=1.9, h=0.6)
    box(top, 5.9, 1.6, r"$\hat{X}^S$" + "\n(video-like)", w=1.5, h=0.8, colour=SOURCE, text_colour="white", alpha=0.6)
    box(top, 8.2, 1.6, r"trained $f: X^S \to Y$", w=2.2, h=0.6)
    box(top, 10.5, 1.6, r"$Y$", w=0.6, h=0.5, colour=LABEL, text_colour="white", bold=True)
    arrow(top, (1.6, 1.6), (2.45, 1.6))
    arrow(top, (4.35, 1.6), (5.15, 1.6))
    arrow(top, (6.65, 1.6), (7.1, 1.6))
    arrow(top, (9.3, 1.6), (10.2, 1.6))
    top.text(5.9, 2.25, r"$h = f \circ g$", ha="center", fontsize=11)
    top.text(11.0, 1.6, "translate the target,\nreuse the source model", fontsize=9, va="center", color="0.3")
    box(top, 1.0, 0.2, r"$X^S, Y$" + "\nlabelled video", w=1.5, h=0.75, colour=SOURCE, text_colour="white")
    box(top, 3.4, 0.2, r"$g^{-1}: X^S \to X^T$", w=1.9, h=0.6)
    box(top, 5.9, 0.2, r"$(\hat{X}^T, Y)$" + "\nvirtual IMU", w=1.5, h=0.75, colour=TARGET, text_colour="white", alpha=0.6)
    box(top, 8.2, 0.2, r"train $h: X^T \to Y$", w=2.2, h=0.6)
    arrow(top, (1.75, 0.2), (2.45, 0.2))
    arrow(top, (4.35, 0.2), (5.15, 0.2))
    arrow(top, (6.65, 0.2), (7.1, 0.2))
    top.text(9.5, 0.2, "no target labels needed\n(IMUTube, CROMOSim, [57])", fontsize=9, va="center", color="0.3")
    bottom.text(-0.2, 2.7, "Feature-based transfer (§4.2)", fontsize=13, fontweight="bold")
    box(bottom, 1.0, 1.8, r"$X^S$" + "\nvideo", w=1.2, h=0.75, colour=SOURCE, text_colour="white")
    box(bottom, 1.0, 0.0, r"$X^T$" + "\nIMU", w=1.2, h=0.75, colour=TARGET, text_colour="white")
    box(bottom, 3.3, 1.8, "source encoder", w=1.9, h=0.55)
    box(bottom, 3.3, 0.0, "target encoder", w=1.9, h=0.55)
    box(bottom, 5.6, 1.8, r"$Z^S$", w=0.8, h=0.55, colour=SOURCE, text_colour="white", alpha=0.6)
    box(bottom, 5.6, 0.0, r"$Z^T$", w=0.8, h=0.55, colour=TARGET, text_colour="white", alpha=0.6)
    for y in (1.8, 0.0):
        arrow(bottom, (1.6, y), (2.35, y))
        arrow(bottom, (4.25, y), (5.2, y))
    arrow(bottom, (5.6, 1.5), (5.6, 0.3), style="<|-|>", colour=PALETTE[4])
    bottom.text(5.4, 0.9, "align: shared space (§4.2.1)\nor related spaces (§4.2.2),\ne.g. contrastive",
                fontsize=9, va="center", ha="right", color=PALETTE[4])
    box(bottom, 9.2, 0.9, "task head\n(reused)", w=1.6, h=0.75)
    box(bottom, 11.2, 0.9, r"$Y$", w=0.6, h=0.5, colour=LABEL, text_colour="white", bold=True)
    arrow(bottom, (6.0, 1.8), (8.4, 1.05))
    arrow(bottom, (6.0, 0.0), (8.4, 0.75))
    arrow(bottom, (10.0, 0.9), (10.9, 0.9))
    bottom.text(12.1, 0.2, r"$Y = Y^S = Y^T$", fontsize=11, ha="center")
    return fig


# --------------------------------------------------------------------------- the reviewed works

def draw_works_timeline(works: pd.DataFrame, figsize: tuple = figure_size("wide", 5.6)):
    """The reviewed works by year (x) and category (y), labelled with their name and reference;
    rows beyond the survey (no year in their paper) are listed at the right edge with a star."""
    categories = [c for c in ("instance-based", "feature-based: shared space",
                              "feature-based: different representations", "contrastive", "federated", "fusion")
                  if c in set(works["category"])]
    fig, ax = plt.subplots(figsize=figsize)
    dated = works[works["year"].notna()]
    right = int(dated["year"].max()) + 1.2
    for i, category in enumerate(categories):
        rows = works[works["category"] == category]
        for j, row in enumerate(rows.sort_values("year", na_position="last").itertuples()):
            beyond = bool(row.beyond_survey)
            x = right if pd.isna(row.year) else float(row.year)
            y = i + 0.2 * (j - (len(rows) - 1) / 2)
            ax.plot(x, y, marker="*" if beyond else "o", markersize=12 if beyond else 7, color=PALETTE[i % 10],
                    linestyle="")
            label = f"{row.work} {cite(row.ref)}" + (" ★ beyond the survey" if beyond else "")
            ax.annotate(textwrap.shorten(label, 48), (x, y), xytext=(6, 0), textcoords="offset points",
                        va="center", fontsize=8)
    ax.set_yticks(range(len(categories)), categories)
    years = list(range(int(dated["year"].min()), int(dated["year"].max()) + 1))
    ax.set_xticks(years + [right], [str(y) for y in years] + ["year\nnot stated"])
    ax.set_xlim(years[0] - 0.5, right + 2.3)
    ax.set_ylim(-0.6, len(categories) - 0.4)
    ax.set_xlabel("year of the reviewed work (survey reference list)")
    ax.set_title("Works reviewed in the survey's Sections 4–5, by category and year")
    ax.grid(axis="y", alpha=0.0)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- the transfer lab (notebook 31)

#: colour, marker and line style of each lab method; fusion methods (IMU + pose at test) are dashed.
STYLE = {lab.TARGET_ONLY: ("black", "o", "-"), lab.INSTANCE: (PALETTE[1], "s", "-"), lab.SHARED: (PALETTE[0], "^", "-"),
         lab.DIFFERENT: (PALETTE[2], "v", "-"), lab.CONTRASTIVE: (PALETTE[4], "D", "-"), lab.EARLY: (PALETTE[3], "o", "--"),
         lab.FEATURE: (PALETTE[5], "s", "--"), lab.LATE: (PALETTE[7], "^", "--")}
#: the source reference line of the accuracy figure: (label in the figure, ``what`` in the lab's references)
SOURCE_REFERENCE = ("source: pose model (label-rich)", "source pose model on test pose (label-rich video)")


def plot_accuracy_vs_labels(scores: pd.DataFrame, chance: float, references: dict[str, float] | None = None,
                            figsize: tuple = figure_size("wide", 5.2)):
    """Mean ± std (over seeds) test accuracy vs labelled target windows per class, one line per method.

    scores: rows (method, k, seed, accuracy); fusion methods (tested with IMU + pose) are dashed.
    references: horizontal lines, label -> accuracy (e.g. the label-rich source pose model)."""
    fig, ax = plt.subplots(figsize=figsize)
    stats = scores.groupby(["method", "k"])["accuracy"].agg(["mean", "std"]).reset_index()
    for method in [m for m in lab.METHODS if m in set(stats["method"])]:
        part = stats[stats["method"] == method].sort_values("k")
        colour, marker, line = STYLE[method]
        label = f"{method} ({lab.INSPIRED_BY[method]})" + (", IMU + pose at test" if method in lab.FUSION else "")
        ax.errorbar(part["k"], part["mean"], yerr=part["std"].fillna(0), color=colour, marker=marker,
                    linestyle=line, capsize=3, markersize=5, linewidth=2.2 if method == lab.TARGET_ONLY else 1.5,
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


def plot_lab_accuracy(values: dict):
    """The lab's accuracy figure from notebook 31's results dict: ``values["scores"]`` (records method, k,
    seed, accuracy), chance = 1 / number of ``values["world"]["activities"]``, and the source pose model's
    mean test accuracy over seeds (from ``values["references"]``) as the dash-dotted reference line."""
    refs = pd.DataFrame(values["references"]).groupby("what")["accuracy"].mean()
    label, what = SOURCE_REFERENCE
    chance = 1 / len(values["world"]["activities"])
    return plot_accuracy_vs_labels(pd.DataFrame(values["scores"]), chance, {label: float(refs[what])})


#: the rows of :func:`plot_window_views`: (key in ``magnitudes``, title)
WINDOW_SENSORS = (("left wrist", "left wrist"), ("right thigh", "right thigh"))
#: its columns: (key, unit, title)
WINDOW_QUANTITIES = (("acc", "m/s²", "|specific force|"), ("gyro", "rad/s", "|angular rate|"))
#: its lines: (view, label, colour, line width)
WINDOW_VIEWS = (("imu", "real IMU (sensor model)", "black", 1.6),
                ("virtual", "virtual, from estimated pose", PALETTE[1], 1.3),
                ("virtual_clean", "virtual, from true motion", PALETTE[0], 1.1))


def plot_window_views(views: dict, figsize: tuple = figure_size("wide", 5.2)):
    """One window's wrist and thigh readings as the real sensor, the virtual IMU from the estimated
    pose, and the virtual IMU from the true motion: |specific force| and |angular rate| (magnitudes do
    not depend on the unobservable twist about the bone).

    views: ``{"activity": str, "fps": float, "magnitudes": {view: {sensor: {"acc"|"gyro": [L floats]}}}}``
    (:func:`lib.survey.experiments.window_views`; m/s² and rad/s), views ``imu``, ``virtual``, ``virtual_clean``.
    """
    magnitudes = views["magnitudes"]
    n = len(magnitudes["imu"][WINDOW_SENSORS[0][0]]["acc"])
    t = np.arange(n) / views["fps"]
    fig, axes = plt.subplots(2, 2, figsize=figsize, sharex=True)
    for row, (sensor, name) in enumerate(WINDOW_SENSORS):
        for col, (quantity, unit, title) in enumerate(WINDOW_QUANTITIES):
            ax = axes[row, col]
            for key, label, colour, width in WINDOW_VIEWS:
                ax.plot(t, magnitudes[key][sensor][quantity], color=colour, linewidth=width, label=label)
            ax.set_title(f"{name}: {title}", fontsize=10)
            ax.set_ylabel(unit)
    for ax in axes[1]:
        ax.set_xlabel("time (s)")
    axes[0, 0].legend(fontsize=8, frameon=False)
    fig.suptitle(f"One '{views['activity']}' window seen by the real sensor and by video → IMU", fontsize=11)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- redraw from results records

def redraw_taxonomy(record: dict) -> dict:
    """Notebook 30's four figures. They are drawn from the survey's tables kept as data (the record only
    names the notebook), stamped as real data (``synthetic=False``) as the notebook saves them."""
    return {"p3_fig1_task_map": (draw_task_map(tables.motion_tasks()), False),
            "p3_fig2_fusion_vs_transfer": (draw_fusion_vs_transfer(), False),
            "p3_fig3_instance_vs_feature": (draw_instance_vs_feature(), False),
            "p3_works_by_category_year": (draw_works_timeline(tables.works()), False)}


def redraw_transfer_lab(record: dict) -> dict:
    """Notebook 31's figures from its results record. A record written before the plotted window was
    kept in ``values["window_views"]`` redraws the accuracy figure only (re-run the notebook for both)."""
    values = record["values"]
    figures = {"p3_lab_accuracy_vs_labels": plot_lab_accuracy(values)}
    if "window_views" in values:
        figures = {"p3_lab_window_views": plot_window_views(values["window_views"]), **figures}
    return figures


#: notebook stem -> the function that redraws all its saved figures from its results record (lib.figures)
REDRAW = {"30_survey_taxonomy": redraw_taxonomy, "31_survey_transfer_lab": redraw_transfer_lab}
