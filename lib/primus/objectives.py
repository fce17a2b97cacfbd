"""Pretraining objectives: PRIMUS (SS + MM + NN), its ablations, and the baselines SimCLR, IMU2CLIP, MultitaskSSL.

A batch is a dict of tensors (see :class:`lib.primus.data.TripletDataset`):
``imu`` (B, 6, T), ``video`` (B, 512), ``text`` (B, 512), ``aligned`` (B,) bool (this segment still has
its video/text; Fig. 6), ``id`` (B,) int64 segment id.

PRIMUS (paper §II, Eq. (1)–(5); PRIMUS reference code, Nokia-Bell-Labs/pretrained-imu-encoders,
lib/train_modules.py), with f the encoder, g_ss / g_mm its two heads, x̃ the augmented view, v / t the frozen
video / text embeddings, and every L a symmetric InfoNCE:

* L_SS  = L_ss(g_ss(f(x)), g_ss(f(x̃)))              view 0 = the original window, view 1 = augmented
* L_MM  = L_mm(g_mm(f(x)), v) + L_mm(g_mm(f(x)), t)   (Eq. 1 + Eq. 2), on aligned segments only
* L_NN  = L_ss(g_ss(f(x)), q_imu[n]) + L_mm(g_mm(f(x)), q_video[n]) + L_mm(g_mm(f(x)), q_text[n]),
  n = argmax_j cos(v, q_video[j]) over the queue (Eq. 3–4)
* L     = λ_SS L_SS + λ_MM L_MM + λ_NN L_NN with λ_SS = λ_MM = λ_NN (Eq. 5; "we set ... equal"), 1 here —
  the same ratios as the reference's ``ssl_coeff = 0.5``.

L_ss and L_mm each carry their own learnable temperature (init 0.1), a plain divisor as in the reference
(lib/loss.py). **Deviation: the τ used is floored at** :data:`TAU_MIN` = 0.01 (CLIP's lower bound on its
temperature); the reference has no floor. It is there because it was needed: without it, full mode's
NN-only run (neighbours found by the IMU's own embedding, the paper's collapsing setting) drove its SS
temperature through zero (to −0.0005) and its loss stopped meaning anything. The floor acts only on a
run whose τ would go below 0.01; notebook 21 lists each run's lowest τ and whether it reached the floor.

**Without MM** (the ablations SS+NN and NN-only) no multimodal signal may be used, so the neighbour
is searched by the IMU's own SS-head embedding and L_NN keeps only its unimodal term — what the
paper describes for its NN-only collapse ("does not exploit any multimodal signals, and using the IMU
representations itself to find similar segments"), and what the reference does when ``ssl_coeff = 1``.
With MM but only part of the corpus aligned (Fig. 6), MM and NN act on the aligned rows of a batch
(rows *and* columns of the similarity matrix), SS on all rows.

Baselines: **SimCLR** (Tang et al. 2021, ref. [10]): NT-Xent (τ = 0.1) between two augmented views
(the paper's scaling + time reversal) on the SS head. **IMU2CLIP** (ref. [21]): L_MM only.
**MultitaskSSL** (Saeed et al. 2019, ref. [8]; absent from the reference code, written here): each
window is left as it is or transformed by one of eight transformations (probability 1/9 each); eight
binary heads (Linear 512→256, ReLU, Linear 256→1) on the backbone embedding each decide "original or
transformed by k?" on the originals and the k-transformed windows; the loss is the mean of the eight
binary cross-entropies (Saeed's equal task weights).

Which embedding the few-shot probe reads (``probe_kind``): the reference probes the output of a head
(``--emb_type``, default ``mmcl``: the MM head), not the backbone (reference
downstream_evaluation/classification_downstream_egoexo4d.py). Here every objective
is probed on the head its loss trains: the MM head when it has MM; the SS head for the objectives
whose every term acts on it (SimCLR, SS, NN, SS+NN — the reference's single-head SimCLR run,
``ssl_coeff = 1``, trains and is probed on that one output); the backbone embedding for MultitaskSSL,
whose transformation heads are classifiers, not embeddings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F
from torch import nn

from lib.primus.augment import TRANSFORMS, ss_view
from lib.primus.encoder import StackedRNNEncoder
from lib.primus.losses import FeatureQueue, InfoNCE, info_nce, nt_xent


@dataclass(frozen=True)
class Objective:
    """One pretraining objective. ``kind``: "contrastive" (any mix of SS/MM/NN), "simclr" or "multitask"."""

    name: str
    label: str
    kind: str = "contrastive"
    ss: bool = False
    mm: bool = False
    nn: bool = False
    ss_pipeline: str = "paper"
    weights: tuple[float, float, float] = (1.0, 1.0, 1.0)  # λ_SS, λ_MM, λ_NN
    queue_size: int = 8192

    @property
    def probe_kind(self) -> str:
        """The embedding the few-shot probe reads: "mm", "ss" or "emb" (module docstring)."""
        if self.mm:
            return "mm"
        return "emb" if self.kind == "multitask" else "ss"

    @property
    def nn_key(self) -> str:
        """The embedding the NN term searches its neighbour by: "video" with MM, else the IMU's own ("imu")."""
        return "video" if self.mm else "imu"

    @property
    def views(self) -> int:
        """Encoder forward passes per window and step (the cost driver)."""
        return 2 if (self.ss or self.kind == "simclr") else 1

    def with_(self, **changes) -> Objective:
        """A copy with some fields changed (e.g. ``weights``)."""
        return replace(self, **changes)


#: The loss terms, in the order of :attr:`Objective.weights`.
TERMS = ("ss", "mm", "nn")
#: The floor of the learnable temperatures (a deviation from the reference; module docstring).
TAU_MIN = 0.01

OBJECTIVES: dict[str, Objective] = {o.name: o for o in [
    Objective("primus", "PRIMUS (SS+MM+NN)", ss=True, mm=True, nn=True),
    Objective("simclr", "SimCLR", kind="simclr"),
    Objective("imu2clip", "IMU2CLIP (MM)", mm=True),
    Objective("multitask_ssl", "MultitaskSSL", kind="multitask"),
    # Fig. 5 ablations (MM alone is IMU2CLIP, SS+MM+NN is PRIMUS)
    Objective("ss", "SS", ss=True),
    Objective("nn", "NN", nn=True),
    Objective("ss_mm", "SS+MM", ss=True, mm=True),
    Objective("mm_nn", "MM+NN", mm=True, nn=True),
    Objective("ss_nn", "SS+NN", ss=True, nn=True),
]}

BASELINES = ("simclr", "imu2clip", "multitask_ssl")
ABLATIONS = ("ss", "imu2clip", "nn", "ss_mm", "mm_nn", "ss_nn", "primus")


def get_objective(name: str | Objective) -> Objective:
    """The :class:`Objective` called ``name`` (an Objective passes through)."""
    if isinstance(name, Objective):
        return name
    if name not in OBJECTIVES:
        raise ValueError(f"unknown pretraining objective {name!r}; choose one of {sorted(OBJECTIVES)}")
    return OBJECTIVES[name]


class TransformHeads(nn.Module):
    """MultitaskSSL's eight binary heads on the 512-d backbone embedding (Saeed et al. 2019)."""

    def __init__(self, dim: int = 512, hidden: int = 256, names=tuple(TRANSFORMS)) -> None:
        super().__init__()
        self.names = tuple(names)
        self.heads = nn.ModuleList(nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, 1))
                                   for _ in self.names)

    def forward(self, emb: torch.Tensor) -> torch.Tensor:
        """(B, 512) → (B, 8) logits, one per transformation."""
        return torch.cat([head(emb) for head in self.heads], dim=1)


def multitask_batch(x: torch.Tensor, generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Transform each window by nothing (label 0) or by transformation k (label k, 1..8), each with prob 1/9."""
    names = list(TRANSFORMS)
    labels = torch.randint(0, len(names) + 1, (x.shape[0],), generator=generator).to(x.device)
    out = x.clone()
    for k, name in enumerate(names, start=1):
        rows = (labels == k).nonzero().flatten()
        if len(rows):
            out[rows] = TRANSFORMS[name](x[rows], generator=generator)
    return out, labels


def multitask_loss(logits: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, float]:
    """Mean over tasks k of BCE on the rows labelled 0 (original → 0) or k (transformed → 1); and the accuracy."""
    losses, correct, count = [], 0, 0
    for k in range(1, logits.shape[1] + 1):
        rows = (labels == 0) | (labels == k)
        if not rows.any():
            continue
        target = (labels[rows] == k).float()
        pred = logits[rows, k - 1]
        losses.append(F.binary_cross_entropy_with_logits(pred, target))
        correct += int(((pred > 0).float() == target).sum())
        count += int(rows.sum())
    loss = torch.stack(losses).mean() if losses else logits.sum() * 0.0
    return loss, correct / max(count, 1)


class Pretrainer(nn.Module):
    """Encoder + losses (+ queue, + task heads) of one objective; ``forward(batch) -> (loss, metrics)``.

    Calling the module itself is what :func:`lib.train.fit` needs (``loss_fn=lambda net, b: net(b)``)
    so DistributedDataParallel sees one forward per step.
    """

    def __init__(self, objective: str | Objective, encoder: StackedRNNEncoder | None = None,
                 p_reverse: float = 0.5) -> None:
        super().__init__()
        self.objective = get_objective(objective)
        self.encoder = encoder if encoder is not None else StackedRNNEncoder()
        self.p_reverse = p_reverse
        o = self.objective
        if o.kind not in ("contrastive", "simclr", "multitask"):
            raise ValueError(f"Objective.kind={o.kind!r} is unknown")
        if o.kind == "contrastive" and not (o.ss or o.mm or o.nn):
            raise ValueError(f"objective {o.name!r} switches every term off")
        self.ss_loss = InfoNCE()
        self.mm_loss = InfoNCE()
        self.queue = FeatureQueue(o.queue_size) if (o.kind == "contrastive" and o.nn) else None
        self.task_heads = TransformHeads(self.encoder.embed_dim) if o.kind == "multitask" else None

    def _view(self, x: torch.Tensor) -> torch.Tensor:
        return ss_view(x, self.objective.ss_pipeline, p_reverse=self.p_reverse)

    def forward(self, batch: dict) -> tuple[torch.Tensor, dict]:
        """(loss, metrics) of one batch (module docstring: the batch's keys and shapes)."""
        o = self.objective
        x = batch["imu"]
        metrics: dict[str, float] = {}
        if o.kind == "simclr":
            z1, z2 = self.encoder(self._view(x))["ss"], self.encoder(self._view(x))["ss"]
            loss = nt_xent(z1, z2)
        elif o.kind == "multitask":
            xt, labels = multitask_batch(x)
            loss, acc = multitask_loss(self.task_heads(self.encoder(xt)["emb"]), labels)
            metrics["task_acc"] = acc
        else:
            loss, metrics = self._contrastive(batch)
        if torch.distributed.is_available() and torch.distributed.is_initialized():
            loss = loss + 0.0 * sum(p.sum() for p in self.parameters())  # DDP: every parameter in the graph
        return loss, metrics

    def _contrastive(self, batch: dict) -> tuple[torch.Tensor, dict]:
        o = self.objective
        x, video, text = batch["imu"], batch["video"], batch["text"]
        aligned = batch["aligned"].bool()
        ids = batch["id"]
        tau_ss = self.ss_loss.temperature.clamp_min(TAU_MIN)
        tau_mm = self.mm_loss.temperature.clamp_min(TAU_MIN)
        out = self.encoder(x)
        terms: dict[str, torch.Tensor] = {}
        if o.ss:
            terms["ss"] = ss_term(out["ss"], self.encoder(self._view(x))["ss"], tau_ss)
        if o.mm:
            terms["mm"] = mm_term(out["mm"], video, text, tau_mm, aligned)
        if o.nn:
            key = video if o.nn_key == "video" else out["ss"]
            rows = aligned if o.nn_key == "video" else torch.ones_like(aligned)
            index, found = self.queue.nearest(o.nn_key, key, ids)
            neighbours = {name: self.queue.gather(name, index) for name in (("imu", "video", "text") if o.mm else ("imu",))}
            terms["nn"] = nn_term(out["ss"], out["mm"] if o.mm else None, neighbours, tau_ss, tau_mm, rows & found)
            if self.training:  # the search happens first, then the batch is enqueued (as in the reference)
                keep = rows
                self.queue.enqueue(ids[keep], video=video[keep], text=text[keep], imu=out["ss"][keep])
        loss = primus_loss(terms, o.weights)
        weights = dict(zip(TERMS, o.weights))
        metrics = {f"loss_{k}": float(weights[k] * v.detach()) for k, v in terms.items()}  # λ × L per term
        if o.ss or o.nn:
            metrics["tau_ss"] = float(tau_ss.detach())
        if o.mm:
            metrics["tau_mm"] = float(tau_mm.detach())
        return loss, metrics


def _info(q: torch.Tensor, k: torch.Tensor, tau: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """Symmetric InfoNCE on the masked rows/columns; zero (still in the graph) with fewer than two rows."""
    if mask is not None:
        if int(mask.sum()) < 2:
            return 0.0 * (q.sum() + tau)
        q, k = q[mask], k[mask]
    return info_nce(q, k, tau)


def ss_term(z: torch.Tensor, z_view: torch.Tensor, tau_ss: torch.Tensor) -> torch.Tensor:
    """L_SS (§II-A): symmetric InfoNCE between the SS-head outputs (B, 512) of the windows and of their views."""
    return _info(z, z_view, tau_ss)


def mm_term(z_mm: torch.Tensor, video: torch.Tensor, text: torch.Tensor, tau_mm: torch.Tensor,
            aligned: torch.Tensor) -> torch.Tensor:
    """L_MM (§II-B, Eq. 1 + Eq. 2): the MM-head output (B, 512) against the frozen video and text embeddings
    (B, 512 each), on the rows whose video and text are kept (``aligned``, (B,) bool)."""
    return _info(z_mm, video, tau_mm, aligned) + _info(z_mm, text, tau_mm, aligned)


def nn_term(z_ss: torch.Tensor, z_mm: torch.Tensor | None, neighbours: dict, tau_ss: torch.Tensor,
            tau_mm: torch.Tensor, use: torch.Tensor) -> torch.Tensor:
    """L_NN (§II-C, Eq. 4): the heads' outputs against the queue entry n found for each row (Eq. 3).

    neighbours: {"imu", "video", "text"}: the queue's stored embeddings at n, (B, 512) each; ``z_mm`` None (no
    MM term) keeps only the unimodal term. use: (B,) bool, the rows that searched and found a neighbour.
    """
    loss = _info(z_ss, neighbours["imu"], tau_ss, use)
    if z_mm is not None:
        loss = loss + _info(z_mm, neighbours["video"], tau_mm, use) + _info(z_mm, neighbours["text"], tau_mm, use)
    return loss


def primus_loss(terms: dict, weights: tuple = (1.0, 1.0, 1.0)) -> torch.Tensor:
    """Eq. 5: L = λ_SS L_SS + λ_MM L_MM + λ_NN L_NN over the terms an objective has ({"ss": L_SS, ...}, scalars);
    ``weights`` = (λ_SS, λ_MM, λ_NN), all equal in the paper."""
    lam = dict(zip(TERMS, weights))
    return sum(lam[name] * term for name, term in terms.items())
