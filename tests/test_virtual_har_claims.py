"""The claim builders of lib.virtual_har.claims on small hand-made results dictionaries."""

import numpy as np
import pytest

from lib.virtual_har import claims as vc
from lib.virtual_har import synthesis as syn


def by_id(claims):
    return {c.id: c for c in claims}


# --------------------------------------------------------------------------- notebook 40

def synthesis_results(eq3_acc=3.9469, run_peak=20.0, hand_gap=0.05, waving=0.8, cmu=None):
    stats = ([{"activity": "walking", "speed_m_s": 1.2, "peak": 6.0 + 0.1 * k, "variance": 1.0 + 0.1 * k, "rms": 3.0,
               "dominant_hz": 1.8} for k in range(4)]
             + [{"activity": "running", "speed_m_s": 4.0, "peak": run_peak + k, "variance": 30.0 + k, "rms": 9.0,
                 "dominant_hz": 2.8} for k in range(4)])
    peak_sep = 1.0 if run_peak > 7 else 0.5
    results = {"eq3": {"expected": (2 * np.pi * 0.5) ** 2 * 0.4, "finite_difference": eq3_acc, "gyro": np.pi},
               "fig12_stats": stats, "fig12_threshold_accuracy": {"peak": peak_sep, "variance": 1.0, "rms": 1.0,
                                                                  "dominant_hz": 1.0},
               "fig3_hand_gap_min_m": hand_gap, "fig3_clap_rate_hz": 2.5, "fig4_wrist_above_shoulder": waving,
               "cmu_vs_procedural": [], "cmu_per_walk": []}
    if cmu is not None:
        results["cmu_vs_procedural"] = cmu
        results["cmu_per_walk"] = syn.per_walk(cmu).to_dict("records")
    return results


def cmu_rows(cadence_factor=1.0, rms_factor=1.0, peak_shift=0.0, n_draws=3):
    rng = np.random.default_rng(0)
    rows = []
    for stem in ("131_01", "131_02"):
        real = {"step_hz": 1.8, "wrist_dominant_hz": 1.8, "wrist_high_share": 0.2,
                **{f"rms_{s}": 4.0 for s in syn.SITES}}
        rows.append({"recording": stem, "motion": syn.REAL, "draw": 0, "speed_m_s": 1.2, **real})
        for k in range(n_draws):
            jitter = 1 + 0.01 * rng.standard_normal()
            for motion in (syn.MODEL, syn.MATCHED):
                step = real["step_hz"] * (cadence_factor if motion == syn.MODEL else 1.0) * jitter
                rows.append({"recording": stem, "motion": motion, "draw": k, "speed_m_s": 1.2, "step_hz": step,
                             "wrist_dominant_hz": 1.8 + peak_shift + 0.01 * k, "wrist_high_share": 0.05,
                             **{f"rms_{s}": 4.0 * rms_factor * jitter for s in syn.SITES}})
    for row in rows:
        row["step_length_m"] = row["speed_m_s"] / row["step_hz"]
        row["wrist_peak_per_step"] = row["wrist_dominant_hz"] / row["step_hz"]
    return rows


def test_eq3_claim_holds_only_for_the_right_acceleration():
    assert by_id(vc.synthesis_claims(synthesis_results()))["p4_eq3"].verdict == "holds"
    assert by_id(vc.synthesis_claims(synthesis_results(eq3_acc=3.5)))["p4_eq3"].verdict == "does not hold"


def test_figure_claims_follow_their_thresholds():
    good = by_id(vc.synthesis_claims(synthesis_results()))
    assert [good[i].verdict for i in ("p4_fig12", "p4_fig3", "p4_fig4")] == ["holds"] * 3
    assert "4 walks" in good["p4_fig12"].note
    bad = by_id(vc.synthesis_claims(synthesis_results(run_peak=6.0, hand_gap=0.2, waving=0.3)))
    assert [bad[i].verdict for i in ("p4_fig12", "p4_fig3", "p4_fig4")] == ["does not hold"] * 3


def test_without_cmu_walks_there_are_no_cmu_claims():
    assert not any(c.id.startswith("beyond_cmu") for c in vc.synthesis_claims(synthesis_results()))


def test_cmu_claims_hold_for_matching_walks_and_fail_for_a_wrong_cadence():
    good = by_id(vc.synthesis_claims(synthesis_results(cmu=cmu_rows())))
    assert [good[i].verdict for i in ("beyond_cmu_cadence", "beyond_cmu_rms", "beyond_cmu_peak")] == ["holds"] * 3
    assert "2 recordings × 3 procedural draws" in good["beyond_cmu_cadence"].ours
    bad = by_id(vc.cmu_claims(*_frames(cmu_rows(cadence_factor=1.4, rms_factor=0.2, peak_shift=1.0))))
    assert [bad[i].verdict for i in ("beyond_cmu_cadence", "beyond_cmu_rms", "beyond_cmu_peak")] == ["does not hold"] * 3
    assert "step length real" in bad["beyond_cmu_cadence"].note  # the explanation appears only when it fails


def _frames(rows):
    import pandas as pd

    return pd.DataFrame(rows), syn.per_walk(rows)


# --------------------------------------------------------------------------- notebook 41

def har_values(real=(0.95, 0.85, 0.80), exp3=(0.97, 0.90), no_ft=0.35, train_acc=0.99, agreement=1.0, seeds=3):
    rng = np.random.default_rng(1)
    cells = []
    for s in range(seeds):
        def noisy(x):
            return float(x + 0.005 * rng.standard_normal())
        for exp, accs in ((1, (0.90, 0.75, 0.70)), (2, real)):
            for method, acc in zip(("proposed", "deepconvlstm", "rf"), accs):
                cells.append({"seed": s, "experiment": exp, "method": method, "acc": noisy(acc), "f1": noisy(acc),
                              "train_acc": train_acc})
        for method, acc in zip(("proposed", "deepconvlstm"), exp3):
            cells.append({"seed": s, "experiment": 3, "method": method, "acc": noisy(acc), "f1": noisy(acc)})
    curve = [{"epoch": e, "acc": min(0.9, no_ft + 0.1 * e), "f1": 0.0, "train_loss": None} for e in range(31)]
    heading = [{"method": m, "seed": s, "real_agreement": a, "real_acc_5way": 0.6}
               for s in range(2) for m, a in (("none", 0.4), ("random_yaw", 0.8), ("normalised", agreement))]
    return {"cells": cells,
            "no_finetune": {m: [{"acc": no_ft + 0.01 * s, "acc_12way": 0.2, "f1": 0.3, "share_outside_5": 0.5}
                                for s in range(seeds)] for m in ("proposed", "deepconvlstm")},
            "finetune_curves": {m: [curve] * seeds for m in ("proposed", "deepconvlstm")},
            "finetune_within_1pt_epoch": [6] * seeds, "beyond_seeds": [0, 1],
            "translation_gap": [{"seed": 0, "no_finetune_acc": 0.5, "finetuned_acc": 0.9, "virtual_acc": 0.7}],
            "gap_parts": [{"step": "virtual generator (test people of the virtual corpus, 5 real classes)", "seed": 0,
                           "acc_5way": 0.9, "acc_12way": 0.8, "share_outside_5": 0.1},
                          {"step": "+ sensor noise", "seed": 0, "acc_5way": 0.4, "acc_12way": 0.2,
                           "share_outside_5": 0.5}],
            "heading": heading}


def test_table2_orderings_hold_or_fail_with_the_numbers():
    good = by_id(vc.har_claims(har_values()))
    assert good["p4_order_virtual"].verdict == "holds" and good["p4_order_real"].verdict == "holds"
    assert good["p4_finetuned_best"].verdict == "holds"
    bad = by_id(vc.har_claims(har_values(real=(0.80, 0.85, 0.90), exp3=(0.70, 0.70))))
    assert bad["p4_order_real"].verdict == "does not hold" and bad["p4_finetuned_best"].verdict == "does not hold"


def test_an_underfitting_network_makes_the_orderings_untestable():
    claims = by_id(vc.har_claims(har_values(train_acc=0.5)))
    assert claims["p4_order_virtual"].verdict == "untestable" and claims["p4_no_finetune"].verdict == "untestable"


def test_no_finetune_and_convergence_claims():
    good = by_id(vc.har_claims(har_values()))
    assert good["p4_no_finetune"].verdict == "holds" and good["p4_converges_20"].verdict == "holds"
    assert "largest part of the gap: '+ sensor noise' (-50.0 points)" in good["p4_no_finetune"].note
    values = har_values(no_ft=0.7)
    values["finetune_within_1pt_epoch"] = [25, 26, 27]
    bad = by_id(vc.har_claims(values))
    assert bad["p4_no_finetune"].verdict == "does not hold" and bad["p4_converges_20"].verdict == "does not hold"


@pytest.mark.parametrize("agreement, expected", [(1.0, "holds"), (0.5, "does not hold")])
def test_heading_invariance_claim(agreement, expected):
    assert by_id(vc.har_claims(har_values(agreement=agreement)))["beyond_heading_invariant"].verdict == expected


# --------------------------------------------------------------------------- the committed results

@pytest.mark.parametrize("notebook, build", [("40_virtual_imu_synthesis", vc.synthesis_claims),
                                             ("41_virtual_imu_har", vc.har_claims)])
def test_the_builders_rebuild_the_committed_claims_from_the_results_json(notebook, build):
    import json
    from dataclasses import asdict

    from lib.paths import REPO_ROOT

    record = json.loads((REPO_ROOT / "results" / f"{notebook}.json").read_text())
    assert [asdict(c) for c in build(record["values"])] == record["claims"]
