"""P4's experiments (Xiao et al. 2020, §4.1, Table 2, Fig. 5-6) and the questions beyond the paper.

* Experiment 1 — train and test (7:3) on the virtual corpus (AMASS stand-in), all three methods;
* Experiment 2 — train and test (7:3) on the real-sensor corpus (DIP-IMU stand-in), all three;
* Experiment 3 — the experiment-1 network, its output layer cut to the 5 real-sensor classes,
  fine-tuned on the real-sensor training split with only the fully-connected layers trained (§3.2),
  tested on the real-sensor test split; the proposed network and DeepConvLSTM only;
* "without fine-tuning" — the same network before fine-tuning (§4.3: "accuracy less than 50 %");
* the fine-tuning curve (§4.3: "rather excellent results within 20 epochs").

Beyond the paper: dropping each sensor (the paper's stated future work), the number of real
windows fine-tuning needs, and real CMU mocap clips classified by the virtual-trained network.

Splits are by subject (:func:`lib.virtual_har.windows.subject_split`). Each seed draws its own
splits, model initialisations and batches, so mean ± std over seeds covers all three. Training uses
:func:`lib.train.fit`; fine-tuning computes the frozen features once and trains the classifier on
them, which is the same computation as running the whole frozen network every step (the frozen
layers are deterministic in eval mode) at a fraction of the cost.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass

import numpy as np
import torch
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from torch.utils.data import TensorDataset

from lib.datasets.windows import sliding_windows
from lib.train import fit
from lib.virtual_har import realstandin
from lib.virtual_har.corpus import CMU_DESCRIPTIONS, load_dip_corpus, mocap_features
from lib.virtual_har.models import (DeepConvLSTM, ProposedCNN, ce_loss, dae_loss, freeze_features,
                                    make_random_forest, retarget_classes, rf_features)
from lib.virtual_har.sequences import upsample
from lib.virtual_har.synthesis import CMU_MOCAP_DIR
from lib.virtual_har.windows import WindowSet, subject_split

METHODS = ("proposed", "deepconvlstm", "rf")
METHOD_LABELS = {"proposed": "Proposed method", "deepconvlstm": "DeepConvLSTM", "rf": "RF"}

#: Table 2 of the paper, in per cent: (dataset row, method) -> (accuracy, F1).
PAPER_TABLE2 = {
    ("AMASS", "proposed"): (87.46, 86.50), ("AMASS", "deepconvlstm"): (73.03, 72.43), ("AMASS", "rf"): (75.01, 70.00),
    ("DIP", "proposed"): (89.08, 89.16), ("DIP", "deepconvlstm"): (78.33, 79.31), ("DIP", "rf"): (77.25, 75.96),
    ("AMASS & DIP", "proposed"): (91.15, 91.21), ("AMASS & DIP", "deepconvlstm"): (84.80, 85.12),
}
EXPERIMENT_ROWS = {1: "AMASS", 2: "DIP", 3: "AMASS & DIP"}
#: Up-sampling target of the virtual training split. The paper only says up-sampling "alleviates" the
#: imbalance; raising every class to the *median* class keeps the rarest classes (a handful of clips)
#: from being repeated ten times over as shifted copies, and keeps DeepConvLSTM's training affordable.
UPSAMPLE_TARGET = "median"


@dataclass
class TrainConfig:
    """Training settings. Proposed: Adam (lr, batch 100 as the group's MARS code, xspc/MARS-IEEE_IoT-HAR);
    DeepConvLSTM: RMSprop lr 1e-3, ρ 0.9, batch 100 (Ordóñez & Roggen, Sensors 2016); fine-tuning: Adam
    on the FC layers for ``finetune_epochs``.

    ``dcl_filters`` / ``dcl_units``: DeepConvLSTM's conv filters and LSTM units; Ordóñez & Roggen's
    64 / 128 by default. That network costs about 17 ms of CPU per 60 × 36 window and
    epoch, so a quick (smoke-test) run may shrink it; the notebook says when it does.
    """

    epochs: int = 30
    dcl_epochs: int = 10
    finetune_epochs: int = 20
    batch_size: int = 100
    lr: float = 1e-3
    lam: float = 0.1
    rf_trees: int = 100
    rf_input: str = "flat"
    dcl_filters: int = 64
    dcl_units: int = 128
    device: str = "cpu"

    def __post_init__(self) -> None:
        for name in ("epochs", "dcl_epochs", "finetune_epochs", "batch_size", "rf_trees", "dcl_filters", "dcl_units"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"TrainConfig.{name}={getattr(self, name)} must be >= 1")
        if self.lam < 0:
            raise ValueError(f"TrainConfig.lam={self.lam} must be >= 0 (0 switches the penalty off)")


def _tensors(ws: WindowSet) -> TensorDataset:
    return TensorDataset(torch.from_numpy(ws.x), torch.from_numpy(ws.y))


# --------------------------------------------------------------------------- splits

def virtual_split(virtual, seed: int, upsample_target: str | int = UPSAMPLE_TARGET, test_fraction: float = 0.3):
    """(train, test) WindowSets of the virtual corpus: subjects split 7:3 (§4.1), the training split
    up-sampled from its own clips (§2.3)."""
    rng = np.random.default_rng([seed, 41])
    train, test = subject_split(virtual.subjects(), test_fraction, rng)
    return upsample(virtual, virtual.clips_of(train), rng, upsample_target), virtual.windows(virtual.clips_of(test))


def real_split(real, seed: int, test_fraction: float = 0.3):
    """(train, test) WindowSets of the real-sensor corpus; not up-sampled (§3.2).

    A corpus that names its held-out people (``info["test_split"]``: the DIP-IMU stand-in of
    :mod:`lib.virtual_har.realstandin`, DIP's usual s_09/s_10 split) keeps them fixed for every seed;
    otherwise subjects are split 7:3 by ``seed`` (§4.1)."""
    if "test_split" in real.info:
        held = real.info["test_split"].astype(bool)
        test = np.unique(real.subject[held & (real.label >= 0)])
        train = np.setdiff1d(real.subjects(), test)
    else:
        train, test = subject_split(real.subjects(), test_fraction, np.random.default_rng([seed, 42]))
    return real.windows(real.clips_of(train)), real.windows(real.clips_of(test))


def make_splits(virtual, real, seed: int, upsample_target: str | int = UPSAMPLE_TARGET, test_fraction: float = 0.3):
    """(virtual_train, virtual_test, real_train, real_test) for one seed (see the two functions above)."""
    return virtual_split(virtual, seed, upsample_target, test_fraction) + real_split(real, seed, test_fraction)


# --------------------------------------------------------------------------- training

def train_proposed(train: WindowSet, cfg: TrainConfig, seed: int, lam: float | None = None,
                   desc: str = "proposed"):
    """The CNN with the denoising-autoencoder penalty, trained from scratch; returns (model, history)."""
    lam = cfg.lam if lam is None else lam
    torch.manual_seed(seed)
    model = ProposedCNN(train.n_classes, n_features=train.x.shape[2]).fit_norm(train.x)
    history = fit(model, _tensors(train), loss_fn=lambda m, b: dae_loss(m, b, lam=lam), epochs=cfg.epochs,
                  batch_size=cfg.batch_size, lr=cfg.lr, device=cfg.device, seed=seed, desc=desc)
    return model.cpu().eval(), history


def train_deepconvlstm(train: WindowSet, cfg: TrainConfig, seed: int, desc: str = "DeepConvLSTM"):
    """DeepConvLSTM with RMSprop (lr, ρ = 0.9, as Ordóñez & Roggen 2016); returns (model, history)."""
    torch.manual_seed(seed)
    model = DeepConvLSTM(train.n_classes, n_features=train.x.shape[2], filters=cfg.dcl_filters,
                         lstm_units=cfg.dcl_units).fit_norm(train.x)
    history = fit(model, _tensors(train), loss_fn=ce_loss, epochs=cfg.dcl_epochs, batch_size=cfg.batch_size,
                  optimizer=lambda params: torch.optim.RMSprop(params, lr=cfg.lr, alpha=0.9),
                  device=cfg.device, seed=seed, desc=desc)
    return model.cpu().eval(), history


def train_rf(train: WindowSet, cfg: TrainConfig, seed: int):
    """scikit-learn random forest on the flattened windows (§4) or per-channel statistics."""
    return make_random_forest(seed=seed, n_estimators=cfg.rf_trees).fit(rf_features(train.x, cfg.rf_input), train.y)


@torch.no_grad()
def predict(model, x: np.ndarray, rf_input: str = "flat", batch: int = 512) -> np.ndarray:
    """Class indices for windows (N, T, C), for a torch model or a fitted random forest."""
    if not isinstance(model, torch.nn.Module):
        return model.predict(rf_features(x, rf_input))
    model.eval()
    out = [model(torch.from_numpy(np.asarray(x[i:i + batch], dtype=np.float32))).argmax(1).numpy()
           for i in range(0, len(x), batch)]
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def scores(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> dict:
    """Accuracy, macro F1 (§4.2: F1 averaged over the classes) and the confusion matrix (rows = true).

    The F1 average runs over the classes that occur in ``y_true`` or ``y_pred`` (scikit-learn's
    default): a class absent from a small test split and never predicted does not count as F1 = 0.
    The confusion matrix always has all ``n_classes`` rows and columns.
    """
    labels = np.arange(n_classes)
    return {"acc": float(accuracy_score(y_true, y_pred)),
            "f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
            "cm": confusion_matrix(y_true, y_pred, labels=labels)}


# --------------------------------------------------------------------------- fine-tuning (§3.2)

def class_mapping(virtual_classes, real_classes) -> list[int]:
    """Indices of the real-sensor classes among the virtual classes (every real class must be there)."""
    missing = [c for c in real_classes if c not in virtual_classes]
    if missing:
        raise ValueError(f"real-sensor classes {missing} are not virtual-corpus classes {list(virtual_classes)}; "
                         "the virtual-trained network cannot be moved to them")
    return [list(virtual_classes).index(c) for c in real_classes]


@torch.no_grad()
def _frozen_features(model, x: np.ndarray, batch: int = 512) -> torch.Tensor:
    model.eval()
    return torch.cat([model.features(torch.from_numpy(x[i:i + batch])) for i in range(0, len(x), batch)])


def fine_tune(pretrained, real_train: WindowSet, real_test: WindowSet, cfg: TrainConfig, seed: int,
              epochs: int | None = None, desc: str = "fine-tuning"):
    """Experiment 3 for one network: copy, cut the output layer to the real classes, freeze all but
    the FC layers and train them on ``real_train``.

    Returns (model, curve): curve rows {epoch, acc, f1, train_loss} on ``real_test``; epoch 0 is the
    network before any fine-tuning (the paper's "without fine-tuning" test).
    """
    epochs = cfg.finetune_epochs if epochs is None else epochs
    keep = class_mapping(pretrained_classes(pretrained), real_train.classes)
    model = copy.deepcopy(pretrained).cpu()
    retarget_classes(model, keep)
    freeze_features(model)
    base = scores(real_test.y, predict(model, real_test.x), real_test.n_classes)
    curve = [{"epoch": 0, "acc": base["acc"], "f1": base["f1"], "train_loss": None}]
    feats = _frozen_features(model, real_train.x)
    test_feats = _frozen_features(model, real_test.x)

    def track(row: dict) -> None:
        with torch.no_grad():
            model.classifier.eval()
            pred = model.classifier(test_feats).argmax(1).numpy()
            model.classifier.train()
        s = scores(real_test.y, pred, real_test.n_classes)
        curve.append({"epoch": row["epoch"], "acc": s["acc"], "f1": s["f1"], "train_loss": row["train_loss"]})

    torch.manual_seed(seed)
    fit(model.classifier, TensorDataset(feats, torch.from_numpy(real_train.y)), loss_fn=ce_loss, epochs=epochs,
        batch_size=cfg.batch_size, lr=cfg.lr, device="cpu", seed=seed, desc=desc, on_epoch_end=track)
    return model.eval(), curve


@torch.no_grad()
def logits(model, x: np.ndarray, batch: int = 512) -> np.ndarray:
    """Class scores (N, K) of a torch model (eval mode) for windows x (N, T, C) float32."""
    model.eval()
    out = [model(torch.from_numpy(np.ascontiguousarray(x[i:i + batch], dtype=np.float32))).numpy()
           for i in range(0, len(x), batch)]
    return np.concatenate(out) if out else np.zeros((0, model.n_classes), np.float32)


def transfer_scores(model, windows: WindowSet) -> dict:
    """How a virtual-trained ``model`` (with ``.class_names``) scores ``windows`` of the real classes,
    before any fine-tuning. P4 does not say which reading its "< 50 %" takes, so both are returned.

    Fractions in [0, 1]: ``acc_5way`` (arg-max over the outputs of the real classes only, as
    :func:`~lib.virtual_har.models.retarget_classes` before fine-tuning: epoch 0 of :func:`fine_tune`),
    ``acc_12way`` (plain arg-max over all outputs, correct when it names the true class; never above
    ``acc_5way``), ``share_outside_5`` (the plain arg-max is none of the real classes), and ``n_windows``.
    """
    if len(windows) == 0:
        raise ValueError("transfer_scores: no windows to score")
    keep = np.asarray(class_mapping(pretrained_classes(model), windows.classes))
    z = logits(model, windows.x)
    plain = z.argmax(1)
    return {"acc_5way": float(np.mean(z[:, keep].argmax(1) == windows.y)),
            "acc_12way": float(np.mean(plain == keep[windows.y])),
            "share_outside_5": float(np.mean(~np.isin(plain, keep))),
            "n_windows": len(windows)}


def pretrained_classes(model) -> tuple:
    """The class names a virtual-trained model was trained on (``model.class_names``); ValueError when unset."""
    classes = getattr(model, "class_names", None)
    if classes is None:
        raise ValueError("the pretrained network has no class_names; train it with run_table2 or set model.class_names")
    return tuple(classes)


# --------------------------------------------------------------------------- Table 2

@dataclass
class SeedResult:
    """Everything one seed of Table 2 produced (plain numbers; the models are kept apart)."""

    seed: int
    cells: dict            # (experiment, method) -> {"acc", "f1", "train_acc" (on its training windows)}
    no_finetune: dict      # method -> {"acc", "f1" (5 real classes), "acc_12way", "share_outside_5"}
    curves: dict           # method -> fine-tuning curve rows
    confusion: dict        # (experiment, method) -> (K, K) counts
    histories: dict        # (experiment, method) -> history rows


def run_seed(virtual_train: WindowSet, virtual_test: WindowSet, real_train: WindowSet, real_test: WindowSet,
             cfg: TrainConfig, seed: int, methods=METHODS):
    """Experiments 1-3 for one seed; returns (SeedResult, {method: virtual-trained model})."""
    unknown = set(methods) - set(METHODS)
    if unknown:
        raise ValueError(f"unknown methods {sorted(unknown)}; use some of {list(METHODS)}")
    cells, confusion, histories, no_ft, curves, virtual_models = {}, {}, {}, {}, {}, {}
    for exp, (train, test) in ((1, (virtual_train, virtual_test)), (2, (real_train, real_test))):
        for method in methods:
            if method == "rf":
                model, history = train_rf(train, cfg, seed), None
            elif method == "proposed":
                model, history = train_proposed(train, cfg, seed, desc=f"exp{exp} proposed s{seed}")
            else:
                model, history = train_deepconvlstm(train, cfg, seed, desc=f"exp{exp} DeepConvLSTM s{seed}")
            s = scores(test.y, predict(model, test.x, cfg.rf_input), test.n_classes)
            fitted = float(np.mean(predict(model, train.x, cfg.rf_input) == train.y))  # eval mode, clean inputs
            cells[(exp, method)] = {"acc": s["acc"], "f1": s["f1"], "train_acc": fitted}
            confusion[(exp, method)] = s["cm"]
            histories[(exp, method)] = None if history is None else history.rows
            if exp == 1 and method != "rf":
                model.class_names = virtual_train.classes
                virtual_models[method] = model
    for method, model in virtual_models.items():
        tuned, curve = fine_tune(model, real_train, real_test, cfg, seed, desc=f"exp3 {method} s{seed}")
        s = scores(real_test.y, predict(tuned, real_test.x), real_test.n_classes)
        cells[(3, method)] = {"acc": s["acc"], "f1": s["f1"]}
        confusion[(3, method)] = s["cm"]
        plain = transfer_scores(model, real_test)
        no_ft[method] = {"acc": curve[0]["acc"], "f1": curve[0]["f1"], "acc_12way": plain["acc_12way"],
                         "share_outside_5": plain["share_outside_5"]}
        curves[method] = curve
    return SeedResult(seed, cells, no_ft, curves, confusion, histories), virtual_models


def run_table2(virtual, real, cfg: TrainConfig, seeds: list[int], methods=METHODS, upsample_target=UPSAMPLE_TARGET):
    """Experiments 1-3 for every seed; returns (results, {method: [virtual model per seed]}, splits per seed)."""
    results, models, splits = [], {m: [] for m in methods if m != "rf"}, []
    for seed in seeds:
        split = make_splits(virtual, real, seed, upsample_target)
        result, virtual_models = run_seed(*split, cfg, seed, methods)
        results.append(result)
        splits.append(split)
        for method, model in virtual_models.items():
            models[method].append(model)
    return results, models, splits


def table2_frame(results: list[SeedResult]):
    """Table 2 with the paper's numbers beside ours (mean ± sample std over seeds, per cent) and the accuracy
    each network reaches on its own training windows (experiments 1-2)."""
    import pandas as pd

    rows = []
    for exp, dataset in EXPERIMENT_ROWS.items():
        for method in METHODS:
            vals = [r.cells[(exp, method)] for r in results if (exp, method) in r.cells]
            paper = PAPER_TABLE2.get((dataset, method))
            if not vals and paper is None:
                continue
            acc = 100 * np.array([v["acc"] for v in vals]) if vals else np.array([np.nan])
            f1 = 100 * np.array([v["f1"] for v in vals]) if vals else np.array([np.nan])
            fitted = [100 * v["train_acc"] for v in vals if "train_acc" in v]
            ddof = 1 if len(vals) > 1 else 0  # spread across training seeds, as lib.verdict
            rows.append({"experiment": exp, "dataset (paper)": dataset, "method": METHOD_LABELS[method],
                         "paper acc %": paper[0] if paper else np.nan, "ours acc %": f"{acc.mean():.1f} ± {acc.std(ddof=ddof):.1f}",
                         "paper F1 %": paper[1] if paper else np.nan, "ours F1 %": f"{f1.mean():.1f} ± {f1.std(ddof=ddof):.1f}",
                         "ours train acc %": round(float(np.mean(fitted)), 1) if fitted else np.nan,
                         "acc_mean": acc.mean(), "acc_std": acc.std(ddof=ddof), "f1_mean": f1.mean(), "f1_std": f1.std(ddof=ddof),
                         "n_seeds": len(vals)})
    return pd.DataFrame(rows)


def cell_values(results: list[SeedResult], exp: int, method: str, metric: str = "acc") -> np.ndarray:
    """Per-seed ``metric`` (a fraction: "acc", "f1" or "train_acc") of one Table 2 cell, in seed order."""
    return np.array([r.cells[(exp, method)][metric] for r in results if (exp, method) in r.cells])


# --------------------------------------------------------------------------- claim tests

def strictly_decreasing(values) -> bool:
    """True when each value is larger than the next (an ordering such as proposed > DeepConvLSTM > RF)."""
    v = np.asarray(list(values), dtype=float)
    if v.ndim != 1 or len(v) < 2 or not np.all(np.isfinite(v)):
        raise ValueError(f"strictly_decreasing needs >= 2 finite numbers; got {list(values)}")
    return bool(np.all(v[:-1] > v[1:]))


def mean_curve(results: list[SeedResult], method: str = "proposed", metric: str = "acc") -> np.ndarray:
    """The fine-tuning curve of ``method`` averaged over seeds: (epochs + 1,) values, epoch 0 first."""
    curves = [[row[metric] for row in r.curves[method]] for r in results if method in r.curves]
    if not curves:
        raise ValueError(f"no fine-tuning curve for method {method!r}; run_seed makes them for "
                         f"{[m for m in METHODS if m != 'rf']}")
    return np.array(curves, dtype=float).mean(0)


def convergence_epoch(curve, tol: float = 0.01) -> int:
    """First epoch whose value lies within ``tol`` of the curve's last value (§4.3: "fine-tuning can
    achieve rather excellent results within 20 epochs"); curve[0] = before fine-tuning."""
    c = np.asarray(curve, dtype=float)
    if c.ndim != 1 or len(c) < 2:
        raise ValueError(f"convergence_epoch needs a curve of >= 2 epochs (epoch 0 first); got shape {c.shape}")
    return int(np.flatnonzero(c >= c[-1] - tol)[0])


# --------------------------------------------------------------------------- beyond the paper

def sensor_ablation(splits: list[tuple], cfg: TrainConfig, seeds: list[int], sensors: tuple,
                    results: list[SeedResult] | None = None) -> list[dict]:
    """Drop each sensor: the proposed network trained on the virtual corpus without it, fine-tuned
    and tested on the real-sensor corpus without it (experiment 3), and trained on the real-sensor
    corpus alone (experiment 2). ``splits[i]`` = (virtual_train, virtual_test, real_train, real_test)
    for ``seeds[i]``. Rows: {dropped ("none" = all three), seed, exp2_acc, exp3_acc, no_finetune_acc, ...};
    with ``results`` (Table 2 of the same seeds) the "none" rows are taken from it instead of retrained."""
    rows = []
    for i, (seed, (vtr, _vte, rtr, rte)) in enumerate(zip(seeds, splits)):
        if results is not None:
            r = results[i]
            rows.append({"dropped": "none", "seed": seed, "exp2_acc": r.cells[(2, "proposed")]["acc"],
                         "exp2_f1": r.cells[(2, "proposed")]["f1"], "exp3_acc": r.cells[(3, "proposed")]["acc"],
                         "exp3_f1": r.cells[(3, "proposed")]["f1"], "no_finetune_acc": r.no_finetune["proposed"]["acc"]})
        for dropped in (() if results is not None else ("none",)) + tuple(sensors):
            parts = [vtr, rtr, rte] if dropped == "none" else [w.without_sensor(dropped) for w in (vtr, rtr, rte)]
            v, r_tr, r_te = parts
            vmodel, _ = train_proposed(v, cfg, seed, desc=f"drop {dropped} s{seed}")
            vmodel.class_names = v.classes
            tuned, curve = fine_tune(vmodel, r_tr, r_te, cfg, seed, desc=f"drop {dropped} ft s{seed}")
            s3 = scores(r_te.y, predict(tuned, r_te.x), r_te.n_classes)
            rmodel, _ = train_proposed(r_tr, cfg, seed, desc=f"drop {dropped} real s{seed}")
            s2 = scores(r_te.y, predict(rmodel, r_te.x), r_te.n_classes)
            rows.append({"dropped": dropped, "seed": seed, "exp2_acc": s2["acc"], "exp2_f1": s2["f1"],
                         "exp3_acc": s3["acc"], "exp3_f1": s3["f1"], "no_finetune_acc": curve[0]["acc"]})
    return rows


def real_windows_curve(virtual_models: list, real_splits: list[tuple], sizes: list[int], cfg: TrainConfig,
                       seeds: list[int]) -> list[dict]:
    """How many real windows fine-tuning needs: for each size n, a stratified sample of n real
    training windows fine-tunes the virtual-trained proposed network (experiment 3) and trains one
    from scratch (experiment 2); both tested on the full real test split."""
    rows = []
    for seed, vmodel, (r_tr, r_te) in zip(seeds, virtual_models, real_splits):
        rng = np.random.default_rng(seed + 1000)
        for n in sizes:
            sub = r_tr.stratified_sample(n, rng)
            tuned, _ = fine_tune(vmodel, sub, r_te, cfg, seed, desc=f"n={n} ft s{seed}")
            s3 = scores(r_te.y, predict(tuned, r_te.x), r_te.n_classes)
            scratch, _ = train_proposed(sub, cfg, seed, desc=f"n={n} scratch s{seed}")
            s2 = scores(r_te.y, predict(scratch, r_te.x), r_te.n_classes)
            rows.append({"n_windows": len(sub), "requested": n, "seed": seed, "finetuned_acc": s3["acc"],
                         "finetuned_f1": s3["f1"], "scratch_acc": s2["acc"], "scratch_f1": s2["f1"]})
    return rows


def virtual_variant_gap(variant, real, cfg: TrainConfig, seeds: list[int], upsample_target=UPSAMPLE_TARGET) -> list[dict]:
    """The proposed network pretrained on another virtual corpus (e.g. with root translation) and moved
    to the real-sensor corpus: rows {seed, no_finetune_acc, finetuned_acc, virtual_acc} per seed,
    on the same real-sensor splits as :func:`run_table2` (same seeds)."""
    rows = []
    for seed in seeds:
        vtr, vte, rtr, rte = make_splits(variant, real, seed, upsample_target)
        model, _ = train_proposed(vtr, cfg, seed, desc=f"variant s{seed}")
        model.class_names = vtr.classes
        v_acc = scores(vte.y, predict(model, vte.x), vte.n_classes)["acc"]
        tuned, curve = fine_tune(model, rtr, rte, cfg, seed, desc=f"variant ft s{seed}")
        rows.append({"seed": seed, "virtual_acc": v_acc, "no_finetune_acc": curve[0]["acc"],
                     "finetuned_acc": scores(rte.y, predict(tuned, rte.x), rte.n_classes)["acc"]})
    return rows


def mocap_timeline(models: list, features: np.ndarray, classes, length: int = 60, step: int = 30) -> dict:
    """Windows of a (T, 36) mocap clip classified by each model: {"t_s": window centres (s),
    "votes": (N, K) fraction of models choosing each class, "pred": (N,) majority class}."""
    windows = np.ascontiguousarray(sliding_windows(features, length, step), dtype=np.float32)
    votes = np.zeros((len(windows), len(classes)))
    for model in models:
        votes[np.arange(len(windows)), predict(model, windows)] += 1.0 / len(models)
    t = (np.arange(len(windows)) * step + length / 2) / 60.0
    return {"t_s": t, "votes": votes, "pred": votes.argmax(1)}


def classify_cmu_clips(models: list, classes, paths, translation: bool = False) -> dict:
    """Real CMU mocap clips (BVH ``paths``) through the virtual pipeline (:func:`lib.virtual_har.corpus.mocap_features`),
    classified window by window by the virtual-trained ``models`` (:func:`mocap_timeline`).

    Returns {"timelines": [{"clip", "t_s", "votes", "pred"}], "rows": [one summary per clip: description,
    stature (m), windows, the three most common classes], "features": {clip: (T, 36) features}}.
    """
    out = {"timelines": [], "rows": [], "features": {}}
    for path in paths:
        feats, stature = mocap_features(path, translation=translation)
        out["features"][path.stem] = feats
        tl = mocap_timeline(models, feats, classes)
        out["timelines"].append({"clip": path.stem, **tl})
        shares = np.bincount(tl["pred"], minlength=len(classes)) / len(tl["pred"])
        top = np.argsort(shares)[::-1][:3]
        out["rows"].append({"clip": path.stem, "description": CMU_DESCRIPTIONS.get(path.stem, "?"),
                            "stature m": round(stature, 2), "windows": len(tl["pred"]),
                            "classes (share of windows)": ", ".join(f"{classes[k]} {shares[k]:.0%}" for k in top
                                                                    if shares[k] > 0)})
    return out


def translation_gap_frame(results: list[SeedResult], no_finetune_pct: np.ndarray, gap_rows: list[dict]):
    """The proposed CNN without and with root translation in the virtual data (:func:`virtual_variant_gap`
    rows), on the first ``len(gap_rows)`` seeds of Table 2: virtual test accuracy, real-sensor accuracy
    without and with fine-tuning, in per cent (``no_finetune_pct``: per-seed accuracy without fine-tuning)."""
    import pandas as pd

    k = len(gap_rows)
    return pd.DataFrame([
        {"virtual accelerations": "without root translation (DIP synthesis, as P4)",
         "virtual test acc %": 100 * cell_values(results[:k], 1, "proposed").mean(),
         "real, no fine-tuning %": no_finetune_pct[:k].mean(),
         "real, fine-tuned %": 100 * cell_values(results[:k], 3, "proposed").mean()},
        {"virtual accelerations": "with root translation (physically complete)",
         "virtual test acc %": 100 * np.mean([r["virtual_acc"] for r in gap_rows]),
         "real, no fine-tuning %": 100 * np.mean([r["no_finetune_acc"] for r in gap_rows]),
         "real, fine-tuned %": 100 * np.mean([r["finetuned_acc"] for r in gap_rows])},
    ]).round(1)


# --------------------------------------------------------------------------- what a run reads and reports

def real_sensor_corpus(run):
    """(corpus, stand-in spec) of a run's real-sensor side: DIP-IMU read from ``run.data_root`` (spec None),
    else the DIP-IMU stand-in with ``run.real_subjects`` people × ``run.real_minutes`` minutes, whose
    motion includes CMU motion-capture bouts when :data:`CMU_MOCAP_DIR` exists."""
    if run.data_root is not None:
        return load_dip_corpus(run.data_root), None
    mocap = str(CMU_MOCAP_DIR) if CMU_MOCAP_DIR.is_dir() else None
    spec = realstandin.StandinSpec(n_subjects=run.real_subjects, minutes_per_subject=run.real_minutes,
                                   seed=run.seed, mocap_dir=mocap)
    return realstandin.standin_corpus(spec, cache_dir=run.cache_dir), spec


def describe_real_corpus(real, windows: WindowSet, spec=None) -> str:
    """Two lines on the real-sensor corpus: for the stand-in (``spec`` given) its minutes, people, held-out
    people and motion-capture bouts; then subjects, windows and windows per class."""
    lines = []
    if spec is not None:
        n_mocap = int(np.sum(real.info["mocap"] & (real.label >= 0)))
        lines.append(f"DIP-IMU stand-in: {len(real.frames) / 3600:.1f} min recorded, "
                     f"people {real.subjects().tolist()}, held out {realstandin.split(real)[1].tolist()}; motion-capture bouts: {n_mocap}"
                     + ("" if spec.mocap_dir else f" ({CMU_MOCAP_DIR} is absent)"))
    lines.append(f"real-sensor corpus: {len(real.subjects())} subjects, {len(windows)} windows; per class: "
                 f"{dict(zip(real.classes, windows.counts().tolist()))}")
    return "\n".join(lines)


def no_finetune_report(no_finetune: dict) -> str:
    """One line per method: accuracy without fine-tuning (mean ± sd over training seeds, in %) restricted to
    the 5 real classes, as a plain 12-way answer, and the share of windows answered outside the 5.

    ``no_finetune``: method -> one :func:`transfer_scores` dict per training seed."""
    lines = []
    for method, rows in no_finetune.items():
        acc, acc12, outside = (100 * np.array([row[k] for row in rows])
                               for k in ("acc", "acc_12way", "share_outside_5"))
        ddof = 1 if len(rows) > 1 else 0  # spread across training seeds (none for one seed)
        lines.append(f"{METHOD_LABELS[method]:>16s} without fine-tuning: {acc.mean():.1f} ± {acc.std(ddof=ddof):.1f} % "
                     f"restricted to the 5 real classes, {acc12.mean():.1f} ± {acc12.std(ddof=ddof):.1f} % as a plain "
                     f"12-way answer ({outside.mean():.0f} % of windows answered outside the 5)   "
                     "(paper, proposed: < 50 %)")
    return "\n".join(lines)


def real_window_sizes(n_real: int) -> list[int]:
    """The numbers of real training windows of the fine-tuning-size curve: a log-like ladder below
    ``n_real``, then all ``n_real``."""
    return sorted({n for n in (10, 25, 50, 100, 250, 500, 1000, 2500) if n < n_real} | {n_real})


def data_description(run) -> str:
    """What a run of notebook 41 read, as its results JSON records it."""
    if run.data_root is None:
        return "simulator: lib.body virtual corpus + DIP-IMU stand-in (lib.virtual_har.realstandin)"
    return f"virtual: lib.body simulator; real: DIP-IMU at {run.data_root}"


def config_dict(cfg: TrainConfig) -> dict:
    """The training settings as a plain dict (for the results JSON)."""
    return asdict(cfg)
