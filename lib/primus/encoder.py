"""The PRIMUS IMU encoder: a "Stacked RNN" (conv + group norm + pooling, topped by a GRU) with two heads.

Layers, as the reference implementation defines them (PRIMUS reference code,
Nokia-Bell-Labs/pretrained-imu-encoders, lib/imu_models.py; paper §II: "a Stacked RNN consisting of
convolutional, group normalization, and max-pooling layers, topped with a GRU layer ... 1.4M parameters"):

==========================  ======================================  ==================
layer                       what                                    shape, input (B, 6, 250)
==========================  ======================================  ==================
GroupNorm(2, 6)             acc xyz and gyro xyz normalised apart   (B, 6, 250)
Conv1d(6→32, k=10, d=2)     no bias, no activation; MaxPool1d(3)    (B, 32, 232) → (B, 32, 77)
Conv1d(32→32, k=5, d=2)     no bias, no activation; MaxPool1d(3)    (B, 32, 69) → (B, 32, 23)
Conv1d(32→32, k=5, d=2)     no bias, no activation; AdaptiveAvg(32) (B, 32, 15) → (B, 32, 32)
GroupNorm(4, 32)                                                    (B, 32, 32)
GRU(32 → 512), 1 layer      final hidden state                      (B, 512)   = ``emb``
heads: Linear(512, 512) ×2  ``ss`` (self-supervised), ``mm`` (multimodal)   (B, 512) each
==========================  ======================================  ==================

1,376,204 parameters (850,892 backbone + 2 × 262,656 heads). The paper calls the heads "MLP heads"; in
the reference code they are single linear layers, which is what is built here.

**The GRU axis switch** (``gru_over``). The reference feeds the (B, 32, 32) tensor to a
``batch_first`` GRU *without transposing*: its sequence runs over the 32 **conv channels** and each
step sees the 32 pooled **time bins** as features (the adaptive pool to 32 exists to make that fit).
``gru_over="channels"`` (default) replicates this quirk; ``gru_over="time"`` transposes first so the
GRU reads the 32 time bins in order, each a 32-channel feature vector, as a recurrent network over a
time series is usually meant. Both have the same parameter count and cost; every P2 figure uses the
default ``"channels"`` (the reference's behaviour), and notebook 21 compares the two.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import numpy as np
import torch
from torch import nn

from lib.primus.data import read_only_tensor

N_CHANNELS = 6  # acc xyz, gyro xyz (the channel order of the PRIMUS reference code's EgoExo4D IMU windows)
WINDOW = 250  # 5 s at 50 Hz
EMBED_DIM = 512
GRU_AXES = ("channels", "time")


class ConvBlock(nn.Sequential):
    """Conv1d (dilation 2, no bias, stride 1, no padding) followed by a pooling layer; no activation."""

    def __init__(self, c_in: int, c_out: int, kernel: int, pool: nn.Module) -> None:
        super().__init__(nn.Conv1d(c_in, c_out, kernel_size=kernel, dilation=2, bias=False), pool)


class StackedRNNEncoder(nn.Module):
    """IMU window (B, 6, T) → dict of (B, 512) tensors: ``emb`` (GRU state), ``ss`` and ``mm`` (heads).

    T must be at least 79 samples so the three valid convolutions and two max-pools leave ≥ 1 bin
    (250 at 50 Hz in PRIMUS, 1000 at 200 Hz in IMU2CLIP).
    """

    min_length = 79

    def __init__(self, embed_dim: int = EMBED_DIM, gru_over: str = "channels") -> None:
        super().__init__()
        if gru_over not in GRU_AXES:
            raise ValueError(f"StackedRNNEncoder(gru_over={gru_over!r}): use one of {GRU_AXES}")
        self.gru_over = gru_over
        self.embed_dim = embed_dim
        self.input_norm = nn.GroupNorm(2, N_CHANNELS)
        self.conv = nn.Sequential(
            ConvBlock(N_CHANNELS, 32, 10, nn.MaxPool1d(3)),
            ConvBlock(32, 32, 5, nn.MaxPool1d(3)),
            ConvBlock(32, 32, 5, nn.AdaptiveAvgPool1d(32)),
        )
        self.conv_norm = nn.GroupNorm(4, 32)
        self.gru = nn.GRU(input_size=32, hidden_size=embed_dim, batch_first=True)
        self.ss_head = nn.Linear(embed_dim, embed_dim)
        self.mm_head = nn.Linear(embed_dim, embed_dim)

    def backbone(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 6, T) raw IMU → (B, 512) final GRU hidden state."""
        if x.ndim != 3 or x.shape[1] != N_CHANNELS:
            raise ValueError(f"StackedRNNEncoder expects IMU windows of shape (batch, {N_CHANNELS}, time); "
                             f"got {tuple(x.shape)}")
        if x.shape[2] < self.min_length:
            raise ValueError(f"StackedRNNEncoder needs windows of >= {self.min_length} samples; got {x.shape[2]}")
        h = self.conv_norm(self.conv(self.input_norm(x)))  # (B, 32 channels, 32 time bins)
        if self.gru_over == "time":
            h = h.transpose(1, 2)  # sequence = time bins
        _, h_n = self.gru(h)
        return h_n[0]

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """(B, 6, T) → {"emb", "ss", "mm"}: (B, 512) each."""
        emb = self.backbone(x)
        return {"emb": emb, "ss": self.ss_head(emb), "mm": self.mm_head(emb)}

    @torch.no_grad()
    def embed(self, x, kind: str = "mm", batch_size: int = 512, device=None) -> torch.Tensor:
        """Embeddings of many windows (numpy or tensor, (N, 6, T)) in eval mode, on CPU: (N, 512).

        kind: ``"mm"`` (multimodal head; the probing default of the PRIMUS reference code's
        downstream_evaluation/classification_downstream_egoexo4d.py), ``"ss"`` or ``"emb"``.
        """
        if kind not in ("mm", "ss", "emb"):
            raise ValueError(f"embed(kind={kind!r}): use 'mm', 'ss' or 'emb'")
        device = device or next(self.parameters()).device
        was_training = self.training
        self.eval()
        x = x.float() if torch.is_tensor(x) else read_only_tensor(x)  # worker processes get read-only memmaps
        outs = [self(x[i:i + batch_size].to(device))[kind].cpu() for i in range(0, len(x), batch_size)]
        self.train(was_training)
        return torch.cat(outs) if outs else torch.zeros(0, self.embed_dim)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


@contextmanager
def torch_threads(device="cpu"):
    """Run torch single-threaded on CPU (``$P2_TORCH_THREADS`` overrides); leave GPU runs alone.

    For a batch of 64–512 windows the GRU's 512 × 512 matrix products are too small to split: on a shared
    2-core machine two intra-op threads spin-wait for each other (measured at 3–10× *more* CPU time per
    step than one thread), so the two cores run two pretraining runs in separate processes instead.
    """
    if torch.device(device).type != "cpu":
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(max(1, int(os.environ.get("P2_TORCH_THREADS", "1"))))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def encode(encoder: StackedRNNEncoder, windows: np.ndarray, kind: str = "mm", device="cpu",
           batch_size: int = 512) -> np.ndarray:
    """Frozen-encoder embeddings of IMU windows (N, 6, T): (N, 512) float64 numpy (what a linear probe reads).

    ``kind``: "mm", "ss" (a head's output) or "emb" (the GRU state). The encoder is moved to ``device`` for
    the pass and back to where it was (a probe during training must not move the network being trained),
    and torch runs single-threaded on CPU (:func:`torch_threads`).
    """
    home = next(encoder.parameters()).device
    encoder = encoder.to(device)
    with torch_threads(device):
        out = encoder.embed(np.asarray(windows, dtype=np.float32), kind=kind, batch_size=batch_size, device=device)
    encoder.to(home)
    return out.double().numpy()
