"""The one verdict rule (lib.verdict): mean ± sd across seeds against a reference, and Claim.from_verdict."""

from __future__ import annotations

import pytest

from lib import verdict
from lib.repro import Claim


def test_at_least_decides_by_the_spread_across_seeds():
    assert verdict.at_least([97.0, 98.0, 99.0], 95.0).label == "holds"  # 98 ± 1 wholly above 95
    assert verdict.at_least([90.0, 91.0, 92.0], 95.0).label == "does not hold"  # 91 ± 1 wholly below
    v = verdict.at_least([93.0, 95.0, 97.0], 95.5)  # 95 ± 2 straddles 95.5
    assert v.label == "inconclusive" and v.holds is None
    assert v.estimate == pytest.approx(95.0) and v.spread == pytest.approx(2.0) and v.n_seeds == 3


def test_one_seed_is_decided_by_its_point_estimate():
    v = verdict.at_least([96.0], 95.0)
    assert (v.label, v.spread, v.n_seeds) == ("holds", 0.0, 1)
    assert verdict.at_least([95.0], 95.0).label == "does not hold"  # "above" is strict
    assert verdict.at_most([94.0], 95.0).label == "holds"


def test_greater_pairs_seeds_when_it_can():
    # per-seed differences 1, 1, 1: no spread at all, although each side varies a lot between seeds
    assert verdict.greater([80.0, 90.0, 99.0], [79.0, 89.0, 98.0]).label == "holds"
    # unpaired (different counts): the two spreads add up and swallow the difference
    assert verdict.greater([80.0, 90.0, 99.0], [79.0, 89.0]).label == "inconclusive"
    assert verdict.greater([1.0, 2.0], [5.0, 6.0], by=0.0).label == "does not hold"
    assert verdict.greater([10.0, 10.5], [5.0, 5.5], by=6.0).label == "does not hold"


def test_within_a_tolerance():
    assert verdict.within([0.45, 0.5, 0.55], 0.5, 0.1).label == "holds"
    assert verdict.within([0.9, 0.95], 0.5, 0.1).label == "does not hold"
    assert verdict.within([0.5, 0.7], 0.5, 0.1).label == "inconclusive"
    with pytest.raises(ValueError, match="tolerance"):
        verdict.within([1.0], 0.0, -1.0)


def test_bad_values_and_underfitting():
    with pytest.raises(ValueError, match="one value per training seed"):
        verdict.at_least([], 1.0)
    with pytest.raises(ValueError, match="finite"):
        verdict.at_least([1.0, float("nan")], 1.0)
    assert verdict.underfits([0.97, 0.99]) is None
    reason = verdict.underfits([0.6, 0.7])
    assert "underfits" in reason and "65.0 %" in reason
    v = verdict.guarded(verdict.at_least([60.0, 70.0], 95.0), reason)
    assert v.label == "untestable" and v.holds is None and v.estimate == pytest.approx(65.0)


def test_claims_carry_the_verdict():
    v = verdict.at_least([97.0, 98.0, 99.0], 95.0)
    claim = Claim.from_verdict("x1", "reaches 95 %", "95 %", v, unit=" %")
    assert (claim.holds, claim.verdict) == (True, "holds") and claim.ours == "98.00 % ± 1.00 % (3 seeds) vs 95.00 %"
    odd = Claim.from_verdict("x2", "t", "p", verdict.at_least([93.0, 97.0], 95.5), note="why")
    assert (odd.holds, odd.verdict, odd.note) == (None, "inconclusive", "why")
    assert Claim("x3", "t", "p", "o", None).verdict == "not tested"
    assert Claim("x4", "t", "p", "o", False).verdict == "does not hold"
    with pytest.raises(ValueError, match="contradicts"):
        Claim("x5", "t", "p", "o", True, verdict="inconclusive")
    with pytest.raises(ValueError, match="not one of"):
        Claim("x6", "t", "p", "o", None, verdict="maybe")


def test_guarded_weakest_and_first_failure():
    v = verdict.at_least([97.0, 98.0, 99.0], 95.0)
    assert verdict.guarded(v, None) is v
    g = verdict.guarded(v, "network underfits (train 80.0 % < 95 %)")
    assert (g.label, g.estimate, g.reason) == ("untestable", v.estimate, "network underfits (train 80.0 % < 95 %)")
    fails = verdict.at_least([90.0], 95.0)
    unsure = verdict.at_least([93.0, 97.0], 95.5)
    assert verdict.weakest(v, unsure, fails) is fails and verdict.weakest(v, unsure) is unsure
    assert verdict.weakest(fails, g) is fails  # one part that fails decides a conjunction, tested or not
    assert verdict.weakest(unsure, g) is g  # otherwise an untestable part makes it untestable
    assert verdict.first_failure(None, "", "b", "c") == "b" and verdict.first_failure(None) is None


def test_greater_unpaired_uses_both_spreads():
    first, second = [10.0, 12.0, 14.0], [9.0, 11.0, 13.0]
    assert verdict.greater(first, second).label == "holds"  # paired: every seed is 1 point ahead
    unpaired = verdict.greater(first, second, paired=False)
    assert unpaired.label == "inconclusive" and abs(unpaired.spread - 2 * 2 ** 0.5) < 1e-9
    with pytest.raises(ValueError, match="paired=True"):
        verdict.greater([1.0, 2.0], [1.0], paired=True)
