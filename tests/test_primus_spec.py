"""lib.primus.spec is the one place the P2 presets live: the parameters cells of notebooks 20-24 state the same
presets in their comments, and declare exactly the knobs the spec lists for them (read from the notebook JSON,
nothing is executed)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from lib.params import Knob, ParameterError
from lib.primus import spec

ROOT = Path(__file__).resolve().parent.parent
#: "None → mode preset (quick 1200, full 2500)" or, where both modes agree, "None → mode preset (3)"
PRESET_COMMENT = re.compile(r"mode preset \((?:quick (?P<quick>[\d_,]+), full (?P<full>[\d_,]+)|(?P<both>[\d_,]+))\)")


def parameters_cell(notebook: str) -> dict[str, str]:
    """{parameter: its comment} of the notebook's first code cell."""
    nb = nbformat.read(ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    names = [node.targets[0].id for node in ast.parse(cell.source).body]
    comments = [line.split("#", 1)[1] for line in cell.source.splitlines() if "=" in line.split("#", 1)[0]]
    return dict(zip(names, comments))


def number(text: str) -> int:
    return int(text.replace("_", "").replace(",", ""))


@pytest.mark.parametrize("notebook", sorted(spec.NOTEBOOK_KNOBS))
def test_parameters_cell_comments_state_the_spec_presets(notebook):
    comments = parameters_cell(notebook)
    stated = {}
    for name, comment in comments.items():
        match = PRESET_COMMENT.search(comment)
        if match:
            both = match["both"]
            stated[name] = (number(both), number(both)) if both else (number(match["quick"]), number(match["full"]))
    assert set(stated) == set(spec.NOTEBOOK_KNOBS[notebook]), \
        f"{notebook}: the parameters cell states presets for {sorted(stated)}, the spec lists " \
        f"{sorted(spec.NOTEBOOK_KNOBS[notebook])}"
    wrong = {name: (q_f, spec.PRESETS[name]) for name, q_f in stated.items() if q_f != spec.PRESETS[name]}
    assert not wrong, f"{notebook}: comment (quick, full) vs lib.primus.spec.PRESETS: {wrong}"


def test_the_standard_training_budget_in_notebook_22s_text_is_the_spec_preset():
    nb = nbformat.read(ROOT / "notebooks" / "22_primus_few_shot.ipynb", as_version=4)
    quick, full = spec.PRESETS["standard_steps"]
    assert f"{quick} Adam steps in quick mode, {full} in full" in nb.cells[0].source


def test_knobs_resolve_from_the_presets_and_refuse_unknown_names():
    made = spec.knobs(n_pretrain=None, epochs=4)
    assert list(made) == ["n_pretrain", "epochs"] and all(isinstance(k, Knob) for k in made.values())
    assert made["n_pretrain"].resolve("n_pretrain", "full") == spec.preset("n_pretrain", "full") == 2_500
    assert made["epochs"].resolve("epochs", "quick") == 4
    with pytest.raises(ParameterError, match="too small"):
        spec.knobs(n_seeds=0)["n_seeds"].resolve("n_seeds", "quick")
    with pytest.raises(ValueError, match="unknown P2 knob"):
        spec.knobs(n_epochs=3)


def test_every_figure_run_is_a_pretraining_run():
    labels = {label for label, _, _ in spec.ALL_RUNS}
    assert set(spec.FIG4) | set(spec.FIG5) | set(spec.FIG6_LABELS) <= labels
    assert len(labels) == len(spec.ALL_RUNS) == 14  # notebook 21's "14 runs"
