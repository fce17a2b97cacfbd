"""Claims tables of notebooks 10-12 (P1), built from the results dictionaries the notebooks pass to ``run.finish``.

P1 is *Metric-based multimodal meta-learning for human movement identification via footstep recognition*.
Each builder takes a notebook's ``values`` dict (plus the few run facts it needs) and returns
:class:`lib.repro.Claim` rows; verdicts over training seeds come from :mod:`lib.verdict` (a network whose
mean training accuracy stays under 95 % makes its claims untestable). Per-seed scores are read from
``values["per_seed"][network name]["scores"]``: one dict per training seed with fractions ``train``,
``val``, ``test``, ``test@0.5`` and the ``threshold`` chosen on validation.
"""

from __future__ import annotations

import numpy as np

from lib import verdict
from lib.repro import Claim

#: Table 1 of the paper: top-1 accuracy (%), train / validation / test.
PAPER_TABLE1 = {"Multimodal (2DCNN)": (99.98, 99.98, 99.89), "Multimodal (LSTM)": (99.99, 99.99, 99.86)}
#: The negatives of the paper's recording (§3.1.2).
PAPER_NEGATIVE_KINDS = {"speech", "typing", "silence"}
#: §3.4.4 and the abstract: test accuracy (%) with 200 and 500 training pairs per class.
PAPER_TRAINING_SIZE = {200: 80.0, 500: 99.89}


def seed_values(values: dict, network: str, key: str) -> np.ndarray:
    """Per-seed score ``key`` ("train", "val", "test", "threshold", ...) of ``network`` from ``values["per_seed"]``."""
    return np.array([s[key] for s in values["per_seed"][network]["scores"]], dtype=float)


def _row(records: list, name: str, index: str = "index") -> dict:
    """The record of a table (``DataFrame.reset_index().to_dict("records")``) whose index is ``name``."""
    return next(r for r in records if r[index] == name)


# --------------------------------------------------------------------------- notebook 10


def data_claims(values: dict, *, mode: str, real: bool = False) -> list[Claim]:
    """Claims p1_d1-d3 of notebook 10: feature shape (§3.3), data-set size (§3.2), kinds of negatives (§3.1.2).

    values: ``feature_shape`` and ``geophone_feature_shape`` ([frames, mel bands] each), ``n_pos``,
    ``n_neg``, ``scenes`` (the simulator preset) and ``counts`` (records with label, kind, scenes);
    ``real``: the data came from ``data_root`` (no scene kinds to judge).
    """
    audio, geo = list(values["feature_shape"]), list(values["geophone_feature_shape"])
    n_pos, n_neg, scenes = values["n_pos"], values["n_neg"], values["scenes"]
    kinds = {r["kind"] for r in values["counts"] if r["label"] == 0}
    if real:
        d3_holds, d3_note = None, "real data: not labelled by kind"
    elif scenes == "paper":
        d3_holds, d3_note = kinds == PAPER_NEGATIVE_KINDS, ""
    else:
        d3_holds = None
        d3_note = (f"the {scenes} preset adds kinds beyond the paper" if kinds - PAPER_NEGATIVE_KINDS else
                   f"the {scenes} preset's walkers go beyond the paper; judged on the paper preset")
    return [
        Claim("p1_d1", "audio and geophone log-mel spectrograms are 999 x 50 (§3.3)", paper="999 x 50",
              ours=f"{audio[0]} x {audio[1]} and {geo[0]} x {geo[1]}", holds=audio == geo == [999, 50]),
        Claim("p1_d2", "the data set holds 700 positive + 700 negative pairs (§3.2)", paper="700 + 700",
              ours=f"{n_pos} + {n_neg}", holds=(n_pos, n_neg) == (700, 700) if mode == "full" else None,
              note="" if mode == "full" else "quick mode uses fewer scenes"),
        Claim("p1_d3", "negatives contain speech, keyboard typing and a few silent signals (§3.1.2)",
              paper="speech, typing, silence", ours=", ".join(sorted(kinds)), holds=d3_holds, note=d3_note),
    ]


# --------------------------------------------------------------------------- notebook 11


def fits(values: dict, *networks: str) -> str | None:
    """The untestable reason when one of ``networks`` did not fit its training set (mean train < 95 %), else None."""
    return verdict.first_failure(*(verdict.underfits(seed_values(values, n, "train")) for n in networks))


def reaches(values: dict, network: str, paper_test: float) -> verdict.Verdict:
    """Verdict on "the network's test accuracy is within 1 point of the paper's ``paper_test`` (%)"."""
    return verdict.guarded(verdict.at_least(100 * seed_values(values, network, "test"), paper_test - 1),
                           fits(values, network))


def beats_each(values: dict, network: str, others: list[str]) -> verdict.Verdict:
    """Verdict on "``network``'s test accuracy is above each of ``others``'" (paired by seed): the weakest one."""
    each = [verdict.greater(100 * seed_values(values, network, "test"), 100 * seed_values(values, o, "test"))
            for o in others]
    return verdict.guarded(verdict.weakest(*each), fits(values, network, *others))


def siamese_claims(values: dict, *, device: str, pool: int) -> list[Claim]:
    """Claims p1_t1-t9 of notebook 11 (Table 1, §3.4.1-3.4.3, and the beyond-the-paper rows when trained).

    values: notebook 11's results — ``per_seed`` (scores of every network by name), ``table1`` records
    (``minutes``, ``steps`` per network), ``batch_items`` (paper batch size -> items per step, the first
    is Table 1's), ``beyond`` records (empty when those rows were not trained; their ``ceiling`` column is
    the best accuracy any network can reach, %); ``device``: where the networks trained; ``pool``: log-mel
    frames the LSTM averaged (1 = the paper's 999 steps).
    """
    sizes = [int(s) for s in values["batch_items"]]
    items = dict(zip(sizes, values["batch_items"].values()))
    cnn, lstm, audio, geo = "Multimodal (2DCNN)", "Multimodal (LSTM)", "Audio only (2DCNN)", "Geophone only (2DCNN)"
    larger = cnn if len(sizes) == 1 else f"2DCNN, BS {sizes[-1]}"
    test = {n: 100 * seed_values(values, n, "test").mean() for n in (cnn, audio, geo)}
    v_threshold = verdict.guarded(verdict.within(seed_values(values, cnn, "threshold"), 0.5, 0.1), fits(values, cnn))
    v_batch = verdict.guarded(
        verdict.within(100 * (seed_values(values, larger, "val") - seed_values(values, cnn, "val")), 0.0, 2.0),
        fits(values, cnn, larger))
    claims = [
        Claim.from_verdict("p1_t1", "multimodal 2DCNN reaches 99.89 % test top-1 (Table 1)", "99.98 / 99.98 / 99.89",
                           reaches(values, cnn, 99.89), unit=" %",
                           note=f"train {100 * seed_values(values, cnn, 'train').mean():.2f} %"),
        Claim.from_verdict("p1_t2", "multimodal LSTM reaches 99.86 % test top-1 (Table 1)", "99.99 / 99.99 / 99.86",
                           reaches(values, lstm, 99.86), unit=" %",
                           note=f"train {100 * seed_values(values, lstm, 'train').mean():.2f} %" + (
                               "" if pool == 1 else f"; log-mel frames averaged in groups of {pool} (a CPU deviation; "
                                                    "the paper: all 999 frames)")),
        Claim.from_verdict("p1_t3", "audio + geophone beats each single modality (§3.4.2: complementary information)",
                           "unimodal rows not reported", beats_each(values, cnn, [audio, geo]), unit=" points",
                           note=f"test: both {test[cnn]:.2f}, audio {test[audio]:.2f}, geophone {test[geo]:.2f} %; "
                                "the weakest of the two comparisons"),
        Claim.from_verdict("p1_t4", "the validation accuracy peaks at a distance threshold of 0.5 (§3.4.2)", "0.5",
                           v_threshold, note="within 0.1 of 0.5 (CNN)"),
        Claim.from_verdict("p1_t5", "a larger batch hardly changes the validation accuracy (§3.4.3)", "little impact",
                           v_batch, unit=" points",
                           note=f"validation accuracy of BS {sizes[-1]} minus BS {sizes[0]}, within 2 points"),
    ]
    if values["beyond"]:
        ceiling = _row(values["beyond"], "2DCNN, I = both footsteps")["ceiling"]
        n_test = values["split_sizes"]["test"]
        claims += [
            Claim.from_verdict("p1_t7", "the second reading of 'similar' (I = 1 only for two footstep pairs) also "
                               "reaches 99.89 % test (§2.1, beyond the paper)", "—",
                               reaches(values, "2DCNN, I = both footsteps", 99.89), unit=" %"),
            Claim("p1_t9", "the paper's test accuracies fit the 'same label' reading of similar, not 'both footsteps' "
                  "(§2.1; beyond the paper)", paper="99.89 % (CNN), 99.86 % (LSTM)",
                  ours=f"'both footsteps' ceiling {ceiling:.2f} % on {n_test} test pairs", holds=bool(ceiling < 99.86),
                  note="a negative paired with itself (D = 0) counts as distinct under that reading"),
            Claim.from_verdict("p1_t8", "on the 'hard' scenes the 2DCNN reaches 99.89 % test (beyond the paper)", "—",
                               reaches(values, "2DCNN, hard scenes", 99.89), unit=" %",
                               note="errors by scene kind in the table above"),
        ]
    row = _row(values["table1"], cnn)
    claims.append(
        Claim("p1_t6", "30 epochs of training take 592 min on an A100 (§3.4.1)", paper="592 min (A100, pair by pair)",
              ours=f"{row['minutes']:.1f} min per seed ({device}, all pairs, {row['steps']:,.0f} steps of "
                   f"{items[sizes[0]]} items, early stopping)", holds=None,
              note="different hardware, trainer and step count (the paper: 120,000 steps of 250 combinations); "
                   "the side-by-side speed-up is in results/bench.json"))
    return claims


# --------------------------------------------------------------------------- notebook 12


def learning_curve_crossing(records: list, level: float = 80.0):
    """The fewest training pairs per class whose test accuracy (%) reaches ``level`` (None when none does)."""
    reached = [r["training pairs per class"] for r in records if r["test"] >= level]
    return min(reached) if reached else None


def training_size_claims(values: dict, *, n_small: int, n_large: int) -> list[Claim]:
    """Claims p1_s1-s4 of notebook 12: 200 -> 500 pairs (abstract, §3.4.4) and single-clip detection.

    values: notebook 12's results — ``per_seed`` (networks named "<n> pairs per class", "audio only",
    "geophone only"), ``learning_curve`` records (test % per training size) and ``detection_per_seed``
    ({"k": support sizes, "accuracy": {detector: [[accuracy per k] per seed]}}, fractions).
    """
    small, large = f"{n_small} pairs per class", f"{n_large} pairs per class"
    reason = verdict.underfits(seed_values(values, large, "train"))  # the large network must fit; the small may not
    gain = 100 * (seed_values(values, large, "test") - seed_values(values, small, "test"))  # per seed, nested data
    gap_small = 100 * (seed_values(values, small, "train") - seed_values(values, small, "val"))
    gap_large = 100 * (seed_values(values, large, "train") - seed_values(values, large, "val"))
    ks = list(values["detection_per_seed"]["k"])
    best_k = max(ks)
    detect = {name: np.array([acc[ks.index(best_k)] for acc in per_seed])
              for name, per_seed in values["detection_per_seed"]["accuracy"].items()}
    networks = {"audio + geophone": large, "audio only": "audio only", "geophone only": "geophone only"}
    v_detect = verdict.guarded(
        verdict.weakest(*(verdict.greater(100 * detect["audio + geophone"], 100 * detect[n])
                          for n in ("audio only", "geophone only"))),
        verdict.first_failure(*(verdict.underfits(seed_values(values, networks[n], "train")) for n in detect)))
    crossing = learning_curve_crossing(values["learning_curve"])
    return [
        Claim.from_verdict("p1_s1", "200 -> 500 training pairs raises accuracy by 19.99 points (abstract)",
                           "+19.99 points", verdict.guarded(verdict.within(gain, 19.99, 5.0), reason), unit=" points",
                           note=f"test, {n_small} -> {n_large} pairs per class; holds = within 5 points of +19.99; "
                                "the learning curve above says where 80 % falls on these data"
                                + (f" ({crossing} pairs per class reach it)" if crossing is not None else "")),
        Claim.from_verdict("p1_s2", "with 200 pairs the accuracy drops to 80 % (§3.4.4)", "80 %",
                           verdict.guarded(verdict.within(100 * seed_values(values, small, "test"), 80.0, 5.0), reason),
                           unit=" %", note="test accuracy; holds = within 5 points"),
        Claim.from_verdict("p1_s3", "the 200-pair model overfits more (§3.4.4)", "significant overfitting",
                           verdict.guarded(verdict.greater(gap_small, gap_large, by=1.0), reason), unit=" points",
                           note="train - validation gap, small minus large; holds = larger by more than 1 point"),
        Claim.from_verdict("p1_s4", "a single clip is classified better with both sensors than with either alone "
                           "(beyond the paper)", "—", v_detect, unit=" points",
                           note=f"k = {best_k} support clips per class; the weakest of the two comparisons; "
                                + ", ".join(f"{n}: {100 * v.mean():.1f} %" for n, v in detect.items())),
    ]
