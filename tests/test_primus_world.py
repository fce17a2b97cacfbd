"""The P2 egocentric world: determinism, shapes, units, the frozen encoders, Table I, the data paths."""

from dataclasses import replace

import numpy as np
import pytest

from lib.body.clip import MotionClip
from lib.body.imu import GRAVITY, HEAD_SIDE_PHONE, P2_HEAD, IMUData, VirtualIMU
from lib.body.sensors import ENBW_2ND_ORDER, G0
from lib.body.skeleton import skeleton_from_stature
from lib.primus.frozen import FrozenTextEncoder, FrozenVideoEncoder, tokens
from lib.primus.scenarios import PRETRAINING, TASKS, check_activities, stand_ins
from lib.primus.world import (DEVICES, FPS, MOTION_DIM, WINDOW, World, WorldConfig, clean_narration, corpus_key,
                              render_take, simulate_take)

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
    # the head phone is upright in portrait (Android frame): gravity shows on its y axis
    acc_mean = np.abs(data["train_imu"][:, :3].mean(axis=(0, 2)))
    assert acc_mean.argmax() == 1


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


# ----------------------------------------------------------------------------- the REALWORLD-like head phone

#: The glasses' first pretraining window of TINY (channels × first 4 samples) and its channel sums,
#: recorded with WORLD_VERSION "3", before the head phone was rebuilt: the glasses must not change.
GLASSES_V3_FIRST_SAMPLES = np.array([
    [1.168370366, 1.106121182, 1.024718285, 0.962469041],
    [9.198522568, 9.193734169, 9.193734169, 9.184157372],
    [-3.687070608, -3.816357374, -3.888183594, -3.97916317],
    [0.397343636, 0.376038343, 0.351537257, 0.324905664],
    [0.302535087, 0.299339294, 0.288686663, 0.278034031],
    [-0.129962265, -0.147006497, -0.160854936, -0.168311775]])
GLASSES_V3_CHANNEL_SUMS = np.array([528.4386133, 4635.059468, -1282.980846, -20.25919932, -4.222708358, 13.90489667])


def test_glasses_recordings_are_unchanged():
    imu = render_take(World(TINY).pretraining_jobs()[0])["imu"]
    np.testing.assert_allclose(imu[0, :, :4], GLASSES_V3_FIRST_SAMPLES, atol=1e-4)
    np.testing.assert_allclose(imu.astype(np.float64).sum(axis=(0, 2)), GLASSES_V3_CHANNEL_SUMS, rtol=1e-4, atol=0.02)
    assert DEVICES["glasses"].site == P2_HEAD[0] and not DEVICES["glasses"].sensor.internal_rate_hz


def _still_head(n: int = 5000) -> IMUData:
    """A head at rest, upright: specific force +g on y, no rotation (sensor frame = head frame)."""
    acc = np.zeros((n, 1, 3))
    acc[..., 1] = GRAVITY
    return IMUData(acc=acc, ori=np.broadcast_to(np.eye(3), (n, 1, 3, 3)).copy(), fps=FPS, sites=("head",),
                   gyro=np.zeros((n, 1, 3)), acc_frame="sensor", gravity=True)


def test_head_phone_noise_floor_is_a_phones():
    """Same still head through both devices: the phone's noise is the MPU-6500's folded over its 98 Hz band."""
    sd = {}
    for name in ("glasses", "head_phone"):
        model = replace(DEVICES[name].sensor, acc_bias_walk=0.0, gyro_bias_walk=0.0)  # the white-noise floor only
        out = model.corrupt(_still_head(), np.random.default_rng(1), unit_rng=np.random.default_rng(2))
        sd[name] = out.acc[:, 0].std(axis=0).mean(), out.gyro[:, 0].std(axis=0).mean()
    assert sd["head_phone"][0] > 4 * sd["glasses"][0]
    assert sd["head_phone"][1] > 2.5 * sd["glasses"][1]
    band = np.sqrt(ENBW_2ND_ORDER * 98.0)
    assert sd["head_phone"][0] == pytest.approx(300e-6 * G0 * band, rel=0.05)          # 300 µg/√Hz
    assert sd["head_phone"][1] == pytest.approx(np.radians(0.01) * band, rel=0.1)      # 0.01 °/s/√Hz (+ 16-bit LSB)
    assert sd["glasses"][0] == pytest.approx(100e-6 * G0 * np.sqrt(FPS / 2), rel=0.05)  # anti-aliased to 25 Hz


def test_head_phone_reports_in_the_android_frame():
    """Portrait on the left of the head, screen out: x right of the screen = backward, y = up, z = out = left."""
    np.testing.assert_allclose(HEAD_SIDE_PHONE[0].mount_matrix(), [[0, 0, 1], [0, 1, 0], [-1, 0, 0]], atol=1e-12)
    assert DEVICES["head_phone"].site == HEAD_SIDE_PHONE[0]
    sites = (HEAD_SIDE_PHONE[0], P2_HEAD[0])
    skeleton = skeleton_from_stature(1.75)
    poses = np.zeros((6, 24, 3))
    upright = VirtualIMU(sites=sites, acc_frame="sensor", gravity=True)(MotionClip(poses, np.zeros((6, 3)), FPS), skeleton)
    poses[:, 0] = (np.pi / 2, 0.0, 0.0)  # body pitched forward 90° about its left axis: lying face down
    prone = VirtualIMU(sites=sites, acc_frame="sensor", gravity=True)(MotionClip(poses, np.zeros((6, 3)), FPS), skeleton)
    np.testing.assert_allclose(upright.acc[2, 0], [0, GRAVITY, 0], atol=1e-6)   # phone: +g on y
    np.testing.assert_allclose(upright.acc[2, 1], [0, GRAVITY, 0], atol=1e-6)   # glasses: +g on y
    np.testing.assert_allclose(prone.acc[2, 0], [GRAVITY, 0, 0], atol=1e-6)     # phone's x (backward) points up
    np.testing.assert_allclose(prone.acc[2, 1], [0, 0, -GRAVITY], atol=1e-6)    # glasses' z (forward) points down
    # a standing take through the whole device (mounting spread, wobble, noise): gravity stays on +y
    job = next(j for j in World(TINY).task_jobs("realworld", "train") if j.scenario.name == "standing")
    mean = simulate_take(job).signal[:3].mean(axis=1)
    assert mean[1] > 7.5 and np.argmax(np.abs(mean)) == 1
    # about 1 g: the phone's datasheet offsets (±60 mg) and scale errors (±3 %) allow some percent either way
    assert np.linalg.norm(simulate_take(job).signal[:3], axis=0).mean() == pytest.approx(GRAVITY, rel=0.15)


def test_head_phone_recording_is_deterministic_and_sub_sampled():
    job = World(TINY).task_jobs("realworld", "train")[0]
    a, b = simulate_take(job).signal, simulate_take(job).signal
    np.testing.assert_array_equal(a, b)
    other = simulate_take(replace(job, seed=job.seed + (1,))).signal
    n = min(a.shape[1], other.shape[1])
    assert not np.allclose(a[:, :n], other[:, :n])
    sensor = DEVICES["head_phone"].sensor
    assert (sensor.internal_rate_hz, sensor.internal_lpf_hz) == (200.0, 98.0)
    assert sensor.noise_bandwidth(FPS) > FPS / 2          # no anti-alias filter at the app's 50 Hz
    # saturation at ±4 g and 16-bit quantisation of the accelerometer, as the Android sensor list reports
    assert np.abs(a[:3]).max() <= 4 * G0 + 1e-9
    lsb = 2 * 4 * G0 / 2 ** 16
    np.testing.assert_allclose(a[:3] / lsb, np.round(a[:3] / lsb), atol=1e-6)
