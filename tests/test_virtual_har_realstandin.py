"""P4's DIP-IMU stand-in: an independent motion source, DIP's conventions and size,
labels that never put a rest under an activity, determinism."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from lib.body import second_source as src
from lib.body.imu import GRAVITY, P4_SITES
from lib.body.kinematics import forward_kinematics
from lib.body.skeleton import JOINT_INDEX
from lib.params import SHARED_DATA
from lib.virtual_har import experiments as ex
from lib.virtual_har import realstandin as rs

ROOT = Path(__file__).resolve().parents[1]
CMU = SHARED_DATA / "cmu_mocap"
TINY = rs.StandinSpec(n_subjects=3, minutes_per_subject=1.0, seed=5)
#: Modules of the virtual corpus's motion generator (and the corpus built from it).
VIRTUAL_GENERATOR = {"lib.body.motions", "lib.body.locomotion", "lib.body.everyday", "lib.body.posture",
                     "lib.body.waveforms", "lib.body.activities", "lib.virtual_har.corpus"}


@pytest.fixture(scope="module")
def tiny():
    return rs.build_standin_corpus(TINY)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


# --------------------------------------------------------------------------- an independent motion source

def test_the_stand_in_never_imports_the_virtual_generator():
    for rel in ("lib/body/second_source.py", "lib/virtual_har/realstandin.py"):
        used = _imports(ROOT / rel) & VIRTUAL_GENERATOR
        assert not used, f"{rel} imports the virtual corpus's motion generator: {sorted(used)}"


def test_the_stand_in_builds_without_the_virtual_generator(monkeypatch):
    import lib.body.locomotion as loco
    import lib.body.motions as motions

    def forbidden(*args, **kwargs):
        raise AssertionError("the stand-in called the virtual corpus's motion generator")

    for mod, name in ((motions, "generate"), (motions, "generate_sequence"), (loco, "walking"), (loco, "jumping")):
        monkeypatch.setattr(mod, name, forbidden)
    corpus = rs.build_standin_corpus(rs.StandinSpec(n_subjects=2, minutes_per_subject=0.5, seed=1))
    assert corpus.n_clips > 0


def _heading_change(poses: np.ndarray, seconds: float = 2.0) -> np.ndarray:
    """|change of the root's heading| (deg) over ``seconds``, for every start frame."""
    yaw = np.unwrap(np.radians(src._yaw(poses)))
    lag = int(seconds * 60)
    return np.degrees(np.abs(yaw[lag:] - yaw[:-lag]))


def test_walking_turns_like_a_lab_beyond_the_virtual_wander():
    """The stand-in walks laps with 180° turns; the virtual generator wanders (heading SD 12° at 0.05 Hz):
    the share of 2-s stretches that turn by > 60° is 0 for every virtual clip and well above it here."""
    from lib.body.motions import generate

    virtual = [(_heading_change(generate("walking", 30.0, rng=np.random.default_rng(s)).poses) > 60).mean()
               for s in range(6)]
    stand_in = []
    for s in range(6):
        rng = np.random.default_rng(s)
        perf = src.sample_performer(rng)
        poses, _ = src.to_motion(src.walking(perf, rng, 30.0, style="laps"), perf.skeleton())
        stand_in.append((_heading_change(poses) > 60).mean())
    assert max(virtual) == 0.0
    assert min(stand_in) > 0.05


def _swing_ratio(poses: np.ndarray, trans: np.ndarray, skeleton) -> float:
    """Dominant frequency of the left wrist's fore-aft swing over that of the left ankle (per stride: 1 = 1:1)."""
    J = JOINT_INDEX
    _, pos = forward_kinematics(poses, trans, skeleton, [J["pelvis"], J["left_wrist"], J["left_ankle"]])
    h = np.radians(src._yaw(poses))
    fwd = np.stack([np.sin(h), np.zeros_like(h), np.cos(h)], axis=1)
    cut = slice(120, len(poses) - 120)  # without gait initiation and termination

    def freq(x):
        x = x[cut] - x[cut].mean()
        spec = np.abs(np.fft.rfft(x * np.hanning(len(x))))
        f = np.fft.rfftfreq(len(x), 1 / 60.0)
        band = f > 0.3
        return f[band][np.argmax(spec[band])]

    wrist = np.einsum("ti,ti->t", pos[:, 1] - pos[:, 0], fwd)
    ankle = np.einsum("ti,ti->t", pos[:, 2] - pos[:, 0], fwd)
    return freq(wrist) / freq(ankle)


def test_slow_walkers_swing_their_arms_at_step_frequency_unlike_the_virtual_generator():
    """Below 0.8 m/s some people swing the arms twice per stride (Wagenaar & van Emmerik 2000); the virtual
    generator always swings them once per stride."""
    from lib.body.motions import generate
    from lib.body.skeleton import Subject

    rng = np.random.default_rng(3)
    slow = replace(src.sample_performer(rng), lab_speed=0.65, arm_double=True)
    poses, trans = src.to_motion(src.walking(slow, rng, 40.0, style="circle"), slow.skeleton())
    assert _swing_ratio(poses, trans, slow.skeleton()) == pytest.approx(2.0, abs=0.15)
    normal = replace(slow, lab_speed=1.3, arm_double=False)
    poses, trans = src.to_motion(src.walking(normal, rng, 40.0, style="circle"), normal.skeleton())
    assert _swing_ratio(poses, trans, normal.skeleton()) == pytest.approx(1.0, abs=0.1)
    for s in range(3):
        clip = generate("walking", 40.0, rng=np.random.default_rng(s), speed=0.7, subject=Subject())
        assert _swing_ratio(clip.poses, clip.trans, Subject().skeleton()) == pytest.approx(1.0, abs=0.1)


def test_cadence_follows_the_walk_ratio():
    """cadence = √(v / WR) steps/min (Sekiya & Nagasaki 1998), rising walk ratio below 62 m/min."""
    wr = 0.0064
    assert src.cadence(1.3, wr) == pytest.approx(np.sqrt(78 / wr) / 60)
    assert src.cadence(0.6, wr) < np.sqrt(36 / wr) / 60
    rng = np.random.default_rng(2)
    perf = replace(src.sample_performer(rng), lab_speed=1.2)
    piece = src.walking(perf, rng, 30.0, style="circle")
    v = piece.meta["speed"]
    assert piece.meta["cadence"] == pytest.approx(float(src.cadence(v, perf.walk_ratio)), rel=0.02)
    assert (piece.phase[:30] == src.TRANSITION).all() and (piece.phase[-30:] == src.TRANSITION).all()


@pytest.mark.skipif(not CMU.is_dir(), reason=f"{CMU} is absent (CMU subject 131 BVH files)")
def test_real_mocap_bouts_are_used_where_they_fit():
    rng = np.random.default_rng(0)
    perf = src.sample_performer(rng)
    for cls in ("walking", "jumping"):
        pieces = rs.protocol(cls, perf, 100.0, np.random.default_rng(1), str(CMU))
        assert any(str(p.meta.get("style", "")).startswith("mocap:") for p in pieces), cls
    assert rs.protocol("walking", perf, 100.0, np.random.default_rng(1), None)  # no mocap: all modelled


# --------------------------------------------------------------------------- DIP's conventions

def _jump_recording(spec: rs.StandinSpec):
    rng = np.random.default_rng(4)
    perf = src.sample_performer(rng)
    jump = src.jumping(perf, rng, 12.0, style="countermovement")
    rec = src.record([src.calibration(perf, rng, 3.0), jump], perf, rng)
    imu = rs.read_sensors(rec, perf, spec, np.random.default_rng(5), np.random.default_rng(6))
    lift = np.zeros(rec.n_frames)
    lift[rec.piece == 1] = jump.lift
    return rec, imu, lift


def test_dip_frame_gravity_and_units():
    """World frame Y up, facing +Z at the I-pose calibration; acceleration gravity-free in m/s²: ~0 at rest,
    −9.8 m/s² along y in flight (falling) -- not +9.8 (gravity left in) nor in g."""
    rec, imu, lift = _jump_recording(TINY)
    feats = imu.features()
    assert feats.shape == (rec.n_frames, 36) and imu.acc_frame == "world" and not imu.gravity
    calib = rec.kind == src.CALIBRATION
    assert np.abs(imu.acc[calib].mean(axis=0)).max() < 0.6
    head = imu.ori[calib, 2].mean(axis=0)
    assert np.degrees(np.arccos(np.clip(head[1, 1], -1, 1))) < 12  # its y axis points up
    assert np.degrees(np.arccos(np.clip(head[2, 2], -1, 1))) < 15  # and faces +Z (DIP's calibrated frame)
    flight = lift > 0.05
    assert flight.sum() > 20
    assert imu.acc[flight, 2, 1].mean() == pytest.approx(-GRAVITY, abs=1.5)
    assert np.allclose(feats[:, 3:12].reshape(-1, 3, 3), imu.ori[:, 0], atol=1e-6)  # [acc(3), R row-major(9)]


def test_real_sensors_are_placed_and_move_unlike_the_synthesis_sites():
    sites = rs.real_sites(np.random.default_rng(0))
    assert [s.name for s in sites] == [s.name for s in P4_SITES]
    assert all(s.offset != v.offset or s.along != v.along for s, v in zip(sites, P4_SITES))
    skeleton = src.sample_performer(np.random.default_rng(0)).skeleton()
    poses = np.zeros((2, 24, 3))
    poses[1, JOINT_INDEX["right_knee"], 0] = np.radians(60)
    pos, ori = np.zeros((2, 3, 3)), np.broadcast_to(np.eye(3), (2, 3, 3, 3)).copy()
    new_pos, new_ori = rs.soft_tissue(pos, ori, poses, skeleton, np.random.default_rng(1))
    assert np.allclose(new_pos[0], 0) and 0.010 <= np.linalg.norm(new_pos[1, 1]) <= 0.025
    angle = np.degrees(np.arccos((np.trace(new_ori[1, 1]) - 1) / 2))
    assert 2.0 <= angle <= 6.0 and np.allclose(new_ori[:, 2], np.eye(3))  # the head band does not slide


def test_every_effect_can_be_switched_off():
    off = replace(TINY, translation=False, placement=False, soft_tissue=False, orientation=False, noise=False)
    model = rs.sensor_model(off)
    assert model.heading_drift_deg == 0 and model.acc_noise_density == 0 and model.wobble_hz == 0
    assert model.calib_error_deg == 0 and model.acc_range == 0
    _, on_imu, _ = _jump_recording(TINY)
    _, off_imu, _ = _jump_recording(off)
    assert not np.allclose(on_imu.acc, off_imu.acc)


# --------------------------------------------------------------------------- size, split, labels, determinism

def test_size_presets_and_the_dip_split():
    dip = rs.StandinSpec.preset("dip")
    assert dip.n_subjects == 10 and dip.n_subjects * dip.minutes_per_subject == pytest.approx(90, abs=5)
    assert list(rs.test_subjects(dip)) == [1009, 1010] and dip.test_count == 2
    quick = rs.StandinSpec.preset("quick")
    assert quick.n_subjects * quick.minutes_per_subject <= 5 and quick.test_count == 1
    with pytest.raises(ValueError, match="size"):
        rs.StandinSpec.preset("huge")
    with pytest.raises(ValueError, match="n_subjects"):
        rs.StandinSpec(n_subjects=1)
    assert rs.performer(dip, 5).subject.sex == "female" and rs.performer(dip, 0).subject.sex == "male"


def test_ten_people_split_eight_two_for_every_seed():
    corpus = rs.build_standin_corpus(rs.StandinSpec(n_subjects=10, minutes_per_subject=0.5, seed=2))
    assert np.array_equal(rs.split(corpus)[1], [1009, 1010])
    for seed in (0, 1):
        train, test = ex.real_split(corpus, seed)
        assert len(np.unique(train.groups)) == 8 and set(np.unique(test.groups)) == {1009, 1010}


def test_recorded_time_matches_the_size(tiny):
    minutes = len(tiny.frames) / 60 / 60
    assert minutes == pytest.approx(TINY.n_subjects * TINY.minutes_per_subject, rel=0.35)
    assert set(np.unique(tiny.subject)) == {1001, 1002, 1003}
    assert np.array_equal(np.unique(tiny.label[tiny.label >= 0]), np.arange(5))


def test_rests_and_transitions_never_carry_an_activity_label(tiny):
    kind = tiny.info["kind"]
    assert (kind == src.REST).any() and (kind == src.TRANSITION).any() and (kind == src.CALIBRATION).any()
    assert np.all(tiny.label[kind != src.ACTIVITY] == -1)
    assert np.all(tiny.label[kind == src.ACTIVITY] >= 0)
    assert tiny.window_purity().min() == 1.0
    w = tiny.windows()
    assert len(w) > 0 and w.x.shape[1:] == (60, 36) and np.isfinite(w.x).all()


def test_same_spec_same_corpus_and_seeds_differ(tiny):
    again = rs.build_standin_corpus(TINY)
    assert np.array_equal(again.frames, tiny.frames) and np.array_equal(again.label, tiny.label)
    other = rs.build_standin_corpus(replace(TINY, seed=6))
    assert other.frames.shape != tiny.frames.shape or not np.allclose(other.frames, tiny.frames)


def test_cache_round_trip(tmp_path, tiny):
    first = rs.standin_corpus(TINY, cache_dir=tmp_path)
    assert np.array_equal(first.frames, tiny.frames)
    assert np.array_equal(rs.standin_corpus(TINY, cache_dir=tmp_path).info["kind"], tiny.info["kind"])


def test_departures_table_names_every_row():
    table = rs.departures_table()
    assert list(table.columns) == ["DIP-IMU fact", "stand-in", "match or departure", "source"]
    assert len(table) >= 10 and table.notna().all().all()


def test_mirror_swaps_sides():
    """A left-arm raise mirrored is a right-arm raise; mirroring twice changes nothing."""
    rng = np.random.default_rng(0)
    perf = src.sample_performer(rng)
    piece = src._blank(10)
    src._add(piece, "left_shoulder", 0.0, 90.0)
    poses, trans = src.to_motion(piece, perf.skeleton())
    m_poses, m_trans = src.mirror(poses, trans)
    J = JOINT_INDEX
    _, pos = forward_kinematics(poses, trans, perf.skeleton(), [J["left_wrist"], J["right_wrist"]])
    _, mpos = forward_kinematics(m_poses, m_trans, perf.skeleton(), [J["left_wrist"], J["right_wrist"]])
    assert np.allclose(mpos[:, 1] * [-1, 1, 1], pos[:, 0], atol=1e-9)
    again = src.mirror(m_poses, m_trans)
    assert np.allclose(again[0], poses) and np.allclose(again[1], trans)
