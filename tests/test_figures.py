"""Committed figures are redrawn from their results JSON (``python -m lib.figures``), and look the same.

For every notebook whose figure module registers a redraw function, each figure it draws must be a
committed one of the same pixel size, and the redrawn image must match the committed image (mean grey
difference ≤ 1 %; results JSONs keep 6 significant digits, so pixels may differ by antialiasing). After a
style change, ``python -m lib.figures --in-place`` refreshes the committed figures and this test passes again.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from PIL import Image

from lib import figures
from lib.paths import REPO_ROOT
from lib.source import show_source
from lib.tour import walking_windows

COMMITTED = REPO_ROOT / "figures"
REDRAWERS = figures.redrawers()
REDRAWN: dict[str, list[str]] = {}  # notebook -> the figures its test redrew (for the completeness test below)
ABSENT: set[str] = set()  # figures not redrawn because this machine lacks the shared data they show


def grey(path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("L"), dtype=float) / 255.0


@pytest.mark.parametrize("notebook", sorted(REDRAWERS))
def test_a_notebooks_committed_figures_are_redrawn_from_its_results(notebook, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        names = figures.redraw(notebook, out_dir=tmp_path)
    lacking = [str(w.message) for w in caught if isinstance(w.message, figures.MissingNumbersWarning)]
    assert not lacking, f"{notebook}: results/ lacks the numbers of some figures: {lacking}"
    assert names, f"{notebook}: the redraw function drew nothing"
    REDRAWN[notebook] = names
    ABSENT.update(n for w in caught if isinstance(w.message, figures.AbsentDataWarning) for n in w.message.names)
    for name in names:
        committed = COMMITTED / f"{name}.png"
        assert committed.exists(), f"{notebook} redraws {name}, which is not a committed figure"
        assert (tmp_path / f"{name}.pdf").exists()
        old, new = grey(committed), grey(tmp_path / f"{name}.png")
        assert old.shape == new.shape, f"{name}: redrawn {new.shape[::-1]} px, committed {old.shape[::-1]} px"
        assert np.abs(old - new).mean() <= 0.01, f"{name}: the redrawn figure differs from the committed one"


def test_every_committed_figure_is_redrawn_from_results():
    """``python -m lib.figures`` covers figures/: no committed figure lacks a redraw function or its numbers
    (a figure of real files in ``../shared/data`` is excused where that folder is absent)."""
    if set(REDRAWN) != set(REDRAWERS):
        pytest.skip("needs every notebook's redraw test above in the same session")
    committed = {path.stem for path in COMMITTED.glob("*.png")}
    redrawn = {name for names in REDRAWN.values() for name in names}
    assert committed - redrawn - ABSENT == set(), "committed figures no redraw function draws from results/"


def test_the_command_line_names_what_it_cannot_redraw(capsys):
    with pytest.raises(SystemExit) as stop:
        figures.main(["99_no_such_notebook"])
    assert stop.value.code == 2 and "no figure module redraws ['99_no_such_notebook']" in capsys.readouterr().err


def test_missing_results_say_how_to_make_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m lib.reproduce --mode full 00_tour"):
        figures.load_record("00_tour", results_dir=tmp_path)


def test_show_source_lists_the_code_with_its_file_and_lines():
    listing = show_source(walking_windows)
    first = listing.text.splitlines()[0]
    assert first.startswith("def walking_windows(") and listing.origin.startswith("lib/tour.py, lines ")
    assert listing._repr_markdown_().startswith("`lib/tour.py, lines") and "```python\ndef walking_windows(" in \
        listing._repr_markdown_()
    with pytest.raises(TypeError, match="has no Python source"):
        show_source(len)
    with pytest.raises(TypeError, match="at least one"):
        show_source()
