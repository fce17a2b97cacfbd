"""Redraw committed figures from their results JSON, without training: ``python -m lib.figures [NOTEBOOK ...]``.

Each paper package's ``figures.py`` draws from results dictionaries only, and lists what it can redraw in
a module-level ``REDRAW``: notebook stem -> a function that takes that notebook's results record (the
parsed ``results/<notebook>.json``: ``values``, ``params``, ``seed``, ``data``, ...) and returns
``{figure name: matplotlib Figure}`` (or ``{name: (Figure, synthetic)}`` where the figure's data stamp is
not the default one). The notebook calls the same functions on the same dictionary it passes to
``run.finish``, so a style change (sizes, legends) reaches every committed figure in seconds:

    python -m lib.figures 22_primus_few_shot          # -> build/figures/redrawn/
    python -m lib.figures --in-place                   # every notebook, over figures/ (after a style change)

A figure is stamped "synthetic data" when its run had no ``data_root`` (as :meth:`lib.params.Run.savefig`
does).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt

from lib.paths import REPO_ROOT, output_dirs
from lib.plots import savefig, use_style

#: The modules whose ``REDRAW`` tables are collected (one per paper package, plus the tour).
FIGURE_MODULES = ("lib.tour", "lib.footsteps.figures", "lib.primus.figures", "lib.survey.figures",
                  "lib.virtual_har.figures")
REDRAWN_DIR = REPO_ROOT / "build" / "figures" / "redrawn"

Redrawer = Callable[[dict], dict]


class MissingNumbersWarning(UserWarning):
    """A results record lacks the numbers of some figures (it was written before they were kept): re-run the
    notebook in full mode to keep them."""


class AbsentDataWarning(UserWarning):
    """Figures not redrawn because they need files outside the repository (``../shared/data``) that this
    machine does not have; ``names``: those figures."""

    def __init__(self, message: str, names=()) -> None:
        super().__init__(message)
        self.names = tuple(names)


@functools.cache
def redrawers() -> dict[str, Redrawer]:
    """notebook stem -> its redraw function, collected from :data:`FIGURE_MODULES` (a module may have none yet)."""
    table: dict[str, Redrawer] = {}
    for name in FIGURE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        for notebook, function in getattr(module, "REDRAW", {}).items():
            if notebook in table:
                raise RuntimeError(f"two figure modules redraw {notebook}: {table[notebook].__module__} and {name}")
            table[notebook] = function
    return table


def load_record(notebook: str, results_dir: Path | None = None) -> dict:
    """The parsed ``<results_dir>/<notebook>.json`` (default: the committed ``results/``), with a clear error."""
    path = Path(results_dir or output_dirs("full")[1]) / f"{notebook}.json"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no results for {notebook}; run the notebook first "
                                f"(python -m lib.reproduce --mode full {notebook})")
    try:
        return json.loads(path.read_text())
    except ValueError as exc:
        raise ValueError(f"{path} is not valid JSON ({exc}); re-run {notebook} to rewrite it") from exc


def redraw(notebook: str, *, results_dir: Path | None = None, out_dir: Path = REDRAWN_DIR) -> list[str]:
    """Redraw ``notebook``'s figures from its results JSON into ``out_dir`` (PNG + PDF); the names drawn."""
    table = redrawers()
    if notebook not in table:
        raise KeyError(f"no figure module redraws {notebook!r}; redrawable: {sorted(table)}")
    record = load_record(notebook, results_dir)
    use_style()
    stamp_default = record.get("params", {}).get("data_root") is None
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = []
    for name, drawn in table[notebook](record).items():
        fig, synthetic = drawn if isinstance(drawn, tuple) else (drawn, stamp_default)
        savefig(name, fig, synthetic=synthetic, out_dir=out_dir)
        plt.close(fig)
        names.append(name)
    return names


def main(argv: list[str] | None = None) -> int:
    """Redraw the chosen notebooks' figures into ``--out`` (or figures/ with ``--in-place``); return 0."""
    parser = argparse.ArgumentParser(prog="python -m lib.figures", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook stems (default: every one with a redraw function)")
    parser.add_argument("--results", type=Path, default=None, help="results folder (default: results/)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, default=REDRAWN_DIR, help=f"figure folder (default: {REDRAWN_DIR})")
    where.add_argument("--in-place", action="store_true", help="overwrite the committed figures/ folder")
    args = parser.parse_args(argv)
    plt.switch_backend("Agg")  # the command writes files: no window opens, whatever the machine's default backend
    table = redrawers()
    chosen = args.notebooks or sorted(table)
    unknown = [nb for nb in chosen if nb not in table]
    if unknown:
        parser.error(f"no figure module redraws {unknown}; redrawable: {sorted(table)}")
    out_dir = output_dirs("full")[0] if args.in_place else args.out
    for notebook in chosen:
        names = redraw(notebook, results_dir=args.results, out_dir=out_dir)
        print(f"{notebook:<32s} {len(names):2d} figure(s) -> {out_dir}: {', '.join(names)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
