"""The README's generated sections, rendered from the committed ``results/*.json`` and ``results/bench.json``.

``python -m lib.report`` rewrites the blocks between ``<!-- BEGIN <name> -->`` and ``<!-- END <name> -->``
in README.md; ``--check`` exits 1 when a block is stale (``tests/test_readme.py`` runs it), so every
number in the README is one a run wrote, never typed in.

Blocks: ``notebooks`` (the paper -> figure -> notebook map with each notebook's status), ``claims``
(every full-mode claims table, one row per claim), ``figures`` (links to the committed figures) and
``bench`` (the last ``make bench``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from lib.catalog import ITEMS
from lib.params import REPO_ROOT

HOLDS = {True: "holds", False: "**does not hold**", None: "not tested"}


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


def notebooks_block(results: dict[str, dict]) -> str:
    lines = ["| paper | figure / table | notebook | status |", "|---|---|---|---|"]
    for item in ITEMS:
        link = f"[`{item.notebook}`](notebooks/{item.notebook}.ipynb)" if item.available else f"`{item.notebook}`"
        if not item.available:
            status = "planned"
        elif item.notebook in results:
            minutes = results[item.notebook].get("wall_s", 0) / 60
            status = f"full-mode results committed (run took {'< 1' if minutes < 1 else f'{minutes:.0f}'} min)"
        else:
            status = "quick mode only"
        lines.append(f"| {item.paper} | {_cell(item.item)}: {_cell(item.what)} | {link} | {status} |")
    return "\n".join(lines)


def claims_block(results: dict[str, dict]) -> str:
    if not results:
        return "_No full-mode results are committed yet._"
    lines = ["| notebook | claim | paper | ours | verdict |", "|---|---|---|---|---|"]
    for stem, record in results.items():
        for claim in record.get("claims", []):
            verdict = HOLDS[claim.get("holds")]
            if claim.get("note"):
                verdict += f" — {claim['note']}"
            lines.append(f"| `{stem}` | {_cell(claim['text'])} | {_cell(claim['paper'])} | {_cell(claim['ours'])} "
                         f"| {_cell(verdict)} |")
    return "\n".join(lines)


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def bench_block(bench_path: Path) -> str:
    if not bench_path.exists():
        return "_`make bench` has not been run for this commit (no `results/bench.json`)._"
    record = json.loads(bench_path.read_text())
    machine = record.get("machine", {})
    head = (f"Measured by `make bench` on {machine.get('cpu_count', '?')} CPU cores "
            f"({machine.get('platform', '?')}), torch {record.get('versions', {}).get('torch', '?')}.")
    lines = [head, "", "| benchmark | metric | value |", "|---|---|---|"]
    for name, numbers in sorted(record.get("benchmarks", {}).items()):
        for key, value in numbers.items():
            lines.append(f"| {name} | `{key}` | {_number(value)} |")
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
    results = load_results(results_dir)
    return {"notebooks": notebooks_block(results), "claims": claims_block(results),
            "bench": bench_block(results_dir / "bench.json"), "figures": figures_block(figures_dir)}


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
    parser = argparse.ArgumentParser(prog="python -m lib.report", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md's generated blocks are stale")
    parser.add_argument("--readme", default=str(REPO_ROOT / "README.md"))
    args = parser.parse_args(argv)
    readme = Path(args.readme)
    current = readme.read_text()
    fresh = update(current, render())
    if args.check:
        if fresh != current:
            print(f"{readme} is stale: run `python -m lib.report` (or `make readme`) and commit it", file=sys.stderr)
            return 1
        return 0
    if fresh != current:
        readme.write_text(fresh)
        print(f"updated {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
