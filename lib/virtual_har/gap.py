"""The virtual-to-real gap of P4 and its parts: the virtual-trained network on the DIP-IMU stand-in, with the
stand-in's effects added one at a time.

P4 §4.3: the proposed network trained on AMASS (virtual IMUs) and tested on DIP-IMU (real Xsens sensors)
without fine-tuning gives "an unsurprising result of accuracy less than 50 %". The stand-in of
:mod:`lib.virtual_har.realstandin` differs from the virtual corpus in its motion source and in every sensor
effect; :data:`GAP_STEPS` switches them on cumulatively (the :class:`~lib.virtual_har.realstandin.StandinSpec`
switches), so the accuracy lost at each step is that effect's part of the gap (in that order: effects can
interact, so another order may share the loss differently):

====================================== ===============================================================
step                                   what the sensors read (all earlier steps included)
====================================== ===============================================================
second motion source                   the second source's motion (:mod:`lib.body.second_source`), seen
                                       by ideal sensors at the synthesis sites (:data:`lib.body.imu.P4_SITES`),
                                       rigid on the bone, without the body's translation: the virtual
                                       corpus's own sensor pipeline (DIP's synthesis has no translation)
+ body translation                     the whole-body (root) translation is felt by the accelerometers
+ strap placement                      sensors where straps sit (:func:`~lib.virtual_har.realstandin.real_sites`):
                                       distal forearm, lateral thigh, back of the head, per session
+ soft tissue                          skin and strap motion with joint flexion (``realstandin.soft_tissue``)
                                       and the 25 Hz wobble
+ orientation & calibration error,     mounting rotation removed by an I-pose calibration up to a residual,
drift                                  sensor-fusion error, heading drift; gravity removed with the estimate
+ sensor noise (= the full stand-in)   white noise, bias and its walk, scale, misalignment, saturation,
                                       quantisation, packet loss
====================================== ===============================================================

Switching an effect does not change the performed motion of any recording, nor the draws of the other
effects (each has its own random stream; ``tests/test_gap.py``), so the recordings, their labels and the
windows are the same at every step and only the sensor readings differ.

Scoring (:func:`lib.virtual_har.experiments.transfer_scores`) follows Table 2's "without fine-tuning" number: the held-out people of the
stand-in (:func:`lib.virtual_har.realstandin.test_subjects`), the windows of
:func:`lib.virtual_har.experiments.real_split`, the network's output restricted to the 5 real classes
(``acc_5way``, = epoch 0 of :func:`~lib.virtual_har.experiments.fine_tune`). Beside it the plain 12-way
answer (``acc_12way``, correct when it names the true real class) and the share of windows answered with
one of the 7 classes DIP does not have (``share_outside_5``). A reference row scores the virtual test
windows of the 5 real classes the same way (:data:`VIRTUAL_REFERENCE`): the accuracy the network has on
its own generator, from which the steps fall.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from lib.virtual_har import realstandin as rs
from lib.virtual_har.experiments import class_mapping, real_split, transfer_scores
from lib.virtual_har.windows import WindowSet

#: The StandinSpec switches of the stand-in's sensor stages, in the order the steps add them.
SWITCHES = ("translation", "placement", "soft_tissue", "orientation", "noise")
#: Label of the reference row: the virtual corpus's own test windows of the 5 real classes.
VIRTUAL_REFERENCE = "virtual generator (test people of the virtual corpus, 5 real classes)"
#: P4 §4.3: "accuracy less than 50 %" without fine-tuning.
PAPER_NO_FINETUNE_BOUND = 0.5


@dataclass(frozen=True)
class GapStep:
    """One cumulative step: a label and the value of every :data:`SWITCHES` entry."""

    label: str
    switches: dict

    def spec(self, base: rs.StandinSpec) -> rs.StandinSpec:
        """``base`` (size, seed, mocap) with this step's switches."""
        return replace(base, **self.switches)


def _cumulative(n_on: int) -> dict:
    return {name: i < n_on for i, name in enumerate(SWITCHES)}


#: The ablation's steps, each adding one effect to the previous one; the last is the full stand-in.
GAP_STEPS = (
    GapStep("second motion source", _cumulative(0)),
    GapStep("+ body translation", _cumulative(1)),
    GapStep("+ strap placement", _cumulative(2)),
    GapStep("+ soft tissue", _cumulative(3)),
    GapStep("+ orientation & calibration error, drift", _cumulative(4)),
    GapStep("+ sensor noise", _cumulative(5)),
)
#: Row labels in plotting order: the reference first, then the steps.
ROW_ORDER = (VIRTUAL_REFERENCE,) + tuple(step.label for step in GAP_STEPS)


def step_specs(spec: rs.StandinSpec) -> list[tuple[str, rs.StandinSpec]]:
    """(label, spec) for every :data:`GAP_STEPS` entry; ``spec`` gives size, seed and mocap, its switches
    are replaced by each step's."""
    return [(step.label, step.spec(spec)) for step in GAP_STEPS]


def held_out_windows(spec: rs.StandinSpec, cache_dir=None) -> WindowSet:
    """The stand-in's held-out windows at ``spec``: (N, 60, 36) float32, y in the 5 real classes.

    Only the held-out people are built (``people`` of :func:`~lib.virtual_har.realstandin.build_standin_corpus`;
    their data equal their part of the full build), and the windows are those
    :func:`lib.virtual_har.experiments.real_split` gives as the test split (fixed people, any seed).
    cache_dir: None = build in memory; else cached there (:func:`~lib.virtual_har.realstandin.standin_corpus`).
    """
    people = rs.test_subjects(spec)
    corpus = (rs.build_standin_corpus(spec, people=people) if cache_dir is None
              else rs.standin_corpus(spec, cache_dir=cache_dir, people=people))
    return real_split(corpus, 0)[1]


def virtual_reference_windows(virtual_test: WindowSet, real_classes=rs.CLASSES) -> WindowSet:
    """The windows of ``virtual_test`` (virtual classes) whose class is one of ``real_classes``, relabelled
    to indices into ``real_classes``: (N', 60, 36), y in 0 .. len(real_classes) - 1."""
    keep = np.asarray(class_mapping(virtual_test.classes, real_classes))
    lut = np.full(virtual_test.n_classes, -1)
    lut[keep] = np.arange(len(keep))
    sel = np.flatnonzero(lut[virtual_test.y] >= 0)
    return WindowSet(virtual_test.x[sel], lut[virtual_test.y[sel]], virtual_test.groups[sel], tuple(real_classes),
                     virtual_test.sensors)


def gap_ablation(models: list, spec: rs.StandinSpec, virtual_test, cache_dir=None, seeds=None) -> list[dict]:
    """Score every virtual-trained model on the reference and on each :data:`GAP_STEPS` variant of the stand-in.

    models: proposed CNNs trained on the virtual corpus, one per training seed, each with ``.class_names``
        (the virtual classes; e.g. ``run_table2(...)[1]["proposed"]``);
    spec: the stand-in's size, seed and mocap (its switches are replaced by each step's);
    virtual_test: the virtual test windows (12 classes), one WindowSet for all models or a list with one per
        model (each seed's own split, ``run_table2(...)[2][i][1]``);
    cache_dir: where to cache the stand-in variants (None: build in memory);
    seeds: the training seed of each model (default: its index).
    Returns rows {step, seed, acc_5way, acc_12way, share_outside_5, n_windows}: the :data:`VIRTUAL_REFERENCE`
    row, then one per step, for every model (order :data:`ROW_ORDER`, models inside).
    """
    models = list(models)
    seeds = list(range(len(models))) if seeds is None else list(seeds)
    if not models or len(seeds) != len(models):
        raise ValueError(f"gap_ablation: {len(models)} models and {len(seeds)} seeds; give one seed per model (>= 1)")
    tests = list(virtual_test) if isinstance(virtual_test, (list, tuple)) else [virtual_test] * len(models)
    if len(tests) != len(models):
        raise ValueError(f"gap_ablation: {len(tests)} virtual test sets for {len(models)} models")
    rows = [{"step": VIRTUAL_REFERENCE, "seed": seed, **transfer_scores(model, virtual_reference_windows(vt))}
            for seed, model, vt in zip(seeds, models, tests)]
    for label, step_spec in step_specs(spec):
        windows = held_out_windows(step_spec, cache_dir)
        rows += [{"step": label, "seed": seed, **transfer_scores(model, windows)} for seed, model in zip(seeds, models)]
    return rows


def gap_table(rows: list[dict]):
    """Per step (order :data:`ROW_ORDER`): mean ± std over seeds of the three scores (per cent) and the drop
    of the 5-way accuracy from the previous row; a DataFrame."""
    import pandas as pd

    frame = pd.DataFrame(rows)
    present = list(dict.fromkeys(frame["step"]))
    order = [s for s in ROW_ORDER if s in present] + [s for s in present if s not in ROW_ORDER]
    agg = frame.groupby("step")[["acc_5way", "acc_12way", "share_outside_5"]].agg(["mean", "std"]).reindex(order)
    out = pd.DataFrame(index=pd.Index(order, name="step"))
    for col, name in (("acc_5way", "acc 5-way %"), ("acc_12way", "acc 12-way %"), ("share_outside_5", "outside the 5 %")):
        m, s = 100 * agg[(col, "mean")], 100 * agg[(col, "std")].fillna(0.0)
        out[name] = [f"{a:.1f} ± {b:.1f}" for a, b in zip(m, s)]
        out[f"{col}_mean"] = m.to_numpy()
    out["change of 5-way (points)"] = out["acc_5way_mean"].diff().round(1)
    out["seeds"] = frame.groupby("step")["seed"].nunique().reindex(order).to_numpy()
    return out
