"""The survey's Fig. 1-3 draw without error and save through lib.plots; REDRAW draws every saved figure
of notebooks 30 and 31 from a results record."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from lib.plots import savefig
from lib.survey import figures, lab, tables


@pytest.mark.parametrize("draw", [lambda: figures.draw_task_map(tables.motion_tasks()),
                                  figures.draw_fusion_vs_transfer, figures.draw_instance_vs_feature],
                         ids=["fig1", "fig2", "fig3"])
def test_figures_draw_and_save(draw, tmp_path):
    fig = draw()
    assert fig.axes and any(ax.patches for ax in fig.axes), "a diagram is made of boxes and arrows"
    png, pdf = savefig("p3_test_diagram", fig, synthetic=False, out_dir=tmp_path)
    assert png.stat().st_size > 10_000 and pdf.stat().st_size > 1_000
    plt.close(fig)


def test_task_map_places_every_task():
    tasks = tables.motion_tasks()
    fig = figures.draw_task_map(tasks)
    texts = {t.get_text().replace("\n", " ") for t in fig.axes[0].texts}
    assert all(task in texts for task in tasks["task"])
    plt.close(fig)


def test_redraw_taxonomy_draws_the_four_saved_figures_as_real_data():
    drawn = figures.REDRAW["30_survey_taxonomy"]({"values": {}, "params": {"data_root": None}})
    assert set(drawn) == {"p3_fig1_task_map", "p3_fig2_fusion_vs_transfer", "p3_fig3_instance_vs_feature",
                          "p3_works_by_category_year"}
    assert all(synthetic is False for _, synthetic in drawn.values())
    for fig, _ in drawn.values():
        plt.close(fig)


def lab_record(with_views: bool) -> dict:
    scores = [{"method": m, "k": k, "seed": s, "accuracy": 0.5 + 0.04 * k + 0.01 * s}
              for m in (lab.TARGET_ONLY, lab.CONTRASTIVE, lab.LATE) for k in (1, 5) for s in (0, 1)]
    refs = [{"seed": s, "what": figures.SOURCE_REFERENCE[1], "accuracy": 0.9} for s in (0, 1)]
    trace = {"acc": [9.8, 10.5, 9.1], "gyro": [0.1, 0.4, 0.2]}
    views = {"activity": "walking", "fps": 30.0, "test_index": 0,
             "magnitudes": {v: {"left wrist": trace, "right thigh": trace} for v in ("imu", "virtual", "virtual_clean")}}
    values = {"scores": scores, "references": refs, "world": {"activities": ["a", "b", "c", "d"]}}
    return {"values": {**values, "window_views": views} if with_views else values, "params": {"data_root": None}}


def test_redraw_transfer_lab_from_a_results_record():
    drawn = figures.REDRAW["31_survey_transfer_lab"](lab_record(with_views=True))
    assert list(drawn) == ["p3_lab_window_views", "p3_lab_accuracy_vs_labels"]
    accuracy = drawn["p3_lab_accuracy_vs_labels"].axes[0]
    assert len(accuracy.containers) == 3 and accuracy.get_xlabel() == "labelled target (IMU) windows per class"
    assert len(drawn["p3_lab_window_views"].axes[0].lines) == 3
    for fig in drawn.values():
        plt.close(fig)
    older = figures.REDRAW["31_survey_transfer_lab"](lab_record(with_views=False))
    assert list(older) == ["p3_lab_accuracy_vs_labels"]
    plt.close(older["p3_lab_accuracy_vs_labels"])
