"""Every bad notebook parameter ends in one ParameterError that names the parameter.

A corpus of bad inputs for the parameter family — unknown and misspelt names injected by papermill,
seeds out of range or of the wrong type, bad mode / data_root / device, knobs of the wrong type or out
of range — each checked for the error type and for the parameter's name in its message; the same
names and seeds through lib.batch and lib.reproduce; and two real papermill runs that fail in the
notebook's setup cell (about 5 s each).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from lib import reproduce
from lib.batch.runner import papermill_options
from lib.batch.grid import BatchError, build_runs
from lib.params import Knob, ParameterError, check_injected_parameters, setup

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TOUR_CELL = ('mode = "quick"  # str\nseed = 0  # int\ndata_root = None  # str | None\ndevice = "auto"  # str\n'
             'epochs = None  # int | None: ≥ 1\nn_windows = None  # int | None: ≥ 20')
SETUP_CELL = 'run = setup("00_tour", mode=mode, seed=seed)'


def _kernel_history(injected: str) -> list[str]:
    """What ``In`` holds when papermill has run the parameters cell, its injected cell and the setup cell."""
    return ["", TOUR_CELL, injected, SETUP_CELL]


# --------------------------------------------------------------------------- names papermill injects

@pytest.mark.parametrize("injected, named, hint", [
    ("# Parameters\nepchs = 2\n", "'epchs'", "did you mean 'epochs'?"),
    ("# Parameters\nn_window = 100\n", "'n_window'", "did you mean 'n_windows'?"),
    ("# Parameters\nno_such_param = 5\n", "'no_such_param'", None),
    ("# Parameters\nseed = 1\nepoch = 3\n", "'epoch'", "did you mean 'epochs'?"),
    ("# Parameters\ndataroot = '/data'\n", "'dataroot'", "did you mean 'data_root'?"),
])
def test_a_name_papermill_injects_that_the_notebook_lacks_is_refused(injected, named, hint):
    with pytest.raises(ParameterError) as err:
        check_injected_parameters("00_tour", _kernel_history(injected))
    message = str(err.value)
    assert f"unknown parameter {named}" in message
    assert "its parameters are: mode, seed, data_root, device, epochs, n_windows" in message
    assert (hint in message) if hint else "did you mean" not in message


def test_every_unknown_name_is_in_the_one_error():
    with pytest.raises(ParameterError) as err:
        check_injected_parameters("00_tour", _kernel_history("# Parameters\nepchs = 2\nseeed = 1\nseed = 4\n"))
    message = str(err.value)
    assert "unknown parameters 'epchs' (did you mean 'epochs'?), 'seeed' (did you mean 'seed'?)" in message
    assert "`epchs = 2; seeed = 1`" in message


def test_parameters_without_a_parameters_cell_are_refused():
    with pytest.raises(ParameterError, match=r"injected parameters \['seed'\] but notebook t has no code cell "
                                             r"tagged 'parameters'"):
        check_injected_parameters("t", ["", "# Parameters\nseed = 2\n", 'seed = 0\nrun = setup("t", seed=seed)'])


@pytest.mark.parametrize("history", [
    [],                                                                   # plain python / pytest
    ["", TOUR_CELL, SETUP_CELL],                                          # a kernel without papermill
    _kernel_history("# Parameters\nseed = 3\nepochs = 2\n"),             # known names only
    ["", "x = compute()\nprint(x)", "# Parameters\nepchs = 2\n", SETUP_CELL],  # cells run by hand, out of order
])
def test_known_names_and_runs_without_papermill_pass(history):
    check_injected_parameters("00_tour", history)


# --------------------------------------------------------------------------- contract parameters

@pytest.mark.parametrize("kwargs, named", [
    ({"mode": "fast"}, "mode='fast'"),
    ({"mode": "Quick"}, "mode='Quick'"),
    ({"mode": 3}, "mode=3"),
    ({"mode": None}, "mode=None"),
    ({"seed": -1}, "seed=-1"),
    ({"seed": 2**32}, "seed=4294967296"),
    ({"seed": 100000000000000000000000}, "seed=100000000000000000000000"),
    ({"seed": 1.5}, "seed=1.5"),
    ({"seed": 3.0}, "seed=3.0"),
    ({"seed": True}, "seed=True"),
    ({"seed": False}, "seed=False"),
    ({"seed": "0"}, "seed='0'"),
    ({"seed": None}, "seed=None"),
    ({"data_root": "/no/such/folder"}, "data_root='/no/such/folder'"),
    ({"data_root": ""}, "data_root=''"),
    ({"data_root": 3}, "data_root=3"),
    ({"device": "tpu"}, "device='tpu'"),
    ({"device": ""}, "device=''"),
    ({"device": 3}, "device=3"),
    ({"device": None}, "device=None"),
])
def test_each_bad_contract_parameter_is_one_parameter_error_naming_it(kwargs, named):
    with pytest.raises(ParameterError) as err:
        setup("t", **kwargs)
    assert named in str(err.value)


@pytest.mark.parametrize("seed", [-1, 2**32, 10**23, 1.5, True])
def test_the_seed_error_states_the_range(seed):
    with pytest.raises(ParameterError, match=r"0 ≤ seed < 2\*\*32"):
        setup("t", seed=seed)


def test_the_largest_seed_in_range_works(out_dir):
    assert setup("t", seed=2**32 - 1).seed == 2**32 - 1


def test_a_file_as_data_root_is_named_as_a_file(tmp_path):
    (tmp_path / "pairs.csv").write_text("a,b\n")
    with pytest.raises(ParameterError, match=r"data_root='.*pairs.csv' is a file"):
        setup("t", data_root=str(tmp_path / "pairs.csv"))


# --------------------------------------------------------------------------- knobs

@pytest.mark.parametrize("knob, named, allowed", [
    (Knob("many", quick=2, full=30), "epochs='many'", "must be of type int"),
    (Knob(2.5, quick=2, full=30), "epochs=2.5", "must be of type int"),
    (Knob(True, quick=2, full=30), "epochs=True", "must be of type int"),
    (Knob([2], quick=2, full=30), "epochs=[2]", "must be of type int"),
    (Knob("1", quick=1e-3, full=1e-3), "epochs='1'", "must be of type float"),
    (Knob(0, quick=2, full=30, min=1), "epochs=0", "must be >= 1"),
    (Knob(-3, quick=2, full=30, min=1), "epochs=-3", "must be >= 1"),
    (Knob(101, quick=2, full=30, min=1, max=100), "epochs=101", "must be <= 100"),
    (Knob(4.9, quick=20.0, full=60.0, min=5.0), "epochs=4.9", "must be >= 5.0"),
    (Knob(float("nan"), quick=20.0, full=60.0, min=5.0), "epochs=nan", "must be a finite number"),
    (Knob(float("inf"), quick=20.0, full=60.0, min=5.0), "epochs=inf", "must be a finite number"),
    (Knob("lstm", quick="cnn", full="cnn", choices=["cnn", "gru"]), "epochs='lstm'", "choose one of ['cnn', 'gru']"),
    (Knob(1, quick=False, full=True), "epochs=1", "must be of type bool"),
])
def test_each_bad_knob_is_one_parameter_error_naming_it(knob, named, allowed):
    with pytest.raises(ParameterError) as err:
        setup("t", epochs=knob)
    assert named in str(err.value) and allowed in str(err.value)


# --------------------------------------------------------------------------- the command lines

TOUR = NOTEBOOKS / "00_tour.ipynb"


@pytest.mark.parametrize("cli, named", [
    ({"epchs": ["2"]}, "unknown parameter 'epchs' (did you mean 'epochs'?)"),
    ({"seed": ["100000000000000000000000"]}, "seed=100000000000000000000000 is out of range"),
    ({"seed": ["-2"]}, "seed=-2 is out of range"),
    ({"mode": ["fast"]}, "mode='fast'"),
    ({"epochs": ["many"]}, "epochs='many'"),
])
def test_lib_batch_refuses_the_same_inputs_before_running(cli, named, tmp_path):
    with pytest.raises(BatchError) as err:
        build_runs([TOUR], cli, {}, {}, tmp_path / "out")
    assert named in str(err.value)


@pytest.mark.parametrize("seed", ["-1", "4294967296"])
def test_lib_reproduce_refuses_a_seed_out_of_range(seed, capsys):
    with pytest.raises(SystemExit) as stop:
        reproduce.main(["--seed", seed, "00_tour"])
    assert stop.value.code == 2
    assert f"--seed: seed={seed} is out of range" in capsys.readouterr().err


# --------------------------------------------------------------------------- real papermill runs

def test_papermill_with_a_misspelt_parameter_fails_naming_it(out_dir, tmp_path):
    """Plain papermill with a misspelt name, `-p epchs 2`: an error, not a run with the default epochs."""
    proc = subprocess.run([sys.executable, "-m", "papermill", str(TOUR), str(tmp_path / "tour.ipynb"),
                           "-p", "epchs", "2", "-k", "python3", "--cwd", str(NOTEBOOKS), "--no-progress-bar"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert ("ParameterError: unknown parameter 'epchs' (did you mean 'epochs'?) for notebook 00_tour"
            in proc.stdout + proc.stderr)
    executed = nbformat.read(tmp_path / "tour.ipynb", as_version=4)
    assert executed.metadata.papermill.exception is True
    assert not (out_dir / "results").exists()


def test_papermill_with_a_huge_seed_fails_in_setup_not_in_torch(out_dir, tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(NOTEBOOKS / "30_survey_taxonomy.ipynb"), str(tmp_path / "30.ipynb"),
                            parameters={"seed": 100000000000000000000000}, kernel_name="python3",
                            cwd=str(NOTEBOOKS), progress_bar=False, **papermill_options())
    assert err.value.ename == "ParameterError"
    assert "seed=100000000000000000000000 is out of range" in err.value.evalue
    assert "setup(" in err.value.source
