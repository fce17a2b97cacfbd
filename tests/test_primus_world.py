"""The P2 egocentric world: determinism, shapes, units, the frozen encoders, Table I, the data paths."""

import numpy as np
import pytest

from lib.primus.frozen import FrozenTextEncoder, FrozenVideoEncoder, tokens
from lib.primus.scenarios import PRETRAINING, TASKS, check_activities, stand_ins
from lib.primus.world import (DEVICES, MOTION_DIM, WINDOW, World, WorldConfig, clean_narration, corpus_key,
                              render_take)

TINY = WorldConfig(seed=3, n_pretrain=14, train_per_class=2, test_per_class=1, take_windows=(2, 3),
                   n_pretrain_subjects=3, n_train_subjects=2, n_test_subjects=1, piece_seconds=(6.0, 8.0))


@pytest.fixture(scope="module")
def corpus():
    return World(TINY).pretraining_corpus(n_jobs=1, progress=False)


def test_corpus_shapes_units_and_normalisation(corpus):
    n = TINY.n_pretrain
    assert corpus["imu"].shape == (n, 6, WINDOW) and corpus["imu"].dtype == np.float32
    assert corpus["video"].shape == (n, 512) and corpus["text"].shape == (n, 512)
    assert np.allclose(np.linalg.norm(corpus["video"], axis=1), 1, atol=1e-5)
    assert np.allclose(np.linalg.norm(corpus["text"], axis=1), 1, atol=1e-5)
    # an accelerometer with gravity: the window-mean specific force is about 1 g (m/s²)
    g = np.linalg.norm(corpus["imu"][:, :3].mean(axis=2), axis=1)
    assert np.all((g > 6) & (g < 13))
    assert set(corpus["scenario"]) <= set(range(len(PRETRAINING.classes)))
    assert all(isinstance(t, str) and t and not t.startswith("#") for t in corpus["narration"])


def test_same_world_seed_same_corpus(corpus):
    again = World(TINY).pretraining_corpus(n_jobs=1, progress=False)
    for key in corpus:
        assert np.array_equal(corpus[key], again[key]), key


def test_another_world_seed_another_corpus(corpus):
    other = World(WorldConfig(**{**TINY.__dict__, "seed": 4})).pretraining_corpus(n_jobs=1, progress=False)
    assert not np.allclose(corpus["imu"], other["imu"])
    assert corpus_key(TINY) != corpus_key(WorldConfig(**{**TINY.__dict__, "seed": 4}))


def test_takes_render_the_same_in_any_order():
    jobs = World(TINY).pretraining_jobs()[:3]
    forward = [render_take(j)["imu"] for j in jobs]
    backward = [render_take(j)["imu"] for j in reversed(jobs)][::-1]
    assert all(np.array_equal(a, b) for a, b in zip(forward, backward))


def test_task_has_exact_counts_and_held_out_subjects():
    data = World(TINY).task_data("realworld", n_jobs=1, progress=False)
    n_classes = len(TASKS["realworld"].classes)
    assert data["train_imu"].shape == (2 * n_classes, 6, WINDOW)
    assert np.bincount(data["train_y"]).tolist() == [2] * n_classes
    assert np.bincount(data["test_y"]).tolist() == [1] * n_classes
    # the head phone is rotated 90° about z: gravity shows on its x axis, not y as on the glasses
    acc_mean = np.abs(data["train_imu"][:, :3].mean(axis=(0, 2)))
    assert acc_mean.argmax() == 0


def test_frozen_video_encoder_is_seeded_and_sees_scene_and_motion():
    rng = np.random.default_rng(0)
    frames, scene = rng.normal(size=(4, 10, MOTION_DIM)), rng.normal(size=(4, 32))
    a, b = FrozenVideoEncoder(MOTION_DIM, 32, seed=1), FrozenVideoEncoder(MOTION_DIM, 32, seed=1)
    assert np.array_equal(a(frames, scene), b(frames, scene))
    assert not np.allclose(a(frames, scene), FrozenVideoEncoder(MOTION_DIM, 32, seed=2)(frames, scene))
    assert not np.allclose(a(frames, scene), a(frames, scene[::-1]))
    assert not np.allclose(a(frames, scene), a(frames[::-1], scene))
    with pytest.raises(ValueError, match="video frames"):
        a(frames[:, :, :5], scene)


def test_frozen_text_encoder_similarity_follows_shared_words():
    enc = FrozenTextEncoder(seed=0)
    e = enc(["stirs the pot on the stove", "stirs the soup on the stove", "climbs the wall"])
    assert np.allclose(np.linalg.norm(e, axis=1), 1, atol=1e-5)
    assert e[0] @ e[1] > e[0] @ e[2] + 0.2
    assert np.array_equal(e, FrozenTextEncoder(seed=0)(["stirs the pot on the stove", "stirs the soup on the stove",
                                                        "climbs the wall"]))
    assert "the_pot" in tokens("Stirs the pot")
    assert clean_narration("#C C stirs the pot.") == "stirs the pot."
    with pytest.raises(ValueError, match="no words"):
        enc(["..."])


def test_table_one_structure():
    check_activities()
    assert len(PRETRAINING.classes) == 8 and len(TASKS["egoexo4d"].classes) == 8
    assert len(TASKS["ego4d"].classes) == 10 and len(TASKS["realworld"].classes) == 8
    assert TASKS["egoexo4d"].class_names == PRETRAINING.class_names
    shared = set(TASKS["ego4d"].class_names) & set(PRETRAINING.class_names)
    assert shared == {"cook", "play music"}
    assert TASKS["realworld"].device != PRETRAINING.device and TASKS["realworld"].device in DEVICES
    assert all(set(row) >= {"scenario", "wanted activity"} for row in stand_ins())


def test_bad_config_is_named():
    with pytest.raises(ValueError, match="n_pretrain"):
        WorldConfig(n_pretrain=0)
    with pytest.raises(ValueError, match="take_windows"):
        WorldConfig(take_windows=(3, 2))
    with pytest.raises(ValueError, match="unknown downstream task"):
        World(TINY).task_data("kinetics")
