"""P1 scene simulator: shapes, rates, determinism and the physics it claims."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from lib.footsteps import sources
from lib.footsteps.simulator import NEGATIVE_KINDS, SceneConfig, scene_preset, simulate_scene, simulate_scenes

QUIET = dict(audio_noise_rms=(1e-5, 1e-5), geo_noise_velocity=(1e-10, 1e-10), electronic_noise_v=(1e-6, 1e-6),
             hum_v=(0.0, 0.0), positive_extras={}, negative_background_speech=0.0, two_walker_prob=0.0,
             floor_probs={"concrete": 1.0})


def test_scene_shapes_rates_and_labels():
    scenes = simulate_scenes(2, 3, seed=1)
    assert scenes["audio"].shape == (5, 16_000 * 10) and scenes["audio"].dtype == np.float32
    assert scenes["geophone"].shape == (5, 4_000 * 10) and scenes["geophone"].dtype == np.float32
    assert scenes["label"].tolist() == [1, 1, 0, 0, 0]
    assert np.isfinite(scenes["audio"]).all() and np.isfinite(scenes["geophone"]).all()
    for info in scenes["info"]:
        if info.label:
            assert info.kind == "walk" and info.n_steps >= 1 and 1.5 <= info.cadence_hz <= 2.2
            assert ((info.step_times >= 0) & (info.step_times < 10)).all()
        else:
            assert info.kind in NEGATIVE_KINDS and info.n_steps == 0


def test_same_seed_same_scene_and_prefix_property():
    a1, g1, _ = simulate_scene(1, 4, seed=7)
    a2, g2, _ = simulate_scene(1, 4, seed=7)
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(g1, g2)
    a3, _, _ = simulate_scene(1, 4, seed=8)
    assert not np.allclose(a1, a3)
    small, large = simulate_scenes(1, 1, seed=2), simulate_scenes(2, 2, seed=2)
    np.testing.assert_array_equal(small["geophone"][0], large["geophone"][0])  # positive 0
    np.testing.assert_array_equal(small["geophone"][1], large["geophone"][2])  # negative 0


def test_bad_label_and_counts_are_rejected():
    with pytest.raises(ValueError, match="label"):
        simulate_scene(2, 0)
    with pytest.raises(ValueError, match="n_pos"):
        simulate_scenes(-1, 0)


def test_paper_like_preset_keeps_only_the_papers_negatives():
    assert scene_preset("hard") == SceneConfig()
    cfg = scene_preset("paper_like")
    negatives = [simulate_scene(0, i, 5, cfg)[2] for i in range(12)]
    assert {info.kind for info in negatives} <= {"silence", "speech", "typing"}
    assert len({info.kind for info in negatives}) >= 2
    assert all(simulate_scene(1, i, 5, cfg)[2].extras == () for i in range(6))
    with pytest.raises(ValueError, match="paper_like"):
        scene_preset("easy")


def test_geophone_response_peaks_near_its_natural_frequency():
    b, a = sources.geophone_filter(natural_hz=10.0, damping=0.25)
    freqs = np.linspace(1, 200, 2000)
    _, h = signal.freqz(b, a, worN=freqs, fs=sources.GEO_RATE)
    peak = freqs[np.argmax(np.abs(h))]
    assert 9.5 <= peak <= 11.5  # f_n / sqrt(1 - 2 zeta^2) = 10.3 Hz
    assert np.abs(h[np.argmax(np.abs(h))]) == pytest.approx(sources.SM24_SENSITIVITY / (2 * 0.25 * np.sqrt(1 - 0.25**2)), rel=0.05)
    assert np.abs(h[-1]) == pytest.approx(sources.SM24_SENSITIVITY, rel=0.03)  # flat velocity output above f_n
    assert np.abs(h[0]) < 0.05 * sources.SM24_SENSITIVITY  # strongly attenuated below f_n


def test_cadence_is_recoverable_from_the_geophone_envelope():
    config = SceneConfig(partial_walk_prob=0.0, long_steps=(22, 24), closest_m=(0.5, 1.5), **QUIET)
    for index in range(3):
        _, geo, info = simulate_scene(1, index, seed=0, config=config)
        if info.n_steps < 10:
            continue
        sos = signal.butter(4, [5, 150], "bandpass", fs=sources.GEO_RATE, output="sos")
        env = np.abs(signal.hilbert(signal.sosfiltfilt(sos, geo)))
        env = signal.decimate(signal.decimate(env, 8), 5)  # 100 Hz
        env = env - env.mean()
        ac = np.correlate(env, env, "full")[env.size - 1:]
        lags = np.arange(ac.size) / 100.0
        window = (lags > 1 / 2.6) & (lags < 1 / 1.3)
        estimated = 1 / lags[window][np.argmax(ac[window])]
        realised = 1 / np.mean(np.diff(info.step_times))
        assert estimated == pytest.approx(realised, rel=0.06)
        return
    pytest.fail("no long walk among the scenes tried")


def test_tapping_fools_audio_but_barely_moves_the_floor():
    config = SceneConfig(negative_probs={"tapping": 1.0}, **QUIET)
    walk_peaks, tap_peaks, tap_audio = [], [], []
    for index in range(3):
        _, g_walk, _ = simulate_scene(1, index, seed=3, config=config)
        a_tap, g_tap, info = simulate_scene(0, index, seed=3, config=config)
        assert info.kind == "tapping"
        walk_peaks.append(np.abs(g_walk).max())
        tap_peaks.append(np.abs(g_tap).max())
        tap_audio.append(np.abs(a_tap).max())
    assert np.median(tap_peaks) < 0.1 * np.median(walk_peaks)
    assert min(tap_audio) > 100 * 1e-5  # clearly audible above the quiet background


def test_vibration_distractors_shake_the_floor_without_footsteps():
    config = SceneConfig(negative_probs={"vibration": 1.0}, **QUIET)
    _, geo, info = simulate_scene(0, 0, seed=4, config=config)
    assert info.kind == "vibration" and set(info.extras) <= {"drop", "chair", "rocking", "door"} and info.extras
    assert np.abs(geo).max() > 100 * 1e-6 * sources.AMPLIFIER_GAIN  # far above the electronic noise


def test_real_step_clips_replace_the_synthetic_sound(shared_data):
    from lib.footsteps.simulator import load_step_clips

    clips = load_step_clips(shared_data / "footstep_audio")
    assert len(clips) == 17 and all(c.ndim == 1 and 1000 < c.size < 16_000 for c in clips)
    a_syn, g_syn, _ = simulate_scene(1, 0, seed=0)
    a_real, g_real, _ = simulate_scene(1, 0, seed=0, clips=clips)
    assert a_real.shape == a_syn.shape and not np.allclose(a_real, a_syn)


def _preset_table() -> dict[str, str]:
    """The preset table of the simulator's module docstring: field -> its row (continuation lines joined)."""
    from lib.footsteps import simulator

    lines = simulator.__doc__.splitlines()
    rules = [i for i, line in enumerate(lines) if line.startswith("=====")]
    assert len(rules) >= 3, "the simulator docstring lost its preset table"
    rows, name = {}, None
    for line in lines[rules[1] + 1:rules[2]]:
        if line[:1].strip():  # a new row starts in column 0
            name = line.split()[0]
            rows[name] = line
        elif name and line.strip():
            rows[name] += " " + line.strip()
    return rows


def test_paper_preset_documents_every_range():
    import re

    from lib.footsteps import simulator

    paper, default = scene_preset("paper").to_dict(), SceneConfig().to_dict()
    changed = [k for k in paper if paper[k] != default[k]]
    assert changed
    unnamed = [k for k in changed if not re.search(rf"\b{k}\b", simulator.__doc__)]
    assert not unnamed, f"the simulator docstring does not name the paper preset's field(s) {unnamed}"
    rows = _preset_table()
    unsourced = [k for k in changed if "§" not in rows.get(k, "") and not re.search(r"\bours\b", rows.get(k, ""))]
    assert not unsourced, f"table rows of {unsourced} cite no paper section (§) and say no 'ours'"


def test_paper_preset_scenes_follow_its_ranges():
    cfg = scene_preset("paper")
    positives = [simulate_scene(1, i, seed=0, config=cfg)[2] for i in range(12)]
    for info in positives:
        assert info.kind == "walk" and info.n_walkers == 1 and info.n_steps >= 6
        assert info.floor == "concrete" and info.shoe in {"hard", "sneaker"} and info.extras == ()
        # nearest_m is the nearest *in-clip* step, >= the closest approach (>= 0.5 m); the pass time is
        # drawn apart from which steps fall in the clip, so only max_nearest_m bounds it from above
        assert cfg.closest_m[0] <= info.nearest_m <= cfg.max_nearest_m
    near = sum(info.nearest_m <= cfg.closest_m[1] + 0.4 for info in positives)  # + half the longest step
    assert near >= 0.75 * len(positives)
    negatives = [simulate_scene(0, i, seed=0, config=cfg)[2] for i in range(12)]
    assert {info.kind for info in negatives} <= {"speech", "typing", "silence"}
    assert len({info.kind for info in negatives}) >= 2
    assert all(info.extras == () and info.n_steps == 0 for info in negatives)
