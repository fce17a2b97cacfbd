"""Run every notebook through papermill: ``python -m lib.reproduce --mode quick [NOTEBOOK ...]``.

The thin front of :mod:`lib.batch` for the one run per notebook that the README's commands make: the same
notebook finder (:func:`lib.batch.grid.resolve_notebooks`), the same child-process execution
(:func:`lib.batch.runner.execute_run`) and the same completeness rule (:func:`lib.batch.runner.complete_record`),
with the mode's own output folders instead of a batch folder per run.

Executed notebooks go to ``build/notebooks/`` (quick) or ``build/notebooks/full/`` (full); the
notebooks themselves write figures and results (``build/`` in quick mode, ``figures/`` and
``results/`` in full mode). One line per notebook (name, seconds, ok/failed), a summary at the end;
a failing notebook does not stop the others and makes the exit status non-zero. A run is ok when
papermill finished and the notebook rewrote its results JSON. In full mode a notebook whose earlier run
is complete (the executed copy ran the source's current code cells without an exception and wrote its
results JSON, with the same mode and seed) is skipped, so an interrupted ``make reproduce-full``
continues where it stopped (``--force`` re-runs all).
A failed notebook writes no results and moves no figure into the figure folder; the figures it
drew before failing are in ``<figure folder>/.unfinished/<notebook>/``, and its line says so.

Full mode also copies each complete executed notebook, outputs included and images shrunk, into the
committed ``book/`` folder (:func:`lib.book.export_executed`), which a repository browser renders and
``make book`` turns into HTML; a notebook skipped as complete is copied when ``book/`` lacks it or holds
an older copy. Not when ``$COMPANION_OUT_DIR`` redirects the outputs: that run is not the committed one.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from lib import book
from lib.batch.grid import BatchError, RunSpec, numbered_notebooks, resolve_notebooks
from lib.batch.runner import complete_record, describe_error, execute_run, outcome, terminate_children
from lib.params import MODES, seed_problem, unfinished_dir
from lib.paths import REPO_ROOT, output_dirs

NOTEBOOK_DIR = REPO_ROOT / "notebooks"


def find_notebooks(selection: list[str]) -> list[Path]:
    """All numbered notebooks, or those matching the given names/paths/globs (e.g. ``1*``, ``00_tour``);
    :class:`lib.batch.grid.BatchError` naming an item that matches none."""
    return resolve_notebooks(selection, folder=NOTEBOOK_DIR) if selection else numbered_notebooks(NOTEBOOK_DIR)


def executed_dir(mode: str) -> Path:
    """Where the executed notebooks go: ``build/notebooks/`` (quick) or ``build/notebooks/full/`` (full)."""
    return REPO_ROOT / "build" / "notebooks" / ("full" if mode == "full" else "")


def run_spec(source: Path, mode: str, seed: int) -> RunSpec:
    """The one run of ``source`` that ``make reproduce`` makes: the mode's own output folders (no ``out_dir``)."""
    return RunSpec(notebook=source.stem, source=str(source), params={"mode": mode, "seed": seed}, slug=source.stem,
                   output=str(executed_dir(mode) / source.name), out_dir=None, cwd=str(source.parent))


def writes_committed_outputs() -> bool:
    """Whether a full-mode run here writes the committed ``figures/`` and ``results/`` (no ``$COMPANION_OUT_DIR``)."""
    return not os.environ.get("COMPANION_OUT_DIR")


def unfinished_note(fig_dir: Path, notebook: str) -> str:
    """What a failed run left: no results and no published figure; where its partial figures are, if any."""
    staged = unfinished_dir(fig_dir, notebook)
    count = len(list(staged.glob("*.png"))) if staged.is_dir() else 0
    where = staged.relative_to(REPO_ROOT) if staged.is_relative_to(REPO_ROOT) else staged
    return (f" (this run wrote no results and no figures; the {count} figure(s) it drew before the error are "
            f"in {where}/)" if count else " (this run wrote no results and no figures)")


def export_to_book(executed: Path) -> str:
    """Copy a complete full-mode run into ``book/`` when its copy there is missing or older; what happened."""
    if not writes_committed_outputs() or not book.needs_export(executed, book.BOOK_DIR):
        return ""
    try:
        target = book.export_executed(executed, book.BOOK_DIR)
    except Exception as exc:  # noqa: BLE001 - reported on the notebook's line; the run itself succeeded
        return f"book/ copy NOT written: {exc}"
    return f"-> {target.relative_to(REPO_ROOT) if target.is_relative_to(REPO_ROOT) else target}"


def run_one(spec: RunSpec, force: bool) -> dict:
    """Run ``spec`` (or, in full mode without ``force``, skip it when an earlier run is complete); its outcome."""
    if spec.params["mode"] == "full" and not force and complete_record(spec) is not None:
        return outcome(spec, "skipped", note="complete from an earlier run")
    return execute_run(spec)


def main(argv: list[str] | None = None) -> int:
    """Run each chosen notebook in ``--mode``; return 1 if one failed or (full mode) book/ is incomplete or too big."""
    parser = argparse.ArgumentParser(prog="python -m lib.reproduce", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="names or globs (default: every numbered notebook)")
    parser.add_argument("--mode", default="quick", choices=MODES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="full mode: re-run notebooks already complete")
    args = parser.parse_args(argv)
    if seed_problem(args.seed):
        parser.error(f"--seed: {seed_problem(args.seed)}")
    try:
        notebooks = find_notebooks(args.notebooks)
    except BatchError as exc:
        parser.error(str(exc))

    out_dir = executed_dir(args.mode)
    fig_dir = output_dirs(args.mode)[0]
    print(f"running {len(notebooks)} notebook(s) in {args.mode} mode -> {_rel(out_dir)}/", flush=True)
    total, failed, book_failures = 0.0, [], []
    signal.signal(signal.SIGTERM, _interrupt)
    for i, source in enumerate(notebooks, 1):
        try:
            result = run_one(run_spec(source, args.mode, args.seed), args.force)
        except KeyboardInterrupt:
            terminate_children()  # the papermill child and its kernel end too; nothing half-run looks complete
            print(f"interrupted during {source.stem}: run the same command again to resume", file=sys.stderr)
            return 130
        note = result.get("note") or describe_error(result["error"])
        if result["status"] == "failed":
            failed.append(source.stem)
            note += unfinished_note(fig_dir, source.stem)
        exported = export_to_book(Path(result["output"])) if args.mode == "full" and result["status"] != "failed" \
            else ""
        if exported.startswith("book/ copy NOT"):
            book_failures.append(source.stem)
        total += result["seconds"]
        tail = "".join(f"  {text}" for text in (note, exported) if text)
        print(f"[{i:2d}/{len(notebooks)}] {source.stem:<40s} {result['seconds']:7.1f} s  {result['status']}{tail}",
              flush=True)
    print(f"{len(notebooks) - len(failed)} ok, {len(failed)} failed, {total:.0f} s in all"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    if args.mode == "full" and writes_committed_outputs():
        warning = book.size_warning(book.BOOK_DIR)
        print(f"book/: {book.folder_bytes(book.BOOK_DIR) / 1e6:.1f} MB of executed notebooks"
              + (f"; not copied there: {', '.join(book_failures)}" if book_failures else "")
              + (f"; {warning}" if warning else ""))
        if book_failures or warning:
            return 1
    return 1 if failed else 0


def _interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)


if __name__ == "__main__":
    sys.exit(main())
