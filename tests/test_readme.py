"""The README's generated blocks (front-page figures, citations, notebook map, claims, benchmarks) and
docs/benchmarks.md agree with the committed results, and the README's first screen stays a front page."""

from __future__ import annotations

import json
import re

import pytest

from lib import report
from lib.catalog import CITATIONS
from lib.params import REPO_ROOT


def test_readme_blocks_match_committed_results():
    for path, blocks in report.documents().items():
        text = path.read_text()
        assert report.update(text, blocks) == text, f"{path.name} is stale: run `make readme` and commit it"


def test_readme_front_page_has_figures_citations_and_both_paths():
    text = (REPO_ROOT / "README.md").read_text()
    front = text[:text.index("## Paper → notebook → figure")]
    images = re.findall(r'<img src="(figures/[^"]+)"', front)
    assert len(images) == 3, "the front page shows one headline figure per experimental paper"
    assert all((REPO_ROOT / image).exists() for image in images)
    for paper, citation in CITATIONS.items():
        assert f"**{paper}** — {citation.markdown()}" in front
    for needle in ("make reproduce ", "make test ", "## For readers", "## For teachers", "make book", "book/",
                   "quick", "notebooks/solutions/"):
        assert needle in front, needle
    assert "Every number of the last run" not in text.split("## Speed")[0]
    assert "## When something goes wrong" in text


def test_the_long_benchmark_listing_lives_in_docs_and_the_readme_links_it(tmp_path):
    bench = {"machine": {"cpu_count": 2}, "benchmarks": {"virtual_imu": {"projected_9M_frames_s": 30.0,
                                                                         "target_s": 45.0, "loop_s": 0.2}}}
    (tmp_path / "bench.json").write_text(json.dumps(bench))
    head = report.bench_block(tmp_path / "bench.json")
    numbers = report.bench_numbers_block(tmp_path / "bench.json")
    assert "`loop_s`" not in head and f"]({report.BENCH_DOC})" in head and "(3 in all)" in head
    assert "| virtual_imu | `loop_s` | 0.2 |" in numbers
    assert (REPO_ROOT / report.BENCH_DOC).exists()


def test_citations_quote_the_papers_titles():
    """Each title is printed in its paper's text (../shared/papers), so the citations are as printed."""
    papers = REPO_ROOT.parent / "shared" / "papers"
    if not papers.is_dir():
        pytest.skip(f"the papers' texts are not at {papers}")
    texts = {path.name[:2]: " ".join(path.read_text().split()) for path in papers.glob("P*.txt")}
    for paper, citation in CITATIONS.items():
        assert citation.title in texts[paper], paper
        if citation.authors:  # "Name, Name (affiliation)": each name and the affiliation are printed
            names, _, affiliation = citation.authors.partition(" (")
            for printed in [*names.split(", "), affiliation.rstrip(")")]:
                assert printed.replace("*", "") in texts[paper].replace("*", ""), (paper, printed)
        if citation.venue:
            assert citation.venue in texts[paper], paper


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
    assert "P2" not in block  # only benchmarks that ran
    assert "| 30 s | ≤ 45 s |" in block  # the target comes from the benchmark's own record
    numbers = report.bench_numbers_block(tmp_path / "bench.json")  # every number: docs/benchmarks.md
    assert "2 points (in `results/bench.json`)" in numbers and "| footsteps | `per_combination_speedup` | 31.9 |" in numbers


def test_notebook_status_adds_the_training_it_loaded_from_the_cache():
    block = report.notebooks_block({"12_footstep_training_size": {"wall_s": 190.0, "reused_s": 5400.0},
                                    "10_footstep_data": {"wall_s": 20.0}})
    assert "run took 3 min, plus 90 min of earlier runs loaded from the cache)" in block
    assert "run took < 1 min)" in block


def test_map_links_the_executed_copy_when_book_has_one(tmp_path):
    (tmp_path / "20_primus_world.ipynb").write_text("{}")
    block = report.notebooks_block({}, book_dir=tmp_path)
    assert "[`20_primus_world`](notebooks/20_primus_world.ipynb) ([executed](book/20_primus_world.ipynb))" in block
    assert "([executed](book/10_footstep_data.ipynb))" not in block


def test_bench_block_flags_p1_rows_from_an_earlier_model(tmp_path):
    path = tmp_path / "bench.json"
    for scenes, stale in (("paper_like", True), ("paper", False)):
        path.write_text(json.dumps({"benchmarks": {"footsteps": {"race_scenes": scenes, "cnn_full_protocol_min": 4.0}}}))
        assert ("P1 rows are stale" in report.bench_block(path)) is stale
