"""The training loop: history, early stopping, exact resume after an interruption, DDP under torchrun."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

from lib.train import fit, load_checkpoint


def make_problem(n: int = 256):
    """A tiny seeded regression problem and model (no dropout/batch norm, so DDP == one big batch)."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(n, 4, generator=gen)
    y = torch.sin(x @ torch.tensor([1.0, -1.0, 0.5, 2.0])).unsqueeze(1)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
    return model, TensorDataset(x, y)


def regression_loss(model, batch):
    x, y = batch
    return nn.functional.mse_loss(model(x), y)


def classifier_with_dropout():
    torch.manual_seed(1)
    x = torch.randn(300, 6)
    y = (x[:, :2].sum(1) > 0).long()
    model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 2))
    return model, TensorDataset(x[:200], y[:200]), TensorDataset(x[200:], y[200:])


def ce_loss(model, batch):
    x, y = batch
    out = model(x)
    return nn.functional.cross_entropy(out, y), {"acc": (out.argmax(1) == y).float().mean()}


def test_history_has_a_row_per_epoch_and_learning_happens():
    model, train, val = classifier_with_dropout()
    history = fit(model, train, loss_fn=ce_loss, epochs=15, batch_size=25, lr=1e-2, val_set=val, seed=0)
    frame = history.to_frame()
    assert list(frame.index) == list(range(1, 16))
    assert set(frame.columns) == {"train_loss", "train_acc", "val_loss", "val_acc"}
    assert len(history.seconds) == 15 and all(s > 0 for s in history.seconds)
    assert frame["train_loss"].iloc[-1] < frame["train_loss"].iloc[0]
    assert frame["val_acc"].max() > 0.8


def test_early_stopping_stops_and_restores_the_best_weights():
    model, train, val = classifier_with_dropout()
    snapshots = {}
    history = fit(model, train, loss_fn=ce_loss, epochs=200, batch_size=25, lr=5e-2, val_set=val, seed=0,
                  patience=3, on_epoch_end=lambda row: snapshots.update(
                      {row["epoch"]: {k: v.clone() for k, v in model.state_dict().items()}}))
    assert history.stopped_early and len(history.rows) < 200
    assert len(history.rows) - history.best_epoch == 3
    best = snapshots[history.best_epoch]
    assert all(torch.equal(best[k], v) for k, v in model.state_dict().items())


def test_stop_when_ends_training_and_a_resumed_run_stays_stopped(tmp_path):
    """stop_when(rows) ends training after the epoch it first returns True; a resume does not train on."""
    model, train, val = classifier_with_dropout()
    seen = []

    def enough(rows):
        seen.append(len(rows))
        return rows[-1]["val_acc"] > 0.8 and len(rows) >= 4

    history = fit(model, train, loss_fn=ce_loss, epochs=100, batch_size=25, lr=1e-2, val_set=val, seed=0,
                  stop_when=enough, checkpoint_dir=tmp_path)
    n = len(history.rows)
    assert history.stopped_early and 4 <= n < 100 and seen == list(range(1, n + 1))
    assert history.rows[-1]["val_acc"] > 0.8 and not any(r["val_acc"] > 0.8 for r in history.rows[3:-1])
    model2, _, _ = classifier_with_dropout()
    again = fit(model2, train, loss_fn=ce_loss, epochs=100, batch_size=25, lr=1e-2, val_set=val, seed=0,
                stop_when=lambda rows: False, checkpoint_dir=tmp_path)
    assert len(again.rows) == n  # the checkpoint says it stopped: nothing more is trained


def test_interrupted_run_resumed_from_its_checkpoint_ends_with_the_same_weights(tmp_path):
    model, train, val = classifier_with_dropout()
    fit(model, train, loss_fn=ce_loss, epochs=6, batch_size=32, val_set=val, seed=3, checkpoint_dir=tmp_path / "a")
    reference = model.state_dict()

    class Interrupt(Exception):
        pass

    def stop_after_3(row):
        if row["epoch"] == 3:
            raise Interrupt

    model, train, val = classifier_with_dropout()
    with pytest.raises(Interrupt):
        fit(model, train, loss_fn=ce_loss, epochs=6, batch_size=32, val_set=val, seed=3,
            checkpoint_dir=tmp_path / "b", on_epoch_end=stop_after_3)
    assert load_checkpoint(tmp_path / "b")["epoch"] == 3
    torch.manual_seed(12345)  # a fresh process would not share the interrupted one's RNG state
    model, train, val = classifier_with_dropout()
    history = fit(model, train, loss_fn=ce_loss, epochs=6, batch_size=32, val_set=val, seed=3,
                  checkpoint_dir=tmp_path / "b")
    assert [row["epoch"] for row in history.rows] == [1, 2, 3, 4, 5, 6]
    for key, value in model.state_dict().items():
        assert torch.equal(value, reference[key]), key


def test_checkpoint_from_other_settings_is_refused(tmp_path):
    model, data = make_problem()
    fit(model, data, loss_fn=regression_loss, epochs=1, batch_size=32, checkpoint_dir=tmp_path)
    with pytest.raises(ValueError, match="was written with"):
        fit(model, data, loss_fn=regression_loss, epochs=2, batch_size=64, checkpoint_dir=tmp_path)


def test_bad_loss_fn_output_is_explained():
    model, data = make_problem()
    with pytest.raises(TypeError, match="scalar tensor"):
        fit(model, data, loss_fn=lambda m, b: m(b[0]), epochs=1, batch_size=32)


def test_torchrun_two_cpu_processes_match_one_process_with_the_global_batch(tmp_path):
    root = Path(__file__).resolve().parent.parent
    torchrun = Path(sys.executable).with_name("torchrun")
    out = tmp_path / "ddp.pt"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(root)}
    subprocess.run([str(torchrun), "--standalone", "--nproc_per_node", "2", str(root / "tests" / "ddp_train_script.py"),
                    str(out)], check=True, env=env, cwd=root, timeout=240, capture_output=True)
    ranks = [torch.load(f"{out}.rank{r}") for r in (0, 1)]
    assert ranks[0]["world"] == ranks[1]["world"] == 2
    model, data = make_problem()
    history = fit(model, data, loss_fn=regression_loss, epochs=3, batch_size=32, lr=1e-2, seed=5)
    for key, value in model.state_dict().items():
        assert torch.equal(ranks[0]["state"][key], ranks[1]["state"][key]), "ranks disagree"
        torch.testing.assert_close(ranks[0]["state"][key], value, rtol=1e-4, atol=1e-5)
    assert ranks[0]["loss"][-1] < ranks[0]["loss"][0]
    torch.testing.assert_close(torch.tensor(ranks[0]["loss"]), torch.tensor(history.column("train_loss")),
                               rtol=1e-4, atol=1e-5)
