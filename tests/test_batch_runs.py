"""lib.batch end to end: parallel local runs, a failure that does not stop the others, resuming after
a failure and after an interrupt, and the same table from a Dask cluster on loopback (~60 s)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from batch_helpers import tiny_notebook
from lib.batch.cli import main

ROOT = Path(__file__).resolve().parent.parent
TOUR = ROOT / "notebooks" / "00_tour.ipynb"


def _rows(folder: Path) -> dict:
    rows = json.loads((folder / "summary.json").read_text())["rows"]
    return {(r.get("scale"), r["kind"], r["quantity"]): r for r in rows}


def test_a_local_grid_reports_each_failure_goes_on_and_reruns_only_the_failed(tmp_path, monkeypatch, capsys):
    tiny = tiny_notebook(tmp_path / "nb" / "tiny.ipynb")
    out = tmp_path / "batch"
    argv = [str(tiny), "-p", "seed", "0", "1", "2", "-p", "scale", "1", "-1", "--workers", "2", "--out", str(out)]
    monkeypatch.setenv("BATCH_TEST_FAIL", "1")  # scale < 0 raises in the notebook's second code cell
    assert main(argv) == 1
    text = capsys.readouterr().out
    assert text.count("FAILED tiny scale--1.0_seed-") == 3
    assert "(In [3]: 'import os, time'): ValueError: deliberate failure for scale=-1.0" in text
    assert f"source {tiny}" in text and "3 of 6 run(s) finished, 3 failed" in text
    assert (out / "tiny" / "scale--1.0_seed-0.ipynb").exists()  # the failed notebook, to read the traceback
    rows = _rows(out / "tiny")
    assert rows[1.0, "value", "score"]["mean"] == 2.0 and rows[1.0, "value", "score"]["std"] == 1.0  # 1, 2, 3
    assert rows[1.0, "value", "nested.half"]["mean"] == 0.5 and (1.0, "value", "curve") not in rows
    assert rows[1.0, "claim", "tiny_claim"]["summary"].startswith("holds 2/3")  # holds for seed 0, not seed 1
    assert not any(key[0] == -1.0 for key in rows)
    for seed in range(3):  # each run had its own COMPANION_OUT_DIR
        results = out / "tiny" / f"scale-1.0_seed-{seed}" / "results" / "tiny.json"
        assert json.loads(results.read_text())["seed"] == seed

    monkeypatch.delenv("BATCH_TEST_FAIL")
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "3 complete from an earlier batch" in text and "3 ran, 3 skipped (complete), 0 failed" in text
    rows = _rows(out / "tiny")
    assert rows[-1.0, "value", "score"]["mean"] == -2.0 and rows[-1.0, "claim", "tiny_claim"]["tested"] == 3


def test_an_interrupted_grid_resumes_without_taking_a_half_run_as_complete(tmp_path, capsys):
    tiny = tiny_notebook(tmp_path / "nb" / "tiny.ipynb")
    out, hold = tmp_path / "batch", tmp_path / "hold"
    hold.write_text("runs with seed >= 2 wait while this file exists")
    argv = [str(tiny), "-p", "seed", "0", "1", "2", "3", "--workers", "2", "--out", str(out)]
    proc = subprocess.Popen([sys.executable, "-m", "lib.batch", *argv], cwd=ROOT, text=True,
                            env={**os.environ, "BATCH_TEST_HOLD": str(hold)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    folder = out / "tiny"
    try:
        deadline = time.monotonic() + 60
        while not (all((folder / f"seed-{s}.ipynb").exists() for s in (0, 1))
                   and all((folder / f"seed-{s}" / ".executing.ipynb").exists() for s in (2, 3))):
            assert proc.poll() is None and time.monotonic() < deadline, "the batch did not reach the held runs"
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=40)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and "run the same command again to resume" in err
    assert not (folder / "seed-2.ipynb").exists() and not (folder / "seed-3.ipynb").exists()

    hold.unlink()
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "2 complete from an earlier batch" in text and "2 ran, 2 skipped (complete), 0 failed" in text
    claim = _rows(folder)[None, "claim", "tiny_claim"]
    assert (claim["holds"], claim["tested"]) == (3, 4)


def test_a_dask_cluster_on_loopback_gives_the_same_tables_as_local_processes(tmp_path, capsys):
    from distributed import LocalCluster

    tiny_notebook(tmp_path / "tiny.ipynb")
    grid = tmp_path / "grid.yaml"  # per-notebook sections; the notebooks are found beside the grid file
    grid.write_text("seed: [0, 1]\nnotebooks:\n  tiny.ipynb: {scale: [1, 2]}\n"
                    "  00_tour: {seed: [0], epochs: [1], n_windows: [60]}\n")
    assert main(["--grid", str(grid), "--workers", "2", "--out", str(tmp_path / "local")]) == 0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert main(["--grid", str(grid), "--scheduler", cluster.scheduler_address,
                     "--out", str(tmp_path / "dask")]) == 0
    text = capsys.readouterr().out
    assert "running 5 of 5 run(s) on Dask scheduler tcp://127.0.0.1:" in text
    for notebook, n_rows in (("tiny", 2 * 3), ("00_tour", 3)):  # tiny: 2 scales x (2 values + 1 claim)
        local = json.loads((tmp_path / "local" / notebook / "summary.json").read_text())
        remote = json.loads((tmp_path / "dask" / notebook / "summary.json").read_text())
        assert len(local["rows"]) == n_rows and remote["rows"] == local["rows"]
        assert (tmp_path / "dask" / notebook / "summary.csv").read_bytes() == \
            (tmp_path / "local" / notebook / "summary.csv").read_bytes()
        assert all(run["status"] == "ok" and Path(run["output"]).exists() for run in remote["runs"])
    tour = json.loads((tmp_path / "dask" / "00_tour" / "summary.json").read_text())["runs"][0]
    assert (Path(tour["output"]).with_suffix("") / "figures" / "p0_tour_training_curves.png").exists()
