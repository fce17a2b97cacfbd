"""The claim logic of notebooks 22-24 on hand-made curves (so a claim's verdict means what its text says)."""

from types import SimpleNamespace

import pandas as pd
import pytest

from lib.primus.experiments import explain_failures, fig4_claims, fig5_claims, fig6_claims, gap_table, paired_tests


def summary_from(table: dict) -> pd.DataFrame:
    """{method: {shots: accuracy}} -> a summarise()-like frame."""
    rows = [{"method": m, "shots": n, "mean": acc, "std": 0.0, "n_seeds": 3}
            for m, curve in table.items() for n, acc in curve.items()]
    return pd.DataFrame(rows)


def fig4_world(primus_gain: float, ego_gap: float = 0.0):
    base = {1: 0.20, 5: 0.30, 20: 0.40, 100: 0.50, 500: 0.60}
    curves = {m: dict(base) for m in ("simclr", "multitask_ssl", "imu2clip")}
    curves["standard"] = {n: v - 0.15 for n, v in base.items()}
    curves["primus"] = {n: v + primus_gain for n, v in base.items()}
    ego = {**curves, "primus": {n: v + ego_gap for n, v in base.items()}}
    return {"egoexo4d": summary_from(curves), "ego4d": summary_from(ego), "realworld": summary_from(curves)}


def by_id(claims):
    return {c.id: c for c in claims}


def test_fig4_claims_hold_when_primus_leads_by_ten_points():
    claims = by_id(fig4_claims(fig4_world(0.10)))
    assert claims["p2_fig4_primus_best"].holds and claims["p2_fig4_up_to_15"].holds
    assert "+10.0" in claims["p2_fig4_up_to_15"].ours
    assert claims["p2_fig4_ego4d_par"].holds  # on par with IMU2CLIP on Ego4D
    assert claims["p2_fig4_standard_low_data"].holds  # 25 points ahead of standard training


def test_fig4_claims_fail_when_a_baseline_wins():
    claims = by_id(fig4_claims(fig4_world(-0.05)))
    assert not claims["p2_fig4_primus_best"].holds and not claims["p2_fig4_up_to_15"].holds


def test_gap_table_excludes_500_and_names_the_best_other():
    gaps = gap_table(fig4_world(0.10)["egoexo4d"])
    assert 500 not in gaps.index and (gaps["vs best other"] == 10.0).all()


def test_fig5_claims():
    base = {1: 0.3, 10: 0.5}
    table = {"ss": base, "nn": {1: 0.13, 10: 0.14}, "ss_nn": base,
             "imu2clip": {n: v + 0.1 for n, v in base.items()}, "ss_mm": {n: v + 0.11 for n, v in base.items()},
             "mm_nn": {n: v + 0.12 for n, v in base.items()}, "primus": {n: v + 0.125 for n, v in base.items()}}
    rw = dict(table, primus={n: v + 0.17 for n, v in base.items()})
    claims = by_id(fig5_claims({"egoexo4d": summary_from(table), "ego4d": summary_from(table),
                                "realworld": summary_from(rw)}))
    assert claims["p2_fig5_mm_key"].holds and claims["p2_fig5_nn_collapse"].holds
    assert claims["p2_fig5_ss_out_of_domain"].holds and claims["p2_fig5_ss_in_domain"].holds
    assert claims["p2_fig5_nn_helpful"].holds


def test_paired_tests_and_fig6_claim():
    rows = []
    for seed in range(3):
        for n in (1, 5, 20):
            rows.append({"method": "primus@10%", "shots": n, "seed": seed, "accuracy": 0.5 + 0.01 * seed})
            rows.append({"method": "imu2clip", "shots": n, "seed": seed, "accuracy": 0.5 + 0.01 * ((seed + 1) % 3)})
    curves = {"egoexo4d": pd.DataFrame(rows)}
    tests = paired_tests(curves, "primus@10%", "imu2clip")
    assert tests.loc["egoexo4d", "n"] == 9 and tests.loc["egoexo4d", "p"] > 0.05
    summary = {"egoexo4d": summary_from({"primus@10%": {1: 0.5}, "primus@25%": {1: 0.52}, "primus@50%": {1: 0.55},
                                          "primus": {1: 0.6}})}
    claims = by_id(fig6_claims(tests, summary))
    assert claims["p2_fig6_10pct"].holds and claims["p2_fig6_trend"].holds
    assert claims["p2_fig6_trend"].ours.startswith("50.0")


def test_claim_inputs_must_have_the_methods():
    with pytest.raises(KeyError):
        fig5_claims({"egoexo4d": summary_from({"ss": {1: 0.2}})})


def test_explain_failures_notes_only_the_failures_and_keeps_the_verdicts():
    claims = fig4_claims(fig4_world(-0.05))
    run = SimpleNamespace(mode="quick", n_pretrain=1200, batch_size=64, epochs=2)
    explained = by_id(explain_failures(claims, run))
    before = by_id(claims)
    assert all(explained[k].holds == before[k].holds for k in before)
    assert "quick mode: 1,200 segments and 34 Adam steps" in explained["p2_fig4_primus_best"].note
    assert explained["p2_fig4_ego4d_par"].note == before["p2_fig4_ego4d_par"].note  # holds: untouched
