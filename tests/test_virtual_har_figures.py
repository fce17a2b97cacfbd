"""REDRAW of notebooks 40 and 41 draws every saved figure from a results record (small hand-made ones)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from lib.virtual_har import figures
from lib.virtual_har.corpus import REAL_CLASSES, VIRTUAL_CLASSES
from lib.virtual_har.gap import ROW_ORDER

SEEDS = (0, 1)


def record_41() -> dict:
    cells = [{"seed": s, "experiment": e, "method": m, "acc": 0.8, "f1": 0.7, "train_acc": 0.9}
             for s in SEEDS for e in (1, 2) for m in ("proposed", "deepconvlstm", "rf")]
    curve = [{"epoch": e, "acc": 0.5 + 0.01 * e, "f1": 0.5, "train_loss": None} for e in range(4)]
    table2 = [{"experiment": e, "method": m, "paper acc %": 80.0, "acc_mean": 75.0, "acc_std": 2.0}
              for e in (1, 2) for m in ("Proposed method", "DeepConvLSTM", "RF")]
    values = {
        "acceleration_filter": [{"class": c, "kept_peak": [1.0, 1.2], "kept_var": [0.1, 0.2], "removed_peak": [2.0],
                                 "removed_var": [1.0]} for c in figures.FILTER_CLASSES],
        "class_balance": {"classes": list(VIRTUAL_CLASSES), "cut": list(range(12)), "upsampled": [6] * 12},
        "walking_windows": {"virtual": np.ones((3, 60)).tolist(), "real": np.zeros((3, 60)).tolist()},
        "table2": table2, "cells": cells,
        "finetune_curves": {"deepconvlstm": [curve, curve], "proposed": [curve, curve]},
        "gap_parts": [{"step": step, "seed": s, "acc_5way": 0.5, "acc_12way": 0.4, "share_outside_5": 0.2}
                      for step in ROW_ORDER for s in SEEDS],
        "confusion_exp2_proposed": np.eye(5).tolist(), "confusion_exp3_proposed": np.eye(5).tolist(),
        "sensor_ablation": [{"dropped": d, "seed": s, "exp2_acc": 0.9, "exp3_acc": 0.8}
                            for d in ("none", "head") for s in SEEDS],
        "real_windows_curve": [{"n_windows": n, "requested": n, "seed": s, "finetuned_acc": 0.8, "scratch_acc": 0.6}
                               for n in (10, 100) for s in SEEDS],
        "cmu_timelines": [{"clip": "131_01", "t_s": [0.5, 1.0], "votes": np.eye(12)[:2].tolist(), "pred": [0, 1]}],
        "visual_check": {"class": "walking", "n_flagged": 0, "n_kept": 1,
                         "clips": [{"subject": 0, "clip_index": 0, "kept": True}]},
        "real_classes": list(REAL_CLASSES), "virtual_classes": list(VIRTUAL_CLASSES),
    }
    return {"values": values, "seed": 0, "params": {"n_subjects": 4, "clips_per_subject": 1.0, "data_root": None}}


def close(drawn: dict) -> None:
    for fig in drawn.values():
        plt.close(fig[0] if isinstance(fig, tuple) else fig)


def test_redraw_41_draws_every_saved_figure():
    drawn = figures.REDRAW["41_virtual_imu_har"](record_41())
    assert set(drawn) == set(figures.FIGURES_41) | {"p4_sec23_visual_check"}
    assert drawn["p4_beyond_cmu_mocap"][1] == figures.CMU_MOCAP_STAMP
    curves = drawn["p4_sec43_finetuning_curve"].axes[0]
    assert curves.get_legend_handles_labels()[1][0].startswith("Proposed method")  # the paper's order, not the JSON's
    close(drawn)


def test_redraw_41_leaves_out_what_an_older_record_lacks():
    record = record_41()
    for key in ("acceleration_filter", "visual_check", "cmu_timelines"):
        del record["values"][key]
    record["values"]["gap_parts"] = []  # a run on real DIP-IMU draws no gap ablation
    with pytest.warns(UserWarning, match="p4_sec23_acceleration_filter"):
        drawn = figures.REDRAW["41_virtual_imu_har"](record)
    assert "p4_beyond_cmu_mocap" not in drawn and "p4_sec43_gap_ablation" not in drawn
    assert "p4_table2_accuracy" in drawn
    close(drawn)


def test_redraw_40_regenerates_the_motions_from_the_seed(monkeypatch, tmp_path):
    monkeypatch.setattr(figures.syn, "CMU_MOCAP_DIR", tmp_path)  # no BVH file: the CMU figure is left out, with a warning
    record = {"seed": 3, "params": {"clip_s": 6.0, "bvh_units": "auto"},
              "values": {"cmu_vs_procedural": [{"recording": "131_01"}]}}
    with pytest.warns(UserWarning, match="131_01.bvh is absent"):
        drawn = figures.REDRAW["40_virtual_imu_synthesis"](record)
    assert list(drawn) == ["p4_fig1_fig2_wrist_acceleration_walk_run", "p4_fig3_fig4_clapping_waving",
                           "p4_beyond_sensor_model_effects"]
    again = figures.REDRAW["40_virtual_imu_synthesis"]({**record, "values": {}})
    first = drawn["p4_fig1_fig2_wrist_acceleration_walk_run"].axes[0].lines[0].get_ydata()
    assert np.array_equal(first, again["p4_fig1_fig2_wrist_acceleration_walk_run"].axes[0].lines[0].get_ydata())
    close(drawn)
    close(again)

