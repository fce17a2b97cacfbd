"""P4's mode presets, notebook knobs and real-data layout: the one place their values live.

Notebook 40 (virtual-IMU synthesis) and notebook 41 (activity recognition) each pass their knobs to
:func:`lib.params.setup` through :func:`knobs_40` / :func:`knobs_41`::

    run = setup("41_virtual_imu_har", mode=mode, ..., data_layout=spec.DIP_DATA_LAYOUT,
                **spec.knobs_41(epochs=epochs, ...))

A knob left ``None`` takes the preset of the mode. The parameters cell of each notebook states the
same presets in its comments, "(quick X, full Y)"; ``tests/test_virtual_har_spec.py`` checks that
they agree with the tables below.
"""

from __future__ import annotations

from lib.datasets.bvh import UNIT_CHOICES
from lib.params import DataLayout, Knob
from lib.virtual_har.corpus import DIP_LABELS_FILE, DIP_LAYOUT

#: Notebook 40: name -> (quick preset, full preset, bounds and choices of the Knob).
PRESETS_40 = {
    "n_clips": (6, 40, {"min": 2}),             # procedural clips per activity for the Fig. 1-2 statistics
    "clip_s": (20.0, 60.0, {"min": 5.0}),       # seconds per procedural clip
    "bvh_units": ("auto", "auto", {"choices": UNIT_CHOICES}),  # length unit of the BVH file(s)
}

#: Notebook 41: name -> (quick preset, full preset, bounds of the Knob). Full mode is the paper's protocol
#: (DIP-IMU's size, Ordóñez & Roggen's DeepConvLSTM); quick mode is a smoke test on 2 CPU cores.
PRESETS_41 = {
    "epochs": (4, 15, {"min": 1}),               # proposed CNN
    "dcl_epochs": (2, 2, {"min": 1}),            # DeepConvLSTM
    "dcl_filters": (16, 64, {"min": 1}),         # DeepConvLSTM conv filters (64 as Ordóñez & Roggen)
    "dcl_units": (32, 128, {"min": 1}),          # DeepConvLSTM LSTM units (128 as Ordóñez & Roggen)
    "finetune_epochs": (30, 30, {"min": 1}),     # fine-tuning of the FC layers (§3.2)
    "n_seeds": (3, 3, {"min": 1}),               # training seeds per Table 2 cell
    "beyond_seeds": (1, 2, {"min": 1}),          # seeds of the beyond-the-paper sections
    "n_subjects": (40, 300, {"min": 4}),         # virtual (AMASS stand-in) people
    "clips_per_subject": (1.5, 1.0, {"min": 1.0}),  # mean clips per virtual person
    "real_subjects": (4, 10, {"min": 3}),        # people of the DIP-IMU stand-in (DIP-IMU: 10)
    "real_minutes": (1.0, 9.0, {"min": 0.5}),    # minutes per stand-in person (DIP-IMU: ≈ 90 min in all)
}

#: What ``data_root`` of notebook 41 must hold: DIP-IMU as published plus the file naming each recording's class.
DIP_DATA_LAYOUT = DataLayout(required=[DIP_LABELS_FILE], description=DIP_LAYOUT)


def _knobs(presets: dict, notebook: str, given: dict) -> dict[str, Knob]:
    unknown = sorted(set(given) - set(presets))
    if unknown:
        raise ValueError(f"unknown knob(s) {unknown} for notebook {notebook}; its knobs are {sorted(presets)}")
    return {name: Knob(given.get(name), quick=quick, full=full, **bounds)
            for name, (quick, full, bounds) in presets.items()}


def knobs_40(**given) -> dict[str, Knob]:
    """Every knob of notebook 40 as a :class:`lib.params.Knob`: ``given`` holds the parameters cell's values
    (None or absent = the mode's preset); an unknown name raises ``ValueError``."""
    return _knobs(PRESETS_40, "40_virtual_imu_synthesis", given)


def knobs_41(**given) -> dict[str, Knob]:
    """Every knob of notebook 41 as a :class:`lib.params.Knob` (see :func:`knobs_40`)."""
    return _knobs(PRESETS_41, "41_virtual_imu_har", given)


def preset(notebook: str, name: str, mode: str):
    """The preset of knob ``name`` of notebook ``"40"`` or ``"41"`` in ``mode`` ("quick" | "full")."""
    quick, full, _ = {"40": PRESETS_40, "41": PRESETS_41}[notebook][name]
    return quick if mode == "quick" else full
