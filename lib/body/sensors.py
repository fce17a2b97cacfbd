"""Sim-to-real: what a real wearable IMU does to the clean virtual readings.

Virtual IMUs (:mod:`lib.body.imu`) are perfect: rigidly mounted on the bone, noise-free, exactly
timed. P4 attributes its virtual-to-real gap to such differences (§3.2). :class:`SensorModel`
applies them, per sensor, in the order they occur physically:

1. **mounting rotation**: the sensor sits rotated by M on the segment, so it measures
   f_s = (R·M)ᵀ (a − g) and ω_s = Mᵀ ω. M = M_unit · M_session: a rotation fixed per wearer/unit
   (SD ``mount_unit_sd_deg``, drawn from ``unit_rng``: how this person wears this device) times a
   rotation redrawn every session (SD ``mount_sd_deg``: how it was put on this time);
2. **soft-tissue wobble**: skin and strap make the sensor a damped spring-mass on the bone. Its
   acceleration follows the base-excitation transmissibility H(s) = (2ζω_n s + ω_n²)/(s² + 2ζω_n s + ω_n²)
   (unity at DC, resonance gain ≈ 1/(2ζ) near f_n); discretised with the prewarped bilinear transform;
3. **sampling**: either
   a. *jitter* (default): samples taken at t_k + δ_k (δ ~ N(0, ``jitter_sd_s``)) but stamped t_k, the
      white noise of step 6 band-limited to fs/2 — a sensor whose samples reach the output through an
      anti-alias filter (e.g. a 1 kHz IMU resampled to 50 Hz by a windowed-sinc resampler); or
   b. *sub-sampling without an anti-alias filter* (``internal_rate_hz`` > 0): the sensor chip produces
      its own samples at f_int (ticks τ_m = (m + φ)/f_int, clock phase φ ~ U(0, 1) per session) after its
      on-chip low-pass of bandwidth f_c (``internal_lpf_hz``); the host reads at t_k + ε_k
      (ε ~ N(0, ``jitter_sd_s``): scheduling jitter of the host) and gets the newest chip sample
      m_k = ⌊(t_k + ε_k)·f_int − φ⌋ — a sample-and-hold sub-sampler, as a phone's sensor stack delivers
      a 50 Hz stream from a chip running at a higher rate. The motion is read at τ_{m_k} (a delay of
      0-1/f_int, mean 1/(2 f_int), plus jitter; two reads of one tick repeat a sample), and the chip's
      white noise of density ND, band-limited by its own filter only, is *folded* into the output band:
      σ = ND·√B_n with the equivalent noise bandwidth B_n = (π/(2√2))·f_c of a second-order low-pass
      (= f_int/2 when f_c = 0), instead of ND·√(fs/2). The folded noise is white over 0..fs/2
      (exact when B_n ≥ f_int/2, i.e. when the chip's own rate does not resolve its filter, which is the
      case for a filter set near f_int/2). The chip filter's effect on the motion band itself
      (|H| > 0.99 below fs/2 when f_c ≥ 2·fs) is neglected;
4. **scale factor and axis misalignment**: f' = (I + diag(s) + K) f with s ~ N(0, ``scale_sd``) and
   off-diagonal cross-axis terms K ~ N(0, ``misalignment_sd``);
5. **bias**: a turn-on bias (SD ``*_bias_sd``) plus a random walk (``*_bias_walk`` per √s);
6. **white noise** of spectral density ND: σ = ND·√(fs/2) (or ND·√B_n with 3b, see :meth:`SensorModel.noise_bandwidth`);
7. **saturation** at the full-scale range, **quantisation** to ``bits`` bits over ±range;
8. **dropouts**: lost packets (rate ``dropout_rate_hz``, 0.05-0.5 s) held at the last value or NaN.

Orientation output is a sensor-fusion estimate: the true segment orientation times a slowly varying
error (``ori_error_deg``, ~0.05 Hz) and a residual mounting-calibration error (``calib_error_deg``;
DIP calibrates the mounting offset in an I-pose, eth-ait/dip18 ``live_demo``). A magnetometer-aided filter
indoors also drifts in **heading** (rotation about world up) where the magnetic field is disturbed:
``heading_drift_deg`` is the SD after 60 s of a per-sensor random walk ψ(t) of that error, applied in
the world frame (R_est ← R_y(ψ)·R_est; 0 = off). de Vries et al. (2009, Clinical Biomechanics, "Magnetic
distortion in motion labs, implications for validating inertial magnetic sensors") measured a heading SD
of 3° above 1 m and up to 29° near the floor of a motion lab, and a Kalman filter's heading deteriorating
after 20-30 s there. When the input is in the world frame without gravity (DIP convention, Xsens
``freeAcc``), the output is re-expressed with that estimated orientation, so orientation error leaks
gravity: 1 deg of tilt error gives 0.17 m/s²; a heading error only turns the horizontal components.

Typical values for consumer MEMS IMUs (datasheets: InvenSense MPU-6050 accelerometer noise
400 µg/√Hz, gyroscope 0.005 °/s/√Hz, sensitivity tolerance ±3 %, cross-axis ±2 %; Bosch BMI160
180 µg/√Hz and 0.007 °/s/√Hz) set the defaults of :meth:`SensorModel.consumer`; calibrated
research IMUs are quieter (:meth:`SensorModel.research`); :meth:`SensorModel.xsens_mtw` is the
Xsens MTw Awinda that DIP-IMU was recorded with (values and sources in its docstring). Soft-tissue
resonances of skin-mounted sensors lie around 10-20 Hz with damping ratios 0.2-0.5 (model choice from the wobbling-mass
literature); a phone in a trouser pocket wobbles more and is mounted less predictably
(:meth:`SensorModel.pocket`). Everything is seeded through the ``rng`` passed to :meth:`corrupt`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
from scipy.interpolate import CubicSpline
from scipy.signal import lfilter, lfilter_zi
from scipy.spatial.transform import Rotation

from lib.body.imu import GRAVITY, GRAVITY_VECTOR, IMUData
from lib.body.waveforms import smooth_noise

G0 = GRAVITY
DROPOUT_FILLS = ("hold", "nan", "zero")
#: Equivalent noise bandwidth of a second-order Butterworth low-pass, in units of its -3 dB frequency:
#: (π/(2n)) / sin(π/(2n)) for order n = 2.
ENBW_2ND_ORDER = (np.pi / 4.0) / np.sin(np.pi / 4.0)


@dataclass(frozen=True)
class SensorModel:
    """Sensor imperfections (units in the field names' comments); 0 switches an effect off."""

    acc_noise_density: float = 200e-6 * G0       # m/s² / √Hz  (200 µg/√Hz)
    gyro_noise_density: float = np.radians(0.007)  # rad/s / √Hz
    acc_bias_sd: float = 0.02 * G0               # m/s²  (20 mg turn-on bias after factory trim)
    gyro_bias_sd: float = np.radians(0.5)        # rad/s
    acc_bias_walk: float = 0.002                 # m/s² / √s
    gyro_bias_walk: float = np.radians(0.02)     # rad/s / √s
    scale_sd: float = 0.01                       # relative
    misalignment_sd: float = 0.01                # cross-axis coupling (rad ≈ fraction)
    mount_sd_deg: float = 8.0                    # deg, true mounting rotation
    calib_error_deg: float = 2.0                 # deg, residual after the calibration pose
    ori_error_deg: float = 1.5                   # deg, slowly varying sensor-fusion error
    wobble_hz: float = 14.0                      # Hz, soft-tissue natural frequency (0 = rigid)
    wobble_damping: float = 0.35                 # damping ratio ζ
    jitter_sd_s: float = 0.0005                  # s, sampling-time jitter
    acc_range: float = 16 * G0                   # m/s², full scale (±16 g)
    gyro_range: float = np.radians(2000.0)       # rad/s, full scale (±2000 °/s)
    bits: int = 16                               # ADC resolution (0 = no quantisation)
    dropout_rate_hz: float = 0.02                # lost-packet episodes per second
    dropout_s: tuple = (0.05, 0.5)               # episode length range, s
    dropout_fill: str = "hold"                   # "hold" | "nan" | "zero"
    mount_unit_sd_deg: float = 0.0               # deg, mounting rotation fixed per wearer/unit (drawn from unit_rng)
    internal_rate_hz: float = 0.0                # Hz, chip sample rate the host sub-samples without anti-alias filter (0 = off)
    internal_lpf_hz: float = 0.0                 # Hz, -3 dB bandwidth of the chip's low-pass (0 = none: noise up to f_int/2)
    heading_drift_deg: float = 0.0               # deg, SD after 60 s of the heading (yaw about world up) random walk (0 = off)

    def __post_init__(self) -> None:
        if self.dropout_fill not in DROPOUT_FILLS:
            raise ValueError(f"dropout_fill={self.dropout_fill!r} is unknown; use one of {list(DROPOUT_FILLS)}")
        for name, value in asdict(self).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
                raise ValueError(f"SensorModel.{name}={value!r} must be >= 0 (0 switches the effect off)")
        if self.internal_lpf_hz and not self.internal_rate_hz:
            raise ValueError(f"SensorModel.internal_lpf_hz={self.internal_lpf_hz!r} needs internal_rate_hz > 0 "
                             "(the chip rate the filter runs at)")

    # -- presets -------------------------------------------------------------------------------
    @classmethod
    def ideal(cls) -> "SensorModel":
        """No imperfection at all (the output equals the input)."""
        return cls(acc_noise_density=0, gyro_noise_density=0, acc_bias_sd=0, gyro_bias_sd=0, acc_bias_walk=0,
                   gyro_bias_walk=0, scale_sd=0, misalignment_sd=0, mount_sd_deg=0, calib_error_deg=0,
                   ori_error_deg=0, wobble_hz=0, jitter_sd_s=0, acc_range=0, gyro_range=0, bits=0, dropout_rate_hz=0)

    @classmethod
    def consumer(cls) -> "SensorModel":
        """A consumer MEMS IMU in a strap or watch (the defaults)."""
        return cls()

    @classmethod
    def research(cls) -> "SensorModel":
        """A calibrated research IMU (Xsens-like): quieter, better calibrated, firmly strapped."""
        return cls(acc_noise_density=100e-6 * G0, gyro_noise_density=np.radians(0.005), acc_bias_sd=0.005 * G0,
                   gyro_bias_sd=np.radians(0.2), scale_sd=0.003, misalignment_sd=0.003, mount_sd_deg=5.0,
                   calib_error_deg=1.5, ori_error_deg=1.0, wobble_hz=18.0, wobble_damping=0.45, dropout_rate_hz=0.01)

    @classmethod
    def xsens_mtw(cls) -> "SensorModel":
        """An Xsens MTw Awinda strapped to a segment and calibrated in an I-pose, as DIP-IMU was recorded.

        Sensor: accelerometer noise 200 µg/√Hz, range ±160 m/s² (±16 g); gyroscope 0.01 °/s/√Hz, ±2000 °/s;
        16-bit; dynamic orientation accuracy about 0.75° (roll/pitch) and 1.5° (heading) RMS: the MTw Awinda
        specifications as given by Paulich et al. (2018, "Xsens MTw Awinda: miniature wireless inertial-magnetic
        motion tracker", Xsens white paper) -- our reading of that table, not re-verified here. Samples come
        out of the on-board strap-down integration (MTw user manual, "SDI"), so they are anti-alias filtered
        and synchronised (no sub-sampling, jitter 0).
        Ours (assumptions): turn-on residual bias 5 mg after factory calibration; scale and cross-axis 0.3 %;
        a strap sits 10° (SD) off the segment axes, which the I-pose calibration removes up to a residual of 3°
        (a person's I-pose is a few degrees off the ideal one); fusion error 1° (slow); heading drift 3° after
        a minute (de Vries et al. 2009, see the module docstring); wireless packet loss 0.02 episodes/s of
        0.03-0.3 s held at the last value (DIP-IMU has NaN gaps that loaders fill from neighbours, e.g. TransPose).
        Soft tissue: a sensor of mass m on skin of tangential stiffness k = 330-1900 N/m (Karlsson & Tranberg
        1999, Hum Mov Sci, "On skin movement artefact-resonant frequencies of skin markers attached to the
        leg") resonates at √(k/m)/2π = 18-43 Hz for m = 16 g (MTw, recalled) + ~10 g strap (ours); 25 Hz with
        damping 0.3 (ours).
        """
        return cls(acc_noise_density=200e-6 * G0, gyro_noise_density=np.radians(0.01), acc_bias_sd=0.005 * G0,
                   gyro_bias_sd=np.radians(0.2), acc_bias_walk=0.0005, gyro_bias_walk=np.radians(0.005),
                   scale_sd=0.003, misalignment_sd=0.003, mount_sd_deg=10.0, calib_error_deg=3.0, ori_error_deg=1.0,
                   heading_drift_deg=3.0, wobble_hz=25.0, wobble_damping=0.3, jitter_sd_s=0.0, acc_range=16 * G0,
                   gyro_range=np.radians(2000.0), bits=16, dropout_rate_hz=0.02, dropout_s=(0.03, 0.3),
                   dropout_fill="hold")

    @classmethod
    def pocket(cls) -> "SensorModel":
        """A phone loose in a trouser pocket: large unknown mounting rotation, strong wobble."""
        return cls(mount_sd_deg=25.0, calib_error_deg=10.0, wobble_hz=8.0, wobble_damping=0.25,
                   acc_noise_density=300e-6 * G0, dropout_rate_hz=0.0)

    def noise_bandwidth(self, fps: float) -> float:
        """Equivalent noise bandwidth B_n (Hz) of the white noise in output samples at rate ``fps``.

        fps/2 when samples are anti-alias filtered (the default); with sub-sampling (``internal_rate_hz``)
        the chip's own band folds in: (π/(2√2))·``internal_lpf_hz`` for its second-order low-pass, or
        ``internal_rate_hz``/2 without one.
        """
        if not self.internal_rate_hz:
            return fps / 2.0
        if self.internal_lpf_hz:
            return float(ENBW_2ND_ORDER * self.internal_lpf_hz)
        return self.internal_rate_hz / 2.0

    def noise_sd(self, fps: float) -> tuple[float, float]:
        """White-noise SD (acc m/s², gyro rad/s) of output samples at rate ``fps``: ND·√B_n (:meth:`noise_bandwidth`)."""
        bw = np.sqrt(self.noise_bandwidth(fps))
        return self.acc_noise_density * bw, self.gyro_noise_density * bw

    # -- the model -----------------------------------------------------------------------------
    def __call__(self, imu: IMUData, rng: np.random.Generator) -> IMUData:
        return self.corrupt(imu, rng)

    def corrupt(self, imu: IMUData, rng: np.random.Generator, unit_rng: np.random.Generator | None = None) -> IMUData:
        """Apply every effect to ``imu`` (any convention) and return readings in the same convention.

        rng: draws of this recording session (mounting, calibration, turn-on bias, noise, drift, jitter,
        dropouts); unit_rng: draws tied to the person and the sensor units (soft-tissue resonance, scale
        factors, axis misalignment), default ``rng``. ``meta["sensor_model"]`` records the draws.
        """
        unit_rng = rng if unit_rng is None else unit_rng
        T, S = imu.acc.shape[:2]
        fs = imu.fps
        R = imu.ori
        a_world = _world_acceleration(imu)                                          # (T, S, 3), no gravity
        mount = Rotation.from_rotvec(np.radians(self.mount_sd_deg) * rng.standard_normal((S, 3)))
        if self.mount_unit_sd_deg:  # how this wearer wears this unit, then how it sits this session
            mount = Rotation.from_rotvec(np.radians(self.mount_unit_sd_deg) * unit_rng.standard_normal((S, 3))) * mount
        M = mount.as_matrix()                                                        # (S, 3, 3)
        R_phys = np.einsum("tsij,sjk->tsik", R, M)
        f = np.einsum("tsji,tsj->tsi", R_phys, a_world - GRAVITY_VECTOR)            # specific force, sensor frame
        gyro = None
        if imu.gyro is not None:
            gyro = np.einsum("sji,tsj->tsi", M, imu.gyro)
        f = self._wobble(f, fs, unit_rng)
        f, gyro, picks = self._jitter(f, gyro, fs, rng)
        draws = {"mount_rotvec_deg": np.degrees(mount.as_rotvec())}
        if picks is not None:
            draws["chip_sample"] = picks
        f, draws["acc_bias"], draws["acc_scale"] = self._imperfect(f, fs, rng, unit_rng, self.acc_bias_sd, self.acc_bias_walk,
                                                                   self.acc_noise_density, self.acc_range, picks)
        if gyro is not None:
            gyro, draws["gyro_bias"], draws["gyro_scale"] = self._imperfect(gyro, fs, rng, unit_rng, self.gyro_bias_sd,
                                                                            self.gyro_bias_walk, self.gyro_noise_density,
                                                                            self.gyro_range, picks)
        # orientation estimate: physical sensor orientation with a slow fusion error, then the calibrated mount removed
        err = np.radians(self.ori_error_deg) * smooth_noise(rng, T, fs, 0.05, (S, 3)) if self.ori_error_deg else np.zeros((T, S, 3))
        R_est_phys = np.einsum("tsij,tsjk->tsik", R_phys, Rotation.from_rotvec(err.reshape(-1, 3)).as_matrix().reshape(T, S, 3, 3))
        psi = None
        if self.heading_drift_deg:  # heading random walk about world up, SD heading_drift_deg after 60 s
            psi = np.radians(self.heading_drift_deg) * np.cumsum(rng.standard_normal((T, S)), axis=0) / np.sqrt(60.0 * fs)
            yaw = Rotation.from_rotvec(np.einsum("ts,j->tsj", psi, [0.0, 1.0, 0.0]).reshape(-1, 3)).as_matrix()
            R_est_phys = np.einsum("tsij,tsjk->tsik", yaw.reshape(T, S, 3, 3), R_est_phys)
        calib = (mount * Rotation.from_rotvec(np.radians(self.calib_error_deg) * rng.standard_normal((S, 3)))).as_matrix()
        ori = np.einsum("tsij,skj->tsik", R_est_phys, calib)                        # R_est_phys · calibᵀ
        if imu.acc_frame == "world":
            acc = np.einsum("tsij,tsj->tsi", R_est_phys, f)                          # specific force in the world
            if not imu.gravity:
                acc = acc + GRAVITY_VECTOR                                           # remove the (assumed) gravity
        else:
            acc = f if imu.gravity else f + np.einsum("tsji,j->tsi", R_est_phys, GRAVITY_VECTOR)
        acc, gyro, ori, draws["dropouts"] = self._dropouts(acc, gyro, ori, fs, rng)
        if psi is not None:
            draws["heading_error_deg"] = np.degrees(psi)
        meta = {**imu.meta, "sensor_model": {"params": asdict(self), **draws}}
        return replace(imu, acc=acc, gyro=gyro, ori=ori, meta=meta)

    def _wobble(self, f: np.ndarray, fs: float, rng: np.random.Generator) -> np.ndarray:
        if not self.wobble_hz:
            return f
        out = np.empty_like(f)
        for s in range(f.shape[1]):
            fn = min(self.wobble_hz * float(np.exp(0.15 * rng.standard_normal())), 0.45 * fs)
            b, a = _transmissibility(fn, self.wobble_damping, fs)
            zi = lfilter_zi(b, a)
            for k in range(3):
                out[:, s, k], _ = lfilter(b, a, f[:, s, k], zi=zi * f[0, s, k])
        return out

    def _jitter(self, f, gyro, fs, rng):
        """Step 3: when each output sample was really taken. Returns (f, gyro, chip sample index or None)."""
        if self.internal_rate_hz:
            return self._subsample(f, gyro, fs, rng)
        if not self.jitter_sd_s or f.shape[0] < 4:
            return f, gyro, None
        t = np.arange(f.shape[0]) / fs
        t_true = np.clip(t + self.jitter_sd_s * rng.standard_normal(t.size), t[0], t[-1])
        f = CubicSpline(t, f, axis=0)(t_true)
        if gyro is not None:
            gyro = CubicSpline(t, gyro, axis=0)(t_true)
        return f, gyro, None

    def _subsample(self, f, gyro, fs, rng):
        """Step 3b: the host reads the newest chip sample (sample-and-hold, no anti-alias filter).

        Returns the motion at the chip ticks actually read and, per output sample, the index (from 0) of
        the chip sample it holds, so that the noise of one chip sample is shared by repeated reads.
        """
        f_int = float(self.internal_rate_hz)
        if f_int < fs:
            raise ValueError(f"SensorModel.internal_rate_hz={f_int!r} is below the output rate {fs} Hz; "
                             "the chip must sample at least as fast as the host reads it")
        T = f.shape[0]
        t = np.arange(T) / fs
        phase = rng.uniform()                                          # chip clock phase, in chip periods
        read = t + self.jitter_sd_s * rng.standard_normal(T) if self.jitter_sd_s else t
        m = np.floor(read * f_int - phase)                             # newest chip tick at each host read
        tau = np.clip((m + phase) / f_int, t[0], t[-1])                # when that chip sample was taken (s)
        if T >= 4:
            f = CubicSpline(t, f, axis=0)(tau)
            if gyro is not None:
                gyro = CubicSpline(t, gyro, axis=0)(tau)
        return f, gyro, (m - m.min()).astype(np.int64)

    def _noise(self, shape: tuple, density: float, fs: float, rng: np.random.Generator, picks) -> np.ndarray:
        """White noise of spectral density ``density`` in output samples (step 6; folded chip noise with 3b)."""
        if picks is None:
            return density * np.sqrt(fs / 2.0) * rng.standard_normal(shape)
        chip = density * np.sqrt(self.noise_bandwidth(fs)) * rng.standard_normal((int(picks.max()) + 1,) + shape[1:])
        return chip[picks]

    def _imperfect(self, x: np.ndarray, fs: float, rng: np.random.Generator, unit_rng: np.random.Generator,
                   bias_sd: float, bias_walk: float, density: float, full_scale: float, picks=None):
        T, S, _ = x.shape
        scale = np.eye(3) + self.misalignment_sd * unit_rng.standard_normal((S, 3, 3)) * (1 - np.eye(3))
        scale = scale + np.einsum("sk,kj->skj", self.scale_sd * unit_rng.standard_normal((S, 3)), np.eye(3))
        y = np.einsum("sij,tsj->tsi", scale, x)
        bias = bias_sd * rng.standard_normal((S, 3))
        y = y + bias
        if bias_walk:
            y = y + np.cumsum(bias_walk / np.sqrt(fs) * rng.standard_normal((T, S, 3)), axis=0)
        if density:
            y = y + self._noise((T, S, 3), density, fs, rng, picks)
        if full_scale:
            y = np.clip(y, -full_scale, full_scale)
            if self.bits:
                lsb = 2.0 * full_scale / 2 ** self.bits
                y = np.round(y / lsb) * lsb
        return y, bias, np.einsum("sii->si", scale) - 1.0

    def _dropouts(self, acc, gyro, ori, fs, rng):
        T = acc.shape[0]
        lost = np.zeros((T, acc.shape[1]), bool)
        if self.dropout_rate_hz:
            for s in range(acc.shape[1]):
                n = rng.poisson(self.dropout_rate_hz * T / fs)
                for start in rng.integers(0, T, n):
                    lost[start:start + max(1, int(rng.uniform(*self.dropout_s) * fs)), s] = True
        if not lost.any():
            return acc, gyro, ori, lost
        arrays = [acc, ori] + ([gyro] if gyro is not None else [])
        out = []
        for x in arrays:
            x = x.copy()
            if self.dropout_fill == "hold":
                idx = np.where(~lost, np.arange(T)[:, None], 0)
                idx = np.maximum.accumulate(idx, axis=0)
                x = np.take_along_axis(x, idx.reshape(idx.shape + (1,) * (x.ndim - 2)), axis=0)
            else:
                x[lost] = np.nan if self.dropout_fill == "nan" else 0.0
            out.append(x)
        return out[0], (out[2] if gyro is not None else None), out[1], lost


def _world_acceleration(imu: IMUData) -> np.ndarray:
    """Gravity-free world-frame acceleration (T, S, 3) from any IMUData convention."""
    acc = imu.acc if imu.acc_frame == "world" else np.einsum("tsij,tsj->tsi", imu.ori, imu.acc)
    return acc + GRAVITY_VECTOR if imu.gravity else acc


def _transmissibility(fn: float, zeta: float, fs: float) -> tuple[np.ndarray, np.ndarray]:
    """Discrete (b, a) of H(s) = (2ζω s + ω²)/(s² + 2ζω s + ω²), bilinear transform prewarped at fn."""
    from scipy.signal import bilinear

    w = 2.0 * fs * np.tan(np.pi * fn / fs)  # prewarped natural frequency (rad/s)
    return bilinear([2 * zeta * w, w * w], [1.0, 2 * zeta * w, w * w], fs)


def realistic(imu: IMUData, subject_rng: np.random.Generator, session_rng: np.random.Generator,
              model: SensorModel | None = None) -> IMUData:
    """``imu`` as a real recording: :meth:`SensorModel.consumer` (or ``model``) with person/unit draws from
    ``subject_rng`` (the same for every session of one subject) and session draws from ``session_rng``."""
    return (model or SensorModel.consumer()).corrupt(imu, session_rng, unit_rng=subject_rng)


def lab_sensor_model(**overrides) -> SensorModel:
    """A lab-grade research IMU (:meth:`SensorModel.research`) with field overrides; call it as ``model(imu, rng)``."""
    unknown = set(overrides) - set(SensorModel.__dataclass_fields__)
    if unknown:
        raise ValueError(f"lab_sensor_model: unknown SensorModel field(s) {sorted(unknown)}; "
                         f"known: {sorted(SensorModel.__dataclass_fields__)}")
    return replace(SensorModel.research(), **overrides)
