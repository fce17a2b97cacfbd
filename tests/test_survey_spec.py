"""P3's presets live in lib/survey/spec.py; the parameters cells' comments state the same numbers."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from lib.params import Knob, ParameterError
from lib.survey import spec

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
CONTRACT = ("mode", "seed", "data_root", "device")
#: "(None → quick 80, full 300)" or "(None → quick "0,1,5,10", full "0,1,2,5,10,20,50")"
PRESET = re.compile(r'quick ("[^"]*"|[\w.]+), full ("[^"]*"|[\w.]+)\)')


def parameter_comments(notebook: str) -> dict[str, str]:
    """name -> comment of each assignment in the notebook's parameters cell (read from the JSON, not run)."""
    cells = json.loads((NOTEBOOKS / f"{notebook}.ipynb").read_text())["cells"]
    source = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
    comments = {}
    for line in source.splitlines():
        if "=" in line and "#" in line:
            name = line.split("=", 1)[0].strip()
            comments[name] = line.split("#", 1)[1]
    return comments


def test_notebook_31_comments_state_the_spec_presets():
    comments = parameter_comments("31_survey_transfer_lab")
    knobs = [name for name in comments if name not in CONTRACT]
    assert knobs == list(spec.PRESETS_31), "the parameters cell and spec.PRESETS_31 list the same knobs, in order"
    for name, (quick, full, _) in spec.PRESETS_31.items():
        found = PRESET.search(comments[name])
        assert found, f"{name}: its comment does not state 'quick X, full Y'"
        assert (ast.literal_eval(found[1]), ast.literal_eval(found[2])) == (quick, full), name
    factor = f"{spec.ALIGN_STEPS_FACTOR:g}x"
    assert factor in comments["steps"], f"the steps comment states the alignment factor {factor}"


def test_notebook_30_has_no_knobs_and_says_so():
    comments = parameter_comments("30_survey_taxonomy")
    assert list(comments) == list(CONTRACT)
    assert "identical" in comments["mode"]


def test_knobs_31_resolve_the_presets_and_refuse_unknown_names():
    knobs = spec.knobs_31(steps=None, n_seeds=None, budgets=None, windows=None, test_windows=7)
    assert all(isinstance(k, Knob) for k in knobs.values())
    assert {n: k.resolve(n, "quick") for n, k in knobs.items()} == {
        "steps": 80, "n_seeds": 3, "budgets": "0,1,5,10", "windows": 24, "test_windows": 7}
    assert knobs["budgets"].resolve("budgets", "full") == "0,1,2,5,10,20,50"
    with pytest.raises(ParameterError, match="windows"):
        spec.knobs_31(windows=1)["windows"].resolve("windows", "quick")
    with pytest.raises(ValueError, match="unknown knob"):
        spec.knobs_31(epochs=3)


def test_the_data_layout_names_every_table_and_view():
    assert all((spec.TABLES_DIR / f"{name}.csv").is_file() for name in spec.TABLES)
    assert set(spec.VIEWS) == {"pose", "imu", "virtual", "virtual_clean"} and spec.SPLITS[-1] == "test"
