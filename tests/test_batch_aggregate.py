"""lib.batch aggregation: numbers and claims per parameter group, mean ± std over seeds, holds k/n."""

from __future__ import annotations

import csv
import json
import statistics

import pytest

from lib.batch.aggregate import display_frame, first_number, flatten_numbers, summarise, write_summary


def _record(seed: int, lr: float, acc: float, holds, ours: str | None = None, extra: dict | None = None) -> dict:
    return {"seed": seed, "values": {"acc": acc, "fig": {"gain": acc - 0.5, "curve": [1, 2]}, "label": "x",
                                     **(extra or {})},
            "claims": [{"id": "c1", "text": "acc above 0.8", "paper": "0.9", "ours": ours or f"acc {acc:.3f}",
                        "holds": holds, "note": ""}]}


def test_flatten_keeps_numeric_leaves_with_dotted_keys_and_skips_lists_strings_and_nulls():
    flat = flatten_numbers({"a": 1, "b": {"c": 2.5, "d": {"e": -1}}, "ok": True, "curve": [1, 2],
                            "name": "x", "missing": None, "nan": float("nan")})
    assert flat == {"a": 1.0, "b.c": 2.5, "b.d.e": -1.0, "ok": 1.0}


def test_first_number_of_a_claims_ours_text():
    assert first_number("93.1 %") == 93.1 and first_number("+19.99 points") == 19.99
    assert first_number("best validation accuracy 0.912") == 0.912 and first_number("—") is None
    assert first_number("1e-3 error") == 1e-3


def test_groups_by_the_non_seed_parameters_with_mean_std_and_claim_counts():
    accs = {0.01: [0.9, 0.85, 0.7, 0.95, 0.6], 0.1: [0.5, 0.55, 0.6, 0.45, 0.5]}
    runs = [({"seed": s, "lr": lr}, _record(s, lr, acc, acc > 0.8)) for lr, values in accs.items()
            for s, acc in enumerate(values)]
    rows = summarise(runs, ["lr"])
    by = {(r["lr"], r["kind"], r["quantity"]): r for r in rows}
    acc = by[0.01, "value", "acc"]
    assert acc["n"] == 5 and acc["runs"] == 5
    assert acc["mean"] == pytest.approx(statistics.mean(accs[0.01]))
    assert acc["std"] == pytest.approx(statistics.stdev(accs[0.01]))
    assert (acc["min"], acc["max"]) == (0.6, 0.95)
    assert by[0.01, "value", "fig.gain"]["mean"] == pytest.approx(statistics.mean(accs[0.01]) - 0.5)
    assert (0.01, "value", "fig.curve") not in by and (0.01, "value", "label") not in by
    claim = by[0.01, "claim", "c1"]  # holds for seed 0 but not across seeds: shown as 3/5
    assert (claim["holds"], claim["tested"], claim["verdict"]) == (3, 5, "mixed")
    assert claim["summary"].startswith("holds 3/5 · ours 0.8")
    assert claim["mean"] == pytest.approx(statistics.mean(accs[0.01]), abs=1e-3)
    assert by[0.1, "claim", "c1"]["verdict"] == "fails" and by[0.1, "claim", "c1"]["summary"].startswith("holds 0/5")


def test_untested_claims_and_missing_values_are_not_counted():
    runs = [({"seed": 0}, _record(0, 0.1, 0.9, True, extra={"rare": 1.0})),
            ({"seed": 1}, _record(1, 0.1, 0.8, None, ours="not testable in quick mode")),
            ({"seed": 2}, _record(2, 0.1, 0.7, True))]
    rows = {(r["kind"], r["quantity"]): r for r in summarise(runs, [])}
    claim = rows["claim", "c1"]
    assert (claim["holds"], claim["tested"], claim["verdict"]) == (2, 2, "holds")
    assert claim["n"] == 2  # the untestable run's ours has no number
    assert rows["value", "rare"]["n"] == 1 and rows["value", "rare"]["std"] is None
    assert rows["value", "rare"]["summary"] == "1 (1 run)"
    every_untested = summarise([({"seed": 0}, _record(0, 0.1, 0.9, None, ours="n/a"))], [])
    assert [r["summary"] for r in every_untested if r["kind"] == "claim"] == ["n/a"]


def test_summary_files_round_trip_and_the_printed_table_labels_groups_by_what_varies(tmp_path):
    runs = [({"seed": s, "lr": lr, "mode": "quick"}, _record(s, lr, 0.5 + s / 10 + lr, s != 1))
            for lr in (0.01, 0.1) for s in range(3)]
    rows = summarise(runs, ["lr", "mode"])
    csv_path, json_path = write_summary(tmp_path, "nb", rows, ["lr", "mode"], {"seed": [0, 1, 2]},
                                        [{"slug": "x", "params": {}, "status": "ok"}])
    table = list(csv.DictReader(csv_path.open()))
    assert len(table) == len(rows) == 2 * 3  # per group: acc, fig.gain, claim c1
    claim = next(r for r in table if r["kind"] == "claim" and r["lr"] == "0.1")
    assert (claim["holds"], claim["tested"]) == ("2", "3")  # integers, not 2.0
    document = json.loads(json_path.read_text())
    assert document["rows"] == json.loads(json.dumps(rows)) and document["group_by"] == ["lr", "mode"]
    wide = display_frame(rows, ["lr", "mode"])
    assert list(wide.columns) == ["lr=0.01 (3 runs)", "lr=0.1 (3 runs)"]  # mode is constant: not in the label
    assert wide.loc[("claim", "c1"), "lr=0.1 (3 runs)"].startswith("holds 2/3")
