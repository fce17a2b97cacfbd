"""Experiments of notebooks 10-12 (P1): the data (simulated or real), the splits, the networks of each table and
figure trained on several seeds, and the plain tables the notebooks show and store.

A trained model is cached on disk (``lib.repro.cached``, torch format) under a hash of the data key,
the split sizes, the training setup and the seed, so notebook 12 reuses what notebook 11 trained
with the same parameters, and a re-run of a notebook is fast. The cached record keeps the training
time of the run that trained it (the sum of its epochs' wall times).

The functions that take a ``run`` read its resolved knobs (:mod:`lib.footsteps.spec`, :class:`lib.params.Run`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lib.footsteps import spec
from lib.footsteps.claims import PAPER_TABLE1
from lib.footsteps.data import load_pairs_folder, read_clip, read_pairs_table
from lib.footsteps.features import FEATURES_VERSION, scene_features
from lib.footsteps.models import SiameseFootstepNet
from lib.footsteps.pairs import (Split, accuracy_ceiling, chance_accuracy, detect_with_support, embed, kind_accuracy,
                                 split_pairs)
from lib.footsteps.simulator import NEGATIVE_KINDS, SIMULATOR_VERSION, load_step_clips, scene_preset, simulate_scene
from lib.footsteps.sources import AUDIO_RATE, GEO_RATE
from lib.footsteps.training import TrainSetup, evaluate_splits, same_budget, train_all_pairs
from lib.params import ParameterError
from lib.repro import cached

MODEL_CACHE_VERSION = "2"


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


def records(table: pd.DataFrame) -> list[dict]:
    """A table as the results JSON stores it: ``table.reset_index().to_dict("records")``."""
    return table.reset_index().to_dict("records")


# --------------------------------------------------------------------------- notebook 10: the data


def example_pairs(seed: int, scenes: str, data_root: str | Path | None = None) -> dict:
    """The pairs that notebook 10 plays and draws as Fig. 1-2: {"positive": (audio, geophone, info), "negative": ...}.

    Simulator: the first positive of preset ``scenes`` with at least 8 heel strikes and nothing else in it,
    and its first keyboard-typing negative (a vibration distractor where the preset has those); signals are
    audio (160000,) at 16 kHz and geophone (40000,) volts at 4 kHz. Real data (``data_root``): the first
    positive and negative row of ``pairs.csv``, with info None.
    """
    if data_root is not None:
        examples = real_examples(data_root)
        return {"positive": (*examples[1], None), "negative": (*examples[0], None)}
    config = scene_preset(scenes)
    neg_kind = "vibration" if "vibration" in config.negative_probs else "typing"  # "paper": no distractors
    positive = find_scene(1, seed, lambda i: i.n_steps >= 8 and not i.extras, config=config)[1:]
    negative = find_scene(0, seed, lambda i: i.kind == neg_kind, config=config)[1:]
    return {"positive": positive, "negative": negative}


def preset_differences(first: str = "paper", second: str = "hard") -> pd.DataFrame:
    """The scene-configuration fields where two simulator presets differ (columns: field, first, second)."""
    a, b = scene_preset(first).to_dict(), scene_preset(second).to_dict()

    def show(v):
        return (", ".join(f"{k} {p:g}" for k, p in v.items()) or "none") if isinstance(v, dict) else str(v)

    return pd.DataFrame([(k, show(a[k]), show(b[k])) for k in a if a[k] != b[k]], columns=["field", first, second])


def real_sound_scene(seed: int, clips_dir: str | Path | None = None):
    """A positive scene (audio, geophone, info) whose step sounds are the real clips of ``clips_dir``
    (default :data:`lib.footsteps.spec.STEP_CLIPS_DIR`); None when that folder is absent."""
    folder = Path(clips_dir or spec.STEP_CLIPS_DIR)
    if not folder.is_dir():
        return None
    clips = load_step_clips(folder)
    return find_scene(1, seed, lambda i: i.n_steps >= 8 and not i.extras, clips=clips)[1:]


def scene_table(features: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per scene: label, kind and the scene description present in ``features``; scenes per label and kind)."""
    table = pd.DataFrame({k: features[k] for k in ("label", "kind", "floor", "shoe", "n_steps", "cadence_hz",
                                                   "nearest_m") if k in features})
    counts = table.groupby(["label", "kind"]).size().rename("scenes").reset_index()
    return table, counts


def positive_stats(table: pd.DataFrame) -> dict:
    """Heel strikes, cadence (steps/s), nearest step (m) and floor of every positive scene, as lists."""
    pos = table[table.label == 1]
    return {k: pos[k].tolist() for k in ("n_steps", "cadence_hz", "nearest_m", "floor")}


def preset_positives(n_per_class: int, seed: int, cache_dir=None, presets=("paper", "hard")) -> dict:
    """Nearest step (m) and heel strikes of the ``n_per_class`` positives of each preset: {preset: {...: list}}."""
    out = {}
    for name in presets:
        features, _ = load_features(n_per_class, seed, cache_dir=cache_dir, scenes=name)
        pos = features["label"] == 1
        out[name] = {"nearest_m": features["nearest_m"][pos].tolist(), "n_steps": features["n_steps"][pos].tolist()}
    return out


def data_summary(features: dict, counts: pd.DataFrame, scenes: str) -> dict:
    """Notebook 10's results: preset, scenes per label and kind, pairs per class and the feature shapes."""
    return {"scenes": scenes, "counts": counts.to_dict("records"), "n_pos": int((features["label"] == 1).sum()),
            "n_neg": int((features["label"] == 0).sum()), "feature_shape": list(features["audio"].shape[1:]),
            "geophone_feature_shape": list(features["geophone"].shape[1:])}


# --------------------------------------------------------------------------- notebooks 11-12: the networks


def training_seeds(run) -> list[int]:
    """The training seeds of every network: ``run.seed``, ``run.seed + 1``, ... (``run.n_seeds`` of them)."""
    return [run.seed + k for k in range(run.n_seeds)]


def lstm_pool(run) -> int:
    """Log-mel frames the LSTM averages: the ``lstm_time_pool`` knob, or (0) 1 on CUDA (the paper) and 10 on a CPU."""
    return run.lstm_time_pool or (1 if run.device.type == "cuda" else 10)


def network(run, encoder: str = "cnn", modalities=("audio", "geophone"), paper_batch: int | None = None,
            similarity: str = "same_label", **encoder_kwargs) -> TrainSetup:
    """Table 1's training setup for one network, from the run's knobs (epochs, lr, patience, ...).

    ``paper_batch`` is the paper's batch size in combinations (default: the run's ``batch_size``); it
    becomes :func:`items_for_combinations` items per all-pair step.
    """
    paper_batch = run.batch_size if paper_batch is None else paper_batch
    return TrainSetup(encoder, modalities, run.epochs, items_for_combinations(paper_batch), run.lr,
                      patience=run.patience or None, encoder_kwargs=encoder_kwargs,
                      epoch_combinations=run.epoch_combinations or None, similarity=similarity,
                      checks_per_epoch=run.checks_per_epoch)


def table(networks: dict, paper: dict | None = None) -> pd.DataFrame:
    """Mean ± sd across seeds of each network (percent; :meth:`SeedRuns.summary`), with the paper's Table 1
    numbers where it has them (``paper``: name -> (train, val, test); default :data:`PAPER_TABLE1`)."""
    paper = PAPER_TABLE1 if paper is None else paper
    frame = pd.DataFrame({name: net.summary() for name, net in networks.items()}).T
    frame["paper (train/val/test)"] = [("/".join(f"{v:.2f}" for v in paper[n]) if n in paper else "not reported")
                                       for n in frame.index]
    return frame


def table1_networks(run, splits: dict[str, Split], data_key: dict, network, seeds, pool: int) -> dict:
    """Table 1's four networks trained on ``seeds``: name -> :class:`SeedRuns`.

    ``network``: the notebook's setup builder (:func:`network` bound to the run). The LSTM's validation
    accuracy stays at chance for hundreds of steps, so early stopping after 2 checks would end it before it
    starts: it trains for a fixed budget of ``run.lstm_checks`` checks instead (no early stopping, best kept).
    """
    lstm_setup = same_budget(network("lstm", time_pool=pool), checks=run.lstm_checks,
                             steps_per_check=network().steps_per_check(len(splits["train"])))
    rows = {"Multimodal (2DCNN)": network(), "Multimodal (LSTM)": lstm_setup,
            "Audio only (2DCNN)": network(modalities=("audio",)),
            "Geophone only (2DCNN)": network(modalities=("geophone",))}
    return {name: train_seeds(name, splits, data_key, setup, seeds, run.device, run.cache_dir)
            for name, setup in rows.items()}


def beyond_rows(run, splits: dict[str, Split], data_key: dict, network, seeds) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """The beyond-the-paper rows of notebook 11 when ``run.beyond``: ("hard" scenes, I = both footsteps).

    Returns (networks by name, their table with chance and ceiling accuracy in %, the hard network's test
    accuracy by scene kind with one column per seed); empty when ``run.beyond`` is False.
    """
    if not run.beyond:
        return {}, pd.DataFrame(), pd.DataFrame()
    n_per_class = run.n_train + 2 * run.n_eval
    hard_feats, hard_key = load_features(n_per_class, run.seed, None, cache_dir=run.cache_dir, scenes="hard")
    hard_splits = make_splits(hard_feats, run.n_train, run.n_eval, run.n_eval, run.seed)
    nets = {"2DCNN, hard scenes": train_seeds("2DCNN, hard scenes", hard_splits, hard_key, network(), seeds,
                                              run.device, run.cache_dir),
            "2DCNN, I = both footsteps": train_seeds("2DCNN, I = both footsteps", splits, data_key,
                                                     network(similarity="both_footsteps"), seeds, run.device,
                                                     run.cache_dir)}
    frame = table(nets)
    frame["chance"] = [100 * chance_accuracy(hard_splits["test"].label),
                       100 * chance_accuracy(splits["test"].label, "both_footsteps")]
    frame["ceiling"] = [100 * accuracy_ceiling(hard_splits["test"].label),
                        100 * accuracy_ceiling(splits["test"].label, "both_footsteps")]
    hard = nets["2DCNN, hard scenes"]
    by_kind = pd.DataFrame({f"seed {s}": kind_accuracy(embed(t.model, hard_splits["test"], device=run.device),
                                                       hard_splits["test"], sc["threshold"])
                            for s, t, sc in zip(hard.seeds, hard.runs, hard.scores)})
    return nets, frame, by_kind


def ablation_rows(run, splits: dict[str, Split], data_key: dict, network, seeds, ours: SeedRuns) -> tuple[dict, pd.DataFrame]:
    """Our design choices against their alternatives when ``run.ablations`` (one seed, no early stopping),
    each trained for exactly the steps ``ours`` (Table 1's CNN) took on its first seed.

    Returns (networks by name, their table next to ``ours``); empty when ``run.ablations`` is False.
    """
    if not run.ablations:
        return {}, pd.DataFrame()
    first = ours.runs[0]
    budget = {"checks": len(first.rows), "steps_per_check": network().steps_per_check(first.n_train)}
    setups = {"flatten (no time pooling)": same_budget(network(time_pool="none"), **budget),
              "PyTorch default dense init": same_budget(network(init_gain=1.0), **budget)}
    nets = {name: train_seeds(name, splits, data_key, s, seeds[:1], run.device, run.cache_dir)
            for name, s in setups.items()}
    return nets, table({"ours (Table 1)": ours, **nets})


def batch_size_runs(run, splits: dict[str, Split], data_key: dict, network, seeds, sizes: list[int],
                    cnn: SeedRuns, lstm: SeedRuns) -> tuple[dict, dict]:
    """Figures 6-7: the CNN trained at each paper batch size of ``sizes`` (the first is Table 1's ``cnn``).

    Returns (batch size -> :class:`SeedRuns`, curve label -> history rows per seed, with the LSTM's too).
    """
    curves = {f"2DCNN, BS {sizes[0]}": cnn.curves, f"LSTM, BS {sizes[0]}": lstm.curves}
    nets = {sizes[0]: cnn}
    for size in sizes[1:]:
        nets[size] = train_seeds(f"2DCNN, BS {size}", splits, data_key, network(paper_batch=size), seeds,
                                 run.device, run.cache_dir)
        curves[f"2DCNN, BS {size}"] = nets[size].curves
    return nets, curves


def batch_table(nets: dict) -> pd.DataFrame:
    """One row per paper batch size (with its items per step): :meth:`SeedRuns.summary`."""
    return pd.DataFrame({f"BS {size} ({items_for_combinations(size)} items)": net.summary()
                         for size, net in nets.items()}).T


def per_seed(networks) -> dict:
    """Every network's seeds and per-seed scores, by name (the results' ``per_seed``, read by :mod:`.claims`)."""
    return {net.name: {"seeds": net.seeds, "scores": net.scores} for net in networks}


def reused_seconds(networks) -> float:
    """Training seconds of the networks (each counted once) that came from the cache."""
    return sum(net.cached_seconds for net in {id(n): n for n in networks}.values())


# --------------------------------------------------------------------------- notebook 12: training-set size


def size_settings(run) -> tuple[list[int], list[int]]:
    """(support sizes k, extra learning-curve sizes) of notebook 12, validated against its other knobs."""
    if run.n_small >= run.n_large:
        raise ParameterError(f"parameter n_small={run.n_small} must be smaller than n_large={run.n_large}")
    ks = parse_int_list(run.support_sizes, "support_sizes", minimum=1)
    curve_sizes = sorted(set(parse_int_list(run.curve_sizes, "curve_sizes", minimum=2)) - {run.n_small, run.n_large})
    if max(curve_sizes, default=0) > run.n_large:
        raise ParameterError(f"parameter curve_sizes={run.curve_sizes!r}: every size must be <= n_large={run.n_large}")
    return ks, curve_sizes


def first_pairs(splits: dict[str, Split], n: int) -> dict[str, Split]:
    """The splits with the training set cut to its first ``n`` pairs per class (nested training sets)."""
    train = splits["train"]
    index = np.concatenate([np.flatnonzero(train.label == c)[:n] for c in (1, 0)])
    return dict(splits, train=train.subset(np.sort(index)))


def size_table(nets: dict) -> pd.DataFrame:
    """Figure 8's table: :meth:`SeedRuns.summary` per training-set size, plus the train - val gap (points)."""
    frame = pd.DataFrame({name: net.summary() for name, net in nets.items()}).T
    frame["train - val"] = [100 * (net.values("train") - net.values("val")).mean() for net in nets.values()]
    return frame


def learning_curve(run, splits: dict[str, Split], data_key: dict, network, seeds, curve_sizes: list[int],
                   nets: dict) -> tuple[dict, pd.DataFrame]:
    """Test accuracy against training pairs per class: the extra ``curve_sizes`` (first seed only) plus the two
    networks of ``nets`` (keyed "<n> pairs per class", all seeds).

    Returns (pairs per class -> :class:`SeedRuns`, a table indexed by pairs per class with train, test,
    "test sd" in % and seeds).
    """
    curve = {n: train_seeds(f"{n} pairs per class", first_pairs(splits, n), data_key, network(), seeds[:1],
                            run.device, run.cache_dir) for n in curve_sizes}
    curve.update({run.n_small: nets[f"{run.n_small} pairs per class"],
                  run.n_large: nets[f"{run.n_large} pairs per class"]})
    frame = pd.DataFrame({n: {"train": 100 * net.values("train").mean(), "test": 100 * net.values("test").mean(),
                              "test sd": 100 * net.values("test").std(ddof=1) if len(net.seeds) > 1 else 0.0,
                              "seeds": len(net.seeds)} for n, net in sorted(curve.items())}).T
    frame.index.name = "training pairs per class"
    return curve, frame


def single_clip_detection(detectors: dict, splits: dict[str, Split], ks: list[int], seed: int, device="cpu",
                          n_draws: int = 20) -> dict:
    """Single-clip test accuracy with a labelled support set of k training clips per class.

    A test clip is called positive when its mean embedding distance to the k positive support clips is
    smaller than to the k negative ones (:func:`lib.footsteps.pairs.detect_with_support`); the same
    ``n_draws`` random support sets (drawn from ``seed``) serve every detector. ``detectors``: name ->
    :class:`SeedRuns`. Returns {"k": the ks the training split can supply, "accuracy": {name: [[accuracy
    (fraction) per k] per training seed]}}.
    """
    train, test = splits["train"], splits["test"]
    rng = np.random.default_rng(seed)
    pos_pool, neg_pool = np.flatnonzero(train.label == 1), np.flatnonzero(train.label == 0)
    ks = [k for k in ks if k <= min(len(pos_pool), len(neg_pool))]
    draws = [{k: np.concatenate([rng.choice(pos_pool, k, replace=False), rng.choice(neg_pool, k, replace=False)])
              for k in ks} for _ in range(n_draws)]

    def accuracy(model) -> list[float]:
        emb_train, emb_test = embed(model, train, device=device), embed(model, test, device=device)
        return [float(np.mean([np.mean(detect_with_support(emb_test, emb_train[d[k]], train.label[d[k]]) == test.label)
                               for d in draws])) for k in ks]

    return {"k": ks, "accuracy": {name: [accuracy(t.model) for t in net.runs] for name, net in detectors.items()}}


def detection_table(per_seed_accuracy: dict) -> pd.DataFrame:
    """Mean single-clip accuracy over the training seeds: one row per k, one column per detector."""
    ks = per_seed_accuracy["k"]
    frame = pd.DataFrame({name: {k: np.mean([acc[i] for acc in accs]) for i, k in enumerate(ks)}
                          for name, accs in per_seed_accuracy["accuracy"].items()})
    frame.index.name = "k (support clips per class)"
    return frame
