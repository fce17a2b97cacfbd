"""Pretraining triplets as a torch Dataset, and the "aligned fraction" of Fig. 6.

A pretraining corpus is a dict of numpy arrays (the world's :func:`lib.primus.world.pretraining_corpus`
or EgoExo4D-style triplets from :mod:`lib.datasets.egoexo`):

=========  ================  =============================================================
key        shape, dtype      meaning
=========  ================  =============================================================
imu        (N, 6, 250) f32   head IMU, acc xyz (m/s², gravity included) + gyro xyz (rad/s), 50 Hz
video      (N, 512) f16/32   frozen video embedding, L2-normalised
text       (N, 512) f16/32   frozen text embedding, L2-normalised
=========  ================  =============================================================

Any further keys (activity, subject, ...) are ignored by the dataset.
"""

from __future__ import annotations

import warnings

import numpy as np
import torch
from torch.utils.data import Dataset

REQUIRED = {"imu": 3, "video": 2, "text": 2}


def check_corpus(corpus: dict, name: str = "corpus") -> int:
    """Validate shapes and finiteness; return N. Raises ValueError naming the bad key."""
    for key, ndim in REQUIRED.items():
        if key not in corpus:
            raise ValueError(f"{name} lacks {key!r}; a pretraining corpus needs {sorted(REQUIRED)}")
        if np.asarray(corpus[key]).ndim != ndim:
            raise ValueError(f"{name}[{key!r}] must have {ndim} dimensions; got shape {np.shape(corpus[key])}")
    n = len(corpus["imu"])
    if corpus["imu"].shape[1] != 6:
        raise ValueError(f"{name}['imu'] must be (N, 6, T) (acc xyz, gyro xyz); got {corpus['imu'].shape}")
    for key in ("video", "text"):
        if len(corpus[key]) != n:
            raise ValueError(f"{name}[{key!r}] has {len(corpus[key])} rows but imu has {n}")
    if not np.isfinite(corpus["imu"]).all():
        raise ValueError(f"{name}['imu'] contains NaN or inf")
    return n


def aligned_mask(n: int, fraction: float, seed: int) -> np.ndarray:
    """(n,) bool: a random ``fraction`` of segments keep their video/text (Fig. 6); the rest are IMU-only."""
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"aligned fraction={fraction!r} must be in (0, 1]")
    mask = np.zeros(n, dtype=bool)
    mask[np.random.default_rng([seed, 6]).permutation(n)[: int(round(fraction * n))]] = True
    return mask


def read_only_tensor(array) -> torch.Tensor:
    """A float32 tensor sharing ``array``'s memory, for data that is only read.

    joblib's loky workers receive large arrays as read-only memmaps; ``torch.from_numpy`` accepts them
    but warns that writing would be undefined. Nothing here writes, so the warning is silenced instead
    of copying the corpus (300 MB in full mode) into every worker.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The given NumPy array is not writable")
        return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))


class TripletDataset(Dataset):
    """Items are dicts: ``imu`` (6, T) float32, ``video``/``text`` (512,) float32, ``aligned`` bool, ``id`` int64."""

    def __init__(self, corpus: dict, index: np.ndarray | None = None, aligned: np.ndarray | None = None) -> None:
        n = check_corpus(corpus)
        self.index = np.arange(n) if index is None else np.asarray(index)
        self.imu = read_only_tensor(corpus["imu"])
        self.video = read_only_tensor(corpus["video"])
        self.text = read_only_tensor(corpus["text"])
        self.aligned = torch.from_numpy(np.ones(n, bool) if aligned is None else np.asarray(aligned, bool))

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, i: int) -> dict:
        j = int(self.index[i])
        return {"imu": self.imu[j], "video": self.video[j], "text": self.text[j], "aligned": self.aligned[j],
                "id": torch.tensor(j, dtype=torch.long)}

    def __getitems__(self, items: list[int]) -> list[dict]:
        """Batched fetch (torch's DataLoader uses it when present): one gather instead of B indexings."""
        j = torch.from_numpy(self.index[np.asarray(items)])
        return [{"imu": self.imu[j], "video": self.video[j], "text": self.text[j], "aligned": self.aligned[j],
                 "id": j.long()}]


def collate_batched(items: list[dict]) -> dict:
    """Collate for :meth:`TripletDataset.__getitems__` (already one batched dict)."""
    return items[0] if len(items) == 1 and items[0]["imu"].ndim == 3 else torch.utils.data.default_collate(items)
