"""Notebook sources: no stored outputs (except nbval-checked cells), kernelspec python3, a tagged parameters cell."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

import lib.params
from lib.batch.grid import notebook_parameters
from lib.catalog import ITEMS
from lib.params import SEED_RANGE, Knob

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


class _SetupCalled(Exception):
    """Raised by the stand-in for lib.params.setup, carrying the keyword arguments it was called with."""


def setup_knobs(path: Path, monkeypatch) -> dict[str, Knob]:
    """The Knobs a notebook's setup cell passes to lib.params.setup (its bounds, exactly as the notebook runs).

    Runs the parameters cell and the setup cell with ``setup`` replaced by a stand-in that stops at the
    call, so knobs built by helpers (``X.knobs(...)``) count like those written inline.
    """
    def stand_in(notebook, **kwargs):
        raise _SetupCalled(kwargs)

    monkeypatch.setattr(lib.params, "setup", stand_in)
    code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    namespace: dict = {}
    exec(code[0], namespace)  # noqa: S102 - the notebook's own literals
    with pytest.raises(_SetupCalled) as called:
        exec(code[1], namespace)  # noqa: S102 - stops at the setup call
    return {name: value for name, value in called.value.args[0].items() if isinstance(value, Knob)}


_BOUND = r"\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
#: Notebooks whose parameters cells do not state their ranges yet (none).
_RANGES_PENDING: set = set()


@pytest.mark.parametrize("path", [pytest.param(p, marks=pytest.mark.xfail(
    strict=True, reason="this parameters cell does not state its ranges yet"))
    if p.stem in _RANGES_PENDING else p for p in NOTEBOOKS], ids=lambda p: p.name)
def test_parameter_comments_state_the_ranges_setup_enforces(path, monkeypatch):
    """The seed's comment states the contract's range, and each Knob's comment its min (``≥ X``) and max
    (``≤ Y``) — the same numbers setup enforces, so a reader of the parameters cell knows what is allowed."""
    declared = notebook_parameters(path)
    comments = {name: p.line.split("#", 1)[1] for name, p in declared.items()}
    assert SEED_RANGE in comments["seed"], f"the seed's comment must state its range: {SEED_RANGE}"
    problems = []
    for name, knob in setup_knobs(path, monkeypatch).items():
        assert name in declared, f"setup gets a Knob {name!r} that is not a parameter of the notebook"
        stated_min = [float(x) for x in re.findall("≥" + _BOUND, comments[name])]
        stated_max = [float(x) for x in re.findall("≤" + _BOUND, comments[name])]
        if stated_min != ([] if knob.min is None else [float(knob.min)]):
            problems.append(f"{name}: setup's min is {knob.min}, its comment states ≥ {stated_min or 'nothing'}")
        if stated_max != ([] if knob.max is None else [float(knob.max)]):
            problems.append(f"{name}: setup's max is {knob.max}, its comment states ≤ {stated_max or 'nothing'}")
    assert not problems, "parameter comments and Knob bounds disagree: " + "; ".join(problems)
