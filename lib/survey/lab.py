"""The transfer lab: every category of the survey run on one world, accuracy vs labelled target windows.

World: :mod:`lib.survey.world` (label-rich source = video-derived pose; label-poor target = IMU).
For each seed and each budget k (labelled IMU windows per class, drawn from the ``target`` split,
nested so that a larger k contains the smaller), every method trains with :func:`lib.train.fit`
for a fixed number of optimiser steps and is scored on the ``test`` split's real IMU (or on IMU + pose
for the fusion methods):

==========================  ============================================================================
method                      what it learns from (survey section)
==========================  ============================================================================
target only                 the k labelled IMU windows per class (no transfer; the baseline)
instance-based              virtual IMU made from the *source* pose (labels of the source) + the k
                            labelled IMU windows; with k = 0 no IMU label at all (§4.1, IMUTube)
shared space                the source pose classifier's head reused frozen; the IMU encoder learns to
                            land on the pose encoder's embeddings of paired windows (+ CE through the
                            shared head on the k labels) (§4.2.1, RecycleML)
different representations   β‖f(x_imu) − g(x_pose)‖² on paired windows + α·CE through a *new* head on
                            the k labels (§4.2.2, IMU2Doppler); needs k ≥ 1
contrastive                 IMU and pose encoders aligned with CLIP's symmetric InfoNCE on paired
                            windows; a linear head trained on source-pose embeddings, applied to IMU
                            embeddings; with k > 0 the k labelled IMU embeddings join its training set,
                            each window counted once (§4.2.2, IMU2CLIP)
early / feature / late      sensor fusion (§3.1) on k labelled *pairs*: concatenated raw channels; two
fusion                      encoders with concatenated features; average of two classifiers' softmax
==========================  ============================================================================

Inputs are standardised per channel with statistics of each domain's own unlabelled data (real IMU:
the paired split; virtual IMU: the virtual source; pose: the source) — the simplest form of the
distribution calibration IMUTube applies to its virtual data.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from scipy.spatial.transform import Rotation
from torch import nn
from torch.utils.data import TensorDataset

from lib.survey.methods import (UNLABELLED, AlignedIMU, Classifier, CLIPPair, FeatureFusion, accuracy,
                                imu2doppler_loss)
from lib.survey.world import split, torch_threads
from lib.train import fit

TARGET_ONLY = "target only"
INSTANCE = "instance-based"
SHARED = "shared space"
DIFFERENT = "different representations"
CONTRASTIVE = "contrastive"
EARLY, FEATURE, LATE = "early fusion", "feature fusion", "late fusion"
METHODS = (TARGET_ONLY, INSTANCE, SHARED, DIFFERENT, CONTRASTIVE, EARLY, FEATURE, LATE)
FUSION = (EARLY, FEATURE, LATE)
TRANSFER = (INSTANCE, SHARED, DIFFERENT, CONTRASTIVE)
#: the survey's example each method is modelled on
INSPIRED_BY = {TARGET_ONLY: "no transfer", INSTANCE: "IMUTube [58, 59]", SHARED: "RecycleML [61]",
               DIFFERENT: "IMU2Doppler [47]", CONTRASTIVE: "IMU2CLIP [67] / CLIP", EARLY: "§3.1 [31, 32]",
               FEATURE: "§3.1 [31, 32]", LATE: "§3.1 [31, 32]"}
#: budgets below which a method is undefined (it needs labelled target windows)
MIN_K = {TARGET_ONLY: 1, DIFFERENT: 1, EARLY: 1, FEATURE: 1, LATE: 1}


@dataclass
class LabSettings:
    """How hard the lab trains. ``steps``: optimiser steps per training run (``align_steps`` for the runs
    that learn from the larger paired set: shared space, different representations, CLIP); ``budgets``: labelled
    target windows per class (0 allowed); ``beta``/``alpha``: IMU2Doppler's weights, β relative to the
    mean squared norm of the source embeddings (``beta_shared``: the same for the shared space); ``twist_deg``:
    random rotation about each virtual sensor's bone axis (the twist a pose cannot show), 0 = off."""

    budgets: tuple = (0, 1, 2, 5, 10)
    seeds: tuple = (0, 1, 2)
    steps: int = 150
    align_steps: int = 375
    batch_size: int = 64
    lr: float = 3e-3
    dim: int = 64
    width: int = 32
    alpha: float = 1.0
    beta: float = 0.1
    beta_shared: float = 1.0
    twist_deg: float = 45.0
    device: str = "cpu"
    methods: tuple = METHODS

    def __post_init__(self) -> None:
        if not self.seeds or any(k < 0 for k in self.budgets) or not self.budgets:
            raise ValueError(f"LabSettings: give >= 1 seed and budgets >= 0; got seeds={self.seeds}, budgets={self.budgets}")
        unknown = set(self.methods) - set(METHODS)
        if unknown:
            raise ValueError(f"LabSettings.methods has unknown method(s) {sorted(unknown)}; choose from {METHODS}")
        if self.steps < 1 or self.align_steps < 1:
            raise ValueError(f"LabSettings: steps={self.steps} and align_steps={self.align_steps} must be >= 1")


# --------------------------------------------------------------------------- data helpers

def standardiser(x: np.ndarray):
    """Per-channel (mean, std) of (N, C, L) data, as a function mapping arrays to float32 tensors."""
    mean = x.mean(axis=(0, 2), keepdims=True)
    std = x.std(axis=(0, 2), keepdims=True) + 1e-6
    return lambda a: torch.from_numpy(((a - mean) / std).astype(np.float32))


def twist(x: np.ndarray, rng: np.random.Generator, max_deg: float) -> np.ndarray:
    """Rotate each window's wrist readings about the forearm (x) axis and the thigh's about the thigh
    (y) axis by independent uniform angles in ±max_deg: (N, 12, L) -> (N, 12, L)."""
    if max_deg <= 0:
        return x
    out = x.copy()
    for sensor, axis in ((0, "x"), (1, "y")):
        rot = Rotation.from_euler(axis, rng.uniform(-max_deg, max_deg, (len(x), 1)), degrees=True).as_matrix()
        for part in (0, 3):  # acc, gyro
            sl = slice(6 * sensor + part, 6 * sensor + part + 3)
            out[:, sl] = np.einsum("nij,njl->nil", rot, x[:, sl])
    return out


def draw_labelled(y: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Indices of k windows per class (nested in k for one seed: the first k of a seeded permutation)."""
    rng = np.random.default_rng(10_007 * seed + 17)
    picks = []
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        if k > len(members):
            raise ValueError(f"budget k={k} exceeds the {len(members)} target windows of class {c}; "
                             "enlarge the target split or lower the budgets")
        picks.append(rng.permutation(members)[:k])
    return np.sort(np.concatenate(picks)) if picks else np.zeros(0, dtype=int)


def _ce(model, batch):
    x, y = batch
    logits = model(x)
    return F.cross_entropy(logits, y), {"acc": accuracy(logits, y)}


def _ce_pair(model, batch):
    x_a, x_b, y = batch
    logits = model(x_a, x_b)
    return F.cross_entropy(logits, y), {"acc": accuracy(logits, y)}


# --------------------------------------------------------------------------- the lab

@dataclass
class LabResult:
    """Accuracy per (method, k, seed) plus the reference numbers and the simulation-gap measurements."""

    scores: pd.DataFrame
    references: pd.DataFrame
    seconds: float = 0.0
    settings: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """mean ± std over seeds: rows = method, columns = k."""
        g = self.scores.groupby(["method", "k"])["accuracy"]
        table = g.mean().unstack("k")
        return table.reindex([m for m in METHODS if m in table.index])

    def std(self) -> pd.DataFrame:
        """std over seeds (ddof = 0): rows = method, columns = k."""
        table = self.scores.groupby(["method", "k"])["accuracy"].std(ddof=0).unstack("k")
        return table.reindex([m for m in METHODS if m in table.index])


class TransferLab:
    """Holds one world (a dict from :func:`lib.survey.world.make_world`) and runs the methods on it."""

    def __init__(self, world: dict, settings: LabSettings, n_classes: int | None = None) -> None:
        self.s = settings
        self.src, self.paired, self.tgt, self.test = (split(world, n) for n in ("source", "paired", "target", "test"))
        self.K = int(n_classes or (self.src["y"].max() + 1))
        self.norm_pose = standardiser(self.src["pose"])
        self.norm_imu = standardiser(self.paired["imu"])
        self.device = torch.device(settings.device)
        self.Ci, self.Cp = self.paired["imu"].shape[1], self.src["pose"].shape[1]
        self._imu_only: dict = {}

    # ---------------------------------------------------------------- training helpers
    def _fit(self, model: nn.Module, data: TensorDataset, loss_fn, seed: int, steps: int | None = None,
             lr: float | None = None, desc: str = "lab") -> nn.Module:
        steps = steps or self.s.steps
        n = len(data)
        batch = min(self.s.batch_size, n)
        epochs = max(1, math.ceil(steps / math.ceil(n / batch)))
        fit(model, data, loss_fn=loss_fn, epochs=epochs, batch_size=batch, lr=lr or self.s.lr, seed=seed,
            device=self.device, desc=desc)
        return model.eval()

    @torch.no_grad()
    def _logits(self, model: nn.Module, *xs: torch.Tensor) -> torch.Tensor:
        model.eval()
        return model(*(x.to(self.device) for x in xs)).cpu()

    def _score(self, logits: torch.Tensor, y: np.ndarray) -> float:
        return accuracy(logits, torch.from_numpy(y))

    @staticmethod
    def _init_seed(seed: int, method: str, k: int) -> int:
        return 1_000_003 * seed + 1_009 * METHODS.index(method) + k if method in METHODS else 7 * seed + k

    # ---------------------------------------------------------------- per-seed models
    def _source_pose_model(self, seed: int) -> Classifier:
        torch.manual_seed(self._init_seed(seed, "pose", 0))
        model = Classifier(self.Cp, self.K, self.s.dim, self.s.width)
        data = TensorDataset(self.norm_pose(self.src["pose"]), torch.from_numpy(self.src["y"]))
        return self._fit(model, data, _ce, seed, desc="source pose")

    def _clip_pair(self, seed: int) -> CLIPPair:
        torch.manual_seed(self._init_seed(seed, "clip", 0))
        pair = CLIPPair(self.Ci, self.Cp, self.s.dim, self.s.width)
        imu = np.concatenate([self.paired["imu"], self.tgt["imu"]])
        pose = np.concatenate([self.paired["pose"], self.tgt["pose"]])
        data = TensorDataset(self.norm_imu(imu), self.norm_pose(pose))
        self._fit(pair, data, lambda m, b: m(*b), seed, steps=self.s.align_steps, desc="CLIP alignment")
        return pair

    # ---------------------------------------------------------------- methods
    def run(self, progress: bool = False) -> LabResult:
        """Every method × budget × seed; one torch thread on CPU (see :func:`lib.survey.world.torch_threads`)."""
        with torch_threads(1 if self.device.type == "cpu" else torch.get_num_threads()):
            return self._run(progress)

    def _run(self, progress: bool) -> LabResult:
        started = time.perf_counter()
        rows, refs = [], []
        test_imu, test_pose, y_test = self.norm_imu(self.test["imu"]), self.norm_pose(self.test["pose"]), self.test["y"]
        virtual_norm = standardiser(self.src["virtual"])
        for seed in self.s.seeds:
            rng = np.random.default_rng(seed)
            pose_model = self._source_pose_model(seed)
            refs.append({"seed": seed, "what": "source pose model on test pose (label-rich video)",
                         "accuracy": self._score(self._logits(pose_model, test_pose), y_test)})
            with torch.no_grad():
                pair_pose = np.concatenate([self.paired["pose"], self.tgt["pose"]])
                pair_imu = np.concatenate([self.paired["imu"], self.tgt["imu"]])
                z_pose = pose_model.embed(self.norm_pose(pair_pose).to(self.device)).cpu()
            n_paired = len(self.paired["y"])
            clip = self._clip_pair(seed) if CONTRASTIVE in self.s.methods else None
            virtual_x = twist(self.src["virtual"], rng, self.s.twist_deg)
            for k in self.s.budgets:
                idx = draw_labelled(self.tgt["y"], k, seed)
                y_k = self.tgt["y"][idx]
                for method in self.s.methods:
                    if k < MIN_K.get(method, 0):
                        continue
                    torch.manual_seed(self._init_seed(seed, method, k))
                    acc = getattr(self, "_" + method.replace(" ", "_").replace("-", "_"))(
                        seed=seed, k=k, idx=idx, y_k=y_k, test_imu=test_imu, test_pose=test_pose, y_test=y_test,
                        pose_model=pose_model, z_pose=z_pose, pair_imu=pair_imu, n_paired=n_paired, clip=clip,
                        virtual_x=virtual_x, virtual_norm=virtual_norm, refs=refs)
                    rows.append({"method": method, "k": k, "seed": seed, "accuracy": acc,
                                 "test_modality": "IMU + pose" if method in FUSION else "IMU"})
                if progress:
                    print(f"seed {seed} k={k}: " + ", ".join(f"{r['method']} {r['accuracy']:.2f}"
                                                           for r in rows if r["seed"] == seed and r["k"] == k))
        return LabResult(scores=pd.DataFrame(rows), references=pd.DataFrame(refs),
                         seconds=time.perf_counter() - started, settings=dict(self.s.__dict__))

    def _imu_only_logits(self, seed, k, idx, y_k, test_imu) -> torch.Tensor:
        """Test logits of an IMU classifier trained on the k labelled windows (shared by target-only
        and late fusion, so late fusion's IMU half is exactly the target-only model)."""
        key = (seed, k)
        if key not in self._imu_only:
            torch.manual_seed(self._init_seed(seed, TARGET_ONLY, k))
            model = Classifier(self.Ci, self.K, self.s.dim, self.s.width)
            data = TensorDataset(self.norm_imu(self.tgt["imu"][idx]), torch.from_numpy(y_k))
            self._fit(model, data, _ce, seed, desc="target only")
            self._imu_only[key] = self._logits(model, test_imu)
        return self._imu_only[key]

    def _target_only(self, seed, k, idx, y_k, test_imu, y_test, **_):
        return self._score(self._imu_only_logits(seed, k, idx, y_k, test_imu), y_test)

    def _instance_based(self, seed, k, idx, y_k, test_imu, y_test, virtual_x, virtual_norm, refs, **_):
        model = Classifier(self.Ci, self.K, self.s.dim, self.s.width)
        x = virtual_norm(virtual_x)
        y = self.src["y"]
        if k:  # the k real windows weigh as much as all virtual ones together
            reps = max(1, len(y) // len(idx))
            x = torch.cat([x, self.norm_imu(self.tgt["imu"][idx]).repeat(reps, 1, 1)])
            y = np.concatenate([y, np.tile(y_k, reps)])
        self._fit(model, TensorDataset(x, torch.from_numpy(y)), _ce, seed, desc="instance-based")
        if k == 0:  # the simulation gap: the same model on virtual vs real test windows
            for view, label in (("virtual", "virtual IMU from estimated test pose"),
                                ("virtual_clean", "virtual IMU from true test motion (no pose error, no sensor model)")):
                refs.append({"seed": seed, "what": f"instance-based (k=0) on {label}",
                             "accuracy": self._score(self._logits(model, virtual_norm(self.test[view])), y_test)})
            refs.append({"seed": seed, "what": "instance-based (k=0) on real test IMU",
                         "accuracy": self._score(self._logits(model, test_imu), y_test)})
        return self._score(self._logits(model, test_imu), y_test)

    def _aligned(self, seed, k, idx, y_k, test_imu, y_test, pose_model, z_pose, pair_imu, n_paired,
                 shared: bool) -> float:
        head = None
        if shared:
            head = nn.Linear(self.s.dim, self.K)
            head.load_state_dict(pose_model.head.state_dict())
        model = AlignedIMU(self.Ci, self.K, self.s.dim, self.s.width, head=head, freeze_head=shared)
        y = np.full(len(pair_imu), UNLABELLED, dtype=np.int64)
        y[n_paired + idx] = y_k
        data = TensorDataset(self.norm_imu(pair_imu), z_pose, torch.from_numpy(y))

        beta = (self.s.beta_shared if shared else self.s.beta) / float((z_pose ** 2).sum(1).mean())

        def loss(m, batch):
            x, z, yy = batch
            z_imu, logits = m(x)
            return imu2doppler_loss(z_imu, z, logits, yy, alpha=self.s.alpha, beta=beta)

        self._fit(model, data, loss, seed, steps=self.s.align_steps, desc="aligned IMU encoder")
        with torch.no_grad():
            _, logits = model.eval()(test_imu.to(self.device))
        return self._score(logits.cpu(), y_test)

    def _shared_space(self, **kw):
        return self._aligned(shared=True, **{k: kw[k] for k in ("seed", "k", "idx", "y_k", "test_imu", "y_test",
                                                                  "pose_model", "z_pose", "pair_imu", "n_paired")})

    def _different_representations(self, **kw):
        return self._aligned(shared=False, **{k: kw[k] for k in ("seed", "k", "idx", "y_k", "test_imu", "y_test",
                                                                   "pose_model", "z_pose", "pair_imu", "n_paired")})

    def _contrastive(self, seed, k, idx, y_k, test_imu, y_test, clip, **_):
        with torch.no_grad():
            clip.eval()
            z_src = clip.encoder_b(self.norm_pose(self.src["pose"]).to(self.device)).cpu()
            z_test = clip.encoder_a(test_imu.to(self.device)).cpu()
        z_src, z_test = F.normalize(z_src, dim=1), F.normalize(z_test, dim=1)
        z, y = z_src, self.src["y"]
        if k:  # the k labelled IMU embeddings join the pose ones in the aligned space, each window once
            with torch.no_grad():
                z_k = F.normalize(clip.encoder_a(self.norm_imu(self.tgt["imu"][idx]).to(self.device)).cpu(), dim=1)
            z, y = torch.cat([z_src, z_k]), np.concatenate([y, y_k])
        head = nn.Linear(self.s.dim, self.K)
        self._fit(head, TensorDataset(z, torch.from_numpy(y)), _ce, seed, lr=10 * self.s.lr, desc="linear head")
        return self._score(self._logits(head, z_test), y_test)

    def _early_fusion(self, seed, k, idx, y_k, test_imu, test_pose, y_test, **_):
        model = Classifier(self.Ci + self.Cp, self.K, self.s.dim, self.s.width)
        x = torch.cat([self.norm_imu(self.tgt["imu"][idx]), self.norm_pose(self.tgt["pose"][idx])], dim=1)
        self._fit(model, TensorDataset(x, torch.from_numpy(y_k)), _ce, seed, desc="early fusion")
        return self._score(self._logits(model, torch.cat([test_imu, test_pose], dim=1)), y_test)

    def _feature_fusion(self, seed, k, idx, y_k, test_imu, test_pose, y_test, **_):
        model = FeatureFusion(self.Ci, self.Cp, self.K, self.s.dim, self.s.width)
        data = TensorDataset(self.norm_imu(self.tgt["imu"][idx]), self.norm_pose(self.tgt["pose"][idx]),
                             torch.from_numpy(y_k))
        self._fit(model, data, _ce_pair, seed, desc="feature fusion")
        return self._score(self._logits(model, test_imu, test_pose), y_test)

    def _late_fusion(self, seed, k, idx, y_k, test_imu, test_pose, y_test, **_):
        model = Classifier(self.Cp, self.K, self.s.dim, self.s.width)
        self._fit(model, TensorDataset(self.norm_pose(self.tgt["pose"][idx]), torch.from_numpy(y_k)), _ce, seed,
                  desc="late fusion (pose half)")
        probs = self._logits(model, test_pose).softmax(1) + self._imu_only_logits(seed, k, idx, y_k, test_imu).softmax(1)
        return self._score(probs, y_test)
