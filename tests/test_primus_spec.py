"""lib.primus.spec: the P2 presets and run lists (the parameters-cell comments are checked by tests/test_specs.py)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from lib.params import Knob, ParameterError
from lib.primus import spec

ROOT = Path(__file__).resolve().parent.parent


def test_the_standard_training_budget_in_notebook_22s_text_is_the_spec_preset():
    nb = nbformat.read(ROOT / "notebooks" / "22_primus_few_shot.ipynb", as_version=4)
    steps = spec.PRESETS["22_primus_few_shot"]["standard_steps"]
    quick, full = steps.quick, steps.full
    assert f"{quick} Adam steps in quick mode, {full} in full" in nb.cells[0].source


def test_knobs_resolve_from_the_presets_and_refuse_unknown_names():
    made = spec.knobs("21_primus_pretraining", n_pretrain=None, epochs=4)
    assert list(made) == ["n_pretrain", "epochs"] and all(isinstance(k, Knob) for k in made.values())
    assert made["n_pretrain"].resolve("n_pretrain", "full") == spec.preset("21_primus_pretraining", "n_pretrain",
                                                                           "full") == 2_500
    assert made["epochs"].resolve("epochs", "quick") == 4
    with pytest.raises(ParameterError, match="too small"):
        spec.knobs("23_primus_ablations", n_seeds=0)["n_seeds"].resolve("n_seeds", "quick")
    with pytest.raises(ValueError, match="unknown knob"):
        spec.knobs("20_primus_world", epochs=3)  # notebook 20 pretrains nothing


def test_every_notebook_resolves_the_pretraining_knobs_alike():
    """Notebooks 21-24 ask for exactly the checkpoints notebook 21 caches: the same presets everywhere."""
    for notebook in ("22_primus_few_shot", "23_primus_ablations", "24_primus_aligned_fraction"):
        for name, entry in spec.PRESETS["21_primus_pretraining"].items():
            assert spec.PRESETS[notebook][name] == entry


def test_every_figure_run_is_a_pretraining_run():
    labels = {label for label, _, _ in spec.ALL_RUNS}
    assert set(spec.FIG4) | set(spec.FIG5) | set(spec.FIG6_LABELS) <= labels
    assert len(labels) == len(spec.ALL_RUNS) == 14  # notebook 21's "14 runs"
