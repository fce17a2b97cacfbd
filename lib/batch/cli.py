"""``python -m lib.batch NOTEBOOK... -p NAME VALUE [VALUE ...] [--grid FILE] [--workers N] [--scheduler ADDRESS]``.

Exit status: 0 every run finished; 1 some run failed (each reported with its notebook and failing
cell; the others went on); 2 bad input (notebook, parameter, value, grid file, scheduler) — one
message naming it; 130 interrupted (re-run the same command to resume).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from lib.batch.aggregate import display_frame, summarise, write_summary
from lib.batch.grid import (BatchError, RunSpec, build_runs, group_params, load_grid_file, resolve_notebooks)
from lib.batch.pool import connect, run_dask, run_local
from lib.batch.runner import complete_record, describe_error, outcome
from lib.paths import REPO_ROOT


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parser() -> argparse.ArgumentParser:
    """The ``python -m lib.batch`` argument parser: notebooks, ``-p`` values, grid file, workers, scheduler, output."""
    p = argparse.ArgumentParser(
        prog="python -m lib.batch",
        usage="%(prog)s NOTEBOOK... [-p NAME VALUE [VALUE ...]]... [--grid FILE] [--workers N] "
              "[--scheduler ADDRESS] [--out DIR] [--force]",
        description="Run notebooks over a parameter grid with papermill and aggregate their results and claims.",
        epilog="example: python -m lib.batch notebooks/00_tour.ipynb -p seed 0 1 2 -p epochs 2 4 --workers 2")
    p.add_argument("notebooks", nargs="*", help="notebook paths, or names/prefixes in notebooks/ (e.g. 00_tour, 12)")
    p.add_argument("-p", "--param", dest="params", nargs="+", action="append", default=[],
                   metavar=("NAME", "VALUE"), help="a parameter and its values (repeatable)")
    p.add_argument("--grid", help="YAML file: name -> list of values, optionally per notebook under 'notebooks:'")
    p.add_argument("--workers", type=int, default=None, help="parallel local runs (default: one per core; "
                   "each run's kernel gets cores/N BLAS threads); ignored with --scheduler")
    p.add_argument("--scheduler", help="address of a Dask scheduler (e.g. tcp://10.0.0.5:8786): run there instead")
    p.add_argument("--connect-timeout", type=float, default=10.0, help="seconds to reach the scheduler (default 10)")
    p.add_argument("--out", default=str(REPO_ROOT / "build" / "batch"), help="output folder (default build/batch)")
    p.add_argument("--force", action="store_true", help="re-run runs that are complete from an earlier batch")
    return p


def plan_from_args(args: argparse.Namespace) -> dict[str, list[RunSpec]]:
    """Notebook stem -> runs, after every check; :class:`BatchError` on bad input."""
    cli_values: dict[str, list[str]] = {}
    for entry in args.params:
        if len(entry) < 2:
            raise BatchError(f"-p {entry[0]} needs at least one value: -p NAME VALUE [VALUE ...]")
        if entry[0] in cli_values:
            raise BatchError(f"-p {entry[0]} is given twice; give all its values after one -p {entry[0]}")
        cli_values[entry[0]] = entry[1:]
    common, sections = load_grid_file(args.grid) if args.grid else ({}, {})
    grid_dir = (Path(args.grid).resolve().parent,) if args.grid else ()
    by_path = {}
    for name, section in sections.items():
        for path in resolve_notebooks([name], grid_dir):
            by_path[path] = section
    given = resolve_notebooks(args.notebooks)
    notebooks = given + [path for path in by_path if path not in given]
    if not notebooks:
        raise BatchError("no notebook given: name one or more before the -p options (a -p takes every word "
                         "after it as a value), e.g. notebooks/00_tour.ipynb -p seed 0 1, or list them under "
                         "'notebooks:' in the --grid file")
    if args.workers is not None and args.workers < 1:
        raise BatchError(f"--workers {args.workers}: give a positive number of parallel runs")
    workers = args.workers or default_workers()
    threads = 1 if args.scheduler else max(1, default_workers() // workers)
    return build_runs(notebooks, cli_values, common, by_path, Path(args.out).resolve(), threads=threads)


def main(argv: list[str] | None = None) -> int:
    """Run the batch ``argv`` describes; exit status 0 all ok, 1 a run failed, 2 bad input, 130 interrupted."""
    args = parser().parse_args(argv)
    try:
        plan = plan_from_args(args)
        client = connect(args.scheduler, args.connect_timeout) if args.scheduler else None
    except BatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    try:
        return _run(plan, args, client)
    except KeyboardInterrupt:
        print("\ninterrupted: finished runs are kept; run the same command again to resume the others",
              file=sys.stderr)
        return 130
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
        if client is not None:
            client.close()


def _interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


def _run(plan: dict[str, list[RunSpec]], args: argparse.Namespace, client) -> int:
    started = time.perf_counter()
    outcomes, pending = _complete_from_earlier(plan, force=args.force)
    if pending:
        where = f"Dask scheduler {args.scheduler}" if client is not None else \
            f"{min(args.workers or default_workers(), len(pending))} local worker process(es)"
        print(f"running {len(pending)} of {len(outcomes) + len(pending)} run(s) on {where}", flush=True)
        _execute(pending, outcomes, args, client)
    else:
        print("nothing to run: every run is complete from an earlier batch (--force runs them again)", flush=True)
    failed = _aggregate(plan, outcomes)
    ran = sum(o["status"] != "skipped" for o in outcomes.values())
    print(f"\n{len(outcomes)} run(s): {ran} ran, {len(outcomes) - ran} skipped (complete), {len(failed)} failed; "
          f"{time.perf_counter() - started:.0f} s")
    for result in failed:
        print(f"  failed: {result['output']}  {describe_error(result['error'])}")
    return 1 if failed else 0


def _complete_from_earlier(plan: dict[str, list[RunSpec]], force: bool) -> tuple[dict, list[RunSpec]]:
    """(outcomes of the runs complete from an earlier batch, the runs still to do); one line per notebook."""
    outcomes: dict[tuple[str, str], dict] = {}
    pending: list[RunSpec] = []
    for notebook, runs in plan.items():
        done = 0
        for spec in runs:
            record = None if force else complete_record(spec)
            if record is not None:
                outcomes[spec.notebook, spec.slug] = outcome(spec, "skipped", results=record)
                done += 1
            else:
                pending.append(spec)
        print(f"{notebook}: {len(runs)} run(s) over {_grid_text(runs)}"
              + (f"; {done} complete from an earlier batch" if done else "")
              + f" -> {Path(runs[0].output).parent}", flush=True)
    return outcomes, pending


def _execute(pending: list[RunSpec], outcomes: dict, args: argparse.Namespace, client) -> None:
    """Run ``pending`` locally or on Dask with a progress bar; report each failure as it comes."""
    from tqdm.auto import tqdm

    bar = tqdm(total=len(pending), unit="run", desc="batch", dynamic_ncols=True)

    def on_done(result: dict) -> None:
        outcomes[result["notebook"], result["slug"]] = result
        if result["status"] == "failed":
            tqdm.write(f"FAILED {result['notebook']} {result['slug']}: {describe_error(result['error'])}\n"
                       f"       source {result['source']} -> executed notebook {result['output']}")
        bar.update(1)
        bar.set_postfix(failed=sum(o["status"] == "failed" for o in outcomes.values()))

    try:
        if client is not None:
            run_dask(pending, client, on_done)
        else:
            run_local(pending, args.workers or default_workers(), on_done)
    finally:
        bar.close()


def _aggregate(plan: dict[str, list[RunSpec]], outcomes: dict) -> list[dict]:
    """Write and print each notebook's table (runs in grid order, so every engine gives the same one)."""
    failed = []
    for notebook, runs in plan.items():
        results = [outcomes[spec.notebook, spec.slug] for spec in runs]
        group_by = group_params(runs)
        finished = [(r["params"], r["results"]) for r in results if r["status"] in ("ok", "skipped")]
        rows = summarise(finished, group_by)
        grid = {name: list(dict.fromkeys(_key(spec.params[name]) for spec in runs)) for name in runs[0].params}
        csv_path, _ = write_summary(Path(runs[0].output).parent, notebook, rows, group_by, grid, results)
        bad = [r for r in results if r["status"] == "failed"]
        failed += bad
        print(f"\n== {notebook}: {len(finished)} of {len(runs)} run(s) finished"
              + (f", {len(bad)} failed" if bad else "") + f" -> {csv_path} (+ .json)")
        if rows:
            print(display_frame(rows, group_by).to_string())
    return failed


def _key(value):
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def _grid_text(runs: list[RunSpec]) -> str:
    if not runs or not runs[0].params:
        return "the notebook's defaults"
    values = {name: list(dict.fromkeys(repr(spec.params[name]) for spec in runs)) for name in runs[0].params}
    return " × ".join(f"{name} [{', '.join(v)}]" for name, v in values.items())
