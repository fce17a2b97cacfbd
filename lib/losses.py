"""Losses shared by the papers' notebooks.

P1 (footsteps): the contrastive margin loss of Hadsell, Chopra & LeCun (2006) as written in the
paper's Eq. 2-3: for two inputs with embedding distance D = ||F(x1) - F(x2)||_2 and indicator
I = 1 when they belong to the same set,

    L(x1, x2, I) = I D^2 + (1 - I) max(0, m - D)^2,      margin m = 1 (paper §2.1).

:func:`all_pairs_contrastive_loss` averages it over every ordered combination (i, j) of a batch of
embeddings, including i = j (the paper counts 1000 items as 1,000,000 combinations, §3.4.1).
"""

from __future__ import annotations

import torch


def contrastive_margin_loss(distance: torch.Tensor, same: torch.Tensor, margin: float = 1.0,
                            reduction: str = "mean") -> torch.Tensor:
    """Eq. 2 element-wise: ``same * D**2 + (1 - same) * clamp(margin - D, 0)**2``; reduced by mean/sum/none."""
    if margin <= 0:
        raise ValueError(f"contrastive_margin_loss(margin={margin}): the margin must be > 0 (the paper uses 1)")
    same = same.to(distance.dtype)
    loss = same * distance.square() + (1 - same) * torch.clamp(margin - distance, min=0).square()
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"contrastive_margin_loss(reduction={reduction!r}): use 'mean', 'sum' or 'none'")


def pairwise_distances(embeddings: torch.Tensor, other: torch.Tensor | None = None) -> torch.Tensor:
    """Euclidean distances (N, M) between rows of ``embeddings`` (N, D) and ``other`` (M, D) (default: itself).

    ``torch.cdist`` on differences (not the Gram-matrix shortcut, which is off by ~0.05 on the diagonal
    for 3840-d embeddings); its gradient at D = 0 (i = j) is zero, not NaN.
    """
    other = embeddings if other is None else other
    return torch.cdist(embeddings[None], other[None], compute_mode="donot_use_mm_for_euclid_dist")[0]


def all_pairs_contrastive_loss(embeddings: torch.Tensor, same: torch.Tensor, margin: float = 1.0) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean Eq.-2 loss over all N^2 ordered combinations of a batch: (loss, distances (N, N)).

    ``embeddings`` (N, D); ``same`` (N, N) bool, the indicator I of each combination (for P1 from
    :func:`lib.footsteps.pairs.similar`).
    """
    if same.shape != (embeddings.shape[0],) * 2:
        raise ValueError(f"all_pairs_contrastive_loss: same {tuple(same.shape)} must be (N, N) for N = "
                         f"{embeddings.shape[0]} embeddings")
    distance = pairwise_distances(embeddings)
    return contrastive_margin_loss(distance, same, margin), distance
