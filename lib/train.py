"""The one training loop every paper's notebook uses.

:func:`fit` trains any ``torch.nn.Module`` on any ``torch.utils.data.Dataset`` with a
``loss_fn(model, batch) -> loss | (loss, {metric: value})``. It gives

* ``tqdm.auto`` progress (silent with ``TQDM_DISABLE=1``),
* a per-epoch history (train/validation loss and metrics; wall seconds kept apart),
* early stopping on a monitored value, restoring the best weights,
* a checkpoint after every epoch and exact resume from it (model, optimizer, RNG state, history),
* the same code path under ``torchrun``: DistributedDataParallel with gloo on CPU, nccl on CUDA.

Batches come from a ``DistributedSampler`` seeded by ``(seed, epoch)`` also in a single process,
so a resumed run sees the same batches as an uninterrupted one, and ``batch_size`` is the *global*
batch: with W processes each takes ``batch_size / W`` items and gradients are averaged, which is the
same update as one process with the full batch (for losses that are means over the batch and
models without batch statistics).
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.distributed import DistributedSampler
from tqdm.auto import tqdm

from lib.repro import atomic_write

LossFn = Callable[[nn.Module, Any], Any]
CHECKPOINT_NAME = "checkpoint.pt"


@dataclass
class History:
    """What :func:`fit` did: one row per epoch plus the early-stopping outcome.

    ``rows`` hold only what the computation determines (losses, metrics), so equal seeds give equal
    rows; the wall time of each epoch is kept apart in ``seconds``.
    """

    rows: list[dict] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False
    world_size: int = 1

    def to_frame(self):
        """The per-epoch rows as a pandas DataFrame indexed by ``epoch`` (empty when no epoch ran)."""
        import pandas as pd

        return pd.DataFrame(self.rows).set_index("epoch") if self.rows else pd.DataFrame()

    def column(self, name: str) -> list[float]:
        """Metric ``name`` from each epoch's row, in epoch order."""
        return [row[name] for row in self.rows]


# --------------------------------------------------------------------------- distributed helpers

def init_distributed() -> tuple[int, int]:
    """(rank, world size). Under ``torchrun`` initialise the process group once (gloo on CPU, nccl on CUDA)."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    if int(os.environ.get("WORLD_SIZE", "1")) > 1:
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        dist.init_process_group(backend=backend)
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def _all_reduce_sum(values: list[float], device) -> list[float]:
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return values
    tensor = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(tensor)
    return tensor.tolist()


# --------------------------------------------------------------------------- batches

def to_device(batch: Any, device) -> Any:
    """Move a tensor or a (nested) tuple/list/dict of tensors to ``device``."""
    if torch.is_tensor(batch):
        return batch.to(device, non_blocking=True)
    if isinstance(batch, (list, tuple)):
        return type(batch)(to_device(b, device) for b in batch)
    if isinstance(batch, dict):
        return {k: to_device(v, device) for k, v in batch.items()}
    return batch


def _batch_len(batch: Any) -> int:
    if torch.is_tensor(batch):
        return batch.shape[0]
    if isinstance(batch, (list, tuple)):
        return _batch_len(batch[0])
    if isinstance(batch, dict):
        return _batch_len(next(iter(batch.values())))
    raise TypeError(f"cannot tell the size of a batch of type {type(batch).__name__}")


def _split_loss(output: Any) -> tuple[torch.Tensor, dict]:
    if isinstance(output, tuple):
        loss, metrics = output
    else:
        loss, metrics = output, {}
    if not torch.is_tensor(loss) or loss.ndim != 0:
        raise TypeError("loss_fn must return a scalar tensor or (scalar tensor, {name: value})")
    return loss, {k: float(v) for k, v in metrics.items()}


class _Meter:
    """Batch-size-weighted running means of the loss and the metrics."""

    def __init__(self) -> None:
        self.sums: dict[str, float] = {}
        self.count = 0

    def add(self, n: int, loss: float, metrics: dict) -> None:
        self.count += n
        for key, value in {"loss": loss, **metrics}.items():
            self.sums[key] = self.sums.get(key, 0.0) + value * n

    def means(self, prefix: str, device) -> dict:
        keys = sorted(self.sums)
        totals = _all_reduce_sum([self.sums[k] for k in keys] + [float(self.count)], device)
        count = max(totals[-1], 1.0)
        return {f"{prefix}_{k}": totals[i] / count for i, k in enumerate(keys)}


# --------------------------------------------------------------------------- checkpoints

def _rng_state() -> dict:
    return {"torch": torch.get_rng_state(), "numpy": np.random.get_state(), "random": random.getstate(),
            "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None}


def _set_rng_state(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    np.random.set_state(state["numpy"])
    random.setstate(state["random"])
    if state.get("cuda") is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _save_checkpoint(path: Path, state: dict) -> None:
    with atomic_write(path, "wb") as handle:
        torch.save(state, handle)


def load_checkpoint(checkpoint_dir: str | os.PathLike) -> dict | None:
    """The last checkpoint written by :func:`fit` in ``checkpoint_dir``, or None."""
    path = Path(checkpoint_dir) / CHECKPOINT_NAME
    if not path.exists():
        return None
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:  # noqa: BLE001
        raise RuntimeError(f"checkpoint {path} cannot be read ({exc}); delete it to start training afresh") from exc


# --------------------------------------------------------------------------- the loop

def fit(model: nn.Module, train_set: Dataset, *, loss_fn: LossFn, epochs: int, batch_size: int,
        lr: float = 1e-3, optimizer: torch.optim.Optimizer | Callable | None = None,
        val_set: Dataset | None = None, val_fn: LossFn | None = None,
        monitor: str = "val_loss", patience: int | None = None,
        checkpoint_dir: str | os.PathLike | None = None, device: Any = "cpu", seed: int = 0,
        collate_fn: Callable | None = None, drop_last: bool = False, desc: str = "training",
        epoch_metrics: Callable[[nn.Module], dict] | None = None,
        on_epoch_end: Callable[[dict], None] | None = None,
        stop_when: Callable[[list[dict]], bool] | None = None) -> History:
    """Train ``model`` in place and return its :class:`History`.

    loss_fn(model, batch) -> loss or (loss, metrics): called in train mode with gradients; ``batch``
        is already on ``device``. Call ``model(...)`` (not its submodules) so DDP can sync gradients.
    val_fn: the same for validation, run in eval mode under ``no_grad``; defaults to ``loss_fn``.
    optimizer: an optimizer, or a factory ``params -> optimizer``; default ``Adam(lr)``.
    monitor / patience: early stopping on a history column (``*loss*`` is minimised, anything else
        maximised); the best weights are restored at the end. Without a validation set the monitor
        falls back to ``train_loss``.
    checkpoint_dir: a checkpoint after every epoch; an existing checkpoint is resumed from.
    epoch_metrics(model) -> {column: number}: extra measurements after each epoch's validation (e.g. a
        probe of the representation), added to the history row before early stopping reads it and before
        the checkpoint is written (so a resumed run keeps them). It must leave the model's mode and the
        global RNGs as it found them; ``fit`` switches the model back to train mode next epoch.
    on_epoch_end(row): called after each epoch's checkpoint is written.
    stop_when(rows) -> bool: read after each epoch's history row is complete; True ends training there
        (recorded like early stopping, so a resumed run does not train on). ``epochs`` is then a cap.
    """
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"fit(epochs={epochs}, batch_size={batch_size}): both must be >= 1")
    rank, world = init_distributed()
    if batch_size % world:
        raise ValueError(f"fit(batch_size={batch_size}) must be divisible by the number of processes ({world})")
    device = torch.device(device)
    model.to(device)
    net = model
    if world > 1:
        net = nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    if optimizer is None:
        opt = torch.optim.Adam(model.parameters(), lr=lr)
    elif callable(optimizer) and not isinstance(optimizer, torch.optim.Optimizer):
        opt = optimizer(model.parameters())
    else:
        opt = optimizer
    val_fn = val_fn or loss_fn
    if val_set is None and monitor.startswith("val_"):
        monitor = "train_loss"
    minimise = "loss" in monitor

    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=True, seed=seed,
                                 drop_last=drop_last)
    loader = DataLoader(train_set, batch_size=batch_size // world, sampler=sampler, collate_fn=collate_fn,
                        drop_last=drop_last)
    val_loader = (DataLoader(val_set, batch_size=batch_size, shuffle=False, collate_fn=collate_fn)
                  if val_set is not None else None)

    history = History(world_size=world)
    best_value, best_state, bad_epochs, start_epoch = None, None, 0, 1
    config = {"batch_size": batch_size, "seed": seed, "world_size": world, "n_train": len(train_set)}
    ckpt_path = Path(checkpoint_dir) / CHECKPOINT_NAME if checkpoint_dir is not None else None
    state = load_checkpoint(checkpoint_dir) if checkpoint_dir is not None else None
    if state is not None:
        if state["config"] != config:
            raise ValueError(f"checkpoint {ckpt_path} was written with {state['config']}, this run has {config}; "
                             "delete it or give another checkpoint_dir")
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        history = state["history"]
        best_value, best_state, bad_epochs = state["best_value"], state["best_state"], state["bad_epochs"]
        start_epoch = state["epoch"] + 1
        _set_rng_state(state["rng"])
        if history.stopped_early:
            start_epoch = epochs + 1
    else:
        torch.manual_seed(seed + rank)

    quiet = {"disable": True} if rank != 0 else {}  # rank 0 leaves `disable` to tqdm (TQDM_DISABLE=1)
    bar = tqdm(range(start_epoch, epochs + 1), desc=desc, leave=False, initial=start_epoch - 1, total=epochs,
               **quiet)
    for epoch in bar:
        started = time.perf_counter()
        sampler.set_epoch(epoch)
        net.train()
        meter = _Meter()
        for batch in loader:
            batch = to_device(batch, device)
            loss, metrics = _split_loss(loss_fn(net, batch))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            meter.add(_batch_len(batch), float(loss.detach()), metrics)
        row = {"epoch": epoch, **meter.means("train", device)}
        if val_loader is not None:
            row.update(evaluate(model, val_loader, val_fn, device))
        if epoch_metrics is not None:
            row.update(epoch_metrics(model))
        history.rows.append(row)
        history.seconds.append(time.perf_counter() - started)

        if monitor not in row:
            raise KeyError(f"fit(monitor={monitor!r}) is not in the history columns {sorted(row)}")
        value = row[monitor]
        improved = best_value is None or (value < best_value if minimise else value > best_value)
        if improved:
            best_value, bad_epochs, history.best_epoch = value, 0, epoch
            best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        else:
            bad_epochs += 1
        history.stopped_early = epoch < epochs and ((patience is not None and bad_epochs >= patience)
                                                    or (stop_when is not None and bool(stop_when(history.rows))))
        bar.set_postfix({k: f"{v:.4g}" for k, v in row.items() if k != "epoch"})

        if ckpt_path is not None and rank == 0:
            _save_checkpoint(ckpt_path, {"epoch": epoch, "config": config, "model": model.state_dict(),
                                         "optimizer": opt.state_dict(), "history": history,
                                         "best_value": best_value, "best_state": best_state,
                                         "bad_epochs": bad_epochs, "rng": _rng_state()})
        if on_epoch_end is not None:
            on_epoch_end(row)
        if history.stopped_early:
            break
    bar.close()
    if best_state is not None and val_loader is not None:
        model.load_state_dict(best_state)
    return history


@torch.no_grad()
def evaluate(model: nn.Module, loader: DataLoader, fn: LossFn, device) -> dict:
    """Mean loss and metrics of ``fn`` over ``loader`` in eval mode, as ``val_*`` columns."""
    was_training = model.training
    model.eval()
    meter = _Meter()
    for batch in loader:
        batch = to_device(batch, device)
        loss, metrics = _split_loss(fn(model, batch))
        meter.add(_batch_len(batch), float(loss), metrics)
    model.train(was_training)
    sums = meter.sums
    count = max(meter.count, 1)
    return {f"val_{k}": v / count for k, v in sorted(sums.items())}
