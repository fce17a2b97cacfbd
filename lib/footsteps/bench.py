"""P1 speed benchmark (``python -m lib.bench footsteps``): all-pair vs pair-by-pair training, the fused
CNN, and the wall time of the paper's CNN protocol on this machine.

Measured side by side in one run, on the same data, initialisation and optimiser (Adam 1e-3):

* time to reach the same validation accuracy (all validation combinations, threshold 0.5): the
  all-pair trainer with 16 items per step (256 combinations, the paper's batch of 250) against the
  pair-by-pair trainer with 250 combinations per step (both sides encoded separately). If the
  pair-by-pair trainer does not reach the target within its time budget the ratio is a lower bound.
* seconds per training step of both, and the paper protocol (30 epochs x 1,000,000 combinations)
  extrapolated from them;
* the fused CNN (:class:`lib.footsteps.models.CNNEncoder`, fast=True) against the layer-by-layer
  reference: forward + backward seconds per item;
* the CNN full protocol (500 + 500 training pairs, 100 + 100 validation, 30 epochs, all-pair
  trainer, evaluation on all combinations) actually run, wall time and test accuracy;
* the LSTM: seconds per step measured, its full protocol extrapolated.
"""

from __future__ import annotations

import copy
import os
import time

import numpy as np
import torch

from lib.footsteps.experiment import items_for_combinations, load_features, make_splits
from lib.footsteps.models import CNNEncoder, SiameseFootstepNet
from lib.footsteps.training import (TrainSetup, all_pairs_step, build_model, evaluate_splits, pairwise_step,
                                    timed_training, train_all_pairs)

PAPER_BATCH = 250  # combinations per step (paper §3.4.1)


def _time_steps(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return float(np.median(times))


def fused_cnn_speedup(batch: int = 16, repeats: int = 5, seed: int = 0) -> dict:
    """Forward+backward ms per item of the fused and the layer-by-layer CNN (interleaved repeats, medians)."""
    torch.manual_seed(seed)
    fast = CNNEncoder().train()
    plain = copy.deepcopy(fast)
    plain.fast = False
    x = torch.randn(batch, 999, 50)
    res = {"fast": [], "plain": []}
    for _ in range(repeats):
        for name, model in (("plain", plain), ("fast", fast)):
            res[name].append(_time_steps(lambda m=model: m(x).sum().backward(), 1) / batch * 1e3)
    ms = {k: float(np.median(v)) for k, v in res.items()}
    return {"cnn_plain_ms_per_item": ms["plain"], "cnn_fused_ms_per_item": ms["fast"],
            "cnn_fused_speedup": ms["plain"] / ms["fast"]}


def bench_all_pairs_vs_pairwise(n_train: int = 100, n_val: int = 50, max_all_pairs_s: float = 240.0,
                                max_pairwise_s: float = 1200.0, target_fraction: float = 0.95,
                                full_protocol: bool = True, lstm: bool = True, seed: int = 0,
                                cache_dir=None) -> dict:
    """The P1 benchmark table (see the module docstring); every number is measured in this call.

    n_train / n_val: pairs per class for the time-to-accuracy race (the full protocol uses 500/100/100).
    The target is ``target_fraction`` x the best validation accuracy the all-pair trainer reaches in
    ``max_all_pairs_s``; the pair-by-pair trainer gets ``max_pairwise_s`` to reach it.
    """
    torch.set_num_threads(min(torch.get_num_threads(), os.cpu_count() or 1))
    out: dict = {"cpu_threads": torch.get_num_threads()}
    out.update(fused_cnn_speedup(seed=seed))

    feats, key = load_features(700, seed, cache_dir=cache_dir)
    race = make_splits(feats, n_train, n_val, n_val, seed)
    items = items_for_combinations(PAPER_BATCH)
    ap_setup = TrainSetup(batch_size=items)
    pw_setup = TrainSetup(batch_size=PAPER_BATCH)

    # per-step costs on the race data
    train = race["train"]
    tensors = tuple(torch.as_tensor(x) for x in (train.audio, train.geophone, train.label))
    gen = torch.Generator().manual_seed(seed)
    model = build_model(ap_setup, train, seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    ap_step = _time_steps(lambda: all_pairs_step(model, opt, tensors, torch.randperm(len(train), generator=gen)[:items]), 3)
    pw_step = _time_steps(lambda: pairwise_step(model, opt, tensors, torch.randint(0, len(train), (PAPER_BATCH,), generator=gen),
                                                torch.randint(0, len(train), (PAPER_BATCH,), generator=gen)), 2)
    out.update({"all_pairs_items_per_step": items, "all_pairs_combinations_per_step": items**2,
                "all_pairs_s_per_step": ap_step, "pairwise_combinations_per_step": PAPER_BATCH,
                "pairwise_s_per_step": pw_step,
                "per_combination_speedup": (pw_step / PAPER_BATCH) / (ap_step / items**2),
                "pairwise_paper_protocol_h_estimate": pw_step * 30 * 1_000_000 / PAPER_BATCH / 3600})

    # time to the same validation accuracy
    ap = timed_training("all_pairs", race, ap_setup, seed, target_acc=1.01, max_seconds=max_all_pairs_s, eval_every_s=10)
    target = target_fraction * ap["best_val_acc"]
    ap_hit = next((t for t, acc in ap["curve"] if acc >= target), None)
    pw = timed_training("pairwise", race, pw_setup, seed, target_acc=target, max_seconds=max_pairwise_s, eval_every_s=30)
    out.update({"race_train_pairs_per_class": n_train, "race_target_val_acc": target,
                "all_pairs_best_val_acc": ap["best_val_acc"], "all_pairs_s_to_target": ap_hit,
                "pairwise_s_to_target": pw["seconds_to_target"], "pairwise_best_val_acc": pw["best_val_acc"],
                "pairwise_budget_s": max_pairwise_s, "pairwise_reached_target": pw["seconds_to_target"] is not None,
                "time_to_accuracy_speedup": (pw["seconds_to_target"] if pw["seconds_to_target"] is not None
                                             else max_pairwise_s) / max(ap_hit or float("nan"), 1e-9),
                "all_pairs_curve": ap["curve"], "pairwise_curve": pw["curve"]})

    if full_protocol:
        splits = make_splits(feats, 500, 100, 100, seed)
        started = time.perf_counter()
        model, history = train_all_pairs(splits, TrainSetup(batch_size=items, epochs=30), seed=seed,
                                         desc="CNN full protocol")
        scores = evaluate_splits(model, splits)
        out.update({"cnn_full_protocol_s": time.perf_counter() - started, "cnn_full_protocol_epochs": len(history.rows),
                    "cnn_full_protocol_test_acc": scores["test"], "cnn_full_protocol_threshold": scores["threshold"]})

    if lstm:
        lstm_setup = TrainSetup(encoder="lstm", batch_size=items)
        model = SiameseFootstepNet("lstm")
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        step = _time_steps(lambda: all_pairs_step(model, opt, tensors, torch.randperm(len(train), generator=gen)[:items]), 1)
        epoch_steps = int(np.ceil(1000 / lstm_setup.batch_size))
        out.update({"lstm_s_per_step": step, "lstm_full_protocol_h_estimate": step * epoch_steps * 30 / 3600})
    return out
