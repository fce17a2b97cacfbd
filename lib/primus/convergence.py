"""Has pretraining converged? A few-shot probe after every epoch, and the plateau rule read from it.

PRIMUS pretrains for 15 epochs and keeps the checkpoint with the lowest validation loss (PRIMUS reference
code, Nokia-Bell-Labs/pretrained-imu-encoders, pretraining.py); the paper gives no learning curve. A
pretraining budget is only a test of an objective if the representation has stopped improving, so every
pretraining run here records, after each epoch,

* ``val_loss``: the objective's loss on the held-out 5 % of the corpus (what checkpoint selection reads);
* ``probe_acc``: the few-shot linear-probe accuracy of the embedding the objective's downstream probe
  reads (:attr:`lib.primus.objectives.Objective.probe_kind`), on the in-domain task (EgoExo4D-like),
  ``shots`` labelled windows per class, averaged over ``draws`` few-shot draws — the quantity Fig. 4–6
  compare, measured at one shot count.

**The plateau rule** (ours; the paper states none). Split the epochs into the first two thirds and the
last third (at least one epoch). A run has *plateaued* when

* the mean probe accuracy of the last third is at most ``probe_tolerance`` (1 point) above the best
  reading of the first two thirds, and
* the best validation loss of the last third is at most ``loss_tolerance`` (2 %) below the best of the
  first two thirds.

The probe side compares the *mean* of the last third, not its best reading: one reading (3 draws of 10
labelled windows per class) scatters by about a point, so the best of five readings rises with that
scatter alone, while a curve that is still climbing lifts the whole last third above what came before.

A run that keeps improving past that is *still learning*. In full mode such a run trains on past the
reference's 15 epochs, one epoch at a time, until the rule holds (``max_epochs`` of
:func:`lib.primus.pretrain.pretrain`, capped at twice the reference's budget); one that reaches the cap
still learning makes a claim read from it ``untestable`` (:func:`lib.verdict.guarded`), never
``does not hold``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lib.primus.encoder import encode
from lib.probe import logistic_probe, sample_few_shot

PROBE_TOLERANCE = 1.0  # accuracy points
LOSS_TOLERANCE = 0.02  # relative
MIN_EPOCHS = 3


@dataclass(frozen=True, eq=False)
class EpochProbe:
    """The per-epoch few-shot probe: ``encoder -> accuracy`` on one task.

    train_imu / test_imu: (N, 6, T) windows; train_y / test_y: (N,) class indices; ``key`` names the
    task's content (it enters the pretraining cache key, so a run with another probe is another entry).
    """

    train_imu: np.ndarray
    train_y: np.ndarray
    test_imu: np.ndarray
    test_y: np.ndarray
    key: str
    shots: int = 10
    draws: tuple = (0, 1, 2)
    describe: str = field(default="")

    def cache_key(self) -> dict:
        """What identifies this probe in a pretraining run's cache key: task, shots, draws."""
        return {"task": self.key, "shots": self.shots, "draws": list(self.draws)}

    def __call__(self, encoder, kind: str, device="cpu") -> float:
        """Mean accuracy (a fraction) of the linear probe over the few-shot draws.

        The draws are those of :func:`lib.probe.few_shot_curve` (seed ``[draw, shots]``); only the drawn
        training windows and the test windows are encoded (:func:`lib.primus.encoder.encode`) on ``device``,
        where the encoder being trained is.
        """
        train_y = np.asarray(self.train_y)
        if np.bincount(train_y).min() < self.shots:
            raise ValueError(f"EpochProbe: {self.shots} shots per class are more than the task's smallest class "
                             f"holds ({np.bincount(train_y).min()} windows)")
        draws = [sample_few_shot(train_y, self.shots, np.random.default_rng([d, self.shots])) for d in self.draws]
        used = np.unique(np.concatenate(draws))
        train = dict(zip(used.tolist(), encode(encoder, self.train_imu[used], kind, device=device)))
        test = encode(encoder, self.test_imu, kind, device=device)
        accuracies = [np.mean(logistic_probe(np.stack([train[i] for i in idx]), train_y[idx], test)
                              == np.asarray(self.test_y)) for idx in draws]
        return float(np.mean(accuracies))


def _split(values) -> tuple[np.ndarray, np.ndarray]:
    v = np.asarray(values, dtype=float)
    tail = max(1, len(v) // 3)
    return v[:-tail], v[-tail:]


def plateau(history: list[dict], probe_tolerance: float = PROBE_TOLERANCE,
            loss_tolerance: float = LOSS_TOLERANCE) -> dict:
    """The plateau rule of the module docstring applied to one run's history rows.

    Returns {"epochs", "probe_gain" (points: mean of the last third minus the best before it), "loss_gain"
    (relative fall of the best val_loss in the last third), "plateaued" (bool), "reason" (why not, or "")}. Fewer than
    ``MIN_EPOCHS`` epochs, or no ``probe_acc`` column, cannot show a plateau.
    """
    n = len(history)
    out = {"epochs": n, "probe_gain": float("nan"), "loss_gain": float("nan"), "plateaued": False, "reason": ""}
    if n < MIN_EPOCHS or any("probe_acc" not in row or "val_loss" not in row for row in history):
        out["reason"] = f"{n} epoch(s) with a probe: at least {MIN_EPOCHS} are needed to see a plateau"
        return out
    head, tail = _split([100 * row["probe_acc"] for row in history])
    out["probe_gain"] = float(tail.mean() - head.max())
    head_loss, tail_loss = _split([row["val_loss"] for row in history])
    out["loss_gain"] = float((head_loss.min() - tail_loss.min()) / abs(head_loss.min()))
    reasons = []
    if out["probe_gain"] > probe_tolerance:
        reasons.append(f"probe accuracy still rising (+{out['probe_gain']:.1f} pts in the last third)")
    if out["loss_gain"] > loss_tolerance:
        reasons.append(f"validation loss still falling ({100 * out['loss_gain']:.1f} % in the last third)")
    out["plateaued"] = not reasons
    out["reason"] = "; ".join(reasons)
    return out


def not_converged(reports: dict) -> str | None:
    """The ``untestable`` reason for a claim read from these runs ({label: [report per seed]}), or None.

    Every pretraining seed of every run must have plateaued.
    """
    stalled = []
    for label, runs in reports.items():
        for report in runs:
            verdict = plateau(report["history"])
            if not verdict["plateaued"]:
                stalled.append(f"{label} (seed {report.get('seed', '?')}): {verdict['reason']}")
    if not stalled:
        return None
    return "pretraining has not converged: " + "; ".join(stalled[:3]) + (" …" if len(stalled) > 3 else "")
