"""One figure style for the whole companion and a byte-stable ``savefig``.

``savefig("p1_fig6_batch_size_accuracy")`` writes ``<dir>/p1_fig6_batch_size_accuracy.png`` and
``.pdf``: the name starts with the paper id and the paper's figure/table number. PDF metadata
(creation date, producer) is stripped and PNG software tags removed so that the same code on the
same machine writes identical bytes twice. ``synthetic=True`` stamps "synthetic data" on the figure.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from lib.paths import output_dirs
from lib.repro import atomic_write

#: Colour-blind-safe palette (seaborn "colorblind"), in a fixed order used by every figure.
PALETTE = ["#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161", "#fbafe4", "#949494",
           "#ece133", "#56b4e9"]

STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 1.5,
    "image.cmap": "viridis",
    "svg.hashsalt": "companion",
    "pdf.fonttype": 42,
}

SYNTHETIC_LABEL = "synthetic data (simulator)"

#: The companion's figure widths in inches (a ``latexify``-style set, so figures line up in the book and the
#: README): one panel, two or three panels, a full page of panels or a drawn diagram.
FIGURE_WIDTHS = {"column": 6.4, "wide": 10.0, "page": 14.0}


def figure_size(width: str = "column", height: float = 4.0) -> tuple[float, float]:
    """``figsize`` for ``plt.subplots``: one of :data:`FIGURE_WIDTHS` by name and a height in inches."""
    if width not in FIGURE_WIDTHS:
        raise ValueError(f"figure_size(width={width!r}): use one of {sorted(FIGURE_WIDTHS)} "
                         f"({', '.join(f'{k} = {v} in' for k, v in FIGURE_WIDTHS.items())})")
    if not height > 0:
        raise ValueError(f"figure_size(height={height!r}): give the height in inches, > 0")
    return FIGURE_WIDTHS[width], float(height)


def no_grid_on_images(fig) -> None:
    """Remove the style's grid from every panel that shows an image or a heatmap (``imshow``, seaborn's
    ``heatmap``, ``pcolormesh``): grid lines belong to data axes, not across the cells of a matrix."""
    from matplotlib.collections import QuadMesh

    for ax in fig.axes:
        if ax.images or any(isinstance(c, QuadMesh) for c in ax.collections):
            ax.grid(False)


def use_style() -> None:
    """Apply the companion's style to matplotlib (and seaborn's palette)."""
    import matplotlib.pyplot as plt
    from cycler import cycler

    plt.rcParams.update(STYLE)
    plt.rcParams["axes.prop_cycle"] = cycler(color=PALETTE)


def default_fig_dir() -> Path:
    """Where figures go when no ``out_dir`` is given: the quick-mode folder (``build/figures``)."""
    return output_dirs("quick")[0]


def savefig(name: str, fig=None, *, synthetic: bool | str = False, out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Save ``fig`` (default: the current figure) as PNG and PDF; returns the two paths.

    Panels that show an image or heatmap lose the grid first (:func:`no_grid_on_images`), also on screen.

    ``synthetic``: True stamps :data:`SYNTHETIC_LABEL` at the lower right, below everything the figure
    draws (so it never covers an axis label); a string stamps that string instead (e.g. "synthetic data;
    real CMU mocap on the right").
    """
    import matplotlib.pyplot as plt

    if not name or any(ch in name for ch in "/\\ ") or name.endswith((".png", ".pdf")):
        raise ValueError(f"savefig(name={name!r}): give a bare name like 'p1_fig6_batch_size_accuracy' "
                         "(no folder, spaces or extension)")
    fig = fig if fig is not None else plt.gcf()
    no_grid_on_images(fig)
    out = Path(out_dir) if out_dir is not None else default_fig_dir()
    stamp = None
    if synthetic:
        text = SYNTHETIC_LABEL if synthetic is True else str(synthetic)
        box = fig.get_tightbbox(fig.canvas.get_renderer())  # inches: everything drawn, labels included
        stamp = fig.text(box.x1, box.y0 - 0.04, text, ha="right", va="top", fontsize=7, color="0.45",
                         style="italic", transform=fig.dpi_scale_trans)  # below the figure, never on a label
    paths = []
    try:
        for ext, meta in (("png", {"Software": None}), ("pdf", {"CreationDate": None, "Producer": None,
                                                                  "Creator": None})):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=ext, metadata=meta)
            path = out / f"{name}.{ext}"
            with atomic_write(path, "wb") as handle:
                handle.write(buffer.getvalue())
            paths.append(path)
    finally:
        if stamp is not None and stamp.figure is not None:
            stamp.remove()
    return paths


def legend_outside(ax, where: str = "right", **kwargs):
    """A legend beside the panel (``where="right"``) or above it in one row (``"top"``), never over the data.

    ``ax``: the axes whose handles are shown; ``kwargs`` go to ``Axes.legend`` (e.g. ``title``, ``fontsize``).
    """
    if where == "right":
        return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, **kwargs)
    if where == "top":
        handles, _ = ax.get_legend_handles_labels()
        return ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.01), ncol=kwargs.pop("ncol", len(handles)),
                         borderaxespad=0.0, frameon=False, **kwargs)
    raise ValueError(f"legend_outside(where={where!r}): use 'right' or 'top'")
