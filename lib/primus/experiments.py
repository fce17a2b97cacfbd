"""The experiments of notebooks 20–24: the corpus and tasks, pretrained encoders, few-shot curves.

Every function takes the notebook's :class:`lib.params.Run` (its knobs are read from it; their presets live in
:mod:`lib.primus.spec`) and returns plain results: arrays, DataFrames, dicts. The claims built from them are
in :mod:`lib.primus.claims`, the figures in :mod:`lib.primus.figures`; the science is in the modules these
call (world, objectives, pretrain, probe).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from lib import verdict
from lib.datasets.egoexo import load_egoexo
from lib.datasets.errors import DataFormatError
from lib.primus.convergence import EpochProbe, plateau
from lib.primus.encoder import StackedRNNEncoder, encode
from lib.primus.objectives import TAU_MIN, get_objective
from lib.primus.pretrain import DEFAULTS, is_pretrained, pretrained, split_corpus, standard_training
from lib.primus.realdata import hapt_task
from lib.primus.scenarios import PRETRAINING, TASKS
from lib.primus.spec import (ALIGNED_FRACTIONS, ALL_RUNS, EGOEXO_LAYOUT, FIG4, FIG5, FIG6_LABELS, HAPT_DEFAULT, LR,
                             QUICK_SHOTS, STANDARD_SHOTS)
from lib.primus.world import WORLD_VERSION, WorldConfig, cached_pretraining, cached_task, corpus_key, quick_config
from lib.probe import PAPER_SHOTS, few_shot_curve, linear_probe_curve, sample_few_shot, usable_shots
from lib.repro import cached, params_hash


def make_world_config(mode: str, seed: int, n_pretrain: int) -> WorldConfig:
    """The world of a run: quick mode's sizes or full mode's, ``n_pretrain`` pretraining segments, seeded by ``seed``."""
    if mode == "quick":
        cfg = quick_config(seed)
        return WorldConfig(**{**cfg.__dict__, "n_pretrain": n_pretrain})
    return WorldConfig(seed=seed, n_pretrain=n_pretrain)


def world_config(run) -> WorldConfig:
    """The world of ``run`` (:func:`make_world_config` of its mode, seed and ``n_pretrain``)."""
    return make_world_config(run.mode, run.seed, run.n_pretrain)


def shots_for(run) -> tuple:
    """The few-shot curves' labelled windows per class: a few in quick mode, the paper's 1 to 500 in full."""
    return QUICK_SHOTS if run.mode == "quick" else PAPER_SHOTS


def pretrain_seeds_for(run) -> tuple:
    """The pretraining seeds of every objective: run.seed, run.seed + 1, ... (``n_seeds`` of them)."""
    return tuple(run.seed + i for i in range(run.n_seeds))


def draws_for(run) -> tuple:
    """The few-shot draw seeds (``n_draws``); the same draws probe every encoder."""
    return tuple(run.seed + i for i in range(run.n_draws))


# --------------------------------------------------------------------------- corpus & tasks

@dataclass
class Corpus:
    """A pretraining corpus: ``arrays`` (imu (N, 6, 250), video and text (N, 512)[, scenario, narration]),
    a ``key`` naming its content (it enters the cache key of every run on it) and a ``source`` line."""

    arrays: dict
    key: str
    source: str


def load_corpus(run) -> Corpus:
    """The pretraining corpus: the simulator's (cached) or, with ``data_root``, EgoExo4D-style triplets.

    Real triplets: the rows with ``split == "train"`` when ``meta.csv`` has a split column, else all.
    """
    if run.data_root is None:
        cfg = world_config(run)
        return Corpus(cached_pretraining(cfg, cache_dir=run.cache_dir), corpus_key(cfg),
                      f"simulator: {cfg.n_pretrain} segments, world seed {cfg.seed}")

    data = load_egoexo(run.data_root)
    keep = data["split"] == "train" if "split" in data else np.ones(len(data["imu"]), bool)
    if not keep.any():
        raise DataFormatError(Path(run.data_root) / "meta.csv", f"no row has split 'train' (values present: "
                              f"{sorted(set(data['split'].tolist()))}); pretraining uses the train rows",
                              "mark the pretraining windows split=train, or drop the split column to use every row")
    arrays = {"imu": np.asarray(data["imu"][keep], np.float32), "video": np.asarray(data["video"][keep], np.float32),
              "text": np.asarray(data["text"][keep], np.float32)}
    if "label" in data and (data["label"][keep] >= 0).all():
        arrays["scenario"] = data["label"][keep]
    if "narration" in data:
        arrays["narration"] = data["narration"][keep].astype(str)
    digest = hashlib.sha256()
    for name in ("imu.npy", "video.npy", "text.npy", "meta.csv"):
        stat = (Path(run.data_root) / name).stat()
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return Corpus(arrays, "egoexo-" + digest.hexdigest()[:16], f"real data: {Path(run.data_root).name} "
                                                                 f"({int(keep.sum())} triplets)")


def load_task(run, name: str) -> dict:
    """A downstream task's arrays ``{train,test}_{imu,y,...}`` (simulated, cached)."""
    return cached_task(world_config(run), name, cache_dir=run.cache_dir)


def load_hapt(run, root: str | Path | None = None) -> dict | None:
    """UCI HAPT as a few-shot task (cached), or None when the folder is absent."""
    root = Path(root) if root is not None else HAPT_DEFAULT
    if not (root / "RawData").is_dir():
        return None
    out = cached("p2_hapt", {"root": str(root.resolve())}, "1",
                 lambda: {k: v for k, v in hapt_task(root).items() if k != "classes"}, cache_dir=run.cache_dir)
    return out


# --------------------------------------------------------------------------- encoders

def pretrain_settings(run, **overrides) -> dict:
    """The pretraining settings every notebook uses (so the cache keys agree): at least ``epochs``, on to
    ``max_epochs`` until the run has plateaued (never fewer than ``epochs``)."""
    return {"epochs": run.epochs, "max_epochs": max(run.epochs, run.max_epochs),
            "batch_size": run.batch_size, "lr": LR, **overrides}


#: Test windows per class the per-epoch probe scores (a fixed, seeded subset: the probe runs after every epoch
#: of every run, so it must stay cheap; the few-shot curves of notebooks 22-24 use every test window).
EPOCH_PROBE_TEST_PER_CLASS = 50


def epoch_probe(run) -> EpochProbe:
    """The per-epoch convergence probe of every pretraining run: the in-domain (EgoExo4D-like) task,
    10 labelled windows per class, 3 draws, scored on up to :data:`EPOCH_PROBE_TEST_PER_CLASS` test windows
    per class (:mod:`lib.primus.convergence`)."""
    cfg = world_config(run)
    task = load_task(run, "egoexo4d")
    test = sample_few_shot(task["test_y"], EPOCH_PROBE_TEST_PER_CLASS, np.random.default_rng([cfg.seed, 21]))
    return EpochProbe(task["train_imu"], task["train_y"], task["test_imu"][test], task["test_y"][test],
                      key=params_hash({**cfg.key("egoexo4d"), "test_per_class": EPOCH_PROBE_TEST_PER_CLASS},
                                      WORLD_VERSION), shots=10, draws=(0, 1, 2))


def run_spec(label: str) -> tuple[str, dict]:
    """(objective, overrides) of a run label of :data:`ALL_RUNS`."""
    for name, objective, overrides in ALL_RUNS:
        if name == label:
            return objective, overrides
    raise ValueError(f"unknown run {label!r}; known: {[r[0] for r in ALL_RUNS]}")


#: Pretraining runs trained at once on CPU (one per core of the 2-core budget), each single-threaded.
PARALLEL_RUNS = 2


def _train_one(objective, arrays, key, cache_dir, seed, settings, probe):
    pretrained(objective, arrays, key, cache_dir=cache_dir, seed=seed, device="cpu", probe=probe, **settings)
    return objective


def get_runs(run, corpus: Corpus, labels, n_jobs: int | None = None, probe: EpochProbe | None = None
             ) -> tuple[dict, dict]:
    """({label: [encoder per pretraining seed]}, {label: [report per pretraining seed]}) of runs of :data:`ALL_RUNS`.

    Every label is pretrained once per seed of :func:`pretrain_seeds_for` (cached: notebook 21 pays,
    notebooks 22–24 load). On CPU the (run, seed) pairs not yet cached are trained ``n_jobs`` at a time
    (default :data:`PARALLEL_RUNS`, one per core of the 2-core budget) in worker processes, each
    single-threaded (see :mod:`lib.primus.pretrain`); the results are the same as training them one after the other.
    ``probe``: the per-epoch convergence probe (default :func:`epoch_probe`).
    """
    labels, seeds, probe = list(labels), pretrain_seeds_for(run), probe or epoch_probe(run)
    jobs = [(label, seed, *run_spec(label)) for label in labels for seed in seeds]
    cached_before = {(label, seed): is_pretrained(obj, corpus.key, cache_dir=run.cache_dir, seed=seed, probe=probe,
                                                  **pretrain_settings(run, **ov)) for label, seed, obj, ov in jobs}
    todo = [(obj, seed, pretrain_settings(run, **ov)) for label, seed, obj, ov in jobs
            if not cached_before[(label, seed)]]
    if n_jobs is None:
        n_jobs = PARALLEL_RUNS if run.device.type == "cpu" else 1
    if n_jobs > 1 and len(todo) > 1:
        from joblib import Parallel, delayed

        arrays = {k: corpus.arrays[k] for k in ("imu", "video", "text")}
        # the slowest objectives first, so the two workers finish together
        cost = {"simclr": 0, "primus": 1, "multitask_ssl": 2}
        todo.sort(key=lambda t: cost.get(t[0], 3))
        Parallel(n_jobs=min(n_jobs, len(todo)), backend="loky")(
            delayed(_train_one)(obj, arrays, corpus.key, run.cache_dir, seed, settings, probe)
            for obj, seed, settings in todo)
    encoders, reports = {}, {}
    for label, seed, obj, ov in jobs:
        encoder, report = pretrained(obj, corpus.arrays, corpus.key, cache_dir=run.cache_dir, seed=seed,
                                     device=run.device, probe=probe, **pretrain_settings(run, **ov))
        encoders.setdefault(label, []).append(encoder)
        reports.setdefault(label, []).append({**report, "loaded_from_cache": cached_before[(label, seed)]})
    return encoders, reports


def reused_seconds(reports: dict) -> float:
    """Wall seconds that earlier runs spent pretraining what this run loaded from the cache: the training
    seconds of every report marked ``loaded_from_cache`` by :func:`get_runs`, over the
    :data:`PARALLEL_RUNS` runs that train at once on CPU."""
    cached = [rep["seconds"] for runs in reports.values() for rep in runs if rep.get("loaded_from_cache")]
    return sum(cached) / PARALLEL_RUNS


def report_frame(reports: dict) -> pd.DataFrame:
    """One row per (run, pretraining seed): objective, aligned segments, epochs, best epoch, wall time,
    segments/s, last validation losses, τ and probe accuracy, and the plateau rule's verdict."""
    rows = []
    for label, runs in reports.items():
        for rep in runs:
            last = rep["history"][-1]
            rule = plateau(rep["history"])
            row = {"run": label, "seed": rep["seed"], "objective": rep["objective"]["label"],
                   "aligned": rep["n_aligned"], "epochs": len(rep["history"]), "best epoch": rep["best_epoch"],
                   "seconds": round(rep["seconds"], 1), "segments/s": round(rep["segments_per_s"], 1)}
            row.update({(k.removeprefix("val_") if "tau" in k else k): round(v, 3) for k, v in last.items()
                        if k.startswith("val_") or k == "probe_acc"})
            row.update({"probe gain, last third (pts)": round(rule["probe_gain"], 2),
                        "loss fall, last third (%)": round(100 * rule["loss_gain"], 2), "plateaued": rule["plateaued"]})
            rows.append(row)
    return pd.DataFrame(rows).set_index(["run", "seed"])


def history_frame(reports: dict) -> pd.DataFrame:
    """Long frame of every pretraining curve: run, seed, epoch, train_loss, val_loss, probe_acc."""
    rows = [{"run": label, "seed": rep["seed"], **{k: row.get(k) for k in ("epoch", "train_loss", "val_loss",
                                                                          "probe_acc")}}
            for label, runs in reports.items() for rep in runs for row in rep["history"]]
    return pd.DataFrame(rows)


def retrieval(encoder, corpus: Corpus, run, seed: int, kind: str = "mm") -> dict:
    """IMU → video and IMU → text retrieval on the segments pretraining seed ``seed`` held out: R@1, R@10
    (chance 1/N, 10/N)."""
    _, val = split_corpus(len(corpus.arrays["imu"]), DEFAULTS["val_fraction"], seed)
    emb = encode(encoder, corpus.arrays["imu"][val], kind, device=run.device)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    out = {"n": len(val)}
    for target in ("video", "text"):
        ref = np.asarray(corpus.arrays[target][val], dtype=np.float64)
        ref /= np.linalg.norm(ref, axis=1, keepdims=True)
        sims = emb @ ref.T
        rank = (sims > np.diag(sims)[:, None]).sum(axis=1)  # how many beat the true partner
        out[f"{target}_R@1"] = float(np.mean(rank < 1))
        out[f"{target}_R@10"] = float(np.mean(rank < 10))
    return out


def retrieval_frames(encoders: dict, corpus: Corpus, run) -> tuple[dict, pd.DataFrame]:
    """Retrieval (:func:`retrieval`) of every run's encoders: ({label: one row per pretraining seed},
    DataFrame of the seed means, one row per label, led by an untrained "random encoder" seeded by run.seed)."""
    torch.manual_seed(run.seed)
    random_encoder = StackedRNNEncoder().eval()
    seeds = pretrain_seeds_for(run)
    per_seed = {label: pd.DataFrame([retrieval(e, corpus, run, seed=s) for s, e in zip(seeds, runs)])
                for label, runs in encoders.items()}
    rows = {"random encoder": retrieval(random_encoder, corpus, run, seed=run.seed)}
    rows.update({label: r.mean() for label, r in per_seed.items()})
    return per_seed, pd.DataFrame(rows).T


def temperature_table(frame: pd.DataFrame, reports: dict) -> pd.DataFrame:
    """Per (run, seed): the last τ_ss / τ_mm, segments/s and seconds of :func:`report_frame`'s ``frame``, the
    lowest τ any epoch reached, and whether it reached the floor :data:`lib.primus.objectives.TAU_MIN`."""
    lowest = pd.Series({(label, rep["seed"]): min((v for row in rep["history"] for k, v in row.items() if "tau" in k),
                                                  default=float("nan"))
                        for label, runs in reports.items() for rep in runs}, name="lowest τ")
    cols = [c for c in ("tau_ss", "tau_mm", "segments/s", "seconds") if c in frame.columns]
    out = frame[cols].join(lowest.rename_axis(["run", "seed"]))
    out["reached the floor"] = out["lowest τ"] <= TAU_MIN + 1e-9
    return out


def ss_alignment_effect(encoders: dict, corpus: Corpus, run) -> pd.DataFrame:
    """What adding SS does to the IMU → video / text recall@10 (points): MM → SS+MM and MM+NN → SS+MM+NN,
    each a :mod:`lib.verdict` comparison across pretraining seeds (its brief text), one row per pair."""
    names = {"imu2clip": "MM", "ss_mm": "SS+MM", "mm_nn": "MM+NN", "primus": "SS+MM+NN"}
    recall = {label: pd.DataFrame([retrieval(e, corpus, run, seed=s)
                                   for s, e in zip(pretrain_seeds_for(run), encoders[label])]) for label in names}
    return pd.DataFrame({f"{names[b]} − {names[a]}": {
        target: verdict.greater(100 * recall[b][target], 100 * recall[a][target], paired=False).brief()
        for target in ("video_R@10", "text_R@10")} for a, b in (("imu2clip", "ss_mm"), ("mm_nn", "primus"))}).T


# --------------------------------------------------------------------------- curves

def probe_curves(encoders: dict, task: dict, run, kinds: dict | None = None, n_jobs: int | None = None
                 ) -> pd.DataFrame:
    """Few-shot linear-probe accuracy of every encoder on a task: long DataFrame with columns method,
    pretrain_seed, shots, seed (the few-shot draw), accuracy.

    encoders: {method name: [encoder per pretraining seed]} (as :func:`get_runs` returns them); the
    probed embedding is the objective's ``probe_kind`` unless ``kinds`` says otherwise. Every encoder
    is probed on the same draws (:func:`draws_for`). On CPU the encoders are probed ``n_jobs`` (default
    :data:`PARALLEL_RUNS`, one per core) at a time in worker processes, each single-threaded; the numbers
    equal a serial run.
    """
    jobs = [(name, (kinds or {}).get(name) or _probe_kind(name), pretrain_seed, encoder)
            for name, per_seed in encoders.items() for pretrain_seed, encoder in zip(pretrain_seeds_for(run), per_seed)]
    arrays = {k: task[k] for k in ("train_imu", "train_y", "test_imu", "test_y")}
    shots, draws = shots_for(run), draws_for(run)
    n_jobs = n_jobs or (PARALLEL_RUNS if run.device.type == "cpu" else 1)
    if n_jobs > 1 and len(jobs) > 1:
        from joblib import Parallel, delayed

        frames = Parallel(n_jobs=min(n_jobs, len(jobs)), backend="loky")(
            delayed(_probe_one)(encoder, kind, arrays, shots, draws, name, "cpu")
            for name, kind, _, encoder in jobs)
    else:
        frames = [_probe_one(encoder, kind, arrays, shots, draws, name, run.device) for name, kind, _, encoder in jobs]
    return pd.concat([f.assign(pretrain_seed=job[2]) for f, job in zip(frames, jobs)], ignore_index=True)


def _probe_one(encoder, kind: str, task: dict, shots, draws, name: str, device) -> pd.DataFrame:
    """One encoder's few-shot curve on ``task`` (the frozen ``kind`` embedding, a logistic probe per draw)."""
    train = encode(encoder, task["train_imu"], kind, device=device)
    test = encode(encoder, task["test_imu"], kind, device=device)
    return linear_probe_curve(train, task["train_y"], test, task["test_y"], shots=shots, seeds=draws, method=name)


def _probe_kind(name: str) -> str:
    return get_objective(name.split("@")[0]).probe_kind


def standard_curve(task: dict, run, n_classes: int | None = None, n_jobs: int | None = None) -> pd.DataFrame:
    """Few-shot accuracy of standard (supervised, from scratch) training on the same few-shot draws.

    Each draw is its own training run (seeded by the draw), so its ``pretrain_seed`` column is the draw:
    the statistics across runs of :func:`summarise` then read one value per training run, as for the
    pretrained encoders. On CPU the (shot, draw) trainings run ``n_jobs`` (default :data:`PARALLEL_RUNS`) at a time in worker
    processes.
    """
    n_classes = n_classes or int(max(task["train_y"].max(), task["test_y"].max()) + 1)
    shots = [n for n in STANDARD_SHOTS[run.mode] if n in shots_for(run) or run.mode == "full"]
    steps = run.standard_steps

    def fit_predict(index, seed):
        return standard_training(task["train_imu"][index], task["train_y"][index], task["test_imu"],
                                 n_classes=n_classes, steps=steps, seed=seed, device=run.device)

    seeds = draws_for(run)
    n_jobs = n_jobs or PARALLEL_RUNS
    if run.device.type == "cpu" and n_jobs > 1:
        # the same (shot, seed) draws as few_shot_curve, trained two at a time in worker processes
        from joblib import Parallel, delayed


        grid = [(n, s) for n in usable_shots(task["train_y"], shots) for s in seeds]
        index = {(n, s): sample_few_shot(task["train_y"], n, np.random.default_rng([s, n])) for n, s in grid}
        preds = Parallel(n_jobs=n_jobs, backend="loky")(
            delayed(standard_training)(task["train_imu"][index[g]], task["train_y"][index[g]], task["test_imu"],
                                       n_classes=n_classes, steps=steps, seed=g[1], device="cpu") for g in grid)
        done = {(tuple(map(int, index[g])), g[1]): p for g, p in zip(grid, preds)}

        def fit_predict(index, seed):
            return done[(tuple(map(int, index)), seed)]

    curve = few_shot_curve(task["train_y"], task["test_y"], fit_predict, shots=shots, seeds=seeds, method="standard")
    return curve.assign(pretrain_seed=curve["seed"])


def fig4_curves(encoders: dict, task: dict, run, n_classes: int | None = None) -> pd.DataFrame:
    """Fig. 4's curves on one task: :func:`probe_curves` of the encoders, then :func:`standard_curve`."""
    return pd.concat([probe_curves(encoders, task, run), standard_curve(task, run, n_classes=n_classes)],
                     ignore_index=True)


def per_run(curves: pd.DataFrame) -> pd.DataFrame:
    """Accuracy per (method, shots, pretrain_seed), averaged over the few-shot draws of that run."""
    return curves.groupby(["method", "shots", "pretrain_seed"], sort=False)["accuracy"].mean().reset_index()


def summarise(curves: pd.DataFrame) -> pd.DataFrame:
    """Mean ± std **across pretraining seeds** per (method, shots): columns method, shots, mean, std, n_seeds.

    Each pretraining seed first averages its few-shot draws (:func:`per_run`); the draws of one run are
    never counted as independent samples.
    """
    grouped = per_run(curves).groupby(["method", "shots"], sort=False)["accuracy"]
    out = grouped.agg(mean="mean", std="std", n_seeds="count").reset_index()
    out["std"] = out["std"].fillna(0.0)
    return out


def gap_table(summary: pd.DataFrame, ours: str = "primus", below: int = 500) -> pd.DataFrame:
    """Per shot count below ``below``: ours minus the best and minus each other method (accuracy points)."""
    wide = summary.pivot(index="shots", columns="method", values="mean") * 100
    wide = wide[wide.index < below]
    others = [c for c in wide.columns if c != ours]
    out = pd.DataFrame({f"{ours} − {o}": wide[ours] - wide[o] for o in others})
    out["vs best other"] = wide[ours] - wide[others].max(axis=1)
    return out.round(1)


# --------------------------------------------------------------------------- the world (notebook 20)

def scenario_similarity(emb: np.ndarray, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """(C, C) mean cosine similarity between the embeddings of scenario i and scenario j."""
    emb = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    centroid_sum = np.stack([emb[labels == k].sum(0) for k in range(n_classes)])
    counts = np.bincount(labels, minlength=n_classes).astype(float)
    sims = centroid_sum @ centroid_sum.T
    # exclude self-pairs on the diagonal
    diag = np.array([(np.linalg.norm(centroid_sum[k]) ** 2 - counts[k]) / max(counts[k] * (counts[k] - 1), 1)
                     for k in range(n_classes)])
    out = sims / np.maximum(np.outer(counts, counts), 1)
    out[np.diag_indices(n_classes)] = diag
    return out


def scenario_similarities(arrays: dict, n_classes: int, seed: int, n_max: int = 4000) -> dict:
    """{"video": (C, C), "text": (C, C)} mean cosine similarities between scenarios' embeddings
    (:func:`scenario_similarity`), on a seeded subset of at most ``n_max`` segments of the corpus ``arrays``
    (which must hold ``scenario`` labels)."""
    sub = np.random.default_rng(seed).permutation(len(arrays["imu"]))[:n_max]
    return {key: scenario_similarity(arrays[key][sub], arrays["scenario"][sub], n_classes) for key in ("video", "text")}


def within_scenario_similarity(arrays: dict, n_classes: int, seed: int) -> tuple[dict, dict]:
    """({"video": (C, C) list, "text": (C, C) list} of :func:`scenario_similarities`, {key: mean of its
    diagonal}: how alike one scenario's embeddings are); ({}, {}) when the corpus has no scenario labels."""
    if "scenario" not in arrays:
        return {}, {}
    sims = scenario_similarities(arrays, n_classes, seed)
    return {key: s.tolist() for key, s in sims.items()}, {key: float(np.mean(np.diag(s))) for key, s in sims.items()}


def imu_magnitudes(arrays: dict, n_classes: int) -> dict:
    """The first window of each scenario in the corpus: {"acc": C lists of T |specific force| (m/s²), "gyro":
    C lists of T |angular rate| (rad/s)} (plain lists, for the results JSON)."""
    out = {"acc": [], "gyro": []}
    for k in range(n_classes):
        window = arrays["imu"][int(np.flatnonzero(arrays["scenario"] == k)[0])]
        out["acc"].append(np.linalg.norm(window[:3], axis=0).tolist())
        out["gyro"].append(np.linalg.norm(window[3:], axis=0).tolist())
    return out


def table_one(corpus: Corpus, tasks: dict) -> pd.DataFrame:
    """Table I: the paper's rows with our simulated counterparts' sizes."""
    rows = [{"test set": f"{PRETRAINING.mirrors}", "activities": f"{len(PRETRAINING.classes)}: "
             + ", ".join(PRETRAINING.class_names), "input domain": "—", "output domain": "—",
             "device": PRETRAINING.device, "paper size": PRETRAINING.paper_size,
             "ours": f"{len(corpus.arrays['imu']):,} aligned triplets"}]
    for name, task in TASKS.items():
        data = tasks[name]
        rows.append({"test set": task.mirrors, "activities": f"{len(task.classes)}: " + ", ".join(task.class_names),
                     "input domain": task.input_domain, "output domain": task.output_domain, "device": task.device,
                     "paper size": task.paper_size,
                     "ours": f"Train: {len(data['train_y']):,}–Test: {len(data['test_y']):,}"})
    return pd.DataFrame(rows).set_index("test set")


__all__ = ["ALIGNED_FRACTIONS", "ALL_RUNS", "Corpus", "EGOEXO_LAYOUT", "FIG4", "FIG5", "FIG6_LABELS", "draws_for",
           "epoch_probe", "fig4_curves", "gap_table", "get_runs", "history_frame", "imu_magnitudes", "load_corpus",
           "load_hapt", "load_task", "make_world_config", "per_run", "pretrain_seeds_for", "pretrain_settings",
           "probe_curves", "report_frame", "retrieval", "retrieval_frames", "reused_seconds", "run_spec",
           "scenario_similarities", "scenario_similarity", "shots_for", "ss_alignment_effect", "standard_curve",
           "summarise", "table_one", "temperature_table", "world_config"]
