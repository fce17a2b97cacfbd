"""What notebooks 20–24 run: the mode presets of their knobs, the pretraining runs, the real-data layout.

This is the one place a mode's values live. Each notebook passes its parameters to :func:`knobs` (the
knobs it declares are listed in :data:`NOTEBOOK_KNOBS`) and reads every value back from the resulting
:class:`lib.params.Run`; the parameters cells repeat the presets in their comments for the reader, and
tests/test_primus_spec.py checks that those comments agree with :data:`PRESETS`.

Every notebook resolves the same knobs from :data:`PRESETS`, so the pretrained checkpoints that notebook
21 caches are exactly the ones notebooks 22–24 ask for (a cache hit, not a retrain).
"""

from __future__ import annotations

from lib.params import SHARED_DATA, DataLayout, Knob

#: Mode presets (quick, full) of the P2 knobs. Quick: CI/teaching, ≤ 2 min per notebook on 2 cores. Full: the
#: paper's protocol on 2 CPU cores: 14 runs x 3 seeds, each pretrained for at least the reference's 15 epochs;
#: on 2 cores (≈ 170 segments/s for the two-view objectives, ≈ 290 for the others, one run per core) that fits
#: a corpus of 2,500 segments, 1 % of EgoExo4D's ≈ 250K. A run whose per-epoch probe or validation loss is still
#: improving after 15 epochs trains on, one epoch at a time, until the plateau rule of lib.primus.convergence
#: holds, for at most ``max_epochs`` (twice the reference's budget); a run that reaches the cap unsettled keeps
#: the claims read from it untestable.
PRESETS = {
    "n_pretrain": (1200, 2_500),
    "epochs": (2, 15),
    "max_epochs": (2, 30),  # quick: no extension (2 epochs cannot show a plateau)
    "batch_size": (64, 128),
    "n_seeds": (1, 3),  # pretraining seeds per objective (the expensive stage: verdicts are read across them)
    "n_draws": (3, 3),  # few-shot draws per shot count and pretraining seed (averaged before the statistics)
    "standard_steps": (15, 50),
}

#: The knobs each notebook declares in its parameters cell (and passes to :func:`knobs`).
_PRETRAINING = ("n_pretrain", "epochs", "max_epochs", "batch_size", "n_seeds")
NOTEBOOK_KNOBS = {
    "20_primus_world": ("n_pretrain",),
    "21_primus_pretraining": _PRETRAINING,
    "22_primus_few_shot": _PRETRAINING + ("n_draws", "standard_steps"),
    "23_primus_ablations": _PRETRAINING + ("n_draws",),
    "24_primus_aligned_fraction": _PRETRAINING + ("n_draws",),
}

#: Labelled windows per class of the few-shot curves in quick mode (full mode: lib.probe.PAPER_SHOTS, 1 to 500).
QUICK_SHOTS = (1, 2, 5, 10, 20)
#: Standard training (every parameter from scratch) is the costliest curve: it is trained at the low-data
#: shot counts the claims read (≤ 20 per class), ``standard_steps`` Adam steps each (time budget, 2 cores).
STANDARD_SHOTS = {"quick": (1, 5, 20), "full": (1, 5, 20)}
#: Adam's learning rate for every pretraining run.
LR = 1e-3
#: Where notebook 22 looks for UCI HAPT when ``hapt_root`` is None.
HAPT_DEFAULT = SHARED_DATA / "hapt"

#: What ``data_root`` must hold for real pretraining data.
EGOEXO_LAYOUT = DataLayout(required=["imu.npy", "video.npy", "text.npy", "meta.csv"],
                           description="EgoExo4D-style triplets: imu.npy (N, 6, 250), video.npy (N, 512), "
                                       "text.npy (N, 512), meta.csv (take_uid, start_s, end_s[, narration, label, "
                                       "split]) — see lib/datasets/egoexo.py")

#: The pretraining runs of Fig. 4 (PRIMUS and the baselines) and Fig. 5 (every combination of the terms).
FIG4 = ("primus", "simclr", "imu2clip", "multitask_ssl")
FIG5 = ("ss", "imu2clip", "nn", "ss_mm", "mm_nn", "ss_nn", "primus")
#: Fig. 6: the fractions of the corpus whose video and text are kept.
ALIGNED_FRACTIONS = (0.1, 0.25, 0.5, 1.0)
#: Fig. 6's runs and their legend labels (the control: IMU2CLIP on the same 10 % aligned).
FIG6_LABELS = {**{f"primus@{f:.0%}": f"PRIMUS, {f:.0%} aligned" for f in ALIGNED_FRACTIONS if f < 1},
               "primus": "PRIMUS, 100% aligned", "imu2clip": "IMU2CLIP, 100% aligned",
               "imu2clip@10%": "IMU2CLIP, 10% aligned"}
#: Fig. 5's legend names where they differ from the objectives' (MM alone is IMU2CLIP).
FIG5_LABELS = {"imu2clip": "MM", "primus": "SS+MM+NN (PRIMUS)"}
#: Every pretraining run of notebooks 21–24: (label, objective, settings overrides).
ALL_RUNS = ([(name, name, {}) for name in dict.fromkeys(FIG4 + FIG5)]
            + [(f"primus@{f:.0%}", "primus", {"aligned_fraction": f}) for f in ALIGNED_FRACTIONS if f < 1.0]
            + [("imu2clip@10%", "imu2clip", {"aligned_fraction": 0.1}),  # Fig. 6's control: MM on the same 10 %
               ("imu2clip@gru-time", "imu2clip", {"gru_over": "time"})])


def knobs(**values) -> dict[str, Knob]:
    """The P2 knobs as :class:`lib.params.Knob` s with the presets of :data:`PRESETS` (every knob ≥ 1).

    Pass the notebook's parameter values (None = the mode's preset) for the knobs it declares; an unknown
    name raises ``ValueError``.
    """
    unknown = sorted(set(values) - set(PRESETS))
    if unknown:
        raise ValueError(f"knobs(): unknown P2 knob(s) {unknown}; known: {sorted(PRESETS)}")
    return {name: Knob(values[name], quick=quick, full=full, min=1)
            for name, (quick, full) in PRESETS.items() if name in values}


def preset(name: str, mode: str):
    """The preset of knob ``name`` in ``mode`` ("quick" or "full")."""
    return PRESETS[name][mode == "full"]


__all__ = ["ALIGNED_FRACTIONS", "ALL_RUNS", "EGOEXO_LAYOUT", "FIG4", "FIG5", "FIG5_LABELS", "FIG6_LABELS",
           "HAPT_DEFAULT", "LR", "NOTEBOOK_KNOBS", "PRESETS", "QUICK_SHOTS", "STANDARD_SHOTS", "knobs", "preset"]
