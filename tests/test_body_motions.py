"""Procedural motion library: every activity, determinism, sequences, physical plausibility, narrations."""

import re

import numpy as np
import pytest

from lib.body.activities import ACTIVITIES, ACTIVITY_NAMES, BY_NAME, P4_CLASSES, activity_table, narrate
from lib.body.imu import P4_SITES, VirtualIMU
from lib.body.motions import generate, generate_sequence, random_sequence
from lib.body.skeleton import Subject

SUBJECT = Subject(stature=1.75)
SKELETON = SUBJECT.skeleton()


def test_catalogue_covers_the_needed_activities_and_p4_classes():
    assert len(ACTIVITIES) >= 24 and len(set(ACTIVITY_NAMES)) == len(ACTIVITY_NAMES)
    assert {a.p4_class for a in ACTIVITIES if a.p4_class} == set(P4_CLASSES)
    for a in ACTIVITIES:
        assert len(a.narrations) >= 3 and a.scenes
    lo_jog, hi_walk = BY_NAME["jogging"].speed_range[0], BY_NAME["walking"].speed_range[1]
    assert lo_jog < hi_walk and BY_NAME["running"].speed_range[0] < BY_NAME["jogging"].speed_range[1]  # classes overlap
    assert len(activity_table()) == len(ACTIVITIES)


@pytest.mark.parametrize("name", ACTIVITY_NAMES)
def test_every_activity_gives_finite_plausible_motion(name):
    clip = generate(name, 6.0, fps=60.0, subject=SUBJECT, rng=np.random.default_rng(0))
    assert clip.poses.shape == (360, 24, 3) and clip.trans.shape == (360, 3)
    assert np.isfinite(clip.poses).all() and np.isfinite(clip.trans).all()
    assert set(np.unique(clip.labels)) <= set(range(len(ACTIVITY_NAMES)))
    imu = VirtualIMU(P4_SITES, acc_frame="sensor", gravity=True)(clip, SKELETON)
    assert np.isfinite(imu.acc).all() and np.isfinite(imu.gyro).all()
    assert np.abs(imu.acc).max() < 40 * 9.81, "no teleporting joints: accelerations stay below 40 g"
    assert np.abs(imu.gyro).max() < np.radians(2000)
    meta = clip.subject["motion"]
    assert meta["activity"] == name and "{" not in meta["narration"]


def test_same_seed_same_motion_any_rate():
    a = generate("dancing", 4.0, rng=np.random.default_rng(5))
    b = generate("dancing", 4.0, rng=np.random.default_rng(5))
    c = generate("dancing", 4.0, rng=np.random.default_rng(6))
    np.testing.assert_array_equal(a.poses, b.poses)
    assert not np.allclose(a.poses, c.poses)
    slow = generate("walking", 2.0, fps=25.0, rng=np.random.default_rng(1))
    assert slow.n_frames == 50 and slow.fps == 25.0
    with pytest.raises(ValueError, match="unknown activity"):
        generate("moonwalk", 2.0, rng=0)
    with pytest.raises(ValueError, match="duration_s"):
        generate("walking", -1.0, rng=0)


def _dominant_hz(x: np.ndarray, fps: float, lo: float = 0.5) -> float:
    x = x - x.mean()
    spec = np.abs(np.fft.rfft(x * np.hanning(x.size)))
    freqs = np.fft.rfftfreq(x.size, 1 / fps)
    spec[freqs < lo] = 0
    return float(freqs[np.argmax(spec)])


def test_gait_cadence_and_running_flight_phase():
    walk = generate("walking", 20.0, subject=SUBJECT, rng=np.random.default_rng(2), speed=1.4,
                    style={"cadence_scale": 1.0})
    step_hz = (0.9 + 0.65 * 1.4)  # the documented cadence model at 1.75 m
    pelvis_y = walk.trans[:, 1]
    assert _dominant_hz(pelvis_y, 60.0) == pytest.approx(step_hz, rel=0.08)  # pelvis bobs once per step
    run = generate("running", 10.0, subject=SUBJECT, rng=np.random.default_rng(3), speed=4.0, perturbation=0.0)
    vy = np.diff(run.trans[:, 1], 2) * 3600
    assert vy.min() == pytest.approx(-9.81, abs=0.3)  # ballistic flight: free fall
    assert vy.max() > 9.81  # stance: the legs push with more than body weight


def test_sequences_chain_activities_with_bridges_and_continuity():
    clip = generate_sequence(["walking", "computer_work", "standing"], [6.0, 6.0, 6.0], subject=SUBJECT,
                             rng=np.random.default_rng(4))
    seen = [ACTIVITY_NAMES[i] for i in clip.labels[np.r_[True, np.diff(clip.labels) != 0]]]
    assert seen[0] == "walking" and "sitting_down" in seen and "standing_up" in seen and seen[-1] == "standing"
    assert seen.index("sitting_down") < seen.index("computer_work") < seen.index("standing_up")
    step = np.linalg.norm(np.diff(clip.trans, axis=0), axis=1)
    assert step.max() < 0.1  # no jumps at the seams (m per frame)
    segments = clip.subject["motion"]
    assert [s["activity"] for s in segments][:2] == ["walking", "sitting_down"]
    rnd = random_sequence(3, np.random.default_rng(9), duration_range_s=(3.0, 4.0))
    assert rnd.n_frames > 3 * 3.0 * 60 * 0.8


def test_narrations_fill_every_slot():
    rng = np.random.default_rng(0)
    for a in ACTIVITIES:
        for _ in range(5):
            text = narrate(a.name, rng)
            assert text.startswith("#C C ") and not re.search(r"[{}]", text)


def test_transition_lean_profile_stays_real_when_progress_rounds_past_one():
    from lib.body.everyday import half_sine
    from lib.body.waveforms import min_jerk

    s = min_jerk(np.linspace(0.99, 1.0, 200_001))
    assert (np.sin(np.pi * s) < 0).any(), "the grid must contain the rounding case the guard is for"
    lean = half_sine(s) ** 1.5
    assert np.isfinite(lean).all() and lean.min() >= 0.0
