"""The transfer lab's models and losses: one small encoder family, the survey's transfer objectives.

* :class:`Encoder` — a 1-D CNN over (B, C, L) windows -> (B, D) embeddings; :class:`Classifier` =
  encoder + linear head; :class:`FeatureFusion` — two encoders whose embeddings are concatenated
  (feature-level fusion, survey §3.1).
* :func:`imu2doppler_loss` — IMU2Doppler's objective (survey §4.2.2, [47]) with the lab's roles
  (target = IMU encoder f, source = frozen pose encoder g):
  ``mean_i [β ‖f(x_imu,i) − g(x_pose,i)‖² + α · CE(ŷ_i, y_i)]``, CE_i = 0 for unlabelled pairs.
* :func:`clip_loss` — CLIP's symmetric InfoNCE (survey §4.2.2, IMU2CLIP [67] after CLIP [5]):
  cosine-similarity logits × scale, cross-entropy over rows and over columns, averaged.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

UNLABELLED = -1  # the label of a window whose class is not known to the learner


class Encoder(nn.Module):
    """(B, C, L) -> (B, dim): two conv blocks, global average pooling, a linear projection."""

    def __init__(self, in_channels: int, dim: int = 64, width: int = 32) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(in_channels, width, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(width, width, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(width, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
            nn.Linear(width, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C, L) windows -> (B, dim) embeddings."""
        return self.net(x)


class Classifier(nn.Module):
    """Encoder + linear head: (B, C, L) -> (B, n_classes) logits; ``embed`` gives the (B, dim) features."""

    def __init__(self, in_channels: int, n_classes: int, dim: int = 64, width: int = 32) -> None:
        super().__init__()
        self.encoder = Encoder(in_channels, dim, width)
        self.head = nn.Linear(dim, n_classes)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C, L) windows -> (B, dim) features (the head's input)."""
        return self.encoder(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C, L) windows -> (B, n_classes) logits."""
        return self.head(self.encoder(x))


class FeatureFusion(nn.Module):
    """Feature-level fusion: concat(encoder_a(x_a), encoder_b(x_b)) -> linear head."""

    def __init__(self, channels_a: int, channels_b: int, n_classes: int, dim: int = 64, width: int = 32) -> None:
        super().__init__()
        self.encoder_a = Encoder(channels_a, dim, width)
        self.encoder_b = Encoder(channels_b, dim, width)
        self.head = nn.Linear(2 * dim, n_classes)

    def forward(self, x_a: torch.Tensor, x_b: torch.Tensor) -> torch.Tensor:
        """(B, C_a, L) and (B, C_b, L) windows of the same moments -> (B, n_classes) logits."""
        return self.head(torch.cat([self.encoder_a(x_a), self.encoder_b(x_b)], dim=1))


class AlignedIMU(nn.Module):
    """IMU encoder f + head; returns (embedding, logits) so one forward serves both loss terms."""

    def __init__(self, in_channels: int, n_classes: int, dim: int = 64, width: int = 32,
                 head: nn.Module | None = None, freeze_head: bool = False) -> None:
        super().__init__()
        self.encoder = Encoder(in_channels, dim, width)
        self.head = head if head is not None else nn.Linear(dim, n_classes)
        if freeze_head:
            for p in self.head.parameters():
                p.requires_grad_(False)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(B, C, L) IMU windows -> ((B, dim) embedding f(x), (B, n_classes) logits)."""
        z = self.encoder(x)
        return z, self.head(z)


class CLIPPair(nn.Module):
    """Two encoders trained with :func:`clip_loss`; the logit scale is learnable (CLIP: init 1/0.07)."""

    def __init__(self, channels_a: int, channels_b: int, dim: int = 64, width: int = 32,
                 init_temperature: float = 0.07) -> None:
        super().__init__()
        self.encoder_a = Encoder(channels_a, dim, width)
        self.encoder_b = Encoder(channels_b, dim, width)
        self.log_scale = nn.Parameter(torch.tensor(float(-torch.log(torch.tensor(init_temperature)))))

    def forward(self, x_a: torch.Tensor, x_b: torch.Tensor) -> torch.Tensor:
        """Paired (B, C_a, L) and (B, C_b, L) windows -> the scalar :func:`clip_loss` of their embeddings."""
        return clip_loss(self.encoder_a(x_a), self.encoder_b(x_b), self.log_scale.clamp(max=4.6052).exp())


# --------------------------------------------------------------------------- losses

def imu2doppler_loss(z_target: torch.Tensor, z_source: torch.Tensor, logits: torch.Tensor, y: torch.Tensor,
                     alpha: float = 1.0, beta: float = 1.0) -> torch.Tensor:
    """mean_i [ β ‖z_target,i − z_source,i‖² + α · CE_i ], CE_i = 0 for items with y = UNLABELLED.

    The survey's per-item objective averaged over the batch: for a fully labelled batch it is
    β·mean‖f − g‖² + α·mean CE; unlabelled pairs contribute the L2 term only, so a handful of labels
    among many pairs does not outweigh the alignment.
    z_target, z_source: (B, D) — f(x_target) being trained, g(x_source) from the frozen source encoder;
    logits: (B, K); y: (B,) class index or ``UNLABELLED`` (-1).
    """
    if z_target.shape != z_source.shape or z_target.ndim != 2:
        raise ValueError(f"imu2doppler_loss: embeddings must be two (B, D) tensors of one shape; "
                         f"got {tuple(z_target.shape)} and {tuple(z_source.shape)}")
    l2 = ((z_target - z_source) ** 2).sum(dim=1).mean()
    labelled = y != UNLABELLED
    ce = F.cross_entropy(logits[labelled], y[labelled], reduction="sum") / len(y) if labelled.any() else logits.sum() * 0.0
    return beta * l2 + alpha * ce


def clip_loss(z_a: torch.Tensor, z_b: torch.Tensor, scale: torch.Tensor | float = 1 / 0.07) -> torch.Tensor:
    """CLIP's symmetric InfoNCE: rows i of z_a and z_b are positives, every other row a negative.

    Both are L2-normalised; logits = scale · a·bᵀ; loss = (CE(logits, i) + CE(logitsᵀ, i)) / 2.
    """
    if z_a.shape != z_b.shape or z_a.ndim != 2:
        raise ValueError(f"clip_loss needs two (B, D) tensors of one shape; got {tuple(z_a.shape)} and {tuple(z_b.shape)}")
    a, b = F.normalize(z_a, dim=1), F.normalize(z_b, dim=1)
    logits = scale * a @ b.T
    target = torch.arange(len(a), device=a.device)
    return 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))


def accuracy(logits: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction (0–1) of rows whose arg-max of the (N, K) logits (or scores) equals the (N,) class index y."""
    return float((logits.argmax(1) == y).float().mean())
