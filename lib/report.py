"""The README's generated sections, rendered from the committed ``results/*.json`` and ``results/bench.json``.

``python -m lib.report`` rewrites the blocks between ``<!-- BEGIN <name> -->`` and ``<!-- END <name> -->``
in README.md and docs/benchmarks.md; ``--check`` exits 1 when a block is stale (``tests/test_readme.py``
runs it), so every number in them is one a run wrote, never typed in.

README blocks: ``headline`` (the front page's figures, :data:`lib.catalog.HEADLINE_FIGURES`), ``papers``
(the citations, :data:`lib.catalog.CITATIONS`), ``notebooks`` (the paper -> figure -> notebook map with
each notebook's status), ``claims`` (every full-mode claims table, one row per claim), ``figures`` (links
to the committed figures) and ``bench`` (the headline rows of the last ``make bench``). docs/benchmarks.md
block: ``bench_numbers`` (every number of the last ``make bench``), kept off the README's front page.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from lib.catalog import CITATION_NOTE, CITATIONS, HEADLINE_FIGURES, ITEMS
from lib.paths import REPO_ROOT

BENCH_DOC = "docs/benchmarks.md"

HOLDS = {True: "holds", False: "**does not hold**", None: "not tested"}
VERDICT_TEXT = {"does not hold": "**does not hold**", "inconclusive": "inconclusive", "untestable": "untestable"}


def load_results(results_dir: Path) -> dict[str, dict]:
    """notebook stem -> its results JSON (full-mode runs only: quick runs live in build/)."""
    out = {}
    for path in sorted(results_dir.glob("*.json")):
        if path.name == "bench.json":
            continue
        record = json.loads(path.read_text())
        if record.get("mode") == "full":
            out[path.stem] = record
    return out


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    return "< 1" if minutes < 1 else f"{minutes:.0f}"


def notebooks_block(results: dict[str, dict], book_dir: Path = REPO_ROOT / "book") -> str:
    """The map; each notebook links its source and, when ``book/`` has one, its executed full-mode copy."""
    lines = ["| paper | figure / table | notebook | status |", "|---|---|---|---|"]
    for item in ITEMS:
        link = f"[`{item.notebook}`](notebooks/{item.notebook}.ipynb)" if item.available else f"`{item.notebook}`"
        if item.available and (book_dir / f"{item.notebook}.ipynb").exists():
            link += f" ([executed](book/{item.notebook}.ipynb))"
        if not item.available:
            status = "planned"
        elif item.notebook in results:
            record = results[item.notebook]
            status = f"full-mode results committed (run took {_minutes(record.get('wall_s', 0))} min"
            if record.get("reused_s"):
                status += f", plus {_minutes(record['reused_s'])} min of earlier runs loaded from the cache"
            status += ")"
        else:
            status = "quick mode only"
        lines.append(f"| {item.paper} | {_cell(item.item)}: {_cell(item.what)} | {link} | {status} |")
    return "\n".join(lines)


def claims_block(results: dict[str, dict]) -> str:
    """The README's claims table: one Markdown row per claim of every full-mode record (a placeholder if none)."""
    if not results:
        return "_No full-mode results are committed yet._"
    lines = ["| notebook | claim | paper | ours | verdict |", "|---|---|---|---|---|"]
    for stem, record in results.items():
        for claim in record.get("claims", []):
            verdict = VERDICT_TEXT.get(claim.get("verdict", ""), HOLDS[claim.get("holds")])
            if claim.get("note"):
                verdict += f" — {claim['note']}"
            lines.append(f"| `{stem}` | {_cell(claim['text'])} | {_cell(claim['paper'])} | {_cell(claim['ours'])} "
                         f"| {_cell(verdict)} |")
    return "\n".join(lines)


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, list):  # a curve: too long for a table cell
        return f"{len(value)} points (in `results/bench.json`)"
    return str(value)


# benchmark -> (what is measured, key in bench.json, unit, our target): the README's headline rows;
# a target may name the benchmark's own numbers in braces (filled by str.format_map)
HEADLINES = {
    "footsteps": [
        ("P1 training: time to the same validation accuracy, pair-by-pair / all-pair", "time_to_accuracy_speedup",
         "×", "≥ 50×"),
        ("P1 training: seconds per combination, pair-by-pair / all-pair", "per_combination_speedup", "×", ""),
        ("P1 CNN protocol of notebook 11 (1,400 paper-preset pairs, early stopping), wall time", "cnn_full_protocol_min",
         "min", "≤ 10 min"),
        ("P1 CNN, the paper's 30 epochs of 1,000,000 combinations without early stopping, estimated",
         "cnn_paper_protocol_h_estimate", "h", ""),
        ("P1 LSTM protocol (all 999 frames), estimated", "lstm_pool1_full_protocol_h_estimate", "h", ""),
        ("P1 fused CNN, forward + backward, vs layer by layer", "cnn_fused_speedup", "×", ""),
    ],
    "primus": [("P2 pretraining time per segment, PRIMUS / IMU2CLIP", "primus_vs_imu2clip_time_ratio", "×", "")],
    "virtual_imu": [
        ("P4 virtual IMU for 9M frames (AMASS scale), projected", "projected_9M_frames_s", "s", "≤ {target_s:g} s"),
        ("P4 vectorised vs per-frame loop", "speedup_vs_loop", "×", ""),
    ],
}


def _headline(numbers: dict, key: str, unit: str) -> str:
    value = numbers.get(key)
    if value is None:
        return "not measured (see below)" if key not in numbers else "not decided (see below)"
    bound = "≥ " if numbers.get(f"{key}_is_lower_bound") else ""
    return f"{bound}{_number(value)}{'' if unit == '×' else ' '}{unit}"


def _bench_record(bench_path: Path) -> dict | None:
    return json.loads(bench_path.read_text()) if bench_path.exists() else None


def _bench_head(record: dict) -> str:
    machine = record.get("machine", {})
    return (f"Measured by `make bench` on {machine.get('cpu_count', '?')} CPU cores "
            f"({machine.get('platform', '?')}), torch {record.get('versions', {}).get('torch', '?')}.")


NO_BENCH = "_`make bench` has not been run for this commit (no `results/bench.json`)._"


def bench_block(bench_path: Path) -> str:
    """The README's speed section: the headline rows of :data:`HEADLINES`; every number is in docs/benchmarks.md."""
    record = _bench_record(bench_path)
    if record is None:
        return NO_BENCH
    benchmarks = record.get("benchmarks", {})
    lines = [_bench_head(record), ""]
    footsteps = benchmarks.get("footsteps", {})
    if footsteps and footsteps.get("race_scenes") != "paper":  # written before the P1 encoder gained its dense layer
        lines += [f"**The P1 rows are stale**: they were measured on an earlier P1 model and on the "
                  f"\"{footsteps.get('race_scenes')}\" scenes (the race) and the \"hard\" scenes (the CNN protocol, "
                  "30 one-pass epochs); the current model and protocol have not been benchmarked yet "
                  "(`P1_BENCH_SIZE=full make bench`).", ""]
    lines += ["| measured | value | target |", "|---|---|---|"]
    for name, rows in HEADLINES.items():
        for label, key, unit, target in rows:
            if name in benchmarks:
                numbers = benchmarks[name]
                lines.append(f"| {label} | {_headline(numbers, key, unit)} | {target.format_map(numbers)} |")
    count = sum(len(numbers) for numbers in benchmarks.values())
    lines += ["", f"Every number of the last run ({count} in all) and how to read the P1 rows: "
                  f"[{BENCH_DOC}]({BENCH_DOC})."]
    return "\n".join(lines)


def bench_numbers_block(bench_path: Path) -> str:
    """docs/benchmarks.md: every number of ``results/bench.json``, one row each."""
    record = _bench_record(bench_path)
    if record is None:
        return NO_BENCH
    lines = [_bench_head(record), "", "| benchmark | metric | value |", "|---|---|---|"]
    for name, numbers in sorted(record.get("benchmarks", {}).items()):
        for key, value in numbers.items():
            lines.append(f"| {name} | `{key}` | {_number(value)} |")
    return "\n".join(lines)


def headline_block(figures_dir: Path, book_dir: Path = REPO_ROOT / "book") -> str:
    """The front page's figures side by side (HTML a repository browser renders), each linked to its notebook:
    the executed copy in ``book/`` when there is one, else the source."""
    cells = []
    for paper, name, caption, notebook in HEADLINE_FIGURES:
        if not (figures_dir / name).exists():
            continue
        folder = "book" if (book_dir / f"{notebook}.ipynb").exists() else "notebooks"
        cells.append(f'<td width="33%"><a href="figures/{name}"><img src="figures/{name}" alt="{paper} {caption}" '
                     f'width="100%"></a><br><sub><b>{paper}</b> {caption} — '
                     f'<a href="{folder}/{notebook}.ipynb"><code>{notebook}</code></a></sub></td>')
    if not cells:
        return "_No full-mode figures are committed yet._"
    return "<table><tr>\n" + "\n".join(cells) + "\n</tr></table>"


def papers_block() -> str:
    """The four papers, cited as printed in their texts (:data:`lib.catalog.CITATIONS`)."""
    lines = [f"- **{paper}** — {citation.markdown()}" for paper, citation in CITATIONS.items()]
    if any(c.found for c in CITATIONS.values()):
        lines += ["", CITATION_NOTE]
    return "\n".join(lines)


def figures_block(figures_dir: Path) -> str:
    """One line per paper: links to the committed full-mode figures (PNG, with the PDF beside each)."""
    pngs = sorted(figures_dir.glob("*.png"))
    if not pngs:
        return "_No full-mode figures are committed yet._"
    lines = []
    for prefix, paper in (("p0", "tour"), ("p1", "P1"), ("p2", "P2"), ("p3", "P3"), ("p4", "P4")):
        mine = [p for p in pngs if p.name.startswith(prefix + "_")]
        if mine:
            links = ", ".join(f"[{p.stem.removeprefix(prefix + '_')}](figures/{p.name})" for p in mine)
            lines.append(f"- **{paper}**: {links}")
    return "\n".join(lines)


def render(results_dir: Path = REPO_ROOT / "results", figures_dir: Path = REPO_ROOT / "figures") -> dict[str, str]:
    """The README's blocks."""
    results = load_results(results_dir)
    return {"headline": headline_block(figures_dir), "papers": papers_block(),
            "notebooks": notebooks_block(results), "claims": claims_block(results),
            "bench": bench_block(results_dir / "bench.json"), "figures": figures_block(figures_dir)}


def render_benchmarks(results_dir: Path = REPO_ROOT / "results") -> dict[str, str]:
    """docs/benchmarks.md's blocks."""
    return {"bench_numbers": bench_numbers_block(results_dir / "bench.json")}


def documents() -> dict[Path, dict[str, str]]:
    """Every generated file and its fresh blocks."""
    return {REPO_ROOT / "README.md": render(), REPO_ROOT / BENCH_DOC: render_benchmarks()}


def update(text: str, blocks: dict[str, str]) -> str:
    """``text`` with each ``<!-- BEGIN name -->...<!-- END name -->`` block replaced; a missing marker raises."""
    for name, body in blocks.items():
        pattern = re.compile(rf"(<!-- BEGIN {name} -->\n).*?(<!-- END {name} -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"README.md lacks the markers '<!-- BEGIN {name} -->' ... '<!-- END {name} -->'; "
                             "add them where the generated block belongs")
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
    return text


def main(argv: list[str] | None = None) -> int:
    """Rewrite stale generated blocks (``--check``: only list them); return 1 if ``--check`` found one, else 0."""
    parser = argparse.ArgumentParser(prog="python -m lib.report", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated block is stale")
    args = parser.parse_args(argv)
    stale = []
    for path, blocks in documents().items():
        current = path.read_text()
        fresh = update(current, blocks)
        if fresh == current:
            continue
        if args.check:
            stale.append(path)
        else:
            path.write_text(fresh)
            print(f"updated {path}")
    for path in stale:
        print(f"{path} is stale: run `python -m lib.report` (or `make readme`) and commit it", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
