"""Mode presets, knobs and data layout of notebooks 10-12 (P1): the one place their values live.

Each notebook passes its parameters through one function here, e.g. notebook 11::

    run = setup("11_footstep_siamese_training", ..., data_layout=spec.DATA_LAYOUT,
                **spec.knobs("11_footstep_siamese_training", scenes=scenes, n_seeds=n_seeds, ...))

and :func:`lib.params.setup` resolves every ``None`` to the preset of the mode. Quick mode is for CI
and teaching (a few minutes on 2 CPU cores); full mode is the paper's protocol (§3.4.1 of *Metric-based
multimodal meta-learning for human movement identification via footstep recognition*: 500 + 500
training pairs, 100 + 100 for validation and for testing, epochs of 1,000,000 combinations, Adam 1e-3,
at most 30 epochs). The parameters cell of each notebook states the same presets in its comments
(checked by tests/test_specs.py).
"""

from __future__ import annotations

from lib.footsteps.simulator import SCENE_PRESETS
from lib.footsteps.training import FULL_PROTOCOL
from lib.params import SHARED_DATA, DataLayout, Preset, PresetTable

# --------------------------------------------------------------------------- data layout

#: What a real-data folder (``data_root``) holds; :func:`lib.footsteps.data.load_pairs_folder` reads it.
DATA_LAYOUT_DESCRIPTION = ("a folder with pairs.csv (columns audio,geophone,label; label 1 = footsteps) and the "
                           "WAV/FLAC/OGG files it names (10-s clips, any sampling rate)")
DATA_LAYOUT = DataLayout(required=["pairs.csv"], description=DATA_LAYOUT_DESCRIPTION)
#: Real footstep sounds (freesound clips, CC0 / CC BY 3.0) the simulator can use for its step sounds.
STEP_CLIPS_DIR = SHARED_DATA / "footstep_audio"
#: The paper's data set and splits (§3.2, §3.4.1): pairs per class.
PAPER_PAIRS_PER_CLASS = 700
PAPER_SPLIT = {"train": 500, "val": 100, "test": 100}


# --------------------------------------------------------------------------- knobs


_SCENES = Preset("paper", "paper", choices=SCENE_PRESETS)
#: Knobs that notebooks 11 and 12 share, with the same presets, so that notebook 12 finds notebook 11's
#: trained networks in the cache (same data, splits, training setup and seed).
_TRAINING = {
    "scenes": _SCENES,
    "n_seeds": Preset(1, 3, min=1),
    "epochs": Preset(8, FULL_PROTOCOL.epochs, min=1),
    "n_eval": Preset(20, PAPER_SPLIT["val"], min=1),
    "lr": Preset(0.003, FULL_PROTOCOL.lr, min=1e-6, max=1.0),
    "epoch_combinations": Preset(0, FULL_PROTOCOL.epoch_combinations, min=0),
    "checks_per_epoch": Preset(1, FULL_PROTOCOL.checks_per_epoch, min=1),
    "patience": Preset(0, FULL_PROTOCOL.patience, min=0),
}

#: notebook stem -> {knob name: preset}, in the order of the notebook's parameters cell.
PRESETS = PresetTable({
    "10_footstep_data": {
        "n_per_class": Preset(100, PAPER_PAIRS_PER_CLASS, min=2),
        "scenes": _SCENES,
    },
    "11_footstep_siamese_training": {
        **{k: _TRAINING[k] for k in ("scenes", "n_seeds", "epochs")},
        "n_train": Preset(60, PAPER_SPLIT["train"], min=2),
        **{k: _TRAINING[k] for k in ("n_eval", "lr")},
        "batch_sizes": Preset("250,1024", "250,1024"),
        **{k: _TRAINING[k] for k in ("epoch_combinations", "checks_per_epoch", "patience")},
        "lstm_checks": Preset(8, 8, min=1),
        "lstm_time_pool": Preset(20, 0, min=0, max=100),
        "beyond": Preset(False, True),
        "ablations": Preset(False, True),
    },
    "12_footstep_training_size": {
        **{k: _TRAINING[k] for k in ("scenes", "n_seeds", "epochs")},
        "n_small": Preset(24, 200, min=2),
        "n_large": Preset(60, PAPER_SPLIT["train"], min=2),
        **{k: _TRAINING[k] for k in ("n_eval", "lr")},
        "batch_size": Preset(250, 250, min=4),
        **{k: _TRAINING[k] for k in ("epoch_combinations", "checks_per_epoch", "patience")},
        "curve_sizes": Preset("8", "10,50"),
        "support_sizes": Preset("1,5,10", "1,2,5,10,20,50"),
    },
})
knobs = PRESETS.knobs
preset = PRESETS.preset

