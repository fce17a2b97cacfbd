"""The notebooks under papermill: injected parameters reach the results JSON; ``lib.reproduce`` (the front of
``lib.batch``) reports failures, needs a fresh results JSON and skips complete full-mode runs by the batch rule."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from batch_helpers import results_cell

from lib import reproduce
from lib.batch.grid import BatchError

ROOT = Path(__file__).resolve().parent.parent


def test_papermill_runs_the_tour_with_injected_parameters(out_dir, tmp_path):
    pm.execute_notebook(str(ROOT / "notebooks" / "00_tour.ipynb"), str(tmp_path / "tour.ipynb"),
                        parameters={"seed": 3, "epochs": 2, "n_windows": 120}, kernel_name="python3",
                        cwd=str(ROOT / "notebooks"), progress_bar=False)
    results = json.loads((out_dir / "results" / "00_tour.json").read_text())
    assert results["seed"] == 3 and results["mode"] == "quick"
    assert results["params"]["epochs"] == 2 and results["params"]["n_windows"] == 120
    assert len(results["values"]["history"]) == 2
    assert (out_dir / "figures" / "p0_tour_training_curves.png").exists()


def test_a_bad_injected_parameter_fails_with_the_contract_error(out_dir, tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(ROOT / "notebooks" / "00_tour.ipynb"), str(tmp_path / "tour.ipynb"),
                            parameters={"mode": "fast"}, kernel_name="python3", cwd=str(ROOT / "notebooks"),
                            progress_bar=False)
    assert err.value.ename == "ParameterError" and "mode='fast' is unknown" in err.value.evalue


def _notebook(path: Path, *body: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell('mode = "quick"  # str\nseed = 0  # int')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, *(nbformat.v4.new_code_cell(text) for text in body)]
    nbformat.write(nb, path)


@pytest.fixture
def runner_dirs(tmp_path, out_dir, monkeypatch):
    """notebooks/ and the executed copies under ``tmp_path``; figures and results in ``out_dir``."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    monkeypatch.setattr(reproduce, "NOTEBOOK_DIR", folder)
    monkeypatch.setattr(reproduce, "REPO_ROOT", tmp_path)
    return folder, out_dir


def test_runner_reports_each_notebook_and_goes_on_after_a_failure(runner_dirs, tmp_path, capsys):
    folder, out_dir = runner_dirs
    _notebook(folder / "01_fails.ipynb", "raise ValueError('deliberate failure')")
    _notebook(folder / "02_works.ipynb", "import matplotlib.pyplot as plt\nplt.plot([0, 1])\nplt.show()",
              results_cell("02_works"))
    _notebook(folder / "03_no_results.ipynb", "x = seed + 1")
    status = reproduce.main([])
    out = capsys.readouterr().out
    assert status == 1
    assert "01_fails" in out and "failed  cell " in out and "ValueError: deliberate failure" in out
    assert "02_works" in out and " ok" in out
    assert "03_no_results" in out and "wrote no results JSON" in out  # finishing is not enough
    assert "1 ok, 2 failed" in out
    executed = nbformat.read(tmp_path / "build" / "notebooks" / "02_works.ipynb", as_version=4)
    assert any("image/png" in out.get("data", {}) for out in executed.cells[2].outputs)  # the figure is shown
    assert (out_dir / "results" / "02_works.json").exists()
    assert not list((tmp_path / "build" / "notebooks").glob(".*"))  # no work file left behind


def test_full_mode_skips_a_complete_run_by_the_batch_rule_and_reruns_another_seed(runner_dirs, capsys):
    folder, out_dir = runner_dirs
    _notebook(folder / "05_once.ipynb", results_cell("05_once"))
    assert reproduce.main(["--mode", "full", "05_once"]) == 0
    first = (out_dir / "results" / "05_once.json").stat().st_mtime_ns
    assert reproduce.main(["--mode", "full", "05_once"]) == 0
    assert "skipped  complete from an earlier run" in capsys.readouterr().out
    assert (out_dir / "results" / "05_once.json").stat().st_mtime_ns == first
    assert reproduce.main(["--mode", "full", "--seed", "4", "05_once"]) == 0  # the results say seed 0: not complete
    assert " ok" in capsys.readouterr().out
    assert json.loads((out_dir / "results" / "05_once.json").read_text())["seed"] == 4


def test_a_results_json_left_by_an_earlier_run_does_not_pass_for_this_one(runner_dirs, capsys):
    folder, _ = runner_dirs
    _notebook(folder / "06_stale.ipynb", results_cell("06_stale"))
    assert reproduce.main(["06_stale"]) == 0
    _notebook(folder / "06_stale.ipynb", "x = 1")  # now it forgets to write its results
    assert reproduce.main(["06_stale"]) == 1
    assert "did not rewrite its results JSON" in capsys.readouterr().out


def test_runner_rejects_an_unknown_notebook_name(capsys):
    with pytest.raises(BatchError, match="unknown notebook 'nope'"):
        reproduce.find_notebooks(["nope"])
    with pytest.raises(SystemExit) as stop:
        reproduce.main(["nope"])
    assert stop.value.code == 2 and "unknown notebook 'nope'" in capsys.readouterr().err
