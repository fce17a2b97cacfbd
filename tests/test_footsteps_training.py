"""P1 pair protocol: splits, combination accuracy, threshold, support-set detection, the trainers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from lib.footsteps.experiments import items_for_combinations, trained_model
from lib.footsteps.pairs import (ItemDataset, Split, accuracy_ceiling, chance_accuracy, choose_threshold, detect_with_support, kind_accuracy,
                                 pair_accuracy, similar, split_pairs)
from lib.footsteps.training import (TrainSetup, build_model, pairwise_step, same_budget, timed_training,
                                   train_all_pairs)


def _features(n_per_class=10, seed=0):
    rng = np.random.default_rng(seed)
    n = 2 * n_per_class
    label = np.array([1] * n_per_class + [0] * n_per_class)
    audio = (rng.standard_normal((n, 999, 50)) + label[:, None, None]).astype(np.float32)
    geo = (rng.standard_normal((n, 999, 50)) - label[:, None, None]).astype(np.float32)
    return {"audio": audio, "geophone": geo, "label": label, "kind": np.where(label == 1, "walk", "silence")}


def test_splits_are_disjoint_balanced_and_seeded():
    feats = _features(10)
    feats["audio"][:, 0, 0] = np.arange(20)  # an id per item
    splits = split_pairs(feats, 6, 2, 2, seed=3)
    ids = {k: set(v.audio[:, 0, 0].astype(int)) for k, v in splits.items()}
    assert sum(map(len, ids.values())) == 20 and not (ids["train"] & ids["val"]) and not (ids["val"] & ids["test"])
    assert [int(v.label.sum()) for v in splits.values()] == [6, 2, 2]
    assert splits["train"].n_combinations == 144 and splits["train"].kind is not None
    again = split_pairs(feats, 6, 2, 2, seed=3)
    np.testing.assert_array_equal(again["test"].audio, splits["test"].audio)
    with pytest.raises(ValueError, match="only 10"):
        split_pairs(feats, 8, 2, 2)


def test_combination_accuracy_counts_all_ordered_pairs():
    emb = torch.tensor([[0.0], [0.1], [3.0], [3.2]])
    labels = np.array([1, 1, 0, 0])
    assert pair_accuracy(emb, labels, 0.5) == 1.0
    # a threshold of 5 calls every one of the 16 combinations "same": 8 of them are right
    assert pair_accuracy(emb, labels, 5.0) == 0.5
    threshold, acc = choose_threshold(emb, labels)
    assert acc == 1.0 and 0.15 <= threshold <= 2.0 and threshold == 0.5  # ties go to the paper's value


def test_the_two_readings_of_similar():
    labels = np.array([1, 1, 0, 0])
    same_label = similar(labels)
    both = similar(labels, reading="both_footsteps")
    assert same_label.sum() == 8 and bool(same_label[2, 3]) and not bool(same_label[0, 2])
    assert both.sum() == 4 and bool(both[0, 1]) and not bool(both[2, 3])  # two negatives are not "similar"
    assert chance_accuracy(labels) == 0.5 and chance_accuracy(labels, "both_footsteps") == 0.75
    emb = torch.tensor([[0.0], [0.1], [3.0], [3.2]])  # the negatives sit 0.2 apart
    assert pair_accuracy(emb, labels, 0.5) == 1.0
    # (2, 3) and (3, 2) now count as errors, and so do (2, 2) and (3, 3): a negative paired with itself has D = 0
    # but I = 0, so this reading caps the accuracy at 1 - n_negative / n^2
    assert pair_accuracy(emb, labels, 0.5, "both_footsteps") == 12 / 16
    assert accuracy_ceiling(labels) == 1.0 and accuracy_ceiling(labels, "both_footsteps") == 14 / 16
    assert accuracy_ceiling(np.repeat([1, 0], 100), "both_footsteps") == pytest.approx(0.9975)  # the paper's test split
    with pytest.raises(ValueError, match="similarity reading"):
        similar(labels, reading="same_kind")
    with pytest.raises(ValueError, match="similarity"):
        TrainSetup(similarity="same_kind")


def test_accuracy_by_scene_kind():
    split = Split(np.zeros((4, 1, 1)), np.zeros((4, 1, 1)), np.array([1, 1, 0, 0]),
                  {"kind": np.array(["walk", "walk", "speech", "typing"])})
    emb = torch.tensor([[0.0], [0.1], [3.0], [0.2]])  # the typing clip sits among the walkers
    acc = kind_accuracy(emb, split, 0.5)
    # typing: right only with itself; speech: wrong only with typing (both negatives, but 2.8 apart)
    assert acc == {"speech": 0.75, "typing": 0.25, "walk": 0.75}
    with pytest.raises(ValueError, match="kind"):
        kind_accuracy(emb, Split(split.audio, split.geophone, split.label), 0.5)


def test_detection_against_a_support_set():
    support = torch.tensor([[0.0, 0.0], [0.2, 0.0], [5.0, 5.0], [5.0, 4.8]])
    labels = np.array([1, 1, 0, 0])
    query = torch.tensor([[0.1, 0.1], [4.9, 5.1]])
    assert detect_with_support(query, support, labels).tolist() == [1, 0]
    with pytest.raises(ValueError, match="positive and one negative"):
        detect_with_support(query, support[:2], labels[:2])


def test_paper_batch_maps_to_sixteen_items():
    assert items_for_combinations(250) == 16 and items_for_combinations(64) == 8 and items_for_combinations(1024) == 32


def test_all_pair_training_runs_and_repeats():
    splits = split_pairs(_features(6), 4, 1, 1, seed=0)
    setup = TrainSetup(epochs=2, batch_size=4)
    model, history = train_all_pairs(splits, setup, seed=1)
    assert [r["epoch"] for r in history.rows] == [1, 2] and [r["steps"] for r in history.rows] == [2, 4]
    assert [r["paper_epoch"] for r in history.rows] == [32 / 1e6, 64 / 1e6]  # 16 combinations per step
    checks = train_all_pairs(splits, replace(setup, epochs=1, checks_per_epoch=2), seed=1)[1].rows
    assert [r["steps"] for r in checks] == [1, 2]
    budget = same_budget(setup, checks=3, steps_per_check=5)
    assert budget.steps_per_check(8) == 5 and budget.epochs * budget.checks_per_epoch == 3 and budget.patience is None
    assert {"train_loss", "train_acc", "val_loss", "val_acc"} <= set(history.rows[0])
    _, again = train_all_pairs(splits, setup, seed=1)
    assert again.rows == history.rows


def test_timed_training_reports_its_budget():
    splits = split_pairs(_features(4), 2, 1, 1, seed=0)
    out = timed_training("pairwise", splits, TrainSetup(batch_size=3), seed=0, target_acc=1.01, max_seconds=0.5,
                         eval_every_s=0.2)
    assert out["seconds_to_target"] is None and out["steps"] >= 1 and out["combinations_seen"] == 3 * out["steps"]
    assert out["encoder_passes"] == 2 * 3 * 2 * out["steps"]
    with pytest.raises(ValueError, match="kind"):
        timed_training("bogus", splits, TrainSetup(), 0, target_acc=1, max_seconds=1, eval_every_s=1)


def test_pairwise_chunks_accumulate_the_whole_batch_gradient():
    """Passes of 2 combinations give the one-pass step (batch norm on running statistics, no dropout)."""
    train = split_pairs(_features(4), 3, 1, 0, seed=0)["train"]
    tensors = tuple(torch.as_tensor(x) for x in (train.audio, train.geophone, train.label))
    first, second = torch.tensor([0, 1, 2, 3, 4]), torch.tensor([5, 1, 0, 3, 2])
    params, losses = [], []
    for chunk in (None, 2):
        model = build_model(TrainSetup(), train, seed=0).eval()
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        losses.append(pairwise_step(model, opt, tensors, first, second, chunk=chunk))
        params.append(torch.cat([p.detach().flatten() for p in model.parameters()]))
    assert losses[0] == pytest.approx(losses[1], rel=1e-5)
    initial = torch.cat([p.detach().flatten() for p in build_model(TrainSetup(), train, seed=0).parameters()])
    assert (params[0] - initial).abs().max() > 1e-4  # the step moved the weights
    torch.testing.assert_close(params[0], params[1], rtol=1e-4, atol=1e-6)


def test_an_epoch_of_paper_combinations_repeats_the_items():
    paper = TrainSetup(batch_size=16, epoch_combinations=1_000_000)
    assert paper.steps_per_epoch(1000) == 3907 and TrainSetup(batch_size=16).steps_per_epoch(1000) == 63
    checked = TrainSetup(batch_size=16, epoch_combinations=1_000_000, checks_per_epoch=64)
    assert checked.steps_per_check(1000) == 62 and checked.steps_per_epoch(1000) == 62 * 64
    with pytest.raises(ValueError, match="checks_per_epoch"):
        TrainSetup(checks_per_epoch=0)
    items = ItemDataset(split_pairs(_features(6), 4, 1, 1, seed=0)["train"], length=20)
    assert len(items) == 20 and torch.equal(items[11][0], items[3][0]) and int(items[11][2]) == int(items[3][2])
    with pytest.raises(IndexError):
        items[20]
    with pytest.raises(ValueError, match="epoch_combinations"):
        TrainSetup(epoch_combinations=0)


def test_interrupted_training_resumes_from_its_checkpoint(tmp_path):
    splits = split_pairs(_features(6), 4, 1, 1, seed=0)
    setup = TrainSetup(epochs=2, batch_size=4, epoch_combinations=48)  # 3 steps of 16 combinations per epoch
    _, whole = train_all_pairs(splits, setup, seed=1)
    train_all_pairs(splits, replace(setup, epochs=1), seed=1, checkpoint_dir=tmp_path)  # "stopped" after epoch 1
    _, resumed = train_all_pairs(splits, setup, seed=1, checkpoint_dir=tmp_path)
    assert resumed.rows == whole.rows and len(resumed.rows) == 2
    assert whole.rows != train_all_pairs(splits, replace(setup, epoch_combinations=None), seed=1)[1].rows


def test_trained_model_is_cached_with_its_history_and_leaves_no_checkpoints(tmp_path):
    splits = split_pairs(_features(6), 4, 1, 1, seed=0)
    setup = TrainSetup(epochs=2, batch_size=4)
    first = trained_model(splits, {"test": 1}, setup, seed=1, cache_dir=tmp_path)
    again = trained_model(splits, {"test": 1}, setup, seed=1, cache_dir=tmp_path)
    assert not first.cached and again.cached and again.rows == first.rows and again.seconds == first.seconds
    assert all(torch.equal(a, b) for a, b in zip(first.model.state_dict().values(), again.model.state_dict().values()))
    assert not list((tmp_path / "p1_trained_models").glob("*.checkpoints"))
    assert not trained_model(splits, {"test": 2}, setup, seed=1, cache_dir=tmp_path).cached  # another data key
