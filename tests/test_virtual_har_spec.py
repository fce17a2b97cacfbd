"""P4's presets (lib/virtual_har/spec.py): bounds and the DIP layout (the parameters-cell comments: tests/test_specs.py)."""

from __future__ import annotations

import pytest

from lib.params import ParameterError
from lib.virtual_har import spec


def test_knob_bounds_and_units_hold():
    assert spec.knobs("40_virtual_imu_synthesis", clip_s=None)["clip_s"].resolve("clip_s", "full") == 60.0
    with pytest.raises(ParameterError, match="too small"):
        spec.knobs("41_virtual_imu_har", n_subjects=2)["n_subjects"].resolve("n_subjects", "quick")
    with pytest.raises(ParameterError, match="not allowed"):
        spec.knobs("40_virtual_imu_synthesis", bvh_units="furlong")["bvh_units"].resolve("bvh_units", "quick")


def test_dip_layout_names_the_labels_file():
    assert list(spec.DIP_DATA_LAYOUT.required) == ["p4_labels.csv"]
    assert "DIP_IMU/s_XX/NN.pkl" in spec.DIP_DATA_LAYOUT.description
