"""P1 speed benchmark: sizes, and the protocol extrapolation from timed full-size steps."""

from __future__ import annotations

import numpy as np
import pytest

from lib.footsteps import bench
from lib.footsteps.pairs import split_pairs
from lib.footsteps.training import TrainSetup


def test_bench_sizes_are_checked(monkeypatch):
    monkeypatch.setenv("P1_BENCH_SIZE", "huge")
    with pytest.raises(ValueError, match="P1_BENCH_SIZE"):
        bench.bench_all_pairs_vs_pairwise()
    with pytest.raises(ValueError, match="unknown option"):
        bench.bench_all_pairs_vs_pairwise("quick", n_trian=3)
    assert not bench.SIZES["quick"]["full_protocol"] and bench.SIZES["full"]["full_protocol"]


def test_protocol_estimate_extrapolates_steps_and_validation():
    rng = np.random.default_rng(0)
    label = np.array([1, 1, 1, 0, 0, 0])
    feats = {"audio": rng.standard_normal((6, 999, 50)).astype(np.float32),
             "geophone": rng.standard_normal((6, 999, 50)).astype(np.float32), "label": label}
    splits = split_pairs(feats, 1, 1, 1, seed=0)
    est = bench.protocol_estimate(splits, TrainSetup(batch_size=2), seed=0, steps=1, train_items=1000,
                                  val_items=200, epochs=30)
    assert est["steps_per_epoch"] == 500
    assert est["epoch_s"] == pytest.approx(est["s_per_step"] * 500 + est["val_embed_s"])
    assert est["protocol_s"] == pytest.approx(30 * est["epoch_s"]) and est["s_per_step"] > 0
    paper_epoch = bench.protocol_estimate(splits, TrainSetup(batch_size=2, epoch_combinations=40), seed=0, steps=1)
    assert paper_epoch["steps_per_epoch"] == 10  # 40 combinations per epoch, 4 per step of 2 items
