"""Sim-to-real sensor model: each effect is measurable and seeded; the ideal model changes nothing."""

from dataclasses import replace

import numpy as np
import pytest
from scipy.signal import freqz

from lib.body.imu import GRAVITY, IMUData
from lib.body.sensors import ENBW_2ND_ORDER, SensorModel, _transmissibility, lab_sensor_model, realistic

FPS = 60.0
OFF = SensorModel.ideal()


def still_imu(n: int = 6000, frame: str = "sensor", gravity: bool = True, sensors: int = 3, fps: float = FPS) -> IMUData:
    """Sensors at rest, upright: the accelerometer reads +g up (or 0 without gravity)."""
    acc = np.zeros((n, sensors, 3))
    if gravity:
        acc[..., 1] = GRAVITY
    ori = np.broadcast_to(np.eye(3), (n, sensors, 3, 3)).copy()
    return IMUData(acc=acc, ori=ori, fps=fps, sites=tuple(f"s{i}" for i in range(sensors)), gyro=np.zeros((n, sensors, 3)),
                   acc_frame=frame, gravity=gravity)


def test_ideal_model_is_the_identity():
    rng = np.random.default_rng(0)
    imu = still_imu(200)
    imu.acc[:, 0, 0] = np.sin(np.arange(200) / 5.0)
    out = OFF.corrupt(imu, rng)
    np.testing.assert_allclose(out.acc, imu.acc, atol=1e-12)
    np.testing.assert_allclose(out.ori, imu.ori, atol=1e-12)


def test_white_noise_has_the_datasheet_standard_deviation():
    model = replace(OFF, acc_noise_density=300e-6 * GRAVITY, gyro_noise_density=np.radians(0.01))
    out = model.corrupt(still_imu(), np.random.default_rng(1))
    acc_sd, gyro_sd = model.noise_sd(FPS)
    assert np.std(out.acc - still_imu().acc) == pytest.approx(acc_sd, rel=0.03)
    assert np.std(out.gyro) == pytest.approx(gyro_sd, rel=0.03)


def test_bias_is_drawn_per_sensor_and_shows_in_the_mean():
    model = replace(OFF, acc_bias_sd=0.3, gyro_bias_sd=0.02)
    out = model.corrupt(still_imu(2000), np.random.default_rng(2))
    drawn = out.meta["sensor_model"]
    np.testing.assert_allclose((out.acc - still_imu(2000).acc).mean(axis=0), drawn["acc_bias"], atol=1e-9)
    np.testing.assert_allclose(out.gyro.mean(axis=0), drawn["gyro_bias"], atol=1e-9)
    assert np.std(drawn["acc_bias"]) > 0.05


def test_saturation_quantisation_and_dropouts():
    imu = still_imu(3000)
    imu.acc[::100, 0, 0] = 500.0  # spikes beyond ±16 g
    out = replace(OFF, acc_range=16 * GRAVITY, bits=12).corrupt(imu, np.random.default_rng(3))
    assert out.acc.max() <= 16 * GRAVITY + 1e-9
    lsb = 2 * 16 * GRAVITY / 2 ** 12
    np.testing.assert_allclose(out.acc / lsb, np.round(out.acc / lsb), atol=1e-6)
    lost = replace(OFF, dropout_rate_hz=0.5, dropout_fill="nan").corrupt(still_imu(6000), np.random.default_rng(4))
    frac = np.isnan(lost.acc[..., 0]).mean()
    assert 0.02 < frac < 0.4
    held = replace(OFF, dropout_rate_hz=0.5).corrupt(still_imu(6000), np.random.default_rng(4))
    assert not np.isnan(held.acc).any()


def test_soft_tissue_wobble_is_a_resonant_low_pass_with_unit_dc_gain():
    b, a = _transmissibility(12.0, 0.3, FPS)
    w, h = freqz(b, a, worN=4096, fs=FPS)
    assert abs(h[0]) == pytest.approx(1.0, abs=1e-6)
    peak = w[np.argmax(abs(h))]
    assert 9.0 < peak < 13.0 and 1.4 < abs(h).max() < 2.2  # resonance near fn, gain ~ 1/(2ζ)·√(1+4ζ²)


def test_orientation_error_leaks_gravity_into_free_acceleration():
    model = replace(OFF, ori_error_deg=2.0)
    out = model.corrupt(still_imu(6000, frame="world", gravity=False), np.random.default_rng(5))
    leak = np.linalg.norm(out.acc, axis=-1)
    assert 0.05 < np.sqrt((leak ** 2).mean()) < 1.5  # ~ g · sin(2°) = 0.34 m/s²
    assert np.all(np.isfinite(out.ori))


def test_same_seed_same_numbers_and_presets():
    imu = still_imu(600)
    a = SensorModel.consumer().corrupt(imu, np.random.default_rng(7))
    b = SensorModel.consumer().corrupt(imu, np.random.default_rng(7))
    c = SensorModel.consumer().corrupt(imu, np.random.default_rng(8))
    np.testing.assert_array_equal(a.acc, b.acc)
    assert not np.allclose(a.acc, c.acc)
    # a subject's unit draws (scale, misalignment, wobble) are shared across sessions
    s1 = realistic(imu, np.random.default_rng(1), np.random.default_rng(10))
    s2 = realistic(imu, np.random.default_rng(1), np.random.default_rng(11))
    np.testing.assert_array_equal(s1.meta["sensor_model"]["acc_scale"], s2.meta["sensor_model"]["acc_scale"])
    assert lab_sensor_model(wobble_hz=0).wobble_hz == 0
    with pytest.raises(ValueError, match="unknown SensorModel field"):
        lab_sensor_model(noise=1)
    with pytest.raises(ValueError, match="must be >= 0"):
        SensorModel(scale_sd=-1)


def test_subsampling_without_anti_alias_filter_folds_the_chip_noise_into_the_band():
    """A 200 Hz chip with a 98 Hz low-pass read at 50 Hz: σ = ND·√(1.11·98 Hz), white over 0-25 Hz."""
    nd, fs = 300e-6 * GRAVITY, 50.0
    filtered = replace(OFF, acc_noise_density=nd)                       # default: anti-aliased to fs/2
    folded = replace(filtered, internal_rate_hz=200.0, internal_lpf_hz=98.0)
    imu = still_imu(20000, sensors=1, fps=fs)
    sd_filtered = np.std(filtered.corrupt(imu, np.random.default_rng(1)).acc - imu.acc)
    noise = (folded.corrupt(imu, np.random.default_rng(1)).acc - imu.acc)[:, 0]
    assert filtered.noise_bandwidth(fs) == fs / 2 and ENBW_2ND_ORDER == pytest.approx(1.1107, abs=1e-4)
    assert folded.noise_bandwidth(fs) == pytest.approx(ENBW_2ND_ORDER * 98.0)
    assert sd_filtered == pytest.approx(nd * np.sqrt(fs / 2), rel=0.03)
    assert np.std(noise) == pytest.approx(nd * np.sqrt(ENBW_2ND_ORDER * 98.0), rel=0.03)
    assert np.std(noise) / sd_filtered == pytest.approx(np.sqrt(ENBW_2ND_ORDER * 98.0 / 25.0), rel=0.05)  # ≈ 2.1
    # folded noise is white: the upper half of the output band holds as much power as the lower half
    power = np.abs(np.fft.rfft(noise, axis=0)) ** 2
    f = np.fft.rfftfreq(len(noise), 1 / fs)
    ratio = power[f > fs / 4].mean() / power[(f > 0) & (f <= fs / 4)].mean()
    assert 0.85 < ratio < 1.15
    # without a chip filter the whole chip band (f_int/2) folds in
    assert replace(folded, internal_lpf_hz=0.0).noise_bandwidth(fs) == 100.0


def test_subsampling_reads_the_newest_chip_sample():
    """Sample-and-hold: each read lags by 0 to 1/f_int (mean 1/(2 f_int)); repeated reads repeat a chip sample."""
    fs, f_int, n = 50.0, 200.0, 100
    ramp = still_imu(n, sensors=1, fps=fs)
    ramp.acc[:, 0, 0] = np.arange(n) / fs                               # 1 m/s² per second: lag in s = drop in m/s²
    model = replace(OFF, internal_rate_hz=f_int)
    lags = []
    for seed in range(200):
        out = model.corrupt(ramp, np.random.default_rng(seed))
        lag = (ramp.acc[:, 0, 0] - out.acc[:, 0, 0])[2:-2]
        assert np.ptp(lag) < 1e-9                                      # no jitter: one clock phase, one lag
        assert -1e-9 <= lag[0] < 1 / f_int + 1e-9
        lags.append(lag[0])
    assert np.mean(lags) == pytest.approx(0.5 / f_int, abs=0.3e-3)
    # host jitter larger than a chip period: some reads get the same chip sample, with the same noise
    jittery = replace(OFF, internal_rate_hz=fs, jitter_sd_s=0.01, acc_noise_density=300e-6 * GRAVITY)
    out = jittery.corrupt(still_imu(400, sensors=1, fps=fs), np.random.default_rng(4))
    picks = out.meta["sensor_model"]["chip_sample"]
    again = np.flatnonzero(np.diff(picks) == 0)
    assert again.size > 0 and np.all(np.diff(picks) >= -2)
    np.testing.assert_array_equal(out.acc[again], out.acc[again + 1])
    changed = np.flatnonzero(np.diff(picks) != 0)
    assert not np.any(np.all(out.acc[changed] == out.acc[changed + 1], axis=(1, 2)))


def test_subsampling_parameters_are_checked():
    with pytest.raises(ValueError, match="internal_lpf_hz"):
        SensorModel(internal_lpf_hz=50.0)
    with pytest.raises(ValueError, match="internal_rate_hz"):
        replace(OFF, internal_rate_hz=20.0).corrupt(still_imu(100, fps=50.0), np.random.default_rng(0))


def test_mounting_has_a_per_wearer_part_shared_across_sessions():
    model = replace(OFF, mount_unit_sd_deg=10.0)                        # no per-session part: only the wearer's
    imu = still_imu(50, sensors=2)
    a = model.corrupt(imu, np.random.default_rng(10), unit_rng=np.random.default_rng(1))
    b = model.corrupt(imu, np.random.default_rng(11), unit_rng=np.random.default_rng(1))
    c = model.corrupt(imu, np.random.default_rng(10), unit_rng=np.random.default_rng(2))
    np.testing.assert_allclose(a.meta["sensor_model"]["mount_rotvec_deg"], b.meta["sensor_model"]["mount_rotvec_deg"])
    np.testing.assert_allclose(a.acc, b.acc)
    assert not np.allclose(a.meta["sensor_model"]["mount_rotvec_deg"], c.meta["sensor_model"]["mount_rotvec_deg"])
    # the wearer's rotation tilts gravity away from the upright y axis by about its size
    tilt = np.degrees(np.arccos(np.clip(a.acc[0, :, 1] / GRAVITY, -1, 1)))
    assert np.all((tilt > 0.5) & (tilt < 45))


# --------------------------------------------------------------------------- heading drift

def heading_only(deg: float) -> SensorModel:
    return replace(OFF, heading_drift_deg=deg)


def test_heading_drift_is_a_yaw_random_walk_of_the_stated_size():
    """SD of the heading error after 60 s is heading_drift_deg; roll and pitch are untouched (up stays up)."""
    n, sensors = int(60 * FPS) + 1, 400
    out = heading_only(3.0).corrupt(still_imu(n, frame="world", gravity=False, sensors=sensors), np.random.default_rng(0))
    up = out.ori[:, :, :, 1]  # the sensor's y axis in the world: still vertical
    assert np.allclose(up, [0.0, 1.0, 0.0], atol=1e-9)
    yaw = np.degrees(np.arctan2(out.ori[-1, :, 0, 2], out.ori[-1, :, 2, 2]))
    assert 2.6 < yaw.std() < 3.4 and abs(yaw.mean()) < 0.6
    assert np.allclose(out.meta["sensor_model"]["heading_error_deg"][-1], yaw, atol=1e-6)
    # a random walk: the spread after 15 s is half that after 60 s
    yaw15 = np.degrees(np.arctan2(out.ori[int(15 * FPS), :, 0, 2], out.ori[int(15 * FPS), :, 2, 2]))
    assert 1.2 < yaw15.std() < 1.8


def test_heading_drift_turns_horizontal_acceleration_only():
    n = int(120 * FPS)
    imu = still_imu(n, frame="world", gravity=False, sensors=2)
    imu.acc[:, 0, 1] = 3.0   # vertical
    imu.acc[:, 1, 2] = 3.0   # horizontal, forward
    out = heading_only(10.0).corrupt(imu, np.random.default_rng(1))
    assert np.allclose(out.acc[:, 0], [0.0, 3.0, 0.0], atol=1e-9)
    assert np.allclose(np.linalg.norm(out.acc[:, 1], axis=1), 3.0) and np.allclose(out.acc[:, 1, 1], 0.0, atol=1e-9)
    assert np.abs(out.acc[:, 1, 0]).max() > 0.05  # the forward component turned sideways


def test_heading_drift_off_changes_nothing_and_the_mtw_preset():
    imu = still_imu(300, frame="world", gravity=False)
    a = SensorModel.research().corrupt(imu, np.random.default_rng(3))
    b = replace(SensorModel.research(), heading_drift_deg=0.0).corrupt(imu, np.random.default_rng(3))
    assert np.array_equal(a.acc, b.acc) and np.array_equal(a.ori, b.ori)
    mtw = SensorModel.xsens_mtw()
    assert mtw.heading_drift_deg > 0 and mtw.acc_range == pytest.approx(16 * GRAVITY) and mtw.bits == 16
    assert mtw.acc_noise_density == pytest.approx(200e-6 * GRAVITY)
