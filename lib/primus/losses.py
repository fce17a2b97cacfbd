"""Contrastive losses and the nearest-neighbour feature queue of PRIMUS and its baselines.

* :func:`info_nce` — symmetric InfoNCE between two batches of embeddings whose i-th rows are
  positives: both L2-normalised, logits = q·kᵀ/τ, cross-entropy over rows **plus** over columns
  (the reference sums the two directions, each a batch mean: PRIMUS reference code,
  Nokia-Bell-Labs/pretrained-imu-encoders, lib/loss.py). Paper Eq. (1)–(2).
* :class:`InfoNCE` — the same with a learnable temperature τ (an ``nn.Parameter`` initialised at 0.1,
  used as a plain divisor, no log-parameterisation, no clamp; reference lib/loss.py). PRIMUS keeps two: one for
  every IMU↔video/text term, one for the IMU↔IMU terms.
* :func:`nt_xent` — SimCLR's normalised-temperature cross-entropy over 2N views (each anchor's
  negatives are the other 2N − 2 views; Chen et al. 2020, paper ref. [27]).
* :class:`FeatureQueue` — FIFO ring buffer of (video, text, IMU) embeddings for the NN term
  (8,192 entries in the reference; paper §II-C, Eq. (3)).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

TEMPERATURE_INIT = 0.1


def info_nce(q: torch.Tensor, k: torch.Tensor, temperature: torch.Tensor | float = TEMPERATURE_INIT) -> torch.Tensor:
    """Symmetric InfoNCE: CE(rows) + CE(columns) of cos-similarity logits / τ; positives on the diagonal.

    q, k: (B, D) embeddings (any norm), B ≥ 1. Returns a scalar. With B = 1 the loss is 0 (no negative).
    """
    if q.ndim != 2 or q.shape != k.shape:
        raise ValueError(f"info_nce needs two (batch, dim) tensors of one shape; got {tuple(q.shape)} and {tuple(k.shape)}")
    logits = F.normalize(q, dim=1) @ F.normalize(k, dim=1).T / temperature
    target = torch.arange(q.shape[0], device=q.device)
    return F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)


class InfoNCE(nn.Module):
    """Symmetric InfoNCE with a learnable temperature (``self.temperature``, initialised at 0.1)."""

    def __init__(self, temperature: float = TEMPERATURE_INIT, learnable: bool = True) -> None:
        super().__init__()
        tau = torch.tensor(float(temperature))
        if learnable:
            self.temperature = nn.Parameter(tau)
        else:
            self.register_buffer("temperature", tau)

    def forward(self, q: torch.Tensor, k: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """``mask`` (B,) bool keeps only those rows *and* columns (e.g. segments with aligned video/text);
        fewer than two kept rows give a zero loss that still depends on the inputs (so DDP sees every parameter).
        """
        if mask is not None:
            if int(mask.sum()) < 2:
                return 0.0 * (q.sum() + k.sum() + self.temperature)
            q, k = q[mask], k[mask]
        return info_nce(q, k, self.temperature)


def nt_xent(z1: torch.Tensor, z2: torch.Tensor, temperature: float = TEMPERATURE_INIT) -> torch.Tensor:
    """SimCLR's NT-Xent over the 2N views of N windows: mean over anchors of −log softmax(positive).

    z1, z2: (N, D) the two views' projections. Self-similarities are excluded from each denominator.
    """
    if z1.ndim != 2 or z1.shape != z2.shape:
        raise ValueError(f"nt_xent needs two (batch, dim) tensors of one shape; got {tuple(z1.shape)} and {tuple(z2.shape)}")
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    logits = z @ z.T / temperature
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool, device=z.device), float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(logits, target)


class FeatureQueue(nn.Module):
    """FIFO ring buffer of ``size`` entries of named embeddings (e.g. video, text, imu) plus segment ids.

    Paper §II-C: a feature queue of cached IMU, video and text representations; the nearest neighbour
    of a batch item is searched by one key (the video embedding in PRIMUS, Eq. (3)) and the stored
    triple at that index is returned. Entries are stored detached and un-normalised (as in the PRIMUS
    reference code's queue, lib/train_modules.py).
    Unlike the reference (zero-initialised and searched in full), only *filled* entries are searched,
    and an entry from the same segment id is never returned, so a small corpus that fits in the queue
    cannot hand a segment its own past self. State lives in buffers, so it is checkpointed with the model.
    """

    def __init__(self, size: int = 8192, dims: dict[str, int] | None = None) -> None:
        super().__init__()
        if size < 1:
            raise ValueError(f"FeatureQueue(size={size}) must be >= 1")
        self.size = int(size)
        self.names = tuple(sorted((dims or {"video": 512, "text": 512, "imu": 512}).keys()))
        for name, dim in (dims or {"video": 512, "text": 512, "imu": 512}).items():
            self.register_buffer(f"q_{name}", torch.zeros(self.size, dim))
        self.register_buffer("ids", torch.full((self.size,), -1, dtype=torch.long))
        self.register_buffer("ptr", torch.zeros((), dtype=torch.long))
        self.register_buffer("filled", torch.zeros((), dtype=torch.long))

    def __len__(self) -> int:
        return int(self.filled)

    def entries(self, name: str) -> torch.Tensor:
        """The filled entries of one embedding, oldest first: (len, dim)."""
        buf = getattr(self, f"q_{name}")
        n, p = int(self.filled), int(self.ptr)
        return buf[:n] if n < self.size else torch.cat([buf[p:], buf[:p]])

    @torch.no_grad()
    def enqueue(self, ids: torch.Tensor, **embeddings: torch.Tensor) -> None:
        """Append a batch (each (B, dim), plus ids (B,)); the oldest entries are overwritten when full."""
        if set(embeddings) != set(self.names):
            raise ValueError(f"FeatureQueue.enqueue needs exactly {self.names}; got {sorted(embeddings)}")
        n = ids.shape[0]
        if n == 0:
            return
        if n > self.size:  # only the newest `size` items survive
            ids = ids[-self.size:]
            embeddings = {k: v[-self.size:] for k, v in embeddings.items()}
            n = self.size
        slots = (int(self.ptr) + torch.arange(n, device=self.ids.device)) % self.size
        for name, value in embeddings.items():
            getattr(self, f"q_{name}")[slots] = value.detach().to(self.ids.device, torch.float32)
        self.ids[slots] = ids.to(self.ids.device)
        self.ptr.fill_((int(self.ptr) + n) % self.size)
        self.filled.fill_(min(int(self.filled) + n, self.size))

    @torch.no_grad()
    def nearest(self, key_name: str, keys: torch.Tensor,
                ids: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Each key's top-1 cosine neighbour among the filled entries (paper Eq. 3).

        Returns (index (B,) into the buffers, found (B,) bool). ``ids`` (B,) excludes entries of the same
        segment; a key with no eligible entry (empty queue, or only itself) has ``found`` False.
        """
        n = int(self.filled)
        batch = keys.shape[0]
        if n == 0:
            return (torch.zeros(batch, dtype=torch.long, device=self.ids.device),
                    torch.zeros(batch, dtype=torch.bool, device=self.ids.device))
        stored = F.normalize(getattr(self, f"q_{key_name}")[:n], dim=1)
        sims = F.normalize(keys.detach().float(), dim=1).to(stored.device) @ stored.T
        if ids is not None:
            sims = sims.masked_fill(ids.to(stored.device)[:, None] == self.ids[:n][None, :], float("-inf"))
        best, index = sims.max(dim=1)
        return index, torch.isfinite(best)

    def gather(self, name: str, index: torch.Tensor) -> torch.Tensor:
        """The stored ``name`` embeddings at ``index`` (B,): (B, dim)."""
        return getattr(self, f"q_{name}")[index]
