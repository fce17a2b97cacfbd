"""The notebooks under papermill: injected parameters reach the results JSON; the runner reports failures."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from lib import reproduce

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


def _notebook(path: Path, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell('mode = "quick"  # str\nseed = 0  # int')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell(body)]
    nbformat.write(nb, path)


def test_runner_reports_each_notebook_and_goes_on_after_a_failure(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _notebook(folder / "01_fails.ipynb", "raise ValueError('deliberate failure')")
    _notebook(folder / "02_works.ipynb", "x = seed + 1")
    monkeypatch.setattr(reproduce, "NOTEBOOK_DIR", folder)
    monkeypatch.setattr(reproduce, "REPO_ROOT", tmp_path)
    status = reproduce.main([])
    out = capsys.readouterr().out
    assert status == 1
    assert "01_fails" in out and "failed  ValueError: deliberate failure" in out
    assert "02_works" in out and " ok" in out
    assert "1 ok, 1 failed" in out
    assert (tmp_path / "build" / "notebooks" / "02_works.ipynb").exists()


def test_runner_rejects_an_unknown_notebook_name():
    with pytest.raises(SystemExit, match="no notebook matches 'nope'"):
        reproduce.find_notebooks(["nope"])
