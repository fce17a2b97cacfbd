"""One contract for the paper packages' presets: each ``lib.<package>.spec.PRESETS`` (a :class:`lib.params.PresetTable`)
is the one place a mode's values live, and each notebook's parameters cell states the same presets in its comments
(read from the notebook JSON, nothing executed), so the text a reader sees cannot drift from the code."""

from __future__ import annotations

import ast
import importlib
import json
import re

import pytest

from lib.params import Knob, PresetTable
from lib.paths import REPO_ROOT

PACKAGES = ("footsteps", "primus", "survey", "virtual_har")
BASE_PARAMETERS = ("mode", "seed", "data_root", "device")
#: "(quick 60, full 500)", "quick "8", full "10,50"", "(quick 8, full 30: the paper)", "quick 16, full 64 as ..."
QUICK_FULL = re.compile(r'quick ("[^"]*"|[^\s,)]+), full ("[^"]*"|[^\s,):]+)')
#: the same value in both modes: "None → preset 250", "None → "paper"", "None → mode preset (3)"
BOTH = re.compile(r'None → (?:mode )?(?:preset )?\(?("[^"]*"|-?[\d_.]+\b|True|False)')


def spec_of(package: str):
    return importlib.import_module(f"lib.{package}.spec")


NOTEBOOKS = [(package, notebook) for package in PACKAGES for notebook in spec_of(package).PRESETS]


def parameters_cell(notebook: str) -> dict[str, str]:
    """name -> the comment of its line in the notebook's parameters cell."""
    cells = json.loads((REPO_ROOT / "notebooks" / f"{notebook}.ipynb").read_text())["cells"]
    cell = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
    comments = {}
    for line in "".join(cell["source"]).splitlines():
        code, _, comment = line.partition("#")
        if "=" in code:
            comments[code.split("=", 1)[0].strip()] = comment
    return comments


def stated_presets(comment: str) -> tuple | None:
    """(quick, full) as a parameters-cell comment states them, parsed as Python literals; None if it states none."""
    match = QUICK_FULL.search(comment)
    if match:
        return tuple(ast.literal_eval(v) for v in match.groups())
    match = BOTH.search(comment)
    if not match:
        return None
    value = ast.literal_eval(match.group(1))
    return value, value


def test_the_comment_parser_reads_each_wording():
    assert stated_presets("int | None: ≥ 1; None → preset (quick 8, full 30: the paper)") == (8, 30)
    assert stated_presets('str | None: None → preset (quick "8", full "10,50")') == ("8", "10,50")
    assert stated_presets("int | None: DeepConvLSTM conv filters, ≥ 1 (quick 16, full 64 as Ordonez & Roggen)") == \
        (16, 64)
    assert stated_presets("int | None: ≥ 1; None → mode preset (quick 1200, full 2500)") == (1200, 2500)
    assert stated_presets("int | None: draws, ≥ 1; None → mode preset (3)") == (3, 3)
    assert stated_presets('str | None: ... None → preset "250,1024"') == ("250,1024", "250,1024")
    assert stated_presets('str | None: preset: ...; None → "paper"') == ("paper", "paper")
    assert stated_presets("bool | None: ...; None → preset (quick False, full True)") == (False, True)
    assert stated_presets("str | None: UCI HAPT folder; the shared data folder when absent") is None
    assert stated_presets("str | None: a BVH walk; None → every CMU walk present") is None


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_keeps_its_presets_in_one_table(package):
    spec = spec_of(package)
    assert isinstance(spec.PRESETS, PresetTable)
    assert spec.knobs == spec.PRESETS.knobs and spec.preset == spec.PRESETS.preset
    for notebook in spec.PRESETS:
        assert (REPO_ROOT / "notebooks" / f"{notebook}.ipynb").exists(), f"{package}: no notebook {notebook}"


@pytest.mark.parametrize(("package", "notebook"), NOTEBOOKS)
def test_the_parameters_cell_states_the_spec_presets(package, notebook):
    table = spec_of(package).PRESETS[notebook]
    comments = parameters_cell(notebook)
    assert set(table) <= set(comments), f"{notebook}: knobs {sorted(set(table) - set(comments))} are not parameters"
    for name, comment in comments.items():
        if name in BASE_PARAMETERS:
            continue
        stated = stated_presets(comment)
        if name not in table:
            assert stated is None, f"{notebook}: {name} states presets {stated} but is not a knob of the spec"
            continue
        entry = table[name]
        assert stated == (entry.quick, entry.full), (
            f"{notebook}: the comment of {name} states {stated}; lib.{package}.spec has ({entry.quick!r}, {entry.full!r})")
        for said, preset in zip(stated, (entry.quick, entry.full)):  # 20 states 20.0, but True never states 1
            assert isinstance(said, (bool, str)) == isinstance(preset, (bool, str)), f"{notebook}: {name}: {said!r}"


def test_a_table_resolves_presets_and_names_what_is_unknown():
    spec = spec_of("virtual_har")
    made = spec.knobs("41_virtual_imu_har", epochs=None, n_seeds=5)
    assert set(made) == {"epochs", "n_seeds"} and all(isinstance(k, Knob) for k in made.values())
    assert made["epochs"].resolve("epochs", "full") == 15 and made["n_seeds"].resolve("n_seeds", "quick") == 5
    assert spec.preset("41_virtual_imu_har", "real_subjects", "full") == 10
    with pytest.raises(ValueError, match="unknown knob\\(s\\) \\['epchs'\\]"):
        spec.knobs("41_virtual_imu_har", epchs=2)
    with pytest.raises(ValueError, match="no presets for notebook '99_nothing'"):
        spec.knobs("99_nothing")
    with pytest.raises(ValueError, match="no such knob"):
        spec.preset("40_virtual_imu_synthesis", "epochs", "full")
