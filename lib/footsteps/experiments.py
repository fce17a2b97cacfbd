"""Plumbing shared by notebooks 10-12: the data (simulated or real), the splits and cached trained models.

A trained model is cached on disk (``lib.repro.cached``, torch format) under a hash of the data key,
the split sizes, the training setup and the seed, so notebook 12 reuses what notebook 11 trained
with the same parameters, and a re-run of a notebook is fast. The cached record keeps the training
time of the run that trained it (the sum of its epochs' wall times).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from lib.footsteps.data import load_pairs_folder, read_clip, read_pairs_table
from lib.footsteps.features import FEATURES_VERSION, scene_features
from lib.footsteps.models import SiameseFootstepNet
from lib.footsteps.pairs import Split, split_pairs
from lib.footsteps.simulator import NEGATIVE_KINDS, SIMULATOR_VERSION, scene_preset, simulate_scene
from lib.footsteps.sources import AUDIO_RATE, GEO_RATE
from lib.footsteps.training import TrainSetup, evaluate_splits, train_all_pairs
from lib.params import ParameterError
from lib.repro import cached

MODEL_CACHE_VERSION = "2"
DATA_LAYOUT_DESCRIPTION = ("a folder with pairs.csv (columns audio,geophone,label; label 1 = footsteps) and the "
                           "WAV/FLAC/OGG files it names (10-s clips, any sampling rate)")


def load_features(n_per_class: int, seed: int, data_root: str | Path | None = None, cache_dir=None,
                  clips_dir: str | Path | None = None, scenes: str = "paper") -> tuple[dict, dict]:
    """(features, data key). Simulator: ``n_per_class`` positive + negative scenes of the preset
    ``scenes`` ("paper", "hard" or "paper_like", :func:`lib.footsteps.simulator.scene_preset`); real: every row
    of ``data_root/pairs.csv``. The key identifies the data for the model cache."""
    if data_root is not None:
        feats = load_pairs_folder(data_root, cache_dir=cache_dir)
        return feats, {"source": "real", "root": str(Path(data_root).resolve()), "n": int(len(feats["label"]))}
    config = scene_preset(scenes)
    feats = scene_features(n_per_class, n_per_class, seed=seed, config=config, cache_dir=cache_dir, clips_dir=clips_dir)
    key = {"source": "simulator", "n_per_class": n_per_class, "seed": seed, "version": SIMULATOR_VERSION + FEATURES_VERSION,
           "config": config.to_dict(), "clips": str(clips_dir) if clips_dir else None}
    return feats, key


def make_splits(features: dict, n_train: int, n_val: int, n_test: int, seed: int) -> dict[str, Split]:
    """Disjoint per-class splits; with real data the sizes shrink to what the folder holds (60/20/20 %)."""
    n_min = int(min((features["label"] == 1).sum(), (features["label"] == 0).sum()))
    if n_train + n_val + n_test > n_min:
        n_val = n_test = max(1, n_min // 5)
        n_train = n_min - n_val - n_test
        if n_train < 1:
            raise ValueError(f"the data hold only {n_min} pairs of the rarer class; at least 3 per class are needed")
    return split_pairs(features, n_train, n_val, n_test, seed)


@dataclass
class Trained:
    """A trained network with its history rows, best check, the wall seconds of its training run and
    the number of training items it saw."""

    model: SiameseFootstepNet
    rows: list
    best_epoch: int | None
    seconds: float
    cached: bool
    n_train: int = 0


def trained_model(splits: dict[str, Split], data_key: dict, setup: TrainSetup, seed: int, device="cpu",
                  cache_dir=None, desc: str = "training") -> Trained:
    """Train with the all-pair trainer (or load the identical run from the cache).

    A run that is interrupted resumes from its last finished epoch (checkpoints kept by
    :func:`lib.repro.cached` until the trained model is cached); ``seconds`` then adds up the
    epochs' own times.
    """
    params = {"data": data_key, "sizes": {k: len(v) for k, v in splits.items()}, "setup": asdict(setup),
              "seed": seed}
    fresh = {}

    def compute(checkpoints):
        model, history = train_all_pairs(splits, setup, seed=seed, device=device, checkpoint_dir=checkpoints,
                                         desc=desc)
        fresh["yes"] = True
        return {"state": {k: v.detach().cpu() for k, v in model.state_dict().items()}, "rows": history.rows,
                "best_epoch": history.best_epoch, "seconds": float(sum(history.seconds))}

    record = cached("p1_trained_models", params, MODEL_CACHE_VERSION, compute, fmt="torch", cache_dir=cache_dir,
                    resumable=True)
    model = SiameseFootstepNet(setup.encoder, setup.modalities, **setup.encoder_kwargs)
    model.load_state_dict(record["state"])
    model.to(device).eval()
    return Trained(model, record["rows"], record["best_epoch"], float(record["seconds"]), not fresh,
                   len(splits["train"]))


@dataclass
class SeedRuns:
    """One network of a table or figure trained on several seeds (the expensive stage: statistics run across
    these seeds, never across cheaper repetitions of one trained network).

    ``runs[k]`` / ``scores[k]`` belong to ``seeds[k]``; ``scores`` are :func:`evaluate_splits` dicts
    (fractions). Statistics across seeds go through :mod:`lib.verdict`.
    """

    name: str
    setup: TrainSetup
    seeds: list
    runs: list = field(default_factory=list)
    scores: list = field(default_factory=list)

    def values(self, key: str) -> np.ndarray:
        """Per-seed values of one score ("train", "val", "test", "test@0.5", "threshold", ...)."""
        return np.array([s[key] for s in self.scores], dtype=float)

    @property
    def curves(self) -> list:
        """History rows of every seed (for :func:`lib.footsteps.figures.training_curves`)."""
        return [t.rows for t in self.runs]

    @property
    def cached_seconds(self) -> float:
        """Training seconds of the seeds loaded from the cache (work of an earlier run)."""
        return float(sum(t.seconds for t in self.runs if t.cached))

    def summary(self) -> dict:
        """Table row: mean and std across seeds (percent) of train / val / test, threshold, steps, minutes."""
        row = {}
        for key in ("train", "val", "test", "test@0.5"):
            v = 100 * self.values(key)
            row[key] = float(v.mean())
            row[f"{key} sd"] = float(v.std(ddof=1)) if v.size > 1 else 0.0
        row["threshold"] = float(self.values("threshold").mean())
        row["steps"] = float(np.mean([len(t.rows) * self.setup.steps_per_check(t.n_train) for t in self.runs]))
        row["minutes"] = float(np.mean([t.seconds for t in self.runs]) / 60)
        row["seeds"] = len(self.runs)
        return row


def train_seeds(name: str, splits: dict[str, Split], data_key: dict, setup: TrainSetup, seeds, device="cpu",
                cache_dir=None) -> SeedRuns:
    """Train (or load from the cache) one network per seed and score it on every split with I of
    ``setup.similarity``; the data and splits are the same for every seed, only the training seed varies."""
    out = SeedRuns(name, setup, list(seeds))
    for seed in out.seeds:
        trained = trained_model(splits, data_key, setup, seed, device, cache_dir, desc=f"{name}, seed {seed}")
        out.runs.append(trained)
        out.scores.append(evaluate_splits(trained.model, splits, device, reading=setup.similarity))
    return out


def items_for_combinations(combinations: int) -> int:
    """Items per all-pair batch whose B^2 combinations are nearest a pair-by-pair batch of ``combinations``
    (the paper's batch size 250 -> 16 items -> 256 combinations per step)."""
    if combinations < 4:
        raise ValueError(f"items_for_combinations({combinations}): a batch needs at least 4 combinations (2 items)")
    return max(2, int(round(combinations ** 0.5)))




def find_scene(label: int, seed: int, predicate=lambda info: True, config=None, clips=None, max_tries: int = 300):
    """The first scene (by index) of ``label`` whose info satisfies ``predicate``: (index, audio, geophone, info)."""
    for index in range(max_tries):
        audio, geo, info = simulate_scene(label, index, seed, config, clips)
        if predicate(info):
            return index, audio, geo, info
    raise ValueError(f"find_scene: no {'positive' if label else 'negative'} scene among the first {max_tries} "
                     "matches the request; relax it")


def negative_gallery(seed: int, config=None) -> dict:
    """One negative scene per kind (silence, speech, typing, vibration, tapping, both): kind -> (audio, geophone, info)."""
    return {kind: find_scene(0, seed, lambda info, k=kind: info.kind == k, config)[1:] for kind in NEGATIVE_KINDS}


def real_examples(data_root: str | Path) -> dict:
    """The first positive and first negative row of a real folder: {1: (audio, geophone), 0: (...)} as signals."""
    out = {}
    for audio, geo, label in read_pairs_table(data_root):
        if label not in out:
            out[label] = (read_clip(audio, AUDIO_RATE), read_clip(geo, GEO_RATE))
    return out


def parse_int_list(text: str, name: str, minimum: int = 1) -> list[int]:
    """"64,250,1024" -> [64, 250, 1024], validated: a ParameterError names the notebook parameter."""
    try:
        values = [int(part) for part in str(text).split(",") if part.strip()]
    except ValueError:
        values = []
    if not values or any(v < minimum for v in values):
        raise ParameterError(f"parameter {name}={text!r} must be comma-separated integers >= {minimum}, "
                             "e.g. \"64,250,1024\"")
    return values
