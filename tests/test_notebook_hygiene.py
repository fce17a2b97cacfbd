"""Notebook sources: no stored outputs (except nbval-checked cells), kernelspec python3, a tagged parameters cell."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from lib.catalog import ITEMS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CONTRACT = ("mode", "seed", "data_root", "device")


def checked_by_nbval(cell) -> bool:
    return "nbval-check-output" in cell.metadata.get("tags", []) or "NBVAL_CHECK_OUTPUT" in cell.source


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ is empty"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_hygiene(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "kernelspec must be python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    stored = [i for i, c in enumerate(code) if (c.outputs or c.execution_count) and not checked_by_nbval(c)]
    assert not stored, f"code cells {stored} carry stored outputs; clear them before committing"
    first = code[0]
    assert "parameters" in first.metadata.get("tags", []), "the first code cell must be tagged 'parameters'"
    tree = ast.parse(first.source)
    names = []
    for node in tree.body:
        assert isinstance(node, ast.Assign), "the parameters cell holds only assignments of literals"
        ast.literal_eval(node.value)  # raises for anything but a literal
        names += [t.id for t in node.targets]
    assert names[:4] == list(CONTRACT), f"the parameters cell must start with {CONTRACT}, got {names[:4]}"
    assert all("#" in line for line in first.source.splitlines() if "=" in line), "every parameter needs a comment"
    assert "setup(" in code[1].source, "the cell after the parameters must call lib.params.setup"
    assert nb.cells[0].cell_type == "markdown", "a notebook opens with markdown saying what it recreates"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_is_in_the_readme_and_the_catalog(path):
    readme = (ROOT / "README.md").read_text()
    assert path.stem in readme, f"README.md does not mention {path.stem}"
    assert path.stem == "00_tour" or path.stem in {i.notebook for i in ITEMS}, f"lib/catalog.py lacks {path.stem}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_parses_every_parameter(path):
    """papermill's own inspector must read each parameter line; an '=' inside the comment (e.g.
    "None = mode preset", "<= 2 min") makes it skip the line and warn "Passed unknown parameter"."""
    from papermill.translators import PythonTranslator

    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    assigned = [node.targets[0].id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)]
    parsed = [p.name for p in PythonTranslator.inspect(cell)]
    assert parsed == assigned, (f"{path.name}: papermill cannot parse parameter(s) "
                                f"{sorted(set(assigned) - set(parsed))}; keep '=' out of their comments (write '→', '≤')")
