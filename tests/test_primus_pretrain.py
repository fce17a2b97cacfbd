"""Pretraining runs: datasets, the aligned fraction, caching and reuse, standard training, real-data paths."""

from types import SimpleNamespace

import numpy as np
import pytest
import torch

from lib.primus import pretrain as P
from lib.primus.bench import random_corpus
from lib.primus.data import TripletDataset, aligned_mask, check_corpus, collate_batched


@pytest.fixture(scope="module")
def corpus():
    return random_corpus(32, seed=1)


def test_dataset_items_and_batched_fetch(corpus):
    ds = TripletDataset(corpus, index=np.arange(10, 20))
    item = ds[0]
    assert item["imu"].shape == (6, 250) and int(item["id"]) == 10 and bool(item["aligned"])
    batch = collate_batched(ds.__getitems__([0, 3, 5]))
    assert batch["imu"].shape == (3, 6, 250) and batch["id"].tolist() == [10, 13, 15]


def test_bad_corpus_is_named(corpus):
    with pytest.raises(ValueError, match="lacks 'video'"):
        check_corpus({"imu": corpus["imu"], "text": corpus["text"]})
    bad = dict(corpus, imu=corpus["imu"].copy())
    bad["imu"][0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        check_corpus(bad)


def test_aligned_mask_fraction_and_seed():
    mask = aligned_mask(1000, 0.1, seed=0)
    assert mask.sum() == 100 and np.array_equal(mask, aligned_mask(1000, 0.1, seed=0))
    assert not np.array_equal(mask, aligned_mask(1000, 0.1, seed=1))
    with pytest.raises(ValueError, match="fraction"):
        aligned_mask(10, 0.0, seed=0)


def test_pretrain_reports_and_is_reproducible(corpus):
    enc_a, rep = P.pretrain("primus", corpus, epochs=1, batch_size=8, seed=0, val_fraction=0.25)
    enc_b, _ = P.pretrain("primus", corpus, epochs=1, batch_size=8, seed=0, val_fraction=0.25)
    assert rep["n_train"] == 24 and rep["n_val"] == 8 and rep["segments_per_s"] > 0
    assert {"train_loss_ss", "train_loss_mm", "train_loss_nn", "val_loss"} <= set(rep["history"][0])
    for (k, a), b in zip(enc_a.state_dict().items(), enc_b.state_dict().values()):
        assert torch.equal(a, b), k


def test_partly_aligned_corpus_counts(corpus):
    _, rep = P.pretrain("imu2clip", corpus, epochs=1, batch_size=16, seed=0, aligned_fraction=0.5, val_fraction=0.0)
    assert rep["n_aligned"] == 16


def test_pretrained_is_cached_and_reused(corpus, tmp_path, monkeypatch):
    calls = []
    real = P.pretrain

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(P, "pretrain", counting)
    a, rep_a = P.pretrained("imu2clip", corpus, "test-corpus", cache_dir=tmp_path, epochs=1, batch_size=16)
    b, rep_b = P.pretrained("imu2clip", corpus, "test-corpus", cache_dir=tmp_path, epochs=1, batch_size=16)
    assert len(calls) == 1 and rep_a == rep_b
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))
    assert not list((tmp_path / "p2_pretrained").glob("*.checkpoints"))  # removed once the entry is cached
    P.pretrained("imu2clip", corpus, "another-corpus", cache_dir=tmp_path, epochs=1, batch_size=16)
    assert len(calls) == 2
    with pytest.raises(ValueError, match="unknown setting"):
        P.pretrained("imu2clip", corpus, "x", cache_dir=tmp_path, learning_rate=1.0)


def test_standard_training_predicts_every_test_window(corpus):
    y = np.arange(32) % 3
    pred = P.standard_training(corpus["imu"][:6], y[:6], corpus["imu"][12:], n_classes=3, steps=2, seed=0)
    assert pred.shape == (20,) and set(pred) <= {0, 1, 2}


def test_egoexo_style_triplets_feed_the_corpus(tmp_path, corpus):
    from lib.datasets.egoexo import save_egoexo
    from lib.primus.experiments import load_corpus

    n = len(corpus["imu"])
    save_egoexo(tmp_path / "egoexo", corpus["imu"], corpus["video"], corpus["text"],
                {"take_uid": [f"t{i // 4}" for i in range(n)], "start_s": np.arange(n) * 5.0,
                 "end_s": np.arange(n) * 5.0 + 5, "split": ["train"] * (n - 8) + ["val"] * 8,
                 "label": np.arange(n) % 8})
    run = SimpleNamespace(data_root=tmp_path / "egoexo", mode="quick", seed=0, cache_dir=tmp_path / "cache")
    loaded = load_corpus(run)
    assert len(loaded.arrays["imu"]) == n - 8 and loaded.key.startswith("egoexo-")
    assert np.array_equal(loaded.arrays["scenario"], (np.arange(n) % 8)[: n - 8])
    check_corpus(loaded.arrays)


def small_probe(corpus):
    """An EpochProbe on the random corpus: two classes, 8 + 8 training windows, 8 test windows."""
    from lib.primus.convergence import EpochProbe

    y = np.arange(32) % 2
    return EpochProbe(corpus["imu"][:16], y[:16], corpus["imu"][16:24], y[16:24], key="random-2", shots=4,
                      draws=(0, 1))


def test_two_worker_runs_equal_serial_runs_and_fill_the_cache(corpus, tmp_path):
    """get_runs trains every (run, pretraining seed) not cached in two worker processes; the weights equal
    training in-process, one list entry per seed."""
    from lib.primus import experiments as X

    run = SimpleNamespace(mode="quick", seed=0, device=torch.device("cpu"), cache_dir=tmp_path / "par",
                          epochs=1, max_epochs=2, batch_size=8, n_seeds=2)
    c = X.Corpus(corpus, "bench-32", "random")
    labels, probe = ["imu2clip", "nn"], small_probe(corpus)
    settings = X.pretrain_settings(run)
    assert not P.is_pretrained("imu2clip", c.key, cache_dir=run.cache_dir, seed=1, probe=probe, **settings)
    encoders, reports = X.get_runs(run, c, labels, n_jobs=2, probe=probe)
    assert P.is_pretrained("imu2clip", c.key, cache_dir=run.cache_dir, seed=1, probe=probe, **settings)
    assert [r["seed"] for r in reports["nn"]] == [0, 1] and len(encoders["imu2clip"]) == 2
    assert "probe_acc" in reports["nn"][0]["history"][0]
    assert not any(r["loaded_from_cache"] for runs in reports.values() for r in runs) and X.reused_seconds(reports) == 0
    _, again = X.get_runs(run, c, labels, n_jobs=2, probe=probe)
    assert all(r["loaded_from_cache"] for runs in again.values() for r in runs)
    assert X.reused_seconds(again) == pytest.approx(sum(r["seconds"] for runs in reports.values() for r in runs) / 2)
    serial = SimpleNamespace(**{**vars(run), "cache_dir": tmp_path / "serial"})
    reference, _ = X.get_runs(serial, c, labels, n_jobs=1, probe=probe)
    for label in labels:
        for seed, (worker, ref) in enumerate(zip(encoders[label], reference[label])):
            for (name, a), b in zip(worker.state_dict().items(), ref.state_dict().values()):
                assert torch.equal(a, b), f"{label} seed {seed}: {name} differs between worker and in-process training"
    assert not torch.equal(encoders["nn"][0].state_dict()["gru.weight_hh_l0"],
                           encoders["nn"][1].state_dict()["gru.weight_hh_l0"])  # two seeds, two networks


def test_probe_curves_in_two_workers_equal_serial_probing(corpus):
    """probe_curves probes the encoders two at a time in worker processes: the same rows as one at a time."""
    from lib.primus import experiments as X
    from lib.primus.encoder import StackedRNNEncoder

    run = SimpleNamespace(mode="quick", seed=0, device=torch.device("cpu"), n_seeds=2, n_draws=2)
    encoders = {}
    for name, seeds in (("imu2clip", (0, 1)), ("ss", (2, 3))):
        encoders[name] = []
        for s in seeds:
            torch.manual_seed(s)
            encoders[name].append(StackedRNNEncoder().eval())
    y = np.arange(32) % 2
    task = {"train_imu": corpus["imu"][:24], "train_y": y[:24], "test_imu": corpus["imu"][24:], "test_y": y[24:]}
    parallel = X.probe_curves(encoders, task, run, n_jobs=2)
    serial = X.probe_curves(encoders, task, run, n_jobs=1)
    assert len(parallel) == 2 * 2 * 2 * len(set(parallel["shots"])) and set(parallel["pretrain_seed"]) == {0, 1}
    assert parallel.equals(serial)


def test_interrupted_pretraining_resumes_with_its_probe_curve(corpus, tmp_path):
    """A run killed after epoch 2 of 3 resumes from its checkpoint: same weights and per-epoch probe as an
    uninterrupted run."""
    from lib.primus import convergence

    probe = small_probe(corpus)
    full, report = P.pretrain("ss", corpus, epochs=3, batch_size=8, seed=0, probe=probe, checkpoint_dir=tmp_path / "a")

    class Interrupt(Exception):
        pass

    calls = []

    def dying_probe(encoder, kind, device="cpu"):
        calls.append(kind)
        if len(calls) == 3:
            raise Interrupt
        return probe(encoder, kind, device)

    dying_probe.cache_key = probe.cache_key
    with pytest.raises(Interrupt):
        P.pretrain("ss", corpus, epochs=3, batch_size=8, seed=0, probe=dying_probe, checkpoint_dir=tmp_path / "b")
    assert calls == ["ss", "ss", "ss"]  # the SS objective is probed on its SS head
    torch.manual_seed(999)  # a new process would not share the dead one's RNG state
    resumed, again = P.pretrain("ss", corpus, epochs=3, batch_size=8, seed=0, probe=probe,
                                checkpoint_dir=tmp_path / "b")
    assert [row["probe_acc"] for row in again["history"]] == [row["probe_acc"] for row in report["history"]]
    for (name, a), b in zip(full.state_dict().items(), resumed.state_dict().values()):
        assert torch.equal(a, b), name
    assert convergence.plateau(again["history"])["epochs"] == 3


def test_training_goes_on_until_the_plateau_rule_holds(corpus, monkeypatch, tmp_path):
    """max_epochs > epochs: training continues past ``epochs`` exactly until the plateau rule first holds;
    the cap binds when it never does; the extended run is its own cache entry."""
    from lib.primus import convergence

    probe = small_probe(corpus)
    verdicts = iter([False, False, True])  # the rule, asked after epochs 3, 4, 5
    monkeypatch.setattr(P, "plateau", lambda rows: {"plateaued": next(verdicts)})
    _, report = P.pretrain("imu2clip", corpus, epochs=3, max_epochs=8, batch_size=8, seed=0, probe=probe)
    assert len(report["history"]) == 5 and (report["min_epochs"], report["max_epochs"]) == (3, 8)
    monkeypatch.setattr(P, "plateau", lambda rows: {"plateaued": False})
    _, capped = P.pretrain("imu2clip", corpus, epochs=3, max_epochs=4, batch_size=8, seed=0, probe=probe)
    assert len(capped["history"]) == 4
    assert [r["probe_acc"] for r in capped["history"][:3]] == [r["probe_acc"] for r in report["history"][:3]]
    monkeypatch.setattr(P, "plateau", convergence.plateau)
    with pytest.raises(ValueError, match="max_epochs"):
        P.pretrain("imu2clip", corpus, epochs=3, max_epochs=4, batch_size=8)  # no probe to read a plateau from
    with pytest.raises(ValueError, match="max_epochs=2"):
        P.pretrain("imu2clip", corpus, epochs=3, max_epochs=2, batch_size=8, probe=probe)
    fixed = dict(epochs=1, batch_size=8, probe=probe, cache_dir=tmp_path)
    P.pretrained("nn", corpus, "bench-32", **fixed)
    assert P.is_pretrained("nn", "bench-32", max_epochs=1, **fixed)  # max_epochs = epochs: the fixed-budget entry
    assert not P.is_pretrained("nn", "bench-32", max_epochs=3, **fixed)


def test_plateau_rule():
    from lib.primus.convergence import not_converged, plateau

    def history(acc, loss):
        return [{"epoch": i + 1, "probe_acc": a, "val_loss": v} for i, (a, v) in enumerate(zip(acc, loss))]

    flat = history([0.40, 0.50, 0.55, 0.56, 0.555, 0.56], [3.0, 2.5, 2.40, 2.39, 2.39, 2.395])
    assert plateau(flat)["plateaued"]
    rising = history([0.40, 0.45, 0.50, 0.52, 0.55, 0.60], [3.0, 2.5, 2.40, 2.39, 2.39, 2.39])
    verdict = plateau(rising)
    assert not verdict["plateaued"] and "probe accuracy still rising (+5.5 pts" in verdict["reason"]
    falling = history([0.40, 0.50, 0.55, 0.56, 0.555, 0.56], [3.0, 2.5, 2.4, 2.3, 2.2, 2.1])
    assert "validation loss still falling" in plateau(falling)["reason"]
    assert not plateau(flat[:2])["plateaued"] and "at least 3" in plateau(flat[:2])["reason"]
    reports = {"primus": [{"seed": 0, "history": flat}, {"seed": 1, "history": rising}]}
    assert "primus (seed 1)" in not_converged(reports) and not_converged({"primus": reports["primus"][:1]}) is None


def test_probe_reads_the_head_the_objective_trains():
    from lib.primus.objectives import get_objective

    kinds = {name: get_objective(name).probe_kind for name in ("primus", "imu2clip", "simclr", "ss", "nn", "ss_nn",
                                                               "multitask_ssl")}
    assert kinds == {"primus": "mm", "imu2clip": "mm", "simclr": "ss", "ss": "ss", "nn": "ss", "ss_nn": "ss",
                     "multitask_ssl": "emb"}


def test_the_temperature_floor_binds_only_below_it(corpus):
    """τ is floored at TAU_MIN (a deviation, needed by the NN-only run): a temperature below the floor gives
    the loss of the floor, one above it is used as it is."""
    from lib.primus.objectives import TAU_MIN, Pretrainer

    batch = collate_batched(P.TripletDataset(corpus, np.arange(8)).__getitems__(list(range(8))))
    losses = {}
    for tau in (-0.01, TAU_MIN / 2, TAU_MIN, 0.05):
        torch.manual_seed(0)
        model = Pretrainer("imu2clip").eval()
        with torch.no_grad():
            model.mm_loss.temperature.fill_(tau)
        losses[tau] = float(model(batch)[0])
    assert losses[-0.01] == losses[TAU_MIN / 2] == losses[TAU_MIN] and np.isfinite(losses[-0.01])
    assert losses[0.05] != losses[TAU_MIN]


def test_parallel_standard_curve_equals_serial():
    from lib.primus import experiments as X

    rng = np.random.default_rng(0)
    task = {"train_imu": rng.normal(size=(12, 6, 250)).astype(np.float32), "train_y": np.repeat([0, 1], 6),
            "test_imu": rng.normal(size=(6, 6, 250)).astype(np.float32), "test_y": np.repeat([0, 1], 3)}
    run = SimpleNamespace(mode="quick", seed=0, device=torch.device("cpu"), standard_steps=2, n_draws=2)
    par = X.standard_curve(task, run, n_jobs=2)
    ser = X.standard_curve(task, run, n_jobs=1)
    assert list(par["shots"].unique()) == [1, 5] and par.equals(ser)


def test_read_only_worker_arrays_become_tensors_without_a_copy_or_a_warning():
    import warnings

    from lib.primus.data import read_only_tensor

    array = np.arange(12, dtype=np.float32).reshape(3, 4)
    array.setflags(write=False)  # as joblib's loky workers receive large arrays
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tensor = read_only_tensor(array)
    assert tensor.data_ptr() == array.__array_interface__["data"][0]
    assert tensor.dtype == torch.float32
