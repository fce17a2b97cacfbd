"""P4's mode presets, notebook knobs and real-data layout: the one place their values live.

Notebook 40 (virtual-IMU synthesis) and notebook 41 (activity recognition) each pass their knobs to
:func:`lib.params.setup` through ``knobs``::

    run = setup("41_virtual_imu_har", mode=mode, ..., data_layout=spec.DIP_DATA_LAYOUT,
                **spec.knobs("41_virtual_imu_har", epochs=epochs, ...))

A knob left ``None`` takes the preset of the mode. The parameters cell of each notebook states the
same presets in its comments, "(quick X, full Y)"; ``tests/test_specs.py`` checks that
they agree with the tables below.
"""

from __future__ import annotations

from lib.datasets.bvh import UNIT_CHOICES
from lib.params import DataLayout, Preset, PresetTable
from lib.virtual_har.corpus import DIP_LABELS_FILE, DIP_LAYOUT

#: notebook stem -> {knob: Preset}. Notebook 41's full mode is the paper's protocol (DIP-IMU's size, Ordóñez &
#: Roggen's DeepConvLSTM); quick mode is a smoke test on 2 CPU cores.
PRESETS = PresetTable({
    "40_virtual_imu_synthesis": {
        "n_clips": Preset(6, 40, min=2),                  # procedural clips per activity for the Fig. 1-2 statistics
        "clip_s": Preset(20.0, 60.0, min=5.0),            # seconds per procedural clip
        "bvh_units": Preset("auto", "auto", choices=UNIT_CHOICES),  # length unit of the BVH file(s)
    },
    "41_virtual_imu_har": {
        "epochs": Preset(4, 15, min=1),                   # proposed CNN
        "dcl_epochs": Preset(2, 2, min=1),                # DeepConvLSTM
        "dcl_filters": Preset(16, 64, min=1),             # DeepConvLSTM conv filters (64 as Ordóñez & Roggen)
        "dcl_units": Preset(32, 128, min=1),              # DeepConvLSTM LSTM units (128 as Ordóñez & Roggen)
        "finetune_epochs": Preset(30, 30, min=1),         # fine-tuning of the FC layers (§3.2)
        "n_seeds": Preset(3, 3, min=1),                   # training seeds per Table 2 cell
        "beyond_seeds": Preset(1, 2, min=1),              # seeds of the beyond-the-paper sections
        "n_subjects": Preset(40, 300, min=4),             # virtual (AMASS stand-in) people
        "clips_per_subject": Preset(1.5, 1.0, min=1.0),   # mean clips per virtual person
        "real_subjects": Preset(4, 10, min=3),            # people of the DIP-IMU stand-in (DIP-IMU: 10)
        "real_minutes": Preset(1.0, 9.0, min=0.5),        # minutes per stand-in person (DIP-IMU: ≈ 90 min in all)
    },
})
knobs = PRESETS.knobs
preset = PRESETS.preset

#: What ``data_root`` of notebook 41 must hold: DIP-IMU as published plus the file naming each recording's class.
DIP_DATA_LAYOUT = DataLayout(required=[DIP_LABELS_FILE], description=DIP_LAYOUT)
