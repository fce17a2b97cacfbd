"""lib.batch resumability: which earlier runs count as complete (no notebook is executed here)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from batch_helpers import tiny_notebook
from lib.batch.grid import build_runs
from lib.batch.runner import complete_record, describe_error, params_match


@pytest.fixture
def spec(tmp_path):
    tiny = tiny_notebook(tmp_path / "nb" / "tiny.ipynb")
    return build_runs([tiny], {"seed": ["3"], "scale": ["0.5"]}, {}, {}, tmp_path / "out")["tiny"][0]


STARTED = "2026-01-01T00:00:00+00:00"  # papermill's start of the run; the results below are written after it


def _executed(spec, exception=None, end_time="2026-01-01T00:10:00+00:00") -> str:
    """The text of ``spec``'s executed notebook as papermill writes it: the source's cells plus the injected
    parameters, and the run's start, end and exception."""
    source = json.loads(Path(spec.source).read_text())
    injected = {"cell_type": "code", "metadata": {"tags": ["injected-parameters"]}, "source": "seed = 3\n",
                "outputs": [], "execution_count": None}
    cells = source["cells"][:2] + [injected] + source["cells"][2:]
    return json.dumps({"metadata": {"papermill": {"exception": exception, "start_time": STARTED,
                                                  "end_time": end_time}}, "cells": cells})


def _finish(spec, exception=None, end_time="2026-01-01T00:10:00+00:00", params=None, seed=3):
    """Fake a finished run of ``spec``: its executed copy and its results JSON."""
    Path(spec.output).parent.mkdir(parents=True, exist_ok=True)
    Path(spec.output).write_text(_executed(spec, exception, end_time))
    spec.results_path.parent.mkdir(parents=True, exist_ok=True)
    spec.results_path.write_text(json.dumps({"mode": "quick", "seed": seed, "params": params or {"scale": 0.5},
                                             "values": {"score": 2.0}, "claims": []}))


def _edit_source(spec, cell_type: str) -> None:
    """Append a line to the source notebook's first cell of ``cell_type`` (after the run)."""
    source = json.loads(Path(spec.source).read_text())
    cell = next(c for c in source["cells"] if c["cell_type"] == cell_type)
    cell["source"] = "".join(cell["source"]) + "\n# edited after the run"
    Path(spec.source).write_text(json.dumps(source))


def test_a_finished_run_with_matching_results_is_complete(spec):
    _finish(spec)
    assert complete_record(spec)["values"] == {"score": 2.0}


def test_a_markdown_edit_keeps_a_run_complete_and_a_code_edit_does_not(spec):
    _finish(spec)
    _edit_source(spec, "markdown")
    assert complete_record(spec) is not None  # the run still ran exactly this code
    _edit_source(spec, "code")
    assert complete_record(spec) is None


@pytest.mark.parametrize("damage", ["exception", "no_end_time", "no_start_time", "other_seed", "other_param",
                                    "corrupt_json", "no_results", "no_notebook", "results_of_an_earlier_run",
                                    "half_written_notebook"])
def test_a_failed_interrupted_stale_or_foreign_run_is_not_complete(spec, damage):
    _finish(spec, exception=True if damage == "exception" else None,
            end_time=None if damage == "no_end_time" else "2026-01-01T00:10:00+00:00",
            seed=4 if damage == "other_seed" else 3, params={"scale": 0.25} if damage == "other_param" else None)
    if damage == "no_start_time":
        executed = json.loads(Path(spec.output).read_text())
        del executed["metadata"]["papermill"]["start_time"]
        Path(spec.output).write_text(json.dumps(executed))
    if damage == "corrupt_json":
        spec.results_path.write_text('{"mode": "qu')
    if damage == "no_results":
        spec.results_path.unlink()
    if damage == "no_notebook":
        Path(spec.output).unlink()
    if damage == "results_of_an_earlier_run":
        os.utime(spec.results_path, (0, 0))  # written before the run started
    if damage == "half_written_notebook":
        Path(spec.output).write_text('{"metadata": {"papermill"')
    assert complete_record(spec) is None


def test_params_match_tolerates_rounding_presets_and_auto_device(spec):
    spec.params = {"seed": 3, "epochs": None, "device": "auto", "lr": 0.00123456789, "data_root": "data"}
    record = {"mode": "quick", "seed": 3, "params": {"epochs": 8, "device": "cpu", "lr": 0.00123457,
                                                      "data_root": str(Path(spec.cwd) / "data")}}
    assert params_match(record, spec)
    record["params"]["lr"] = 0.0013
    assert not params_match(record, spec)


def test_a_failure_is_described_by_its_cell_and_exception():
    text = describe_error({"cell_index": 4, "exec_count": 3, "source_line": "run = setup(...)",
                           "ename": "ParameterError", "evalue": "parameter epochs=0 is too small\nmore"})
    assert text == "cell 4 (In [3]: 'run = setup(...)'): ParameterError: parameter epochs=0 is too small"


def test_a_dask_result_is_written_back_where_the_driver_does_not_see_the_workers_files(spec):
    from lib.batch.pool import _write_back
    from lib.batch.runner import outcome

    notebook = _executed(spec)
    record = {"mode": "quick", "seed": 3, "params": {"scale": 0.5}, "values": {"score": 2.0}, "claims": []}
    result = outcome(spec, "ok", results=record, notebook_text=notebook)
    _write_back(result)
    assert "notebook_text" not in result and Path(spec.output).read_text() == notebook
    assert complete_record(spec) == record  # a later batch on the driver resumes from them


def test_the_child_gets_its_spec_in_the_runs_folder_and_nothing_is_left(spec, monkeypatch, tmp_path):
    """The spec and report files live in the run's own folder (a batch killed with SIGKILL leaves nothing in
    the system's temporary folder) and are removed when the run returns."""
    import lib.batch.runner as runner

    seen = []

    class Child:  # stands in for the papermill child process: reads the spec, reports a failure
        returncode = 0

        def __init__(self, argv, **kwargs):
            spec_path, report_path = Path(argv[-2]), Path(argv[-1])
            seen.append((spec_path, report_path, json.loads(spec_path.read_text())["slug"]))
            report_path.write_text(json.dumps({"status": "failed", "error": {"ename": "X", "evalue": "y"}}))

        def communicate(self):
            return "", None

    monkeypatch.setattr(runner.subprocess, "Popen", Child)
    result = runner.execute_run(spec)
    assert result["status"] == "failed" and result["error"]["ename"] == "X"
    [(spec_path, report_path, slug)] = seen
    assert spec_path.parent == report_path.parent == Path(spec.out_dir) and slug == spec.slug
    assert not spec_path.exists() and not report_path.exists()
