"""Where the runs execute: local worker processes, or tasks on a Dask distributed cluster.

Locally, ``workers`` threads each drive one papermill child process at a time (the children are
the worker processes; the threads only wait on them). With ``--scheduler ADDRESS`` every run is one
task, :func:`lib.batch.runner.execute_run`, submitted with ``distributed.Client(ADDRESS)``; the task
starts the same child process in its worker, so environment variables stay per task.

Assumption for Dask: the workers import this repository's ``lib`` (same checkout, ``pip install -e .``)
and see the same paths (a shared filesystem), so executed notebooks, figures and results land in the
same ``build/batch/`` folders as locally. The task also returns the results JSON and the executed
notebook, and the driver writes them where they are missing, so the tables and notebooks come back
even when the filesystem is not shared (figures then stay on the workers).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Callable, Iterable

from lib.batch.grid import BatchError, RunSpec
from lib.batch.runner import execute_run, outcome, terminate_children
from lib.repro import atomic_write

OnDone = Callable[[dict], None]


def run_local(specs: Iterable[RunSpec], workers: int, on_done: OnDone) -> None:
    """Execute ``specs`` with at most ``workers`` at a time; ``on_done(outcome)`` as each finishes."""
    specs = list(specs)
    if not specs:
        return
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="lib-batch")
    try:
        futures = {pool.submit(execute_run, spec): spec for spec in specs}
        for future in as_completed(futures):
            on_done(_result(future, futures[future]))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        terminate_children()
        raise
    pool.shutdown(wait=True)


def connect(address: str, timeout: float):
    """A ``distributed.Client`` on ``address``, or :class:`BatchError` naming it when it cannot be reached."""
    from distributed import Client
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except ValueError as exc:
        raise BatchError(f"--scheduler {address!r} is not a scheduler address ({exc}); give one like "
                         "tcp://HOST:8786 (the address `dask scheduler` prints)") from None
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:  # noqa: BLE001 - refused, timed out, bad address: all the same to the user
        raise BatchError(f"cannot reach the Dask scheduler at {address!r} within {timeout:g} s "
                         f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no detail'}). "
                         "Start one (`dask scheduler`, then `dask worker ADDRESS` on each machine), check the "
                         "address, or leave out --scheduler to run in local processes") from None


def run_dask(specs: Iterable[RunSpec], client, on_done: OnDone) -> None:
    """Submit each spec as one task to ``client``'s cluster; ``on_done(outcome)`` as each finishes."""
    from distributed import as_completed as dask_completed

    specs = list(specs)
    if not specs:
        return
    futures = {client.submit(execute_run, spec.to_dict(), True, pure=False): spec for spec in specs}
    try:
        for future in dask_completed(list(futures), loop=client.loop):
            result = _result(future, futures[future])
            _write_back(result)
            on_done(result)
    except BaseException:
        client.cancel(list(futures))
        raise


def _result(future, spec: RunSpec) -> dict:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a lost worker or a broken task is one failed run
        return outcome(spec, "failed", error={"ename": type(exc).__name__,
                                              "evalue": f"the task itself failed: {exc}"})


def _write_back(result: dict) -> None:
    """Write a Dask task's notebook and results JSON on the driver where they are missing (no shared FS)."""
    text = result.pop("notebook_text", None)
    if result["status"] != "ok":
        return
    output = Path(result["output"])
    if text is not None and not output.exists():
        with atomic_write(output, "w") as handle:
            handle.write(text)
    results_path = output.with_suffix("") / "results" / f"{result['notebook']}.json"
    if result.get("results") is not None and not results_path.exists():
        import json

        with atomic_write(results_path, "w") as handle:
            handle.write(json.dumps(result["results"], indent=1, sort_keys=True) + "\n")
