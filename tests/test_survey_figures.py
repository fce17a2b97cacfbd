"""The survey's Fig. 1-3 draw without error and save through lib.plots."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from lib.plots import savefig  # noqa: E402
from lib.survey import diagrams, tables  # noqa: E402


@pytest.mark.parametrize("draw", [lambda: diagrams.draw_task_map(tables.motion_tasks()),
                                  diagrams.draw_fusion_vs_transfer, diagrams.draw_instance_vs_feature],
                         ids=["fig1", "fig2", "fig3"])
def test_figures_draw_and_save(draw, tmp_path):
    fig = draw()
    assert fig.axes and any(ax.patches for ax in fig.axes), "a diagram is made of boxes and arrows"
    png, pdf = savefig("p3_test_diagram", fig, synthetic=False, out_dir=tmp_path)
    assert png.stat().st_size > 10_000 and pdf.stat().st_size > 1_000
    plt.close(fig)


def test_task_map_places_every_task():
    tasks = tables.motion_tasks()
    fig = diagrams.draw_task_map(tasks)
    texts = {t.get_text().replace("\n", " ") for t in fig.axes[0].texts}
    assert all(task in texts for task in tasks["task"])
    plt.close(fig)
