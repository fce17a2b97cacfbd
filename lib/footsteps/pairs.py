"""The paper's pair protocol (§3.4.1), splits, combinations and accuracy.

Vocabulary. The paper calls one clip's (audio, geophone) recording a *pair*: 700 positive pairs
(footsteps) and 700 negative pairs (none). A *combination* is an ordered couple (x_i, x_j) of two
such pairs from the same split, with the indicator I = 1 when both have the same label
(positive-positive or negative-negative) and I = 0 otherwise (Eq. 2). The paper's counts are the
squares of the split sizes: 500 + 500 training pairs -> 1000^2 = 1,000,000 combinations; 100 + 100
validation (and test) pairs -> 200^2 = 40,000 combinations. So combinations are ordered and include
i = j (D = 0, always "same"); we follow those counts exactly.

Similarity (the indicator I of Eq. 2). The paper computes "the loss between two training sets known as
identical (positive-positive) and distinctive (negative-negative)" (§2.1), which admits two readings,
both implemented (``reading``):

- ``"same_label"``: I = 1 when both pairs carry the same label, footsteps or not (positive-positive
  *and* negative-negative combinations are similar); chance (one constant answer) is 50 %.
- ``"both_footsteps"``: I = 1 only for positive-positive combinations; everything else, including
  two negatives, must be pushed a margin apart. Chance is 75 % (three of four combinations differ).

Splits are disjoint ("no pair sample was present in either of the three sets"): each class is
shuffled with the seed and cut into train / validation / test.

Accuracy ("Top-1", Table 1) is the fraction of a split's combinations whose decision
D < threshold ("same") agrees with I. The threshold is chosen on the validation combinations
(paper §3.4.2 reports 0.5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch.utils.data import Dataset

from lib.losses import pairwise_distances

PAPER_SPLIT = {"train": 500, "val": 100, "test": 100}  # per class (positive and negative)
PAPER_THRESHOLD = 0.5
SIMILARITY_READINGS = ("same_label", "both_footsteps")


def similar(labels, other=None, reading: str = "same_label") -> torch.Tensor:
    """The indicator I of Eq. 2 for every combination: (n, m) bool from labels (n,) and ``other`` (m,).

    ``reading`` (see the module docstring): "same_label" or "both_footsteps".
    """
    a = torch.as_tensor(np.asarray(labels))
    b = a if other is None else torch.as_tensor(np.asarray(other))
    if reading == "same_label":
        return a[:, None] == b[None, :]
    if reading == "both_footsteps":
        return (a[:, None] == 1) & (b[None, :] == 1)
    raise ValueError(f"similarity reading {reading!r} is unknown; use one of {list(SIMILARITY_READINGS)}")


def chance_accuracy(labels, reading: str = "same_label") -> float:
    """Accuracy of one constant answer over a split's combinations (the better of 'all similar' / 'all not')."""
    share = float(similar(labels, reading=reading).float().mean())
    return max(share, 1 - share)


@dataclass
class Split:
    """One split: audio and geophone log-mel (n, 999, 50) float32 and labels (n,) int64 (1 = footsteps)."""

    audio: np.ndarray
    geophone: np.ndarray
    label: np.ndarray
    meta: dict = field(default_factory=dict)  # per-item arrays: kind, floor, shoe, extras, n_steps, ...

    def __len__(self) -> int:
        return int(self.label.shape[0])

    @property
    def kind(self) -> np.ndarray | None:
        """Scene kind per pair ("walk", "speech", ...; "real" for recordings), or None when unknown."""
        return self.meta.get("kind")

    @property
    def n_combinations(self) -> int:
        """Ordered couples of two pairs of this split, a pair with itself included (n²)."""
        return len(self) ** 2

    def subset(self, index) -> "Split":
        """The pairs at ``index`` (an index array or boolean mask), with their meta arrays."""
        return Split(self.audio[index], self.geophone[index], self.label[index],
                     {k: v[index] for k, v in self.meta.items()})


def split_pairs(features: dict, n_train: int, n_val: int, n_test: int, seed: int = 0) -> dict[str, Split]:
    """Disjoint train / val / test splits with ``n_*`` pairs *per class* (paper: 500 / 100 / 100).

    ``features``: {"audio", "geophone", "label", ...} as from :func:`lib.footsteps.features.scene_features`;
    other per-item arrays (kind, floor, ...) travel along in ``Split.meta``.
    """
    label = np.asarray(features["label"])
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7]))
    parts = {"train": [], "val": [], "test": []}
    for cls in (1, 0):
        idx = np.flatnonzero(label == cls)
        need = n_train + n_val + n_test
        if idx.size < need:
            raise ValueError(f"split_pairs: {n_train}+{n_val}+{n_test} {'positive' if cls else 'negative'} pairs "
                             f"requested but only {idx.size} exist; simulate more or ask for fewer")
        idx = rng.permutation(idx)
        parts["train"].append(idx[:n_train])
        parts["val"].append(idx[n_train:n_train + n_val])
        parts["test"].append(idx[n_train + n_val:need])
    meta = {k: np.asarray(v) for k, v in features.items()
            if k not in ("audio", "geophone", "label") and np.ndim(v) == 1 and len(v) == len(label)}
    out = {}
    for name, chunks in parts.items():
        sel = np.sort(np.concatenate(chunks))
        out[name] = Split(np.asarray(features["audio"])[sel], np.asarray(features["geophone"])[sel], label[sel],
                          {k: v[sel] for k, v in meta.items()})
    return out


def input_stats(split: Split) -> dict:
    """Per-mel-band mean and std of each modality over a (training) split: {"audio": (mean, std), ...}."""
    return {m: (getattr(split, m).mean(axis=(0, 1)), getattr(split, m).std(axis=(0, 1))) for m in ("audio", "geophone")}


class ItemDataset(Dataset):
    """Items of a split for the all-pair trainer: (audio (999, 50), geophone (999, 50), label) tensors.

    ``length`` > the number of items repeats them (index i is item i mod n), so that one epoch of a
    shuffled sampler is several passes over the split; None = one pass.
    """

    def __init__(self, split: Split, length: int | None = None) -> None:
        self.audio = torch.as_tensor(split.audio)
        self.geophone = torch.as_tensor(split.geophone)
        self.label = torch.as_tensor(split.label)
        if length is not None and length < 1:
            raise ValueError(f"ItemDataset(length={length}) must be >= 1 (or None for one pass over the items)")
        self.length = len(self.label) if length is None else int(length)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i):
        if not 0 <= i < self.length:
            raise IndexError(f"ItemDataset index {i} is outside 0..{self.length - 1}")
        i = i % len(self.label)
        return self.audio[i], self.geophone[i], self.label[i]


class WholeSplit(Dataset):
    """A split as one element (all items at once), so that validation sees all n^2 combinations."""

    def __init__(self, split: Split) -> None:
        self.items = ItemDataset(split)

    def __len__(self) -> int:
        return 1

    def __getitem__(self, i):
        if i != 0:
            raise IndexError(i)
        return self.items.audio, self.items.geophone, self.items.label


@torch.no_grad()
def embed(model: torch.nn.Module, split: Split, batch_size: int = 100, device="cpu") -> torch.Tensor:
    """F(a, g) of every item of ``split`` in eval mode: (n, D) float32 on the CPU."""
    was = model.training
    model.eval()
    out = []
    for start in range(0, len(split), batch_size):
        a = torch.as_tensor(split.audio[start:start + batch_size]).to(device)
        g = torch.as_tensor(split.geophone[start:start + batch_size]).to(device)
        out.append(model(a, g).float().cpu())
    model.train(was)
    return torch.cat(out) if out else torch.zeros(0, getattr(model, "out_features", 0))


def combination_distances(emb: torch.Tensor, labels, reading: str = "same_label") -> tuple[torch.Tensor, torch.Tensor]:
    """(D (n, n), similar (n, n) bool) over all ordered combinations of a split's embeddings."""
    return pairwise_distances(emb), similar(labels, reading=reading)


def pair_accuracy(emb: torch.Tensor, labels, threshold: float = PAPER_THRESHOLD, reading: str = "same_label") -> float:
    """Fraction of the n^2 ordered combinations with (D < threshold) == I (Eq. 2's indicator under ``reading``)."""
    dist, same = combination_distances(emb, labels, reading)
    return float(((dist < threshold) == same).float().mean())


def choose_threshold(emb: torch.Tensor, labels, grid: np.ndarray | None = None,
                     reading: str = "same_label") -> tuple[float, float]:
    """The distance threshold with the highest combination accuracy on these (validation) embeddings.

    ``grid`` defaults to 0.05 ... 2.0 in steps of 0.05 (the margin is 1). Returns (threshold, accuracy);
    ties go to the threshold nearest the paper's 0.5.
    """
    grid = np.round(np.arange(0.05, 2.0001, 0.05), 4) if grid is None else np.asarray(grid, float)
    dist, same = combination_distances(emb, labels, reading)
    accs = np.array([float(((dist < t) == same).float().mean()) for t in grid])
    best = np.flatnonzero(accs >= accs.max() - 1e-12)
    pick = best[np.argmin(np.abs(grid[best] - PAPER_THRESHOLD))]
    return float(grid[pick]), float(accs[pick])


def detect_with_support(query: torch.Tensor, support: torch.Tensor, support_labels) -> np.ndarray:
    """Single-clip footstep detection: label of the class whose support embeddings are nearer on average.

    query (q, D), support (s, D) with labels (s,) in {0, 1} (both present) -> predictions (q,) int64.
    """
    labels = np.asarray(support_labels)
    if not ((labels == 1).any() and (labels == 0).any()):
        raise ValueError("detect_with_support: the support set needs at least one positive and one negative clip")
    dist = pairwise_distances(query, support).numpy()
    mean_pos = dist[:, labels == 1].mean(1)
    mean_neg = dist[:, labels == 0].mean(1)
    return (mean_pos < mean_neg).astype(np.int64)


def kind_accuracy(emb: torch.Tensor, split: Split, threshold: float, reading: str = "same_label") -> dict:
    """Combination accuracy by scene kind: for each kind, the share of the combinations whose first pair is
    of that kind (every partner in the split) that "D < threshold" decides correctly. {kind: accuracy}."""
    if split.kind is None:
        raise ValueError("kind_accuracy: the split has no per-pair 'kind' (simulated data carry it; real data do not)")
    dist, same = combination_distances(emb, split.label, reading)
    correct = ((dist < threshold) == same).float().mean(dim=1).numpy()
    kinds = np.asarray(split.kind)
    return {str(k): float(correct[kinds == k].mean()) for k in sorted(set(kinds.tolist()))}


def accuracy_ceiling(labels, reading: str = "same_label") -> float:
    """The best combination accuracy any embedding can reach on a split under ``reading``.

    Combinations include each pair with itself (D = 0, so "similar" at any threshold > 0). Under
    "same_label" that is always right (ceiling 1); under "both_footsteps" a negative with itself has I = 0
    and is always wrong, so the ceiling is 1 - n_negative / n^2 (99.75 % for the paper's 100 + 100 test pairs).
    """
    if reading not in SIMILARITY_READINGS:
        raise ValueError(f"similarity reading {reading!r} is unknown; use one of {list(SIMILARITY_READINGS)}")
    labels = np.asarray(labels)
    return 1.0 if reading == "same_label" else 1.0 - float((labels == 0).sum()) / labels.size ** 2
