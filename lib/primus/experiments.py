"""The plumbing notebooks 20–24 share: one set of mode presets, the corpus and tasks, pretrained encoders,
few-shot curves. Notebooks call these few functions; the science is in the modules they call.

Every notebook resolves the same knobs from :data:`PRESETS` so that the pretrained checkpoints that
notebook 21 caches are exactly the ones notebooks 22–24 ask for (a cache hit, not a retrain).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lib import verdict
from lib.datasets.egoexo import load_egoexo
from lib.datasets.errors import DataFormatError
from lib.params import SHARED_DATA, DataLayout, Knob
from lib.primus.convergence import EpochProbe, not_converged, plateau
from lib.primus.objectives import get_objective
from lib.primus.pretrain import DEFAULTS, encode, is_pretrained, pretrained, split_corpus, standard_training
from lib.primus.realdata import hapt_task
from lib.primus.scenarios import PRETRAINING, TASKS
from lib.primus.world import WORLD_VERSION, WorldConfig, cached_pretraining, cached_task, corpus_key, quick_config
from lib.probe import PAPER_SHOTS, few_shot_curve, linear_probe_curve, sample_few_shot, usable_shots
from lib.repro import Claim, cached, params_hash

#: Mode presets of the P2 knobs (quick: CI/teaching, ≤ 2 min per notebook on 2 cores; full: the paper's
#: protocol on 2 CPU cores). Full mode pretrains 14 runs x 3 seeds for at least the reference's 15 epochs; on 2
#: cores (≈ 170 segments/s for the two-view objectives, ≈ 290 for the others, one run per core) that fits a corpus
#: of 2,500 segments — 1 % of EgoExo4D's ≈ 250K. A run whose per-epoch probe or validation loss is still
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
QUICK_SHOTS = (1, 2, 5, 10, 20)
#: Standard training (every parameter from scratch) is the costliest curve: full mode trains it at the
#: low-data shot counts the claims read (≤ 20 per class), 50 Adam steps each (time budget, 2 cores).
STANDARD_SHOTS = {"quick": (1, 5, 20), "full": (1, 5, 20)}
LR = 1e-3
HAPT_DEFAULT = SHARED_DATA / "hapt"

EGOEXO_LAYOUT = DataLayout(required=["imu.npy", "video.npy", "text.npy", "meta.csv"],
                           description="EgoExo4D-style triplets: imu.npy (N, 6, 250), video.npy (N, 512), "
                                       "text.npy (N, 512), meta.csv (take_uid, start_s, end_s[, narration, label, "
                                       "split]) — see lib/datasets/egoexo.py")


def knobs(**values) -> dict:
    """The P2 knobs as :class:`lib.params.Knob` s with the shared presets; pass the notebook's parameter values."""
    out = {}
    for name, (quick, full) in PRESETS.items():
        if name in values:
            out[name] = Knob(values.pop(name), quick=quick, full=full, min=1)
    if values:
        raise ValueError(f"knobs(): unknown P2 knob(s) {sorted(values)}; known: {sorted(PRESETS)}")
    return out


def world_config(run) -> WorldConfig:
    """The world of a run: quick sizes or full mode's (``n_pretrain`` segments), seeded by the run's seed."""
    n = _preset(run, "n_pretrain")
    if run.mode == "quick":
        cfg = quick_config(run.seed)
        return WorldConfig(**{**cfg.__dict__, "n_pretrain": n})
    return WorldConfig(seed=run.seed, n_pretrain=n)


def shots_for(run) -> tuple:
    return QUICK_SHOTS if run.mode == "quick" else PAPER_SHOTS


def _preset(run, name: str):
    return getattr(run, name, None) or PRESETS[name][run.mode == "full"]


def pretrain_seeds_for(run) -> tuple:
    """The pretraining seeds of every objective: run.seed, run.seed + 1, ... (``n_seeds`` of them)."""
    return tuple(run.seed + i for i in range(_preset(run, "n_seeds")))


def draws_for(run) -> tuple:
    """The few-shot draw seeds (``n_draws``); the same draws probe every encoder."""
    return tuple(run.seed + i for i in range(_preset(run, "n_draws")))


# --------------------------------------------------------------------------- corpus & tasks

@dataclass
class Corpus:
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
    return {"epochs": run.epochs, "max_epochs": max(run.epochs, _preset(run, "max_epochs")),
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


#: Every pretraining run of notebooks 21–24: (label, objective, settings overrides).
FIG4 = ("primus", "simclr", "imu2clip", "multitask_ssl")
FIG5 = ("ss", "imu2clip", "nn", "ss_mm", "mm_nn", "ss_nn", "primus")
ALIGNED_FRACTIONS = (0.1, 0.25, 0.5, 1.0)
ALL_RUNS = ([(name, name, {}) for name in dict.fromkeys(FIG4 + FIG5)]
            + [(f"primus@{f:.0%}", "primus", {"aligned_fraction": f}) for f in ALIGNED_FRACTIONS if f < 1.0]
            + [("imu2clip@10%", "imu2clip", {"aligned_fraction": 0.1}),  # Fig. 6's control: MM on the same 10 %
               ("imu2clip@gru-time", "imu2clip", {"gru_over": "time"})])


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
    steps = _preset(run, "standard_steps")

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

        def fit_predict(index, seed):  # noqa: F811 - look up what the workers computed
            return done[(tuple(map(int, index)), seed)]

    curve = few_shot_curve(task["train_y"], task["test_y"], fit_predict, shots=shots, seeds=seeds, method="standard")
    return curve.assign(pretrain_seed=curve["seed"])


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


# --------------------------------------------------------------------------- claims
#
# Every verdict comes from lib.verdict: a quantity per pretraining seed (a method's accuracy, averaged
# over its few-shot draws and over the shot counts the claim reads, in points), compared by mean ± sd
# across seeds. Two methods are independent runs, so they are compared unpaired. A claim whose runs
# have not converged (lib.primus.convergence) is untestable.

def seed_values(curves: pd.DataFrame, method: str, shots=None, below: int | None = None) -> np.ndarray:
    """Per pretraining seed: the accuracy (points) of ``method`` averaged over the given shot counts
    (default all; ``below``: only those < below), its draws averaged first."""
    runs = per_run(curves)
    runs = runs[runs["method"] == method]
    if shots is not None:
        runs = runs[runs["shots"].isin(list(shots))]
    if below is not None:
        runs = runs[runs["shots"] < below]
    if runs.empty:
        raise ValueError(f"no few-shot results for method {method!r} at shots {shots or 'any'} (below {below})")
    return 100 * runs.groupby("pretrain_seed")["accuracy"].mean().to_numpy()


def common_shots(curves: pd.DataFrame, *methods: str, below: int | None = None) -> list[int]:
    """The shot counts every one of ``methods`` was measured at (and < ``below``)."""
    sets = [set(curves.loc[curves["method"] == m, "shots"]) for m in methods]
    shots = sorted(set.intersection(*sets))
    return [n for n in shots if below is None or n < below]


def difference(curves: pd.DataFrame, a: str, b: str, below: int | None = None, by: float = 0.0):
    """Verdict on "a beats b by more than ``by`` points", averaged over the shot counts both have."""
    shots = common_shots(curves, a, b, below=below)
    return verdict.greater(seed_values(curves, a, shots), seed_values(curves, b, shots), by=by, paired=False)


def _converged(reports: dict | None, labels) -> str | None:
    if reports is None:
        return None
    return not_converged({label: reports[label] for label in labels if label in reports})


def _guard(result, reports, labels):
    return verdict.guarded(result, _converged(reports, labels))


def fig4_claims(curves: dict, reports: dict | None = None, hapt: pd.DataFrame | None = None) -> list:
    """The claims of §III-B / Fig. 4 (and the HAPT panel). ``curves``: {task: long few-shot curves with
    every method of Fig. 4 and "standard"}; ``reports``: {label: [pretraining report per seed]}."""
    baselines = ["simclr", "imu2clip", "multitask_ssl", "standard"]
    # each comparison is untestable only when one of its own two runs has not converged
    on_par = {(t, b): _guard(difference(c, "primus", b, by=-1.0), reports, ["primus", b])
              for t, c in curves.items() for b in baselines if b in set(c["method"])}
    decisive = verdict.weakest(*on_par.values())
    worst = min((k for k, v in on_par.items() if v.label == decisive.label), key=lambda k: on_par[k].estimate)
    # the largest lead over the best other method below 500 per class: the cell (task, shots) of the largest
    # mean lead, read per seed there
    leads = {}
    for t, c in curves.items():
        wide = summarise(c).pivot(index="shots", columns="method", values="mean") * 100
        wide = wide[wide.index < 500]
        others = [m for m in wide.columns if m != "primus"]
        for n, row in wide.iterrows():
            if np.isfinite(row["primus"]) and row[others].notna().any():
                leads[(t, int(n))] = (row["primus"] - row[others].max(), row[others].idxmax())
    (lead_task, lead_shot), (_, rival) = max(leads.items(), key=lambda kv: kv[1][0])
    c = curves[lead_task]
    lead = _guard(verdict.greater(seed_values(c, "primus", [lead_shot]), seed_values(c, rival, [lead_shot]), by=7.5,
                                  paired=False), reports, ["primus", rival])
    ego = difference(curves["ego4d"], "primus", "imu2clip", by=-2.0) if "ego4d" in curves else None
    low = [difference(curves[t], "primus", "standard", below=6, by=10.0) for t in ("egoexo4d", "ego4d") if t in curves]
    claims = [
        Claim.from_verdict("p2_fig4_primus_best", "PRIMUS ≥ every baseline (accuracy averaged over shot counts, each task)",
                           "PRIMUS best or on par everywhere", on_par[worst],
                           ours=f"smallest margin {on_par[worst].describe(' pts', 1)} ({worst[1]} on {worst[0]})",
                           note="'on par' = PRIMUS − baseline > −1 point, for every baseline and task"),
        Claim.from_verdict("p2_fig4_up_to_15", "with < 500 labelled samples per class PRIMUS improves accuracy by up to "
                           "15 points over the best baseline", "up to 15 %", lead,
                           ours=f"largest lead {lead.describe(' pts', 1)} over {rival} ({lead_task}, {lead_shot} per class)",
                           note="holds = the largest lead exceeds half the paper's 15 points"),
    ]
    if ego is not None:
        claims.append(Claim.from_verdict("p2_fig4_ego4d_par", "on Ego4D PRIMUS performs on par with IMU2CLIP", "on par",
                                         _guard(ego, reports, ["primus", "imu2clip"]), unit=" pts", digits=1,
                                         note="on par = PRIMUS − IMU2CLIP > −2 points (averaged over shots)"))
    claims.append(Claim.from_verdict("p2_fig4_standard_low_data",
                                     "standard training fails in the low-data regime on the complex tasks",
                                     "EgoExo4D, Ego4D", _guard(verdict.weakest(*low), reports, ["primus"]), unit=" pts",
                                     digits=1, note="holds = PRIMUS ahead by > 10 points at ≤ 5 samples/class on "
                                                    "EgoExo4D-like and Ego4D-like (the weaker of the two shown)"))
    if hapt is not None:
        d_std = difference(hapt, "primus", "standard", below=21)
        claims.append(Claim.from_verdict("p2_hapt_real", "beyond the paper: on real UCI HAPT (new device and position) "
                                         "the pretrained PRIMUS encoder beats standard training with few labels", "—",
                                         _guard(d_std, reports, ["primus"]), unit=" pts", digits=1,
                                         note="PRIMUS − standard at ≤ 20 per class"))
    return claims


FIG5_WITH_MM, FIG5_WITHOUT_MM = ("imu2clip", "ss_mm", "mm_nn", "primus"), ("ss", "nn", "ss_nn")


def _over_tasks(curves: dict, method: str) -> np.ndarray:
    """Per seed: accuracy averaged over every task and shot count (points)."""
    return np.mean([seed_values(c, method) for c in curves.values()], axis=0)


def fig5_claims(curves: dict, reports: dict | None = None) -> list:
    """The claims of §III-C / Fig. 5. ``curves``: {task: long few-shot curves of the Fig. 5 objectives}."""
    mm_pairs = [_guard(verdict.greater(_over_tasks(curves, a), _over_tasks(curves, b), paired=False), reports, [a, b])
                for a in FIG5_WITH_MM for b in FIG5_WITHOUT_MM]
    chance = 100 / len(TASKS["egoexo4d"].classes)
    nn_in = verdict.at_most(seed_values(curves["egoexo4d"], "nn"), chance + 5.0)
    gain = {t: seed_values(c, "primus", common_shots(c, "primus", "mm_nn"))
            - seed_values(c, "mm_nn", common_shots(c, "primus", "mm_nn")) for t, c in curves.items()}
    ss_out = verdict.weakest(verdict.greater(gain["realworld"], gain["egoexo4d"], paired=False),
                             verdict.at_least(gain["realworld"], 0.0))
    ss_in = verdict.within(gain["egoexo4d"], 0.0, 2.0)
    nn_help = verdict.greater(_over_tasks(curves, "primus"), _over_tasks(curves, "ss_mm"), paired=False)
    return [
        Claim.from_verdict("p2_fig5_mm_key", "MM is the key term: every objective with MM beats every objective without it",
                           "key component", verdict.weakest(*mm_pairs), unit=" pts", digits=1,
                           note="the decisive pair (with MM − without), accuracy averaged over tasks and shots; "
                                "each pair untestable only if one of its two runs has not converged"),
        Claim.from_verdict("p2_fig5_nn_collapse", "NN alone collapses (accuracy near chance)", "10-15 % (8 classes)",
                           _guard(nn_in, reports, ["nn"]), unit=" %", digits=1,
                           note=f"holds = NN-only below chance + 5 points ({chance:.1f} + 5 %) on EgoExo4D-like"),
        Claim.from_verdict("p2_fig5_ss_out_of_domain", "SS helps most out of domain (PRIMUS vs MM+NN), up to 5 points on "
                           "REALWORLD", "up to 5 %", _guard(ss_out, reports, ["primus", "mm_nn"]), unit=" pts", digits=1,
                           note=f"SS's gain (PRIMUS − MM+NN): REALWORLD-like {gain['realworld'].mean():+.1f}, "
                                f"EgoExo4D-like {gain['egoexo4d'].mean():+.1f} pts; holds = larger out of domain and > 0"),
        Claim.from_verdict("p2_fig5_ss_in_domain", "in domain SS adds little: MM+NN nearly matches PRIMUS", "nearly matches",
                           _guard(ss_in, reports, ["primus", "mm_nn"]), unit=" pts", digits=1,
                           note="nearly = PRIMUS − MM+NN within ±2 points on EgoExo4D-like"),
        Claim.from_verdict("p2_fig5_nn_helpful", "NN is generally helpful (PRIMUS vs SS+MM)", "generally helpful",
                           _guard(nn_help, reports, ["primus", "ss_mm"]), unit=" pts", digits=1,
                           note="PRIMUS − SS+MM, accuracy averaged over tasks and shots"),
    ]


def fig6_claims(curves: dict, reports: dict | None = None) -> list:
    """The claims of §III-D / Fig. 6. ``curves``: {task: long few-shot curves of PRIMUS at every aligned
    fraction and IMU2CLIP}."""
    per_task = {t: _guard(difference(c, "primus@10%", "imu2clip", by=-2.0), reports, ["primus@10%", "imu2clip"])
                for t, c in curves.items()}
    worst = min(per_task, key=lambda t: per_task[t].estimate)
    order = [m for m in ("primus@10%", "primus@25%", "primus@50%", "primus")
             if all(m in set(c["method"]) for c in curves.values())]
    trend = verdict.greater(_over_tasks(curves, order[-1]), _over_tasks(curves, order[0]), paired=False)
    means = " → ".join(f"{_over_tasks(curves, m).mean():.1f}" for m in order)
    control = []
    if all("imu2clip@10%" in set(c["method"]) for c in curves.values()):
        unaligned = verdict.greater(_over_tasks(curves, "primus@10%"), _over_tasks(curves, "imu2clip@10%"), paired=False)
        control.append(Claim.from_verdict(
            "p2_fig6_unaligned_helps", "beyond the paper (the mechanism behind Fig. 6): with the same 10 % aligned, "
            "PRIMUS's SS and NN terms on the unaligned 90 % beat MM alone on the aligned 10 %", "(implied)",
            _guard(unaligned, reports, ["primus@10%", "imu2clip@10%"]), unit=" pts", digits=1,
            note="PRIMUS-10 % − IMU2CLIP-10 %, accuracy averaged over tasks and shots"))
    return [
        Claim.from_verdict("p2_fig6_10pct", "PRIMUS with 10 % of the data aligned ≈ IMU2CLIP with all of it "
                           "(no significant difference)", "no significant difference",
                           verdict.weakest(*per_task.values()),
                           ours="; ".join(f"{t}: {v.estimate:+.1f} ± {v.spread:.1f} pts" for t, v in per_task.items()),
                           note=f"PRIMUS-10 % − IMU2CLIP per task, across pretraining seeds; holds = not worse by "
                                f"2 points or more on every task (weakest: {worst})"),
        Claim.from_verdict("p2_fig6_trend", "more aligned data helps PRIMUS (shot-averaged accuracy, mean over tasks)",
                           "(figure)", _guard(trend, reports, order), ours=f"{means} (10 % → 100 %)",
                           note="PRIMUS at 100 % − at 10 % aligned"),
    ] + control


def quick_caveat(claims: list, run) -> list:
    """In quick mode, say on every claim that is not decided in the paper's favour why quick mode cannot test it."""
    from dataclasses import replace

    if run.mode != "quick":
        return claims
    n, batch, epochs = _preset(run, "n_pretrain"), _preset(run, "batch_size"), _preset(run, "epochs")
    steps = epochs * ((n - int(round(0.05 * n))) // batch)  # pretrain(): 5 % held out, drop_last
    caveat = (f"quick mode: {n:,} segments, {steps} Adam steps per objective, {len(pretrain_seeds_for(run))} "
              "pretraining seed(s) — too little pretraining to test the paper; full mode is the test")
    return [claim if claim.holds else replace(claim, note="; ".join([claim.note] * bool(claim.note) + [caveat]))
            for claim in claims]


__all__ = ["PRESETS", "knobs", "world_config", "pretrain_seeds_for", "draws_for", "load_corpus", "load_task",
           "load_hapt", "epoch_probe", "get_runs", "reused_seconds", "probe_curves", "standard_curve", "per_run", "summarise",
           "gap_table", "retrieval", "report_frame", "history_frame", "table_one", "ALL_RUNS", "FIG4", "FIG5",
           "ALIGNED_FRACTIONS", "EGOEXO_LAYOUT", "seed_values", "difference", "fig4_claims", "fig5_claims",
           "fig6_claims", "quick_caveat"]
