"""The README's generated blocks (notebook map, claims, benchmarks) agree with the committed results."""

from __future__ import annotations

import json

import pytest

from lib import report
from lib.params import REPO_ROOT


def test_readme_blocks_match_committed_results():
    text = (REPO_ROOT / "README.md").read_text()
    assert report.update(text, report.render()) == text, "README.md is stale: run `make readme` and commit it"


def test_claims_block_shows_failures_and_notes(tmp_path):
    claims = [{"id": "a", "text": "x beats y", "paper": "+20", "ours": "+3", "holds": False, "note": "small data"},
              {"id": "b", "text": "z | w", "paper": "q", "ours": "r", "holds": None}]
    (tmp_path / "n1.json").write_text(json.dumps({"mode": "full", "claims": claims, "wall_s": 30}))
    (tmp_path / "n2.json").write_text(json.dumps({"mode": "quick", "claims": claims}))  # quick runs are ignored
    block = report.claims_block(report.load_results(tmp_path))
    assert "**does not hold** — small data" in block and "not tested" in block
    assert "z \\| w" in block and "`n2`" not in block


def test_missing_markers_name_the_block():
    with pytest.raises(ValueError, match="BEGIN bench"):
        report.update("no markers here", {"bench": "x"})


def test_bench_block_leads_with_headlines_and_marks_lower_bounds(tmp_path):
    bench = {"machine": {"cpu_count": 2}, "benchmarks": {"footsteps": {
        "time_to_accuracy_speedup": 17.25, "time_to_accuracy_speedup_is_lower_bound": True,
        "per_combination_speedup": 31.9, "cnn_full_protocol_min": None, "all_pairs_curve": [[0.0, 0.5], [10.0, 0.6]]},
        "virtual_imu": {"projected_9M_frames_s": 30.0, "target_s": 45.0}}}
    (tmp_path / "bench.json").write_text(json.dumps(bench))
    block = report.bench_block(tmp_path / "bench.json")
    assert block.index("≥ 17.2×") < block.index("Every number")
    assert "| 31.9× |" in block and "not decided" in block and "not measured" in block
    assert "2 points (in `results/bench.json`)" in block and "P2" not in block  # only benchmarks that ran
    assert "| 30 s | ≤ 45 s |" in block  # the target comes from the benchmark's own record


def test_notebook_status_adds_the_training_it_loaded_from_the_cache():
    block = report.notebooks_block({"12_footstep_training_size": {"wall_s": 190.0, "reused_s": 5400.0},
                                    "10_footstep_data": {"wall_s": 20.0}})
    assert "run took 3 min, plus 90 min of earlier runs loaded from the cache)" in block
    assert "run took < 1 min)" in block


def test_bench_block_flags_p1_rows_from_an_earlier_model(tmp_path):
    path = tmp_path / "bench.json"
    for scenes, stale in (("paper_like", True), ("paper", False)):
        path.write_text(json.dumps({"benchmarks": {"footsteps": {"race_scenes": scenes, "cnn_full_protocol_min": 4.0}}}))
        assert ("P1 rows are stale" in report.bench_block(path)) is stale
