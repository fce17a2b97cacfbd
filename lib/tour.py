"""The toy problem of notebook 00: is a 2-s vertical-acceleration window someone walking?

Walking windows are a cadenced gait signal (step frequency 1.5–2.2 Hz, a few harmonics with random
phases and amplitudes 0.5–3 m/s²); the other windows are sway and bumps at random times. Both get
white sensor noise (0.5–2.5 m/s²), so a few windows are genuinely ambiguous. Small on purpose: it
exists to show the parameter contract and ``lib.train`` at work in seconds.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from lib.plots import figure_size

RATE_HZ = 50
WINDOW_S = 2.0


def walking_windows(n: int, rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` labelled windows: x (n, 1, 100) float32 in m/s², y (n,) int64 with 1 = walking."""
    t = np.arange(int(RATE_HZ * WINDOW_S)) / RATE_HZ
    y = rng.integers(0, 2, n)
    cadence = rng.uniform(1.5, 2.2, (n, 1))
    gait = sum(rng.uniform(0.5, 3.0, (n, 1)) / k * np.sin(2 * np.pi * k * cadence * t + rng.uniform(0, 2 * np.pi, (n, 1)))
               for k in (1, 2, 3))
    sway = rng.uniform(0.2, 1.5, (n, 1)) * np.sin(2 * np.pi * rng.uniform(0.1, 0.8, (n, 1)) * t)
    bump_at = rng.uniform(0, WINDOW_S, (n, 1))
    bumps = rng.uniform(0.5, 4.0, (n, 1)) * np.exp(-((t - bump_at) / 0.05) ** 2)
    noise = rng.uniform(0.5, 2.5, (n, 1)) * rng.standard_normal((n, t.size))
    x = np.where(y[:, None] == 1, gait, sway + bumps) + noise
    return torch.tensor(x[:, None, :], dtype=torch.float32), torch.tensor(y)


class TinyCNN(nn.Module):
    """Two 1-D convolutions, global average pooling, a linear layer: (B, 1, 100) -> (B, 2) logits."""

    def __init__(self, width: int = 16) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(1, width, 9, padding=4), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(width, width, 9, padding=4), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
            nn.Dropout(0.2), nn.Linear(width, 2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 1, 100) windows -> (B, 2) logits."""
        return self.net(x)


def cross_entropy_with_accuracy(model: nn.Module, batch) -> tuple[torch.Tensor, dict]:
    """The ``loss_fn`` for :func:`lib.train.fit`: cross-entropy, plus accuracy as a metric."""
    x, y = batch
    logits = model(x)
    return nn.functional.cross_entropy(logits, y), {"acc": (logits.argmax(1) == y).float().mean()}


def training_curves(history: list[dict]):
    """Loss and accuracy per epoch, train beside validation: a Figure of two panels.

    ``history``: the rows of :class:`lib.train.History` (``epoch``, ``train_loss``, ``val_loss`` in nats,
    ``train_acc``, ``val_acc`` as fractions), as the notebook keeps them in its results.
    """
    import matplotlib.pyplot as plt

    epochs = [row["epoch"] for row in history]
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=figure_size("wide", 3.2))
    for ax, metric, label in ((ax_loss, "loss", "cross-entropy"), (ax_acc, "acc", "accuracy")):
        ax.plot(epochs, [row[f"train_{metric}"] for row in history], label="train")
        ax.plot(epochs, [row[f"val_{metric}"] for row in history], label="validation")
        ax.set(xlabel="epoch", ylabel=label, title="loss" if metric == "loss" else "accuracy")
    ax_acc.set_ylim(0.4, 1.0)
    ax_acc.legend()
    return fig


#: Figures of notebook 00 redrawn from its results JSON (see :mod:`lib.figures`).
REDRAW = {"00_tour": lambda record: {"p0_tour_training_curves": training_curves(record["values"]["history"])}}
