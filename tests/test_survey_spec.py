"""P3's presets and data layout (lib/survey/spec.py); the parameters-cell comments are checked by tests/test_specs.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lib.params import ParameterError
from lib.survey import spec

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LAB = "31_survey_transfer_lab"


def parameters_source(notebook: str) -> str:
    cells = json.loads((NOTEBOOKS / f"{notebook}.ipynb").read_text())["cells"]
    return "".join(next(c for c in cells if c["cell_type"] == "code")["source"])


def test_the_steps_comment_states_the_alignment_factor():
    steps_line = next(line for line in parameters_source(LAB).splitlines() if line.startswith("steps ="))
    assert f"{spec.ALIGN_STEPS_FACTOR:g}x" in steps_line


def test_notebook_30_has_no_knobs_and_says_so():
    assert spec.PRESETS["30_survey_taxonomy"] == {}
    source = parameters_source("30_survey_taxonomy")
    assert [line.split("=")[0].strip() for line in source.splitlines()] == ["mode", "seed", "data_root", "device"]
    assert "identical" in source.splitlines()[0]


def test_lab_knobs_resolve_the_presets_and_their_bounds():
    knobs = spec.knobs(LAB, steps=None, n_seeds=None, budgets=None, windows=None, test_windows=7)
    assert {n: k.resolve(n, "quick") for n, k in knobs.items()} == {
        "steps": 80, "n_seeds": 3, "budgets": "0,1,5,10", "windows": 24, "test_windows": 7}
    assert knobs["budgets"].resolve("budgets", "full") == "0,1,2,5,10,20,50"
    with pytest.raises(ParameterError, match="windows"):
        spec.knobs(LAB, windows=1)["windows"].resolve("windows", "quick")


def test_the_data_layout_names_every_table_and_view():
    assert all((spec.TABLES_DIR / f"{name}.csv").is_file() for name in spec.TABLES)
    assert set(spec.VIEWS) == {"pose", "imu", "virtual", "virtual_clean"} and spec.SPLITS[-1] == "test"
