"""What P3's notebooks run, as functions of the :class:`lib.params.Run` that return plain results dicts.

* notebook 30: :func:`taxonomy_values` — the counts over the survey's tables that its claims check;
* notebook 31: :func:`lab_plan` (the run's world config, sizes and training settings), :func:`load_world`
  (the simulated world, cached on disk; :func:`cached_world` for any other config), :func:`window_views` (one test window, for the figure),
  :func:`run_lab` (every method × budget × seed, :class:`lib.survey.lab.TransferLab`) and
  :func:`lab_values` (the results dict the notebook passes to ``run.finish``), plus the tables the
  notebook shows, read back from that dict (:func:`accuracy_table`, :func:`summary_table`, :func:`gap_table`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.params import ParameterError
from lib.repro import cached
from lib.survey import lab, spec, world
from lib.survey.figures import WINDOW_QUANTITIES, WINDOW_SENSORS, WINDOW_VIEWS

#: the categories counted as feature-based transfer (survey §4.2) and as instance-based (§4.1)
FEATURE_BASED = ("feature-based: shared space", "feature-based: different representations", "contrastive")
INSTANCE_BASED = "instance-based"


# --------------------------------------------------------------------------- notebook 30

def taxonomy_values(works: pd.DataFrame, families: pd.DataFrame, taxonomy: pd.DataFrame,
                    tasks: pd.DataFrame) -> dict:
    """Notebook 30's results dict from the four survey tables (:mod:`lib.survey.tables`): works per category
    of the reviewed works (rows beyond the survey left out), the feature- vs instance-based counts of §6's
    claims, and the table sizes."""
    reviewed = works[~works["beyond_survey"]]
    instance = reviewed["category"] == INSTANCE_BASED
    return {"works_per_category": reviewed["category"].value_counts().to_dict(),
            "n_works_reviewed": len(reviewed), "n_beyond_survey": int(works["beyond_survey"].sum()),
            "dataset_families": sorted(families["family"].unique()), "n_taxonomy_rows": len(taxonomy),
            "n_motion_tasks": len(tasks),
            "n_feature_based": int(reviewed["category"].isin(FEATURE_BASED).sum()),
            "n_instance_based": int(instance.sum()),
            "n_instance_from_video": int((instance & reviewed["source_modality"].str.contains("video")).sum()),
            "n_table_rows": int(len(works) + len(families) + len(taxonomy) + len(tasks))}


# --------------------------------------------------------------------------- notebook 31

@dataclass(frozen=True)
class LabPlan:
    """One run's lab: the budgets ``ks`` (labelled IMU windows per class), the world's config and windows per
    class of each split (``sizes``), and the training settings."""

    ks: tuple
    config: world.LabConfig
    sizes: dict
    settings: lab.LabSettings

    def __str__(self) -> str:
        s = self.settings
        return f"budgets={self.ks} seeds={s.seeds} steps={s.steps} sizes={self.sizes}"


def budgets(run) -> tuple:
    """The run's ``budgets`` knob ("0,1,5,10") as sorted unique ints; ``ParameterError`` unless they are
    integers ≥ 0 with at least one ≥ 1."""
    try:
        ks = tuple(sorted({int(k) for k in run.budgets.split(",")}))
    except ValueError:
        raise ParameterError(f"parameter budgets={run.budgets!r} must be comma-separated integers, "
                             "e.g. '0,1,5,10'") from None
    if min(ks) < 0 or max(ks) < 1:
        raise ParameterError(f"parameter budgets={run.budgets!r} must be >= 0 and include at least one k >= 1, "
                             "e.g. '0,1,5,10'")
    return ks


def lab_plan(run) -> LabPlan:
    """The run's lab from its knobs: quick mode keeps :class:`~lib.survey.world.LabConfig`'s subjects, full
    mode :data:`lib.survey.spec.FULL_SUBJECTS`; the target split holds max(k) windows per class; seeds
    run.seed, run.seed + 1, ... (``n_seeds``); alignment runs take ``ALIGN_STEPS_FACTOR × steps`` steps."""
    ks = budgets(run)
    config = world.LabConfig() if run.quick else world.LabConfig(subjects=dict(spec.FULL_SUBJECTS))
    sizes = {"source": run.windows, "paired": run.windows, "target": max(max(ks), 1), "test": run.test_windows}
    settings = lab.LabSettings(budgets=ks, seeds=tuple(run.seed + i for i in range(run.n_seeds)), steps=run.steps,
                               align_steps=round(spec.ALIGN_STEPS_FACTOR * run.steps), device=str(run.device))
    return LabPlan(ks, config, sizes, settings)


def cached_world(run, config: world.LabConfig, sizes: dict) -> dict:
    """A lab world (:func:`lib.survey.world.make_world`, seeded by run.seed), cached in run.cache_dir and keyed
    by its parameters and the simulator's source: ``"<split>/<view>" -> array``; sizes: windows per class."""
    return cached("p3_lab_world", params=world.world_cache_params(config, sizes, run.seed), version="1",
                  compute=lambda: world.make_world(config, sizes, run.seed), cache_dir=run.cache_dir)


def load_world(run, plan: LabPlan) -> dict:
    """The plan's world (:func:`cached_world` with the plan's config and sizes)."""
    return cached_world(run, plan.config, plan.sizes)


def split_counts(data: dict) -> dict:
    """Windows per split of a world: ``{"source": N, ...}``."""
    return {s: len(world.split(data, s)["y"]) for s in world.SPLITS}


def window_views(data: dict, plan: LabPlan, activity: str = "walking") -> dict:
    """The first test window of ``activity`` as the magnitudes :func:`lib.survey.figures.plot_window_views`
    draws: ``{"activity", "fps", "test_index", "magnitudes": {view: {sensor: {"acc"|"gyro": [L floats]}}}}``,
    |specific force| in m/s² and |angular rate| in rad/s of each sensor (channels 6·sensor + 0..2 and + 3..5)."""
    test = world.split(data, "test")
    i = int(np.flatnonzero(test["y"] == plan.config.activities.index(activity))[0])
    magnitudes = {}
    for view, *_ in WINDOW_VIEWS:
        x = test[view][i]
        magnitudes[view] = {sensor: {quantity: np.linalg.norm(x[6 * s + 3 * q:6 * s + 3 * q + 3], axis=0).tolist()
                                     for q, (quantity, *_) in enumerate(WINDOW_QUANTITIES)}
                            for s, (sensor, _) in enumerate(WINDOW_SENSORS)}
    return {"activity": activity, "fps": float(plan.config.input_fps), "test_index": i, "magnitudes": magnitudes}


def run_lab(run, plan: LabPlan, data: dict) -> lab.LabResult:
    """Every method × budget × seed of the plan on the world (:meth:`lib.survey.lab.TransferLab.run`)."""
    return lab.TransferLab(data, plan.settings, n_classes=len(plan.config.activities)).run()


def lab_values(result: lab.LabResult, plan: LabPlan, data: dict, views: dict | None = None) -> dict:
    """Notebook 31's results dict: mean and std accuracy over seeds ({method: {"k": accuracy}}), every score
    and reference (records), the world (activities, windows per split, sizes), the settings and, when given,
    the plotted window (:func:`window_views`)."""
    mean, std = result.summary(), result.std()
    values = {"accuracy_mean": {m: {str(k): v for k, v in row.dropna().items()} for m, row in mean.iterrows()},
              "accuracy_std": {m: {str(k): v for k, v in row.dropna().items()} for m, row in std.iterrows()},
              "scores": result.scores.to_dict(orient="records"),
              "references": result.references.to_dict(orient="records"),
              "world": {"activities": list(plan.config.activities), "windows_per_split": split_counts(data),
                        "sizes": plan.sizes},
              "settings": {k: (list(v) if isinstance(v, tuple) else v) for k, v in result.settings.items()}}
    if views is not None:
        values["window_views"] = views
    return values


def accuracy_table(values: dict, key: str = "accuracy_mean") -> pd.DataFrame:
    """``values[key]`` (mean or std accuracy) as a table: rows = methods in the lab's order, columns = k (int)."""
    table = pd.DataFrame({m: {int(k): v for k, v in row.items()} for m, row in values[key].items()}).T
    return table[sorted(table.columns)]


def summary_table(values: dict) -> pd.DataFrame:
    """"mean ± std" over seeds per method (rows) and k (columns); "—" where a method needs k ≥ 1."""
    mean, std = accuracy_table(values), accuracy_table(values, "accuracy_std")
    return (mean.map(lambda v: f"{v:.2f}") + " ± " + std.map(lambda v: f"{v:.2f}")).where(mean.notna(), "—")


def gap_table(values: dict) -> pd.DataFrame:
    """The simulation gap: the instance-based (k = 0) model's accuracy on the three views of the test windows,
    mean and std over seeds (rows: the references whose ``what`` starts with "instance")."""
    refs = pd.DataFrame(values["references"])
    return refs[refs["what"].str.startswith("instance")].groupby("what")["accuracy"].agg(["mean", "std"])
