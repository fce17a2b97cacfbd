"""The parameter contract: each bad parameter gives its own clear error; knobs resolve from mode presets."""

from __future__ import annotations

import pytest

from lib.params import DataLayout, Knob, ParameterError, REPO_ROOT, output_dirs, setup


def test_defaults_resolve_from_the_mode(out_dir):
    quick = setup("t", mode="quick", epochs=Knob(None, quick=2, full=30, min=1))
    full = setup("t", mode="full", epochs=Knob(None, quick=2, full=30, min=1))
    assert (quick.epochs, full.epochs) == (2, 30)
    assert quick.knobs == {"epochs": 2}
    assert setup("t", epochs=Knob(7, quick=2, full=30)).epochs == 7


@pytest.mark.parametrize("kwargs, fragment", [
    ({"mode": "fast"}, "mode='fast' is unknown; use one of ['quick', 'full']"),
    ({"seed": -1}, "seed=-1 is out of range: it must be an integer with 0 ≤ seed < 2**32"),
    ({"seed": 2**32}, "seed=4294967296 is out of range"),
    ({"seed": 1.5}, "seed=1.5 (float) must be an integer with 0 ≤ seed < 2**32"),
    ({"seed": True}, "seed=True (bool) must be an integer"),
    ({"device": "tpu"}, "device='tpu'"),
    ({"device": 3}, "device=3 must be a string"),
    ({"data_root": "/no/such/folder"}, "data_root='/no/such/folder': no such folder"),
])
def test_each_bad_contract_parameter_names_itself(kwargs, fragment):
    with pytest.raises(ParameterError) as err:
        setup("t", **kwargs)
    assert fragment in str(err.value)


def test_cuda_asked_for_without_cuda_is_a_clear_error():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(ParameterError, match="CUDA is not available"):
        setup("t", device="cuda")


@pytest.mark.parametrize("knob, fragment", [
    (Knob(-3, quick=2, full=30, min=1), "epochs=-3 is too small; it must be >= 1"),
    (Knob(10**6, quick=2, full=30, max=100), "epochs=1000000 is too large; it must be <= 100"),
    (Knob("many", quick=2, full=30), "epochs='many' must be of type int"),
    (Knob(2.5, quick=2, full=30), "epochs=2.5 must be of type int"),
    (Knob("lstm", quick="cnn", full="cnn", choices=["cnn"]), "epochs='lstm' is not allowed; choose one of ['cnn']"),
])
def test_each_bad_knob_names_itself(knob, fragment):
    with pytest.raises(ParameterError) as err:
        setup("t", epochs=knob)
    assert fragment in str(err.value)


def test_knob_types_are_coerced_only_when_lossless():
    assert setup("t", lr=Knob(1, quick=1e-3, full=1e-3)).lr == 1.0
    assert setup("t", n=Knob(4.0, quick=2, full=3)).n == 4


def test_data_root_layout_is_checked(tmp_path):
    layout = DataLayout(required=["pairs.csv"], description="a folder with pairs.csv and the audio files")
    with pytest.raises(ParameterError) as err:
        setup("t", data_root=tmp_path, data_layout=layout)
    assert "missing ['pairs.csv']" in str(err.value) and "pairs.csv and the audio files" in str(err.value)
    (tmp_path / "pairs.csv").write_text("a,b,label\n")
    assert setup("t", data_root=str(tmp_path), data_layout=layout).data_root == tmp_path


def test_notebook_without_a_real_data_path_refuses_data_root(tmp_path):
    with pytest.raises(ParameterError, match="has no real-data path"):
        setup("t", data_root=tmp_path)


def test_output_locations_follow_the_mode(monkeypatch):
    monkeypatch.delenv("COMPANION_OUT_DIR", raising=False)
    assert output_dirs("quick") == (REPO_ROOT / "build" / "figures", REPO_ROOT / "build" / "results")
    assert output_dirs("full") == (REPO_ROOT / "figures", REPO_ROOT / "results")
    monkeypatch.setenv("COMPANION_OUT_DIR", "/tmp/x")
    assert output_dirs("full")[1].as_posix() == "/tmp/x/results"


def test_unknown_knob_attribute_lists_the_known_ones(out_dir):
    run = setup("t", epochs=Knob(None, quick=2, full=3))
    with pytest.raises(AttributeError, match=r"known knobs: \['epochs'\]"):
        _ = run.batch_size


def test_timed_sections_add_up_and_a_failing_block_records_nothing(out_dir):
    import time

    run = setup("00_tour")
    for _ in range(2):
        with run.timed("twice"):
            time.sleep(0.02)
    with pytest.raises(RuntimeError), run.timed("fails"):
        raise RuntimeError("boom")
    assert set(run.timings) == {"twice"} and 0.04 <= run.timings["twice"] < 1.0


def test_figures_reach_the_figure_folder_only_when_the_run_finishes(out_dir):
    """A run that fails after drawing leaves no figure beside the results; finish() publishes them all."""
    import matplotlib.pyplot as plt

    run = setup("t")
    staged = run.savefig("p0_demo", plt.figure())
    assert [p.parent for p in staged] == [run.unfinished_dir] * 2 and all(p.exists() for p in staged)
    assert not (run.fig_dir / "p0_demo.png").exists()  # a failure now would leave only .unfinished/t/

    rerun = setup("t")  # the next run of the notebook starts without the unfinished run's figures
    assert not rerun.unfinished_dir.exists()
    rerun.savefig("p0_demo", plt.figure())
    rerun.finish(values={"x": 1})
    assert (rerun.fig_dir / "p0_demo.png").exists() and (rerun.fig_dir / "p0_demo.pdf").exists()
    assert (rerun.results_dir / "t.json").exists()
    assert not (rerun.fig_dir / ".unfinished").exists()


def test_a_failed_reproduce_line_says_where_the_unfinished_figures_are(tmp_path):
    from lib.reproduce import unfinished_note

    assert unfinished_note(tmp_path, "00_tour") == " (this run wrote no results and no figures)"
    staged = tmp_path / ".unfinished" / "00_tour"
    staged.mkdir(parents=True)
    (staged / "p0_tour_training_curves.png").write_bytes(b"png")
    assert f"the 1 figure(s) it drew before the error are in {staged}/" in unfinished_note(tmp_path, "00_tour")
