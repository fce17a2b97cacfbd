"""The claims of notebooks 20–24: builders that turn results into :class:`lib.repro.Claim` rows.

Every verdict of Fig. 4–6 comes from :mod:`lib.verdict`: a quantity per pretraining seed (a method's
accuracy, averaged over its few-shot draws and over the shot counts the claim reads, in points), compared
by mean ± sd across seeds. Two methods are independent runs, so they are compared unpaired. A claim whose
runs have not converged (:mod:`lib.primus.convergence`) is untestable.

The few-shot ``curves`` the builders read are long frames with columns method, pretrain_seed, shots, seed
(the few-shot draw) and accuracy (a fraction), as :func:`lib.primus.experiments.probe_curves` returns them;
``reports`` are {run label: [pretraining report per seed]} as :func:`lib.primus.experiments.get_runs`
returns them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from lib import verdict
from lib.primus.convergence import not_converged
from lib.primus.experiments import per_run, pretrain_seeds_for, summarise
from lib.primus.losses import TEMPERATURE_INIT
from lib.primus.scenarios import TASKS
from lib.primus.spec import preset
from lib.repro import Claim

#: The parameters of the PRIMUS reference encoder, counted layer by layer (lib/primus/encoder.py).
REFERENCE_PARAMETERS = 1_376_204
#: The objectives with an MM term (the runs whose IMU → video retrieval notebook 21 tests).
MM_OBJECTIVES = ("primus", "imu2clip", "ss_mm", "mm_nn")


# --------------------------------------------------------------------------- Table I (notebook 20)

def table1_claims(n_classes: list[int], n_segments: int, segment_shape: tuple, within: dict) -> list:
    """The structure checks of notebook 20: Table I's class counts, the shape of a pretraining segment, and
    whether the video stand-in is more scenario-specific than the text stand-in.

    n_classes: classes of the three downstream tasks, in Table I's order; n_segments / segment_shape: the
    corpus's size and the shape of one IMU segment ((6, 250): 6 channels, 5 s at 50 Hz); within:
    {"video": ..., "text": ...} mean within-scenario cosine similarities ({} when the corpus has no
    scenario labels: that claim is then not tested).
    """
    return [
        Claim("p2_table1_structure", "Table I: 8 / 10 / 8 downstream classes; input/output domain same-same, "
              "same-different, different-different", paper="8 / 10 / 8",
              ours=" / ".join(str(n) for n in n_classes), holds=list(n_classes) == [8, 10, 8]),
        Claim("p2_table1_corpus", "pretraining on aligned IMU–video–text triplets of 5-s head-IMU segments (6 × 250 at "
              "50 Hz)", paper="≈ 250K segments", ours=f"{n_segments:,} segments, shape {tuple(segment_shape)}",
              holds=tuple(segment_shape) == (6, 250),
              note=f"the segments' structure matches; their number is a budget departure: full mode uses "
                   f"{preset('21_primus_pretraining', 'n_pretrain', 'full'):,} (1 % of the paper's) so that 3 pretraining seeds of every run "
                   "reach a plateau within the 90-min 2-core budget (notebook 21)"),
        Claim("p2_world_video_vs_text", "video embeddings are more scenario-specific than narration embeddings "
              "(a property of the world, not a paper claim)", paper="—",
              ours=f"within-scenario similarity video {within['video']:.2f}, text {within['text']:.2f}" if within
              else "n/a", holds=within["video"] > within["text"] if within else None),
    ]


# --------------------------------------------------------------------------- pretraining (notebook 21)

def pretraining_claims(n_params: int, recall: dict, reports: dict, plateaued: pd.Series, epochs: tuple) -> list:
    """The claims of notebook 21: parameter count, MM alignment (retrieval), learnt temperatures, convergence.

    n_params: the encoder's parameters; recall: {run label: DataFrame, one row per pretraining seed, with
    columns n (held-out segments), video_R@10, ...} (:func:`lib.primus.experiments.retrieval`);
    plateaued: bool Series indexed by (run, seed) (the plateau rule per pretraining run); epochs: (the
    least, the most) epochs a run trains.
    """
    from scipy.stats import binomtest

    mm_runs = [k for k in recall if k.split("@")[0] in MM_OBJECTIVES]
    best = max(mm_runs, key=lambda k: recall[k]["video_R@10"].mean())
    n_held = int(recall[best]["n"].iloc[0])
    chance = 1.0 / n_held  # R@1; R@10's is 10 times that
    # one-sided binomial test of each pretraining seed's hits against chance (10 of n_held)
    p_align = [binomtest(int(round(r * n_held)), n_held, min(1.0, 10 * chance), alternative="greater").pvalue
               for r in recall[best]["video_R@10"]]
    taus = [rep["history"][-1].get("val_tau_mm") for k in mm_runs for rep in reports[k]]
    return [
        Claim("p2_params", "the encoder has about 1.4M parameters", paper="1.4M", ours=f"{n_params:,}",
              holds=n_params == REFERENCE_PARAMETERS, note="1,376,204 = the layers of the PRIMUS reference encoder "
              "counted (Nokia-Bell-Labs/pretrained-imu-encoders, lib/imu_models.py)"),
        Claim("p2_mm_alignment", "MM pretraining aligns IMU with video (IMU2CLIP's retrieval)", paper="(no number)",
              ours=f"{best}: video R@10 {100 * recall[best]['video_R@10'].mean():.1f} % vs chance {100 * 10 * chance:.1f} % "
                   f"({n_held} held out; binomial p per seed {', '.join(f'{p:.1g}' for p in p_align)})",
              holds=bool(max(p_align) < 0.001), note="holds = R@10 above chance at p < 0.001 for every pretraining seed"),
        Claim("p2_temperature", "temperatures are learnable, initialised at 0.1", paper=f"{TEMPERATURE_INIT}",
              ours="final τ_mm " + ", ".join(f"{t:.3f}" for t in taus if t is not None),
              holds=all(t is not None and abs(t - TEMPERATURE_INIT) > 1e-4 for t in taus)),
        # a protocol check of ours, not a claim of the paper: it decides which runs notebooks 22-24 may read
        Claim("p2_pretraining_converged", "pretraining runs until the representation stops improving "
              "(ours: the plateau rule above; a protocol check, not a claim of the paper)",
              paper="15 epochs, best val_loss (reference)",
              ours=f"{int(plateaued.sum())} of {len(plateaued)} runs plateaued within {epochs[0]}–{epochs[1]} epochs; "
                   "per objective: " + ", ".join(f"{k} {int(v.sum())}/{len(v)}"
                                                 for k, v in plateaued.groupby(level=0, sort=False)),
              holds=True if plateaued.all() else None, verdict="holds" if plateaued.all() else "not tested",
              note="a claim of notebooks 22-24 that reads a run which has not plateaued is untestable"),
    ]


# --------------------------------------------------------------------------- Fig. 4-6 (notebooks 22-24)

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
    if run.mode != "quick":
        return claims
    n, batch, epochs = run.n_pretrain, run.batch_size, run.epochs
    steps = epochs * ((n - int(round(0.05 * n))) // batch)  # pretrain(): 5 % held out, drop_last
    caveat = (f"quick mode: {n:,} segments, {steps} Adam steps per objective, {len(pretrain_seeds_for(run))} "
              "pretraining seed(s) — too little pretraining to test the paper; full mode is the test")
    return [claim if claim.holds else replace(claim, note="; ".join([claim.note] * bool(claim.note) + [caveat]))
            for claim in claims]


__all__ = ["MM_OBJECTIVES", "REFERENCE_PARAMETERS", "common_shots", "difference", "fig4_claims", "fig5_claims",
           "fig6_claims", "pretraining_claims", "quick_caveat", "seed_values", "table1_claims"]
