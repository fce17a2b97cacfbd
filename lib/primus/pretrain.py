"""Pretraining runs (cached, checkpointed, resumable) and the supervised "standard training" baseline.

:func:`pretrain` trains one objective with :func:`lib.train.fit` (so the same code runs on CPU, on
``device="cuda"`` and under ``torchrun``). :func:`pretrained` memoises it on disk with
:func:`lib.repro.cached`, keyed by the corpus key, the objective and every training setting: notebook
21 pays for pretraining, notebooks 22–24 load the same weights. While a run is in progress it
checkpoints every epoch (in the cache entry's ``.checkpoints`` folder) and resumes from there.

Defaults (PRIMUS reference code, Nokia-Bell-Labs/pretrained-imu-encoders, pretraining.py and its config,
scaled to a CPU budget): Adam, no weight decay, no schedule; batch 128 (the reference: 16 per GPU × 4 GPUs,
negatives only within a GPU's 16) and lr 1e-3 (reference 2e-4 over 15 epochs of 250K segments ≈ 230K steps;
here a few hundred steps). 5 % of the corpus is held out and the weights of the epoch with the lowest
validation loss are kept (reference: best val_loss).

**CPU threads.** On CPU every training and encoding call here runs torch single-threaded
(:func:`lib.primus.encoder.torch_threads`): for a batch of 64–128 windows the GRU's 512 × 512 matrix products are too
small to split, and on a shared 2-core machine two intra-op threads spin-wait for each other — measured
at 3–10× *more* CPU time per step than one thread. The two cores are used instead by training two
objectives at once in separate processes (:func:`lib.primus.experiments.get_runs`). Set
``P2_TORCH_THREADS`` to override.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import TensorDataset

from lib.paths import default_cache_dir
from lib.primus.convergence import LOSS_TOLERANCE, PROBE_TOLERANCE, plateau
from lib.primus.data import TripletDataset, aligned_mask, check_corpus, collate_batched, read_only_tensor
from lib.primus.encoder import StackedRNNEncoder, torch_threads
from lib.primus.objectives import TAU_MIN, Objective, Pretrainer, get_objective
from lib.repro import cached, params_hash
from lib.train import fit

PRETRAIN_VERSION = "2"
DEFAULTS = {"epochs": 1, "max_epochs": None, "batch_size": 128, "lr": 1e-3, "val_fraction": 0.05,
            "aligned_fraction": 1.0, "gru_over": "channels", "p_reverse": 0.5}


def split_corpus(n: int, val_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train index, validation index): a seeded random ``val_fraction`` of segments for validation."""
    order = np.random.default_rng([seed, 21]).permutation(n)
    n_val = int(round(val_fraction * n))
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def pretrain(objective: str | Objective, corpus: dict, *, epochs: int = 1, max_epochs: int | None = None,
             batch_size: int = 128, lr: float = 1e-3, seed: int = 0, device="cpu", aligned_fraction: float = 1.0,
             val_fraction: float = 0.05, gru_over: str = "channels", p_reverse: float = 0.5, checkpoint_dir=None,
             desc: str | None = None, probe=None) -> tuple[StackedRNNEncoder, dict]:
    """Pretrain a fresh encoder with ``objective`` on ``corpus``; return (encoder, report).

    probe: an :class:`lib.primus.convergence.EpochProbe`; after every epoch it measures the few-shot
    accuracy of the embedding the objective is probed on (history column ``probe_acc``).
    epochs / max_epochs: train ``epochs`` epochs; with ``max_epochs`` > ``epochs`` (needs ``probe``) go on,
    one epoch at a time, until the plateau rule of :mod:`lib.primus.convergence` holds or ``max_epochs``
    is reached. The kept weights are those of the lowest validation loss over every epoch trained.
    report: history rows, best epoch, seconds, segments/s (encoder passes are 2 per window for the
    two-view objectives), objective fields, seed.
    """
    obj = get_objective(objective)
    n = check_corpus(corpus)
    cap = epochs if max_epochs is None else max_epochs
    if cap < epochs:
        raise ValueError(f"pretrain(max_epochs={max_epochs}) is below epochs={epochs}: give max_epochs >= epochs "
                         "(or None for exactly `epochs`)")
    if cap > epochs and probe is None:
        raise ValueError(f"pretrain(max_epochs={max_epochs}) trains on until the probe has plateaued: give probe= "
                         "(an EpochProbe), or max_epochs=None")
    torch.manual_seed(seed)
    model = Pretrainer(obj, StackedRNNEncoder(gru_over=gru_over), p_reverse=p_reverse)
    aligned = aligned_mask(n, aligned_fraction, seed)
    train_idx, val_idx = split_corpus(n, val_fraction, seed)
    train_set = TripletDataset(corpus, train_idx, aligned)
    val_set = TripletDataset(corpus, val_idx, aligned) if len(val_idx) >= 2 else None

    def probe_metrics(net) -> dict:
        return {"probe_acc": probe(net.encoder, obj.probe_kind, device=device)}

    def plateaued(rows) -> bool:
        return len(rows) >= epochs and plateau(rows)["plateaued"]

    started = time.perf_counter()
    with torch_threads(device):
        history = fit(model, train_set, loss_fn=lambda net, batch: net(batch), epochs=cap, batch_size=batch_size,
                      lr=lr, val_set=val_set, monitor="val_loss", checkpoint_dir=checkpoint_dir, device=device,
                      seed=seed, collate_fn=collate_batched, drop_last=True, desc=desc or f"pretrain {obj.name}",
                      epoch_metrics=probe_metrics if probe is not None else None,
                      stop_when=plateaued if cap > epochs else None)
    seconds = time.perf_counter() - started
    trained = sum(history.seconds)
    report = {"objective": asdict(obj), "history": history.rows, "best_epoch": history.best_epoch,
              "seconds": seconds, "n_train": len(train_set), "n_val": len(val_idx),
              "n_aligned": int(aligned.sum()), "epoch_seconds": list(history.seconds), "seed": seed,
              "min_epochs": epochs, "max_epochs": cap,
              "segments_per_s": len(history.rows) * len(train_set) / max(trained, 1e-9)}
    encoder = model.encoder.cpu().eval()
    return encoder, report


def _cache_params(objective, corpus_key: str, cache_dir, seed: int, settings: dict, probe=None):
    obj = get_objective(objective)
    unknown = set(settings) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"pretrained(): unknown setting(s) {sorted(unknown)}; known: {sorted(DEFAULTS)}")
    config = {**DEFAULTS, **settings}
    params = {"corpus": corpus_key, "objective": asdict(obj), "seed": seed, **config, "tau_floor": TAU_MIN}
    if config["max_epochs"] in (None, config["epochs"]):
        del params["max_epochs"]  # a fixed budget: the same entry as before max_epochs existed
    else:  # trained until the plateau rule holds: the rule is part of what was run
        params["plateau_rule"] = {"probe_tolerance": PROBE_TOLERANCE, "loss_tolerance": LOSS_TOLERANCE}
    if probe is not None:
        params["probe"] = probe.cache_key()
    root = default_cache_dir() if cache_dir is None else Path(cache_dir)
    return obj, config, params, root


def is_pretrained(objective: str | Objective, corpus_key: str, *, cache_dir=None, seed: int = 0, probe=None,
                  **settings) -> bool:
    """Whether :func:`pretrained` would load this run from the cache instead of training it."""
    _, _, params, root = _cache_params(objective, corpus_key, cache_dir, seed, settings, probe)
    path = root / "p2_pretrained" / (params_hash(params, PRETRAIN_VERSION) + ".pt")
    return path.exists() and path.with_name(path.name + ".sha256").exists()


def pretrained(objective: str | Objective, corpus: dict, corpus_key: str, *, cache_dir=None, seed: int = 0,
               device="cpu", probe=None, **settings) -> tuple[StackedRNNEncoder, dict]:
    """:func:`pretrain`, memoised on disk under (corpus_key, objective, settings, seed, probe).

    ``corpus_key`` must identify the corpus's content (e.g. the world parameters' hash); settings are
    the keyword arguments of :func:`pretrain` (defaults in :data:`DEFAULTS`); ``probe`` the per-epoch
    :class:`lib.primus.convergence.EpochProbe` (its task key enters the cache key).
    """
    obj, config, params, root = _cache_params(objective, corpus_key, cache_dir, seed, settings, probe)

    def compute(checkpoints):
        encoder, report = pretrain(obj, corpus, seed=seed, device=device, checkpoint_dir=checkpoints, probe=probe,
                                   **config)
        return {"state_dict": encoder.state_dict(), "report": report, "gru_over": config["gru_over"]}

    entry = cached("p2_pretrained", params, PRETRAIN_VERSION, compute, fmt="torch", cache_dir=root, resumable=True)
    encoder = StackedRNNEncoder(gru_over=entry["gru_over"])
    encoder.load_state_dict(entry["state_dict"])
    return encoder.eval(), entry["report"]


# --------------------------------------------------------------------------- standard training

class Classifier(nn.Module):
    """A randomly initialised encoder + Linear(512 → classes) on the L2-normalised MM-head output (as the PRIMUS
    reference code's downstream_evaluation scripts build it)."""

    def __init__(self, n_classes: int, gru_over: str = "channels") -> None:
        super().__init__()
        self.encoder = StackedRNNEncoder(gru_over=gru_over)
        self.head = nn.Linear(self.encoder.embed_dim, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 6, T) windows → (B, classes) logits."""
        return self.head(nn.functional.normalize(self.encoder(x)["mm"], dim=1))


def standard_training(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, *, n_classes: int,
                      steps: int = 150, batch_size: int = 64, lr: float = 1e-3, seed: int = 0, device="cpu",
                      gru_over: str = "channels") -> np.ndarray:
    """Train every parameter from scratch on the few labelled windows; return test predictions.

    PRIMUS §III-B baseline (IV): "starts from a randomly initialized model and updates all the
    parameters ... with standard supervised learning". A fixed budget of ``steps`` Adam steps (epochs =
    steps / batches per epoch, at least one) so that tiny training sets are not starved of updates.
    """
    torch.manual_seed(seed)
    model = Classifier(n_classes, gru_over)
    x = torch.as_tensor(np.asarray(train_x), dtype=torch.float32)
    y = torch.as_tensor(np.asarray(train_y), dtype=torch.long)
    batch = min(batch_size, len(y))
    epochs = max(1, int(np.ceil(steps / max(1, int(np.ceil(len(y) / batch))))))

    def loss_fn(net, b):
        return nn.functional.cross_entropy(net(b[0]), b[1])

    with torch_threads(device):
        fit(model, TensorDataset(x, y), loss_fn=loss_fn, epochs=epochs, batch_size=batch, lr=lr, device=device,
            seed=seed, desc="standard training")
    model.eval()
    with torch.no_grad(), torch_threads(device):
        xt = read_only_tensor(test_x)
        logits = torch.cat([model(xt[i:i + 512].to(device)).cpu() for i in range(0, len(xt), 512)])
    return logits.argmax(1).numpy()
