"""P1 speed benchmark (``python -m lib.bench footsteps``): all-pair vs pair-by-pair training, the fused
CNN, and the wall time of the paper's CNN protocol on this machine.

Measured side by side in one run, on the same data, initialisation and optimiser (Adam 1e-3):

* time to reach the same validation accuracy (all validation combinations, threshold 0.5): the
  all-pair trainer with 16 items per step (256 combinations, the paper's batch of 250) against the
  pair-by-pair trainer with 250 combinations per step (both sides encoded separately, in passes of
  16 combinations: :func:`lib.footsteps.training.pairwise_step`). If the pair-by-pair trainer does
  not reach the target within its time budget the ratio is a lower bound.
* seconds per step of the pair-by-pair trainer encoding all 250 combinations in one pass, as a GPU
  would (``pairwise_one_pass_s_per_step``): on a CPU it costs more than the 16-combination passes
  (``pairwise_one_pass_slowdown``), so the race uses those;
* seconds per training step of both, and the paper protocol (30 epochs x 1,000,000 combinations)
  extrapolated from them;
* the fused CNN (:class:`lib.footsteps.models.CNNEncoder`, fast=True) against the layer-by-layer
  reference: forward + backward seconds per item;
* the CNN protocol of notebook 11 (:data:`lib.footsteps.training.FULL_PROTOCOL`: 500 + 500 training
  pairs of the "paper" scenes, 100 + 100 validation, epochs of 1,000,000 combinations with early
  stopping, all-pair trainer, evaluation on all combinations): size "full" runs it (wall time, steps,
  train and test accuracy); both sizes time full-size steps and extrapolate the paper's fixed
  30 epochs without early stopping (120,000 steps of 16 items);
* the LSTM (all 999 frames, the paper, and frames averaged in groups of 10): seconds per step
  measured, its full protocol extrapolated the same way.

Sizes. ``lib.bench`` calls the function without arguments; the size comes from ``$P1_BENCH_SIZE``
("quick", the default: about 10 min on 2 CPU cores; "full": the 30-epoch CNN protocol is actually
run, plus a longer race). The time-to-accuracy race is only meaningful when the all-pair trainer
reaches a real target (``min_target_acc`` = 0.9 validation accuracy); otherwise ``race_decided`` is
False and the speed-up is reported as None. The race runs on the simulator's "paper" scenes
(``race_scenes``), the paper's recording conditions.
"""

from __future__ import annotations

import copy
import os
import time

import numpy as np
import torch

from lib.footsteps.experiments import items_for_combinations, load_features, make_splits
from lib.footsteps.models import CNNEncoder
from lib.footsteps.pairs import embed
from lib.footsteps.training import (FULL_PROTOCOL, PAIRWISE_CHUNK, TrainSetup, all_pairs_step, build_model,
                                    evaluate_splits, pairwise_step, timed_training, train_all_pairs)

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


SIZES = {
    "quick": dict(n_train=60, n_val=20, max_all_pairs_s=120.0, max_pairwise_s=360.0, full_protocol=False,
                  protocol_steps=6, race_scenes="paper"),
    "full": dict(n_train=100, n_val=50, max_all_pairs_s=240.0, max_pairwise_s=2700.0, full_protocol=True,
                 protocol_steps=20, race_scenes="paper"),
}


def protocol_estimate(splits: dict, setup: TrainSetup, seed: int, steps: int, train_items: int = 1000,
                      val_items: int = 200, epochs: int = 30) -> dict:
    """Seconds of the paper protocol (``epochs`` x ``train_items`` items per epoch, ``val_items``
    embedded per epoch for validation, as ``lib.train.fit`` does) extrapolated from ``steps`` timed
    all-pair training steps on full-size (999 x 50) inputs of ``splits["train"]`` and one embedding
    of ``splits["val"]`` (scaled to ``val_items``); an epoch is ``setup.steps_per_epoch(train_items)``."""
    train, val = splits["train"], splits["val"]
    tensors = tuple(torch.as_tensor(x) for x in (train.audio, train.geophone, train.label))
    model = build_model(setup, train, seed)
    opt = torch.optim.Adam(model.parameters(), lr=setup.lr)
    gen = torch.Generator().manual_seed(seed)
    step_s = _time_steps(lambda: all_pairs_step(model, opt, tensors,
                                                torch.randperm(len(train), generator=gen)[:setup.batch_size]),
                         steps)
    started = time.perf_counter()
    with torch.no_grad():
        embed(model, val)
    val_s = (time.perf_counter() - started) * val_items / len(val)
    steps_per_epoch = setup.steps_per_epoch(train_items)
    epoch_s = step_s * steps_per_epoch + val_s
    return {"s_per_step": step_s, "val_embed_s": val_s, "steps_per_epoch": steps_per_epoch,
            "epoch_s": epoch_s, "protocol_s": epoch_s * epochs}


def bench_all_pairs_vs_pairwise(size: str | None = None, target_fraction: float = 0.95,
                                min_target_acc: float = 0.9, lstm: bool = True, seed: int = 0,
                                cache_dir=None, **overrides) -> dict:
    """The P1 benchmark table (see the module docstring); every number is measured in this call.

    size: "quick" or "full" (default ``$P1_BENCH_SIZE`` or "quick"), a preset of :data:`SIZES`;
    ``overrides`` replace preset entries (n_train / n_val: pairs per class for the time-to-accuracy
    race; max_all_pairs_s / max_pairwise_s: training-time budgets of the race; full_protocol: run the
    CNN protocol; protocol_steps: steps timed for the protocol estimates). The race target is
    ``target_fraction`` x the best validation accuracy the all-pair trainer reaches in its budget,
    and at least ``min_target_acc``; the pair-by-pair trainer gets ``max_pairwise_s`` to reach it.
    """
    size = size or os.environ.get("P1_BENCH_SIZE", "quick")
    if size not in SIZES:
        raise ValueError(f"P1 bench size {size!r} is unknown; set P1_BENCH_SIZE to one of {sorted(SIZES)}")
    unknown = sorted(set(overrides) - set(SIZES[size]))
    if unknown:
        raise ValueError(f"bench_all_pairs_vs_pairwise: unknown option(s) {unknown}; use {sorted(SIZES[size])}")
    cfg = {**SIZES[size], **overrides}
    torch.set_num_threads(min(torch.get_num_threads(), os.cpu_count() or 1))
    out: dict = {"size": size, "cpu_threads": torch.get_num_threads(), "load_avg_1min_start": os.getloadavg()[0]}
    out.update(fused_cnn_speedup(seed=seed))

    feats, _ = load_features(cfg["n_train"] + 2 * cfg["n_val"], seed, cache_dir=cache_dir, scenes=cfg["race_scenes"])
    race = make_splits(feats, cfg["n_train"], cfg["n_val"], cfg["n_val"], seed)
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

    def pw(chunk):
        return lambda: pairwise_step(model, opt, tensors, torch.randint(0, len(train), (PAPER_BATCH,), generator=gen),
                                     torch.randint(0, len(train), (PAPER_BATCH,), generator=gen), chunk=chunk)

    pw_step = _time_steps(pw(PAIRWISE_CHUNK), 2)
    pw_one_pass_step = _time_steps(pw(None), 1)
    out.update({"pairwise_combinations_per_pass": PAIRWISE_CHUNK, "pairwise_one_pass_s_per_step": pw_one_pass_step,
                "pairwise_one_pass_slowdown": pw_one_pass_step / pw_step,
                "all_pairs_items_per_step": items, "all_pairs_combinations_per_step": items**2,
                "all_pairs_s_per_step": ap_step, "pairwise_combinations_per_step": PAPER_BATCH,
                "pairwise_s_per_step": pw_step,
                "per_combination_speedup": (pw_step / PAPER_BATCH) / (ap_step / items**2),
                "pairwise_paper_protocol_h_estimate": pw_step * 30 * 1_000_000 / PAPER_BATCH / 3600})

    # time to the same validation accuracy
    ap = timed_training("all_pairs", race, ap_setup, seed, target_acc=1.01, max_seconds=cfg["max_all_pairs_s"],
                        eval_every_s=10)
    target = max(target_fraction * ap["best_val_acc"], min_target_acc)
    ap_hit = next((t for t, acc in ap["curve"] if acc >= target), None)
    out.update({"race_scenes": cfg["race_scenes"], "race_train_pairs_per_class": cfg["n_train"],
                "race_target_val_acc": target,
                "all_pairs_best_val_acc": ap["best_val_acc"], "all_pairs_s_to_target": ap_hit,
                "all_pairs_budget_s": cfg["max_all_pairs_s"], "race_decided": ap_hit is not None})
    if ap_hit is None:  # the all-pair trainer stayed near chance: a race to chance level measures nothing
        out.update({"pairwise_s_to_target": None, "pairwise_best_val_acc": None, "pairwise_budget_s": 0,
                    "pairwise_reached_target": None, "time_to_accuracy_speedup": None, "pairwise_curve": []})
    else:
        pw = timed_training("pairwise", race, pw_setup, seed, target_acc=target, max_seconds=cfg["max_pairwise_s"],
                            eval_every_s=30)
        reached = pw["seconds_to_target"] is not None
        out.update({"pairwise_s_to_target": pw["seconds_to_target"], "pairwise_best_val_acc": pw["best_val_acc"],
                    "pairwise_budget_s": cfg["max_pairwise_s"], "pairwise_reached_target": reached,
                    "time_to_accuracy_speedup": (pw["seconds_to_target"] if reached else cfg["max_pairwise_s"])
                    / max(ap_hit, 1e-9),
                    "time_to_accuracy_speedup_is_lower_bound": not reached, "pairwise_curve": pw["curve"]})
    out["all_pairs_curve"] = ap["curve"]

    # the CNN protocol: the paper's 30 full epochs (no early stopping) estimated from timed full-size steps;
    # notebook 11's protocol (early stopping) run when the size asks for it
    paper_epochs = TrainSetup(batch_size=items, epoch_combinations=FULL_PROTOCOL.epoch_combinations)
    est = protocol_estimate(race, paper_epochs, seed, cfg["protocol_steps"])
    out.update({"cnn_protocol_s_per_step": est["s_per_step"], "cnn_paper_epoch_combinations": paper_epochs.epoch_combinations,
                "cnn_paper_protocol_steps": 30 * paper_epochs.steps_per_epoch(1000),
                "cnn_paper_protocol_h_estimate": est["protocol_s"] / 3600})
    if cfg["full_protocol"]:
        feats, _ = load_features(700, seed, cache_dir=cache_dir, scenes="paper")
        splits = make_splits(feats, 500, 100, 100, seed)
        started = time.perf_counter()
        model, history = train_all_pairs(splits, FULL_PROTOCOL, seed=seed, desc="CNN full protocol")
        scores = evaluate_splits(model, splits)
        out.update({"cnn_full_protocol_min": (time.perf_counter() - started) / 60,
                    "cnn_full_protocol_checks": len(history.rows), "cnn_full_protocol_steps": history.rows[-1]["steps"],
                    "cnn_full_protocol_train_acc": scores["train"], "cnn_full_protocol_test_acc": scores["test"],
                    "cnn_full_protocol_threshold": scores["threshold"]})

    if lstm:
        for pool in (1, 10):
            est = protocol_estimate(race, TrainSetup(encoder="lstm", batch_size=items,
                                                      encoder_kwargs={"time_pool": pool}), seed, 1)
            out.update({f"lstm_pool{pool}_s_per_step": est["s_per_step"],
                        f"lstm_pool{pool}_full_protocol_h_estimate": est["protocol_s"] / 3600})
    out["load_avg_1min_end"] = os.getloadavg()[0]
    return out
