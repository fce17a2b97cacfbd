"""Training the siamese network on pair combinations: the all-pair trainer and the pair-by-pair baseline.

All-pair trainer (what the notebooks use). A batch is B *items* (recorded pairs); each is embedded
once, the B x B distance matrix is formed and the contrastive loss (Eq. 2) is averaged over all B^2
ordered combinations. The encoder cost is per item, the loss is over combinations.

Batch size and epoch. The paper's batch size (250) counts combinations: each of its steps encodes
both sides of 250 combinations (500 encoder passes per modality) and an epoch of 1,000,000
combinations is 4,000 steps. Here 16 items give 256 combinations per step for 16 encoder passes
per modality, the nearest square to 250, so a step sees as many combinations as the paper's.
``TrainSetup.epoch_combinations`` is the paper's epoch counted as the paper counts it (1,000,000
combinations -> ceil(1e6 / 256) = 3,907 steps of 16 items), drawn by shuffling the items repeated as
often as needed (:class:`lib.footsteps.pairs.ItemDataset`); ``None`` is one pass over the items.

Validation checks. The paper's early stopping is unspecified beyond "stopped the training at 30
epochs by using an early stop criterion" (§3.4.1). We validate ``checks_per_epoch`` times per epoch
(the points of Fig. 6-7) and stop when the validation accuracy at the paper's threshold has not
improved for ``patience`` checks, keeping the best weights; ``epochs`` (30) caps the run. History
rows carry ``paper_epoch`` (combinations trained / 1,000,000), the x-axis of the curves.

:func:`pairwise_step` (driven by :func:`timed_training`) is the pair-by-pair trainer the paper's numbers imply
(two encoder passes per combination; 30 epochs of 1,000,000 combinations = 120,000 steps, the
paper's 592 A100 minutes); the benchmark races the two. It runs its 250 combinations in passes of
16 (gradients accumulated), so both trainers encode 16 items per pass and the race compares
encoder passes per combination (2 against 1/16, i.e. 32x at best), not cache effects.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import torch

from lib.footsteps.models import MODALITIES, SiameseFootstepNet
from lib.footsteps.pairs import (PAPER_THRESHOLD, SIMILARITY_READINGS, ItemDataset, Split, WholeSplit,
                                 choose_threshold, embed, input_stats, pair_accuracy, similar)
from lib.losses import all_pairs_contrastive_loss, contrastive_margin_loss
from lib.train import fit

PAPER_EPOCH_COMBINATIONS = 1_000_000  # §3.4.1: 1000 training pairs -> 1,000,000 combinations per epoch


@dataclass
class TrainSetup:
    """What to train and how (defaults: the paper's CNN protocol, §3.4.1)."""

    encoder: str = "cnn"
    modalities: tuple = MODALITIES
    epochs: int = 30  # the paper's cap, in epochs of epoch_combinations
    batch_size: int = 16  # items per step (all-pair: 16^2 = 256 combinations ~ the paper's 250) or combinations (pair-by-pair)
    lr: float = 1e-3
    margin: float = 1.0
    threshold: float = PAPER_THRESHOLD  # decision threshold for the accuracy logged during training
    patience: int | None = None  # early stopping: checks without a better validation accuracy (best weights kept)
    encoder_kwargs: dict = field(default_factory=dict)
    epoch_combinations: int | None = None  # training combinations per epoch (paper: 1,000,000); None = one pass over the items
    similarity: str = "same_label"  # the indicator I of Eq. 2: "same_label" or "both_footsteps" (lib.footsteps.pairs)
    checks_per_epoch: int = 1  # validation checks (curve points, early-stopping granularity) per epoch

    def __post_init__(self) -> None:
        if self.similarity not in SIMILARITY_READINGS:
            raise ValueError(f"TrainSetup.similarity={self.similarity!r}: use one of {list(SIMILARITY_READINGS)}")
        if self.checks_per_epoch < 1:
            raise ValueError(f"TrainSetup.checks_per_epoch={self.checks_per_epoch} must be >= 1")
        if self.epoch_combinations is not None and self.epoch_combinations < 1:
            raise ValueError(f"TrainSetup.epoch_combinations={self.epoch_combinations} must be >= 1 "
                             "(or None for one pass over the training items per epoch)")

    def steps_per_epoch(self, n_items: int) -> int:
        """Optimiser steps in one epoch over ``n_items`` training items (all-pair trainer)."""
        return self.steps_per_check(n_items) * self.checks_per_epoch

    def steps_per_check(self, n_items: int) -> int:
        """Optimiser steps between two validation checks over ``n_items`` training items (all-pair trainer)."""
        if self.epoch_combinations is None:
            return int(np.ceil(n_items / self.batch_size / self.checks_per_epoch))
        return int(np.ceil(self.epoch_combinations / self.checks_per_epoch / self.batch_size ** 2))


#: Notebooks 11-12's full-mode protocol (the module docstring): the paper's epochs of 1,000,000 combinations in
#: steps of 16 items (256 combinations ~ its batch of 250), Adam 1e-3, at most 30 epochs, 64 validation checks per
#: epoch and early stopping after 2 checks without a better validation accuracy.
FULL_PROTOCOL = TrainSetup(epochs=30, batch_size=16, lr=1e-3, patience=2, epoch_combinations=PAPER_EPOCH_COMBINATIONS,
                           checks_per_epoch=64)


def same_budget(setup: TrainSetup, checks: int, steps_per_check: int) -> TrainSetup:
    """``setup`` trained for exactly ``checks`` x ``steps_per_check`` steps, a check after each round, no
    early stopping: an ablation on the budget another network took."""
    return replace(setup, epochs=1, patience=None, checks_per_epoch=checks,
                   epoch_combinations=checks * steps_per_check * setup.batch_size ** 2)


def build_model(setup: TrainSetup, train: Split, seed: int) -> SiameseFootstepNet:
    """A freshly initialised (seeded) network whose input standardisation comes from ``train``."""
    torch.manual_seed(seed)
    model = SiameseFootstepNet(setup.encoder, setup.modalities, **setup.encoder_kwargs)
    model.set_input_stats(input_stats(train))
    return model


def all_pairs_objective(margin: float = 1.0, threshold: float = PAPER_THRESHOLD, reading: str = "same_label"):
    """``loss_fn(model, (audio, geophone, label))`` for ``lib.train.fit``: mean Eq.-2 loss over all
    combinations of the batch, plus their accuracy at ``threshold`` as metric ``acc``; on a whole
    validation split also ``acc_best``, the accuracy at the best threshold of 0.05 ... 2.0."""

    grid = torch.arange(0.05, 2.0001, 0.05)

    def loss_fn(model, batch):
        audio, geophone, label = batch
        whole = audio.ndim == 4  # a WholeSplit element (1, n, 999, 50): validation
        if whole:
            audio, geophone, label = audio[0], geophone[0], label[0]
        same = similar(label.cpu(), reading=reading).to(label.device)
        loss, dist = all_pairs_contrastive_loss(model(audio, geophone), same, margin)
        dist = dist.detach()
        metrics = {"acc": ((dist < threshold) == same).float().mean()}
        if whole:  # also the accuracy at the best threshold of the grid (how separable the embedding is)
            metrics["acc_best"] = max(((dist < t) == same).float().mean() for t in grid)
        return loss, metrics

    return loss_fn


def train_all_pairs(splits: dict[str, Split], setup: TrainSetup, seed: int = 0, device="cpu",
                    checkpoint_dir=None, desc: str = "all-pair training"):
    """Train with the all-pair objective through ``lib.train.fit``; returns (model, History).

    ``setup.epochs * setup.checks_per_epoch`` rounds of ``setup.steps_per_check(n)`` steps of
    ``setup.batch_size`` items, a validation check after each. ``checkpoint_dir``: a checkpoint after
    every check, resumed from when the run is started again.

    History columns: steps, paper_epoch (combinations trained so far / the paper's 1,000,000),
    train_loss / train_acc (mean over the round's batches, dropout on), val_loss / val_acc /
    val_acc_best (all validation combinations, eval mode; at the threshold and at the best threshold).
    The weights with the highest val_acc are kept.
    """
    model = build_model(setup, splits["train"], seed)
    objective = all_pairs_objective(setup.margin, setup.threshold, setup.similarity)
    steps = setup.steps_per_check(len(splits["train"]))
    items = ItemDataset(splits["train"], length=steps * setup.batch_size)
    history = fit(model, items, loss_fn=objective, val_set=WholeSplit(splits["val"]),
                  epochs=setup.epochs * setup.checks_per_epoch, batch_size=setup.batch_size, lr=setup.lr,
                  monitor="val_acc", patience=setup.patience, checkpoint_dir=checkpoint_dir, device=device,
                  seed=seed, desc=desc)
    for row in history.rows:
        row["steps"] = row["epoch"] * steps
        row["paper_epoch"] = row["steps"] * setup.batch_size ** 2 / PAPER_EPOCH_COMBINATIONS
    return model, history


def evaluate_splits(model, splits: dict[str, Split], device="cpu", threshold: float | None = None,
                    reading: str = "same_label") -> dict:
    """Top-1 combination accuracy on every split, at the threshold chosen on validation (or the given one),
    and at the paper's 0.5: {"threshold", "train", "val", "test", "train@0.5", ...}; I under ``reading``."""
    emb = {name: embed(model, split, device=device) for name, split in splits.items()}
    if threshold is None:
        threshold, _ = choose_threshold(emb["val"], splits["val"].label, reading=reading)
    out = {"threshold": threshold}
    for name, split in splits.items():
        out[name] = pair_accuracy(emb[name], split.label, threshold, reading)
        out[f"{name}@{PAPER_THRESHOLD}"] = pair_accuracy(emb[name], split.label, PAPER_THRESHOLD, reading)
    return out


# --------------------------------------------------------------------------- pair-by-pair baseline

PAIRWISE_CHUNK = 16  # combinations per forward/backward pass of the pair-by-pair trainer (see pairwise_step)


def pairwise_step(model, optimizer, tensors: tuple, first: torch.Tensor, second: torch.Tensor,
                  margin: float = 1.0, chunk: int | None = PAIRWISE_CHUNK, reading: str = "same_label") -> float:
    """One step of the pair-by-pair trainer on the B combinations (first[k], second[k]): both sides are
    pushed through the network separately (two encoder passes per combination side). Returns the loss.

    ``chunk``: combinations per forward/backward pass, gradients accumulated over the B / chunk passes
    into one optimiser step on the mean loss (None: all B at once). The gradient is the one of the
    whole batch except for batch norm, which normalises over the chunk's items, as the all-pair
    trainer's over its 16. On a CPU a 250-item pass costs more per item than 16-item passes (cache
    misses on 250 x 8 x 999 x 50 activations; ``pairwise_one_pass_slowdown`` in results/bench.json),
    a penalty the baseline should not carry.
    """
    audio, geophone, label = tensors
    n = len(first)
    chunk = n if chunk is None else chunk
    optimizer.zero_grad(set_to_none=True)
    total = 0.0
    for start in range(0, n, chunk):
        i, j = first[start:start + chunk], second[start:start + chunk]
        f1, f2 = model(audio[i], geophone[i]), model(audio[j], geophone[j])
        dist = (f1 - f2).square().sum(1).clamp_min(1e-12).sqrt()
        same = torch.diagonal(similar(label[i].cpu(), label[j].cpu(), reading)).to(dist.device)
        loss = contrastive_margin_loss(dist, same, margin) * (len(i) / n)
        loss.backward()
        total += float(loss.detach())
    optimizer.step()
    return total


def all_pairs_step(model, optimizer, tensors: tuple, items: torch.Tensor, margin: float = 1.0,
                   reading: str = "same_label") -> float:
    """One step of the all-pair trainer on a batch of item indices (the loss of :func:`all_pairs_objective`)."""
    audio, geophone, label = tensors
    same = similar(label[items].cpu(), reading=reading).to(label.device)
    loss, _ = all_pairs_contrastive_loss(model(audio[items], geophone[items]), same, margin)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return float(loss.detach())


def timed_training(kind: str, splits: dict[str, Split], setup: TrainSetup, seed: int, *, target_acc: float,
                   max_seconds: float, eval_every_s: float, device="cpu", threshold: float = PAPER_THRESHOLD) -> dict:
    """Train with ``kind`` = "all_pairs" or "pairwise" until the validation combination accuracy (at
    ``threshold``) reaches ``target_acc`` or ``max_seconds`` of *training* time pass.

    Evaluation pauses the clock. Returns {"seconds_to_target" (None if not reached), "train_seconds",
    "steps", "combinations_seen", "encoder_passes", "best_val_acc", "curve": [(seconds, val_acc), ...]}.
    """
    if kind not in ("all_pairs", "pairwise"):
        raise ValueError(f"timed_training(kind={kind!r}): use 'all_pairs' or 'pairwise'")
    model = build_model(setup, splits["train"], seed).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=setup.lr)
    train = splits["train"]
    tensors = tuple(torch.as_tensor(x).to(device) for x in (train.audio, train.geophone, train.label))
    n = len(train)
    gen = torch.Generator().manual_seed(seed)
    n_mod = len(setup.modalities)
    clock, steps, combos, passes = 0.0, 0, 0, 0
    curve, reached, best = [], None, 0.0
    next_eval = 0.0
    order, cursor = torch.randperm(n, generator=gen), 0
    model.train()
    while clock < max_seconds:
        started = time.perf_counter()
        if kind == "all_pairs":
            if cursor >= n:
                order, cursor = torch.randperm(n, generator=gen), 0
            items = order[cursor:cursor + setup.batch_size].to(device)
            cursor += setup.batch_size
            all_pairs_step(model, optimizer, tensors, items, setup.margin, setup.similarity)
            combos += items.numel() ** 2
            passes += items.numel() * n_mod
        else:
            first = torch.randint(0, n, (setup.batch_size,), generator=gen).to(device)
            second = torch.randint(0, n, (setup.batch_size,), generator=gen).to(device)
            pairwise_step(model, optimizer, tensors, first, second, setup.margin, reading=setup.similarity)
            combos += setup.batch_size
            passes += 2 * setup.batch_size * n_mod
        steps += 1
        clock += time.perf_counter() - started
        if clock >= next_eval or clock >= max_seconds:
            acc = pair_accuracy(embed(model, splits["val"], device=device), splits["val"].label, threshold,
                                setup.similarity)
            model.train()
            curve.append((round(clock, 3), acc))
            best = max(best, acc)
            next_eval = clock + eval_every_s
            if acc >= target_acc:
                reached = clock
                break
    return {"seconds_to_target": reached, "train_seconds": clock, "steps": steps, "combinations_seen": combos,
            "encoder_passes": passes, "best_val_acc": best, "curve": curve}


def protocol_seconds_estimate(step_seconds: float, combinations_per_step: int, epochs: int = 30,
                              combinations_per_epoch: int = 1_000_000) -> float:
    """Wall time of a protocol of ``epochs`` x ``combinations_per_epoch`` at a measured seconds/step."""
    return float(step_seconds * epochs * np.ceil(combinations_per_epoch / combinations_per_step))
