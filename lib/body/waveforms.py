"""Time-course building blocks for procedural motion: phases, periodic bumps, smooth noise, profiles.

* :func:`phase` integrates a cadence with a slowly wandering rate (real cadence varies by a few
  per cent from stride to stride), so repeated cycles are never identical;
* :func:`bump` is a periodic von Mises bump (peak 1) used to draw joint-angle curves from their
  landmarks (e.g. the knee's swing-phase peak at 70 % of the gait cycle);
* :func:`smooth_noise` is band-limited Gaussian noise with unit standard deviation (white noise
  through a Gaussian low-pass filter, ``scipy.ndimage.gaussian_filter1d``), the "smooth random
  perturbation" added to every joint angle;
* :func:`min_jerk` is the minimum-jerk profile 10s³ − 15s⁴ + 6s⁵ (Flash & Hogan 1985) used for
  reaching and posture transitions;
* :func:`events` draws random event times (a Poisson process with a refractory gap) and
  :func:`pulse_train` turns them into smooth pulses (punches, reaches, fidgets).
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter1d


def smooth_noise(rng: np.random.Generator, n: int, fps: float, cutoff_hz: float, shape: tuple = ()) -> np.ndarray:
    """(n, *shape) unit-variance noise with its power mostly below ``cutoff_hz``."""
    sigma = fps / (2.0 * np.pi * cutoff_hz)  # Gaussian kernel whose -3 dB point is near cutoff_hz
    pad = int(4 * sigma) + 1
    white = rng.standard_normal((n + 2 * pad,) + tuple(shape))
    if sigma < 0.3:
        return white[pad:pad + n]
    smooth = gaussian_filter1d(white, sigma, axis=0, mode="wrap")[pad:pad + n]
    return smooth * np.sqrt(2.0 * np.sqrt(np.pi) * sigma)  # variance of Gaussian-filtered white noise = 1/(2√π σ)


def phase(rng: np.random.Generator, t: np.ndarray, freq: float | np.ndarray, jitter: float = 0.03,
          fps: float | None = None, start: float | None = None) -> np.ndarray:
    """Cycle phase (rad) for a rate ``freq`` (Hz) that wanders by ``jitter`` (relative SD, ~0.2 Hz drift)."""
    fps = fps if fps is not None else (1.0 / np.median(np.diff(t)) if t.size > 1 else 60.0)
    rate = np.broadcast_to(np.asarray(freq, dtype=np.float64), t.shape) * (1.0 + jitter * smooth_noise(rng, t.size, fps, 0.2))
    start = rng.uniform(0, 2 * np.pi) if start is None else start
    return start + 2.0 * np.pi * np.concatenate([[0.0], np.cumsum(rate[:-1]) / fps])


def bump(phi: np.ndarray, centre: float, width: float) -> np.ndarray:
    """Periodic bump of height 1 at cycle fraction ``centre`` with about ``width`` (cycle fraction, ~1 SD)."""
    kappa = 1.0 / (2.0 * np.pi * width) ** 2
    return np.exp(kappa * (np.cos(phi - 2.0 * np.pi * centre) - 1.0))


def cycle_fraction(phi: np.ndarray) -> np.ndarray:
    """Phase (rad) -> position in the cycle, 0..1."""
    return np.mod(phi / (2.0 * np.pi), 1.0)


def min_jerk(s: np.ndarray) -> np.ndarray:
    """Minimum-jerk profile 0 -> 1 for s in [0, 1] (clipped outside)."""
    s = np.clip(s, 0.0, 1.0)
    return s ** 3 * (10.0 - 15.0 * s + 6.0 * s * s)


def ramp(t: np.ndarray, start: float, duration: float) -> np.ndarray:
    """Minimum-jerk step from 0 (before ``start``) to 1 (after ``start + duration``)."""
    return min_jerk((t - start) / max(duration, 1e-9))


def events(rng: np.random.Generator, duration: float, rate_hz: float, min_gap: float = 0.0,
           start: float = 0.0) -> np.ndarray:
    """Event times in [start, duration): exponential gaps of mean 1/rate plus a refractory ``min_gap``."""
    times, t = [], start + rng.exponential(1.0 / rate_hz) * 0.5
    while t < duration:
        times.append(t)
        t += min_gap + rng.exponential(1.0 / rate_hz)
    return np.array(times)


def pulse(t: np.ndarray, t0: float, rise: float, hold: float, fall: float) -> np.ndarray:
    """Smooth 0 -> 1 -> 0 pulse starting at t0: min-jerk rise, hold, min-jerk fall."""
    return ramp(t, t0, rise) * (1.0 - ramp(t, t0 + rise + hold, fall))


def pulse_train(t: np.ndarray, times: np.ndarray, rise: float, hold: float, fall: float,
                amplitudes: np.ndarray | None = None) -> np.ndarray:
    """Sum of :func:`pulse` at ``times`` (each scaled by ``amplitudes``), overlapping pulses saturate at max."""
    out = np.zeros_like(t)
    amplitudes = np.ones(len(times)) if amplitudes is None else amplitudes
    for t0, a in zip(times, amplitudes):
        out = np.maximum(out, a * pulse(t, t0, rise, hold, fall)) if a >= 0 else np.minimum(out, a * pulse(t, t0, rise, hold, fall))
    return out


def piecewise_choice(rng: np.random.Generator, t: np.ndarray, options: list, segment_s: tuple[float, float]) -> list[tuple[float, float, object]]:
    """Split [0, t_end] into segments of random length (uniform in ``segment_s``) each with a random option."""
    segments, start, end = [], 0.0, float(t[-1]) + 1e-9 if t.size else 0.0
    while start < end:
        length = rng.uniform(*segment_s)
        stop = start + length
        if end - stop < segment_s[0]:  # a short remainder joins this segment (no too-short final move)
            stop = end
        segments.append((start, stop, options[rng.integers(len(options))]))
        start = stop
    return segments


def soft_union(envelopes: list[np.ndarray], n: int) -> np.ndarray:
    """Combine 0..1 envelopes smoothly: 1 - prod(1 - e) (a max without kinks)."""
    out = np.ones(n)
    for env in envelopes:
        out *= 1.0 - np.clip(env, 0.0, 1.0)
    return 1.0 - out


def soft_positive(x: np.ndarray) -> np.ndarray:
    """Smooth map of a zero-mean signal onto 0..1 (logistic), for activity levels that must stay >= 0."""
    return 0.5 * (1.0 + np.tanh(1.5 * x))
