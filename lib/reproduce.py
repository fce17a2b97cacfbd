"""Run every notebook through papermill: ``python -m lib.reproduce --mode quick [NOTEBOOK ...]``.

Executed notebooks go to ``build/notebooks/`` (quick) or ``build/notebooks/full/`` (full); the
notebooks themselves write figures and results (``build/`` in quick mode, ``figures/`` and
``results/`` in full mode). One line per notebook (name, seconds, ok/failed), a summary at the end;
a failing notebook does not stop the others and makes the exit status non-zero. In full mode a
notebook whose executed copy and results JSON are complete and newer than its source is skipped,
so an interrupted ``make reproduce-full`` continues where it stopped (``--force`` re-runs all).
A failed notebook writes no results and moves no figure into the figure folder; the figures it
drew before failing are in ``<figure folder>/.unfinished/<notebook>/``, and its line says so.

Full mode also copies each complete executed notebook, outputs included and images shrunk, into the
committed ``book/`` folder (:func:`lib.book.export_executed`), which a repository browser renders and
``make book`` turns into HTML; a notebook skipped as complete is copied when ``book/`` lacks it or holds
an older copy. Not when ``$COMPANION_OUT_DIR`` redirects the outputs: that run is not the committed one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from lib.params import MODES, seed_problem, unfinished_dir
from lib.paths import REPO_ROOT, output_dirs

NOTEBOOK_DIR = REPO_ROOT / "notebooks"


@dataclass
class Outcome:
    notebook: str
    seconds: float
    status: str  # "ok" | "failed" | "skipped"
    error: str = ""


def find_notebooks(selection: list[str]) -> list[Path]:
    """All numbered notebooks, or those matching the given names/paths/globs (e.g. ``1*``, ``00_tour``)."""
    every = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not selection:
        return every
    chosen: list[Path] = []
    for item in selection:
        stem = Path(item).name.removesuffix(".ipynb")
        matches = [p for p in every if p.match(stem + ".ipynb") or p.stem.startswith(stem)]
        if not matches:
            raise SystemExit(f"no notebook matches {item!r}; available: {[p.stem for p in every]}")
        chosen += [p for p in matches if p not in chosen]
    return chosen


def papermill_options() -> dict:
    """Keyword arguments for ``papermill.execute_notebook`` shared by every papermill run of this repository.

    The kernel connection gets CurveZMQ keys from the kernel manager (``transport_encryption="auto"``:
    used when the kernelspec declares support, as the one ``ipykernel install`` writes in ``make setup``
    does), which is what ipykernel asks for in the ``Kernel is running over TCP without encryption``
    warning it otherwise prints once per notebook; nothing the kernel logs is hidden. Without CurveZMQ
    in pyzmq, or with a jupyter_client older than the option (8.10), nothing changes.
    """
    import zmq
    from jupyter_client.manager import KernelManager
    from traitlets.config import Config

    if not zmq.has("curve") or not KernelManager.class_traits().get("transport_encryption"):
        return {}
    return {"config": Config({"KernelManager": {"transport_encryption": "auto"}})}


def failure_summary(exc: BaseException) -> str:
    """The failing cell's exception name and message from a papermill error, in one line."""
    name = getattr(exc, "ename", type(exc).__name__)
    value = getattr(exc, "evalue", str(exc))
    return f"{name}: {value}".splitlines()[0][:300]


def is_complete(executed: Path, results: Path, source: Path) -> bool:
    """True when a previous run of ``source`` finished without error and wrote its results."""
    if not (executed.exists() and results.exists()):
        return False
    if min(executed.stat().st_mtime, results.stat().st_mtime) < source.stat().st_mtime:
        return False
    try:
        meta = json.loads(executed.read_text()).get("metadata", {}).get("papermill", {})
    except (OSError, json.JSONDecodeError):
        return False
    return meta.get("exception") is False or (meta.get("exception") is None and meta.get("end_time") is not None)


def unfinished_note(fig_dir: Path, notebook: str) -> str:
    """What a failed run left: no results and no published figure; where its partial figures are, if any."""
    staged = unfinished_dir(fig_dir, notebook)
    count = len(list(staged.glob("*.png"))) if staged.is_dir() else 0
    where = staged.relative_to(REPO_ROOT) if staged.is_relative_to(REPO_ROOT) else staged
    return (f" (this run wrote no results and no figures; the {count} figure(s) it drew before the error are "
            f"in {where}/)" if count else " (this run wrote no results and no figures)")


def run_notebook(source: Path, out_dir: Path, parameters: dict) -> Outcome:
    """Execute one notebook with papermill (kernel ``python3``, working directory ``notebooks/``)."""
    import papermill as pm

    started = time.perf_counter()
    try:
        pm.execute_notebook(str(source), str(out_dir / source.name), parameters=parameters, kernel_name="python3",
                            cwd=str(NOTEBOOK_DIR), progress_bar=False, log_output=False, **papermill_options())
    except Exception as exc:  # noqa: BLE001 - any notebook error is reported, the others go on
        return Outcome(source.stem, time.perf_counter() - started, "failed", failure_summary(exc))
    return Outcome(source.stem, time.perf_counter() - started, "ok")


def export_to_book(executed: Path) -> str:
    """Copy a complete full-mode run into ``book/`` when its copy there is missing or older; what happened."""
    from lib import book

    if os.environ.get("COMPANION_OUT_DIR"):
        return ""
    if not book.needs_export(executed, book.BOOK_DIR):
        return ""
    try:
        target = book.export_executed(executed, book.BOOK_DIR)
    except Exception as exc:  # noqa: BLE001 - reported on the notebook's line; the run itself succeeded
        return f"book/ copy NOT written: {exc}"
    return f"-> {target.relative_to(REPO_ROOT) if target.is_relative_to(REPO_ROOT) else target}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.reproduce", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="names or globs (default: every numbered notebook)")
    parser.add_argument("--mode", default="quick", choices=MODES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="full mode: re-run notebooks already complete")
    args = parser.parse_args(argv)
    if seed_problem(args.seed):
        parser.error(f"--seed: {seed_problem(args.seed)}")

    os.environ.setdefault("TQDM_DISABLE", "1")  # progress bars would only clutter executed notebooks
    notebooks = find_notebooks(args.notebooks)
    out_dir = REPO_ROOT / "build" / "notebooks" / ("full" if args.mode == "full" else "")
    out_dir.mkdir(parents=True, exist_ok=True)
    fig_dir, results_dir = output_dirs(args.mode)
    print(f"running {len(notebooks)} notebook(s) in {args.mode} mode -> {out_dir.relative_to(REPO_ROOT)}/",
          flush=True)
    outcomes = []
    book_failures: list[str] = []
    for i, source in enumerate(notebooks, 1):
        results = results_dir / f"{source.stem}.json"
        if args.mode == "full" and not args.force and is_complete(out_dir / source.name, results, source):
            outcome = Outcome(source.stem, 0.0, "skipped", "complete from an earlier run")
        else:
            outcome = run_notebook(source, out_dir, {"mode": args.mode, "seed": args.seed})
            if outcome.status == "failed":
                outcome.error += unfinished_note(fig_dir, source.stem)
        exported = ""
        if args.mode == "full" and outcome.status != "failed":
            exported = export_to_book(out_dir / source.name)
            if exported.startswith("book/ copy NOT"):
                book_failures.append(source.stem)
        outcomes.append(outcome)
        tail = "".join(f"  {text}" for text in (outcome.error, exported) if text)
        print(f"[{i:2d}/{len(notebooks)}] {outcome.notebook:<40s} {outcome.seconds:7.1f} s  {outcome.status}{tail}",
              flush=True)
    failed = [o for o in outcomes if o.status == "failed"]
    total = sum(o.seconds for o in outcomes)
    print(f"{len(outcomes) - len(failed)} ok, {len(failed)} failed, {total:.0f} s in all"
          + (f"; failed: {', '.join(o.notebook for o in failed)}" if failed else ""))
    if args.mode == "full" and not os.environ.get("COMPANION_OUT_DIR"):
        from lib import book

        warning = book.size_warning(book.BOOK_DIR)
        print(f"book/: {book.folder_bytes(book.BOOK_DIR) / 1e6:.1f} MB of executed notebooks"
              + (f"; not copied there: {', '.join(book_failures)}" if book_failures else "")
              + (f"; {warning}" if warning else ""))
        if book_failures or warning:
            return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
