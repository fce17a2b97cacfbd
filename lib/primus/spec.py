"""What notebooks 20–24 run: the mode presets of their knobs, the pretraining runs, the real-data layout.

This is the one place a mode's values live. Each notebook passes its parameters to ``knobs(notebook, ...)``
(:data:`PRESETS` lists the knobs each declares) and reads every value back from the resulting
:class:`lib.params.Run`; the parameters cells repeat the presets in their comments for the reader, and
tests/test_specs.py checks that those comments agree with :data:`PRESETS`.

Every notebook resolves the same pretraining knobs from one set of presets, so the pretrained checkpoints
that notebook 21 caches are exactly the ones notebooks 22–24 ask for (a cache hit, not a retrain).
"""

from __future__ import annotations

from lib.params import SHARED_DATA, DataLayout, Preset, PresetTable

#: Mode presets (quick, full) of the P2 knobs. Quick: CI/teaching, ≤ 2 min per notebook on 2 cores. Full: the
#: paper's protocol on 2 CPU cores: 14 runs x 3 seeds, each pretrained for at least the reference's 15 epochs;
#: on 2 cores (≈ 170 segments/s for the two-view objectives, ≈ 290 for the others, one run per core) that fits
#: a corpus of 2,500 segments, 1 % of EgoExo4D's ≈ 250K. A run whose per-epoch probe or validation loss is still
#: improving after 15 epochs trains on, one epoch at a time, until the plateau rule of lib.primus.convergence
#: holds, for at most ``max_epochs`` (twice the reference's budget); a run that reaches the cap unsettled keeps
#: the claims read from it untestable.
_PRESETS = {
    "n_pretrain": Preset(1200, 2_500, min=1),
    "epochs": Preset(2, 15, min=1),
    "max_epochs": Preset(2, 30, min=1),  # quick: no extension (2 epochs cannot show a plateau)
    "batch_size": Preset(64, 128, min=1),
    "n_seeds": Preset(1, 3, min=1),  # pretraining seeds per objective (the expensive stage: verdicts are read across them)
    "n_draws": Preset(3, 3, min=1),  # few-shot draws per shot count and pretraining seed (averaged before the statistics)
    "standard_steps": Preset(15, 50, min=1),
}
_PRETRAINING = ("n_pretrain", "epochs", "max_epochs", "batch_size", "n_seeds")
_DECLARED = {
    "20_primus_world": ("n_pretrain",),
    "21_primus_pretraining": _PRETRAINING,
    "22_primus_few_shot": _PRETRAINING + ("n_draws", "standard_steps"),
    "23_primus_ablations": _PRETRAINING + ("n_draws",),
    "24_primus_aligned_fraction": _PRETRAINING + ("n_draws",),
}
#: notebook stem -> {knob: Preset}: the knobs each notebook declares in its parameters cell, with their presets
PRESETS = PresetTable({notebook: {name: _PRESETS[name] for name in names} for notebook, names in _DECLARED.items()})
knobs = PRESETS.knobs
preset = PRESETS.preset

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


__all__ = ["ALIGNED_FRACTIONS", "ALL_RUNS", "EGOEXO_LAYOUT", "FIG4", "FIG5", "FIG5_LABELS", "FIG6_LABELS",
           "HAPT_DEFAULT", "LR", "PRESETS", "QUICK_SHOTS", "STANDARD_SHOTS", "knobs", "preset"]
