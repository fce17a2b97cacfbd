"""lib.virtual_har.synthesis: notebook 40's checks of the virtual-IMU pipeline."""

from __future__ import annotations

import numpy as np
import pytest

from lib.virtual_har import synthesis as syn


def test_the_turning_check_of_eq3_meets_its_known_answer():
    """Notebook 40's Eq. (3) check: ω²r and ω, for two radii and rates."""
    for radius, rate in ((0.4, 0.5), (0.2, 1.0)):
        eq3 = syn.turning_check(radius_m=radius, rev_per_s=rate)
        assert eq3["omega"] == pytest.approx(2 * np.pi * rate)
        assert eq3["expected"] == pytest.approx(eq3["omega"] ** 2 * radius)
        assert eq3["finite_difference"] == pytest.approx(eq3["expected"], rel=2e-3)
        assert eq3["gyro"] == pytest.approx(eq3["omega"], rel=1e-6)
