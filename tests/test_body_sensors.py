"""Sim-to-real sensor model: each effect is measurable and seeded; the ideal model changes nothing."""

from dataclasses import replace

import numpy as np
import pytest
from scipy.signal import freqz

from lib.body.imu import GRAVITY, IMUData
from lib.body.sensors import SensorModel, _transmissibility, lab_sensor_model, realistic

FPS = 60.0
OFF = SensorModel.ideal()


def still_imu(n: int = 6000, frame: str = "sensor", gravity: bool = True, sensors: int = 3) -> IMUData:
    """Sensors at rest, upright: the accelerometer reads +g up (or 0 without gravity)."""
    acc = np.zeros((n, sensors, 3))
    if gravity:
        acc[..., 1] = GRAVITY
    ori = np.broadcast_to(np.eye(3), (n, sensors, 3, 3)).copy()
    return IMUData(acc=acc, ori=ori, fps=FPS, sites=tuple(f"s{i}" for i in range(sensors)), gyro=np.zeros((n, sensors, 3)),
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
