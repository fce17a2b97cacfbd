"""One style, byte-stable PNG + PDF, the synthetic-data stamp."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from lib.plots import SYNTHETIC_LABEL, figure_size, legend_outside, savefig, use_style  # noqa: E402

SCRIPT = """
import sys, matplotlib; matplotlib.use("Agg")
import matplotlib.pyplot as plt
from lib.plots import savefig, use_style
use_style()
fig, ax = plt.subplots()
ax.plot([0, 1, 2], [0, 1, 4], label="x^2"); ax.legend(); ax.set_title("demo")
savefig("p0_fig1_demo", fig, synthetic=True, out_dir=sys.argv[1])
"""


def test_savefig_is_byte_identical_across_two_processes(tmp_path):
    for name in ("a", "b"):
        subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / name)], check=True)
    for ext in ("png", "pdf"):
        first = (tmp_path / "a" / f"p0_fig1_demo.{ext}").read_bytes()
        assert first == (tmp_path / "b" / f"p0_fig1_demo.{ext}").read_bytes(), ext
        assert len(first) > 1000
    assert b"CreationDate" not in (tmp_path / "a" / "p0_fig1_demo.pdf").read_bytes()


def test_synthetic_stamp_is_drawn_and_then_removed(tmp_path):
    use_style()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    plain = savefig("plain", fig, out_dir=tmp_path)
    stamped = savefig("stamped", fig, synthetic=True, out_dir=tmp_path)
    assert [p.suffix for p in plain] == [".png", ".pdf"]
    assert plain[0].read_bytes() != stamped[0].read_bytes()
    assert plain[1].read_bytes() != stamped[1].read_bytes()
    assert not any(t.get_text() == SYNTHETIC_LABEL for t in fig.texts)  # the figure itself is unchanged
    from PIL import Image

    (w0, h0), (w1, h1) = (Image.open(paths[0]).size for paths in (plain, stamped))
    assert w1 >= w0 and h1 > h0  # the stamp sits below the axis labels, not on them
    plt.close(fig)


@pytest.mark.parametrize("name", ["figs/p1", "p1.png", "", "p1 fig"])
def test_savefig_rejects_names_that_are_not_bare(name, tmp_path):
    with pytest.raises(ValueError, match="give a bare name"):
        savefig(name, plt.figure(), out_dir=tmp_path)


def test_a_heatmap_loses_the_grid_and_a_curve_keeps_it(tmp_path):
    use_style()
    fig, (curve, matrix) = plt.subplots(1, 2)
    curve.plot([0, 1], [1, 0])
    matrix.imshow([[0.0, 1.0], [1.0, 0.0]])
    savefig("grids", fig, out_dir=tmp_path)
    assert curve.xaxis.get_gridlines()[0].get_visible()
    assert not matrix.xaxis.get_gridlines()[0].get_visible()
    plt.close(fig)


def test_figure_sizes_come_from_one_set_of_widths():
    assert figure_size("page", 3) == (14.0, 3.0) and figure_size() == (6.4, 4.0)
    with pytest.raises(ValueError, match="use one of \\['column', 'page', 'wide'\\]"):
        figure_size("poster")
    with pytest.raises(ValueError, match="height"):
        figure_size("column", 0)


@pytest.mark.parametrize("where", ["right", "top"])
def test_an_outside_legend_does_not_overlap_the_panel(where):
    fig, ax = plt.subplots()
    for k in range(3):
        ax.plot([0, 1], [k, k + 1], label=f"series {k}")
    legend = legend_outside(ax, where)
    fig.canvas.draw()
    box, panel = legend.get_window_extent(), ax.get_window_extent()
    assert box.x0 >= panel.x1 if where == "right" else box.y0 >= panel.y1
    with pytest.raises(ValueError, match="use 'right' or 'top'"):
        legend_outside(ax, "inside")
    plt.close(fig)
