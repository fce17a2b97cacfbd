"""lib.footsteps.figures: the REDRAW table draws every saved figure of notebooks 11-12 from a results record."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from lib.footsteps import figures


def rows(n: int) -> list[dict]:
    """History rows of one training seed, as notebooks 11-12 store them."""
    return [{"epoch": i + 1, "paper_epoch": 0.1 * (i + 1), "train_acc": 0.5 + 0.1 * i, "val_acc": 0.5 + 0.08 * i,
             "train_loss": 1.0 / (i + 1), "val_loss": 1.2 / (i + 1)} for i in range(n)]


def test_redraw_covers_the_three_notebooks():
    assert set(figures.REDRAW) == {"10_footstep_data", "11_footstep_siamese_training", "12_footstep_training_size"}


def test_redraw_11_keeps_the_notebook_order_of_the_curves():
    record = {"params": {"batch_sizes": "250,1024"}, "values": {"curves": {
        "2DCNN, BS 1024": [rows(3)], "2DCNN, BS 250": [rows(4), rows(5)], "LSTM, BS 250": [rows(4)]}}}
    drawn = figures.REDRAW["11_footstep_siamese_training"](record)
    assert list(drawn) == ["p1_fig6_batch_size_accuracy", "p1_fig7_batch_size_loss"]
    labels = [t.get_text() for t in drawn["p1_fig6_batch_size_accuracy"].axes[1].get_legend().get_texts()]
    assert labels == ["2DCNN, BS 250 (2 seeds)", "LSTM, BS 250 (1 seed)", "2DCNN, BS 1024 (1 seed)"]
    plt.close("all")


def test_redraw_12_draws_figure_8_the_learning_curve_and_detection():
    record = {"params": {"n_small": 8, "n_large": 60}, "values": {
        "curves": {"60 pairs per class": [rows(3)], "8 pairs per class": [rows(2)]},
        "learning_curve": [{"training pairs per class": n, "train": 100.0, "test": t, "test sd": 0.0, "seeds": 1.0}
                           for n, t in ((4, 70.0), (8, 85.0), (60, 99.0))],
        "detection": [{"audio + geophone": 0.9, "audio only": 0.8, "geophone only": 0.7,
                       "k (support clips per class)": k} for k in (1, 5)]}}
    drawn = figures.REDRAW["12_footstep_training_size"](record)
    assert list(drawn) == ["p1_fig8_training_size", "p1_learning_curve", "p1_single_clip_detection"]
    legend = drawn["p1_fig8_training_size"].axes[1].get_legend().get_texts()
    assert [t.get_text() for t in legend] == ["8 pairs per class (1 seed)", "60 pairs per class (1 seed)"]
    lines = drawn["p1_single_clip_detection"].axes[0].get_lines()
    assert [ln.get_label() for ln in lines] == ["audio + geophone", "audio only", "geophone only"]
    plt.close("all")


def test_dataset_figures_draw_from_plain_lists():
    positives = {"n_steps": [8, 10, 12], "cadence_hz": [1.6, 1.8, 2.0], "nearest_m": [0.6, 1.0, 1.9],
                 "floor": ["concrete"] * 3}
    assert len(figures.dataset_statistics(positives).axes) == 4
    by_preset = {"paper": {"nearest_m": [0.5, 1.0], "n_steps": [8, 9]}, "hard": {"nearest_m": [3.0, 4.0], "n_steps": [3, 4]}}
    fig = figures.presets_positives(by_preset)
    assert "(2 positives each)" in fig.axes[0].get_title()
    plt.close("all")
