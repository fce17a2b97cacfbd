"""P1's presets (lib/footsteps/spec.py): what notebooks 11 and 12 share, and bounds (the parameters-cell comments
are checked for every package by tests/test_specs.py)."""

from __future__ import annotations

import pytest

from lib.footsteps import spec
from lib.params import ParameterError

TRAINING = "11_footstep_siamese_training"


def test_knobs_resolve_the_presets_and_their_bounds():
    given = spec.knobs(TRAINING, n_train=None, lr=0.01, beyond=None)
    assert given["n_train"].resolve("n_train", "quick") == 60 and given["n_train"].resolve("n_train", "full") == 500
    assert given["lr"].resolve("lr", "full") == 0.01 and given["beyond"].resolve("beyond", "full") is True
    assert spec.preset("12_footstep_training_size", "n_small", "full") == 200
    with pytest.raises(ParameterError, match="scenes"):
        spec.knobs(TRAINING, scenes="stadium")["scenes"].resolve("scenes", "quick")


def test_notebooks_11_and_12_share_the_training_presets():
    """Same data, splits, training setup and seed: notebook 12 reuses notebook 11's cached networks."""
    for name in ("scenes", "n_seeds", "epochs", "n_eval", "lr", "epoch_combinations", "checks_per_epoch", "patience"):
        assert spec.PRESETS[TRAINING][name] == spec.PRESETS["12_footstep_training_size"][name]
