"""P3's notebooks in numbers: the mode presets of their knobs and the layout of their data, stated once.

* ``30_survey_taxonomy`` has no knobs: it trains and simulates nothing, so quick and full mode are the
  same run. Its data are the survey's tables, ``lib/survey/data/<table>.csv`` (:data:`TABLES`).
* ``31_survey_transfer_lab`` takes ``knobs("31_survey_transfer_lab", ...)`` (presets :data:`PRESETS`); full mode also draws
  more subjects per split (:data:`FULL_SUBJECTS`). Its data come from the simulator
  (:mod:`lib.survey.world`): splits :data:`SPLITS`, each with the views :data:`VIEWS`.

The parameters cells state the same presets in their comments ("None → quick 80, full 300");
``tests/test_specs.py`` checks that they agree with this module.
"""

from __future__ import annotations

from lib.params import Preset, PresetTable
from lib.survey.tables import DATA_DIR, REQUIRED
from lib.survey.world import SPLITS

#: notebook stem -> {knob: Preset}; notebook 30 trains and simulates nothing, so it has no knobs
PRESETS = PresetTable({
    "30_survey_taxonomy": {},
    "31_survey_transfer_lab": {
        "steps": Preset(80, 300, min=1),                          # optimiser steps per training run
        "n_seeds": Preset(3, 5, min=1),                           # training seeds per point
        "budgets": Preset("0,1,5,10", "0,1,2,5,10,20,50"),        # labelled IMU windows per class, comma-separated
        "windows": Preset(24, 100, min=2),                        # source and paired windows per class
        "test_windows": Preset(20, 60, min=1),                    # test windows per class
    },
})
knobs = PRESETS.knobs
preset = PRESETS.preset
#: runs that learn from the paired set (shared space, different representations, CLIP) take this many
#: times ``steps`` optimiser steps (rounded)
ALIGN_STEPS_FACTOR = 2.5
#: subjects per split in full mode; quick mode keeps :class:`lib.survey.world.LabConfig`'s default
FULL_SUBJECTS = {"source": 40, "paired": 20, "target": 12, "test": 12}

#: the survey's tables (``DATA_DIR/<name>.csv``) and the columns each must have
TABLES = dict(REQUIRED)
TABLES_DIR = DATA_DIR
#: the views of every window of the lab's world: (channels, what they are)
VIEWS = {"pose": (51, "estimated 3-D pose: root displacement + 16 root-relative joints, metres"),
         "imu": (12, "real IMU: specific force (m/s²) + angular rate (rad/s) at the left wrist and right thigh"),
         "virtual": (12, "IMU computed from the estimated pose (instance-based transfer)"),
         "virtual_clean": (12, "IMU computed from the true joints (no pose error, no sensor model)")}

#: the ``data`` line each notebook writes into its results record
DATA_30 = "survey text and reference list (no simulation)"
DATA_31 = "simulator: lib/body procedural motions, pose-estimation error, consumer IMU sensor model"


__all__ = ["ALIGN_STEPS_FACTOR", "DATA_30", "DATA_31", "FULL_SUBJECTS", "PRESETS", "SPLITS", "TABLES", "TABLES_DIR",
           "VIEWS", "knobs", "preset"]
