"""The presets in lib.virtual_har.spec agree with what notebooks 40 and 41 state in their parameters cells."""

import ast
import json
import re

import pytest

from lib.params import Knob, ParameterError
from lib.paths import REPO_ROOT
from lib.virtual_har import spec

NOTEBOOKS = {"40_virtual_imu_synthesis": spec.PRESETS_40, "41_virtual_imu_har": spec.PRESETS_41}
QUICK_FULL = re.compile(r"\(quick ([^,]+), full ([^\s:)]+)")


def parameter_comments(notebook: str) -> dict[str, str]:
    """name -> the comment of its line in the notebook's parameters cell."""
    cells = json.loads((REPO_ROOT / "notebooks" / f"{notebook}.ipynb").read_text())["cells"]
    cell = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
    comments = {}
    for line in "".join(cell["source"]).splitlines():
        name, _, rest = line.partition("=")
        comments[name.strip()] = rest.partition("#")[2]
    return comments


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS))
def test_parameters_cell_states_the_presets_of_spec(notebook):
    comments = parameter_comments(notebook)
    for name, (quick, full, bounds) in NOTEBOOKS[notebook].items():
        assert name in comments, f"{notebook}: knob {name} is not in the parameters cell"
        found = QUICK_FULL.search(comments[name])
        if found is None:  # a knob with choices and one preset states it as 'None → "auto"'
            assert quick == full and "choices" in bounds, f"{notebook}: {name}'s comment states no (quick X, full Y)"
            assert f"None → {quick!r}".replace("'", '"') in comments[name]
            continue
        stated = [ast.literal_eval(v) for v in found.groups()]
        assert stated == [quick, full], f"{notebook}: {name} says quick {stated[0]}, full {stated[1]}; spec has {quick}, {full}"


def test_knobs_resolve_to_the_presets_and_reject_unknown_names():
    knobs = spec.knobs_41(epochs=None, n_seeds=5)
    assert set(knobs) == set(spec.PRESETS_41) and all(isinstance(k, Knob) for k in knobs.values())
    assert knobs["epochs"].resolve("epochs", "quick") == 4 and knobs["epochs"].resolve("epochs", "full") == 15
    assert knobs["n_seeds"].resolve("n_seeds", "full") == 5
    assert spec.knobs_40()["clip_s"].resolve("clip_s", "full") == 60.0
    with pytest.raises(ParameterError, match="too small"):
        spec.knobs_41(n_subjects=2)["n_subjects"].resolve("n_subjects", "quick")
    with pytest.raises(ValueError, match="epchs"):
        spec.knobs_41(epchs=2)
    assert spec.preset("41", "real_subjects", "full") == 10


def test_dip_layout_names_the_labels_file():
    assert list(spec.DIP_DATA_LAYOUT.required) == ["p4_labels.csv"]
    assert "DIP_IMU/s_XX/NN.pkl" in spec.DIP_DATA_LAYOUT.description
