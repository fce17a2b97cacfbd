"""One run of one notebook: papermill in a child process, for both runners of the companion.

:func:`execute_run` is the unit of work of ``python -m lib.batch`` (a local worker thread or a Dask
task, each run with its own ``$COMPANION_OUT_DIR``) and of ``python -m lib.reproduce`` (each notebook
once, into the mode's own figure and results folders). It starts ``python -m lib.batch.runner SPEC
REPORT`` with the run's environment (so parallel runs never share an output folder, whatever process
runs them); that child executes the notebook with papermill into a temporary notebook and renames it
onto its output only when papermill returns (:func:`lib.repro.atomic_write`), so an interrupted run
never leaves something that looks complete. The child's spec and report files are hidden files in the
run's own output folder (or beside the executed notebook), not in the system's temporary folder, so a
batch killed with SIGKILL leaves nothing outside ``--out`` (and the next run of the same spec
overwrites them). :func:`complete_record` is the one rule for "this run is complete from an earlier
one". The outcome is plain data and carries the results JSON, so aggregation does not depend on the
driver seeing the workers' files.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from lib.batch.grid import RunSpec
from lib.paths import REPO_ROOT
from lib.repro import atomic_write

_LIVE: set[subprocess.Popen] = set()  # children of this process, so an interrupt can end them
_LIVE_LOCK = threading.Lock()


# --------------------------------------------------------------------------- completeness

def code_cells(cells: list[dict]) -> list[str]:
    """The source of each code cell of a notebook's ``cells`` (raw JSON or nbformat), without papermill's
    injected-parameters cell: what a run executed, so that an executed copy and its source compare equal
    until the source's code changes (markdown edits do not count)."""
    sources = []
    for cell in cells:
        if cell.get("cell_type") != "code" or "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        sources.append("".join(source) if isinstance(source, list) else source)
    return sources


def _read_notebook(path: Path) -> dict | None:
    try:
        notebook = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return notebook if isinstance(notebook, dict) else None


def notebook_finished(executed: dict) -> bool:
    """True when papermill's metadata in an ``executed`` notebook says it ran to the end without an exception."""
    meta = executed.get("metadata", {}).get("papermill", {})
    return meta.get("exception") is not True and meta.get("end_time") is not None


def run_start(executed: dict) -> float | None:
    """When papermill started the run of an ``executed`` notebook (seconds since the epoch), or None."""
    stamp = executed.get("metadata", {}).get("papermill", {}).get("start_time")
    try:
        return datetime.fromisoformat(stamp).timestamp() if stamp else None
    except (TypeError, ValueError):
        return None


def params_match(record: dict, spec: RunSpec) -> bool:
    """Whether a results JSON was written by a run with ``spec``'s parameters.

    Compared: ``mode``, ``seed`` and the knobs/data_root/device under ``params`` (floats to 1e-5,
    because results JSONs keep 6 significant digits). A value of None (knob preset) or
    ``device="auto"`` matches whatever it resolved to; a parameter the JSON does not record is not
    compared.
    """
    stored = {**record.get("params", {}), "mode": record.get("mode"), "seed": record.get("seed")}
    for name, wanted in spec.params.items():
        if wanted is None or name not in stored or (name == "device" and wanted == "auto"):
            continue
        got = stored[name]
        if name == "data_root" and isinstance(wanted, str):
            wanted = str((Path(spec.cwd) / Path(wanted).expanduser()).resolve())
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (got, wanted))
        if numeric and math.isclose(got, wanted, rel_tol=1e-5, abs_tol=1e-12):
            continue
        if got != wanted:
            return False
    return True


def read_results(spec: RunSpec, written_after: float | None = None) -> tuple[dict | None, str]:
    """(the run's results record, "") or (None, why it is not usable).

    ``written_after``: a time (``time.time()`` seconds) the JSON must not be older than, so that the
    results of an earlier run never pass for this one's.
    """
    path = spec.results_path
    if not path.exists():
        return None, f"the notebook finished but wrote no results JSON at {path} (does it end with run.finish?)"
    if written_after is not None and path.stat().st_mtime < written_after:
        return None, f"results JSON {path} was written before this run started (by an earlier run)"
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        return None, f"results JSON {path} does not parse: {exc}"
    if not isinstance(record, dict):
        return None, f"results JSON {path} is not an object"
    if not params_match(record, spec):
        return None, f"results JSON {path} was written with other parameters than {spec.params}"
    return record, ""


def complete_record(spec: RunSpec) -> dict | None:
    """The results record of an earlier complete run of ``spec``, or None when it has to run (again).

    Complete = the executed notebook parses, papermill recorded its start and end and no exception, and its
    code cells are exactly the source notebook's (a markdown edit leaves a run complete; a code edit does
    not); and the results JSON was written after that run started, parses, and its parameters match. The one
    rule of both runners (``python -m lib.batch`` and ``python -m lib.reproduce``). Edits to ``lib`` are not
    seen: re-run with ``--force`` after changing code a notebook calls.
    """
    executed, source = _read_notebook(Path(spec.output)), _read_notebook(Path(spec.source))
    if executed is None or source is None or not notebook_finished(executed):
        return None
    started = run_start(executed)
    if started is None or code_cells(executed.get("cells", [])) != code_cells(source.get("cells", [])):
        return None
    record, _ = read_results(spec, written_after=started)
    return record


# --------------------------------------------------------------------------- one run

def file_identity(path: Path) -> tuple[int, int] | None:
    """(inode, modification time in ns) of ``path``, None when absent: a rewrite (atomic rename) changes it."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns

def outcome(spec: RunSpec, status: str, seconds: float = 0.0, error: dict | None = None,
            results: dict | None = None, **extra: Any) -> dict:
    """The plain-data report of one run: status "ok" | "failed" | "skipped"."""
    return {"notebook": spec.notebook, "slug": spec.slug, "params": spec.params, "source": spec.source,
            "output": spec.output, "status": status, "seconds": round(seconds, 2), "error": error,
            "results": results, **extra}


def run_environment(spec: RunSpec) -> dict[str, str]:
    """The child's environment: its own output folder (when the spec has one), no progress bars, the repo
    importable, and no ``MPLBACKEND`` (``make`` exports ``Agg`` for scripts and tests), so that the kernel keeps
    its inline backend and the executed notebook shows its figures."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    if spec.out_dir is not None:
        env["COMPANION_OUT_DIR"] = spec.out_dir
    env["TQDM_DISABLE"] = "1"
    env.setdefault("PYTHONHASHSEED", "0")
    env.setdefault("JUPYTER_PREFER_ENV_PATH", "1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    if spec.threads:
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            env.setdefault(var, str(spec.threads))
    return env


def execute_run(spec: RunSpec | dict, return_files: bool = False) -> dict:
    """Run one notebook with one parameter combination; never raises for a notebook error.

    ``return_files=True`` (Dask) also returns the executed notebook's text, so the driver can write
    it when it does not share the workers' filesystem.
    """
    spec = RunSpec.from_dict(spec) if isinstance(spec, dict) else spec
    started = time.perf_counter()
    earlier = file_identity(spec.results_path)  # an earlier run's JSON must not pass for this run's
    spec_path, report_path = spec.spec_path, spec.report_path
    spec_path.parent.mkdir(parents=True, exist_ok=True)
    Path(spec.output).parent.mkdir(parents=True, exist_ok=True)
    try:
        with contextlib.suppress(FileNotFoundError):
            report_path.unlink()  # a report left by a killed batch must not pass for this run's
        spec_path.write_text(json.dumps(spec.to_dict()))
        proc = subprocess.Popen([sys.executable, "-m", "lib.batch.runner", str(spec_path), str(report_path)],
                                env=run_environment(spec), cwd=spec.cwd, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        with _LIVE_LOCK:
            _LIVE.add(proc)
        log, _ = proc.communicate()  # an interrupt leaves proc in _LIVE, so terminate_children() ends it
        with _LIVE_LOCK:
            _LIVE.discard(proc)
        report = json.loads(report_path.read_text()) if report_path.exists() else None
    finally:
        for path in (spec_path, report_path):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    seconds = time.perf_counter() - started
    if report is None:
        tail = " | ".join((log or "").strip().splitlines()[-3:])
        return outcome(spec, "failed", seconds, {"ename": "ProcessError", "evalue":
                       f"the papermill process exited with status {proc.returncode} before reporting: {tail}"})
    if report["status"] != "ok":
        return outcome(spec, "failed", seconds, report["error"])
    record, why = read_results(spec)
    if record is not None and earlier is not None and file_identity(spec.results_path) == earlier:
        record, why = None, (f"the notebook finished but did not rewrite its results JSON at {spec.results_path} "
                             "(does it end with run.finish?)")
    if record is None:
        return outcome(spec, "failed", seconds, {"ename": "ResultsError", "evalue": why})
    extra = {"notebook_text": Path(spec.output).read_text()} if return_files else {}
    return outcome(spec, "ok", seconds, results=record, **extra)


def terminate_children(grace_s: float = 10.0) -> None:
    """End the papermill processes this process started (on an interrupt).

    SIGINT first, so papermill shuts its kernel down; SIGKILL for any still alive after ``grace_s``.
    Their notebooks keep the temporary name, so the runs count as not done.
    """
    with _LIVE_LOCK:
        live = list(_LIVE)
    for proc in live:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGINT)
    deadline = time.monotonic() + grace_s
    for proc in live:
        try:
            proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()


def describe_error(error: dict | None) -> str:
    """One line: the failing cell (index, execution count, first source line) and its exception."""
    if not error:
        return ""
    where = ""
    if error.get("cell_index") is not None:
        where = f"cell {error['cell_index']} (In [{error.get('exec_count')}]"
        where += f": {error['source_line']!r})" if error.get("source_line") else ")"
        where += ": "
    message = f"{error.get('ename', 'Error')}: {error.get('evalue', '')}".strip()
    return where + (message.splitlines()[0] if message else "")[:300]


# --------------------------------------------------------------------------- the child process

def papermill_options() -> dict:
    """Keyword arguments for ``papermill.execute_notebook`` shared by every papermill run of this repository.

    The kernel connection gets CurveZMQ keys from the kernel manager (``transport_encryption="auto"``:
    used when the kernelspec declares support, as the one ``ipykernel install`` writes in ``make setup``
    does), which is what ipykernel asks for in the ``Kernel is running over TCP without encryption``
    warning it otherwise prints once per notebook; nothing the kernel logs is hidden. Without CurveZMQ
    in pyzmq, or with a jupyter_client older than the option (8.10), nothing changes.
    """
    # imported where a notebook is executed: the batch driver itself never needs them
    import zmq
    from jupyter_client.manager import KernelManager
    from traitlets.config import Config

    if not zmq.has("curve") or not KernelManager.class_traits().get("transport_encryption"):
        return {}
    return {"config": Config({"KernelManager": {"transport_encryption": "auto"}})}


def _child(spec_path: str, report_path: str) -> int:
    """Execute the notebook into a temporary file, rename it onto the output, and write a report."""
    # imported in the child process only: papermill is heavy, and the parent never executes a notebook
    import papermill as pm

    spec = RunSpec.from_dict(json.loads(Path(spec_path).read_text()))
    partial = spec.partial_path
    partial.parent.mkdir(parents=True, exist_ok=True)
    try:
        pm.execute_notebook(spec.source, str(partial), parameters=spec.params, kernel_name=spec.kernel,
                            cwd=spec.cwd, progress_bar=False, log_output=False, **papermill_options())
        report: dict = {"status": "ok"}
    except pm.PapermillExecutionError as exc:
        lines = [line for line in (exc.source or "").splitlines() if line.strip()]
        report = {"status": "failed", "error": {
            "cell_index": exc.cell_index, "exec_count": exc.exec_count, "ename": exc.ename,
            "evalue": exc.evalue, "source_line": lines[0][:120] if lines else ""}}
    except Exception as exc:  # noqa: BLE001 - kernel missing, kernel died, ...: reported, never raised
        report = {"status": "failed", "error": {"ename": type(exc).__name__, "evalue": str(exc)}}
    if partial.exists():  # finished or failed, never half-run: the notebook takes its final name
        with atomic_write(spec.output, "w") as handle:
            handle.write(partial.read_text())
        partial.unlink()
    with atomic_write(report_path, "w") as handle:
        json.dump(report, handle)
    return 0


if __name__ == "__main__":
    sys.exit(_child(*sys.argv[1:3]))
