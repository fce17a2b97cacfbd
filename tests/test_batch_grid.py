"""lib.batch input: notebooks, the parameters cell, the grid, and one clear error (exit 2) for bad input."""

from __future__ import annotations

import socket
from pathlib import Path

import nbformat
import pytest

from batch_helpers import tiny_notebook
from lib.batch.cli import main
from lib.batch.grid import (BatchError, Parameter, build_runs, declared_types, load_grid_file, notebook_parameters,
                            resolve_notebooks, slugify)

ROOT = Path(__file__).resolve().parent.parent
TOUR = ROOT / "notebooks" / "00_tour.ipynb"


def test_the_parameters_cell_gives_names_defaults_and_declared_types():
    params = notebook_parameters(TOUR)
    assert list(params) == ["mode", "seed", "data_root", "device", "epochs", "n_windows"]
    assert params["epochs"].types == ("int", "None") and params["epochs"].default is None
    assert params["seed"].types == ("int",) and params["mode"].types == ("str",)
    assert params["data_root"].types == ("str", "None")


def test_types_fall_back_to_the_default_when_the_comment_is_not_a_type():
    assert declared_types('"quick" | "full"', "quick") == ("str",)
    assert declared_types("None = simulator; a path = real data", None) is None  # anything goes
    assert declared_types("seconds: how long", 3) == ("int",)
    assert declared_types("float | None", None) == ("float", "None")


def test_command_line_tokens_are_parsed_by_the_parameter_type():
    as_int = Parameter("epochs", None, ("int", "None"), "epochs = None")
    as_str = Parameter("device", "auto", ("str",), 'device = "auto"')
    assert as_int.parse("3") == 3 and as_int.parse("None") is None and as_int.parse("two") == "two"
    assert as_str.parse("123") == "123" and as_str.parse("cuda:0") == "cuda:0"
    assert as_int.accepts(3) and as_int.accepts(None) and not as_int.accepts("two") and not as_int.accepts(True)
    assert Parameter("lr", 0.1, ("float",), "").accepts(1) and not as_str.accepts(1)


def test_the_grid_is_a_cartesian_product_with_cli_over_section_over_file(tmp_path):
    grid_file = tmp_path / "grid.yaml"
    grid_file.write_text("seed: [0, 1, 2]\nmode: quick\nepochs: [5]\nnotebooks:\n  00_tour: {epochs: [1, 2]}\n")
    common, sections = load_grid_file(grid_file)
    assert common == {"seed": [0, 1, 2], "mode": ["quick"], "epochs": [5]}
    assert sections == {"00_tour": {"epochs": [1, 2]}}
    plan = build_runs([TOUR], {"seed": ["0", "1"]}, common, {TOUR: sections["00_tour"]}, tmp_path / "out")
    runs = plan["00_tour"]
    assert len(runs) == 2 * 1 * 2  # seed from the CLI (2) x mode (1) x epochs from the section (2)
    assert {r.params["epochs"] for r in runs} == {1, 2} and {r.params["seed"] for r in runs} == {0, 1}
    assert len({r.slug for r in runs}) == 4
    first = runs[0]
    assert first.output == str(tmp_path / "out" / "00_tour" / f"{first.slug}.ipynb")
    assert first.out_dir == str(tmp_path / "out" / "00_tour" / first.slug)


def test_slugs_do_not_depend_on_the_order_of_parameters_and_stay_safe():
    assert slugify({"seed": 0, "epochs": 2}) == slugify({"epochs": 2, "seed": 0}) == "epochs-2_seed-0"
    odd = slugify({"data_root": "/data/set one"})
    assert "/" not in odd and " " not in odd and odd != slugify({"data_root": "/data/set_one"})
    assert slugify({}) == "defaults"


def test_a_notebook_is_found_by_path_name_or_prefix_and_an_unknown_one_is_an_error(tmp_path):
    assert resolve_notebooks(["00_tour"]) == resolve_notebooks([str(TOUR)]) == resolve_notebooks(["00"]) == [TOUR]
    with pytest.raises(BatchError, match=r"unknown notebook 'nope'.*available: \['00_tour'"):
        resolve_notebooks(["nope"])


def _error(capsys, argv) -> str:
    assert main(argv) == 2
    return capsys.readouterr().err


def test_bad_input_is_one_clear_error_with_exit_status_2(tmp_path, capsys):
    out = ["--out", str(tmp_path / "out")]
    assert "unknown notebook 'missing_notebook'" in _error(capsys, ["missing_notebook", *out])
    err = _error(capsys, [str(TOUR), "-p", "epoch", "2", *out])
    assert "unknown parameter 'epoch'" in err and "did you mean 'epochs'" in err
    assert "mode, seed, data_root, device, epochs, n_windows" in err
    err = _error(capsys, [str(TOUR), "-p", "epochs", "two", *out])
    assert "epochs='two' (str)" in err and "must be int | None" in err
    assert "mode='fast'" in _error(capsys, [str(TOUR), "-p", "mode", "fast", *out])
    assert "-p seed needs at least one value" in _error(capsys, [str(TOUR), "-p", "seed", *out])
    assert "-p seed is given twice" in _error(capsys, [str(TOUR), "-p", "seed", "0", "-p", "seed", "1", *out])
    assert not (tmp_path / "out").exists()  # nothing ran


def test_a_bad_grid_file_is_named_in_the_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- seed\n- 1\n")
    assert "must be a mapping" in _error(capsys, [str(TOUR), "--grid", str(bad)])
    bad.write_text("seed: []\n")
    assert "'seed' has an empty list" in _error(capsys, [str(TOUR), "--grid", str(bad)])
    bad.write_text("notebooks:\n  tiny_missing: {seed: [1]}\n")
    assert "unknown notebook 'tiny_missing'" in _error(capsys, ["--grid", str(bad)])
    bad.write_text("seed: [0, 1.5]\n")
    assert "seed=1.5 (float)" in _error(capsys, [str(TOUR), "--grid", str(bad)])


def test_a_notebook_without_a_parameters_cell_takes_no_parameters(tmp_path, capsys):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(nb, tmp_path / "plain.ipynb")
    assert "has no cell tagged 'parameters'" in _error(capsys, [str(tmp_path / "plain.ipynb"), "-p", "x", "2"])


def test_grid_file_notebooks_are_found_beside_the_grid_file(tmp_path):
    tiny = tiny_notebook(tmp_path / "tiny.ipynb")
    (tmp_path / "grid.yaml").write_text("notebooks:\n  tiny.ipynb: {scale: [1, 2.5]}\n")
    common, sections = load_grid_file(tmp_path / "grid.yaml")
    found = resolve_notebooks(list(sections), (tmp_path,))
    assert found == [tiny]
    runs = build_runs(found, {}, common, {tiny: sections["tiny.ipynb"]}, tmp_path / "out")["tiny"]
    assert [r.params for r in runs] == [{"scale": 1.0}, {"scale": 2.5}]  # an int for a float parameter -> float
    assert isinstance(runs[0].params["scale"], float) and runs[0].slug == "scale-1.0"


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, capsys):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    err = _error(capsys, [str(TOUR), "-p", "seed", "0", "--scheduler", f"tcp://127.0.0.1:{port}",
                          "--connect-timeout", "1", "--out", str(tmp_path)])
    assert f"cannot reach the Dask scheduler at 'tcp://127.0.0.1:{port}' within 1 s" in err
    assert "not a scheduler address" in _error(capsys, [str(TOUR), "--scheduler", "nonsense"])
