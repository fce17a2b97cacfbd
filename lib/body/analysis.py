"""Signal summaries used to compare real and virtual IMU data: RMS, spectra, step frequency.

* RMS acceleration: sqrt(mean over frames of |a|²) of the 3-axis vector (m/s²);
* dominant spectral peak: the frequency of the largest Welch power (``scipy.signal.welch``) within a
  band, on the zero-mean signal;
* step frequency: gait moves each thigh once per stride, so the dominant frequency of the thigh
  gyroscope's principal axis (0.3-2.5 Hz) is the stride frequency, and steps/s = 2 × that.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter1d
from scipy.signal import welch


def rms(vectors: np.ndarray) -> float:
    """RMS magnitude of (T, 3) vectors (e.g. m/s²)."""
    v = np.asarray(vectors, dtype=np.float64)
    return float(np.sqrt(np.mean(np.sum(v * v, axis=-1))))


def spectrum(x: np.ndarray, fps: float, seconds: float = 4.0) -> tuple[np.ndarray, np.ndarray]:
    """Welch power spectral density of a 1-D signal (mean removed): (frequencies Hz, power)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size < 8:
        raise ValueError(f"spectrum needs a 1-D signal of at least 8 samples; got shape {x.shape}")
    nperseg = int(min(x.size, max(8, seconds * fps)))
    return welch(x - x.mean(), fs=fps, nperseg=nperseg, nfft=max(4096, nperseg))


def dominant_frequency(x: np.ndarray, fps: float, band: tuple[float, float] = (0.3, 10.0)) -> float:
    """Frequency (Hz) of the largest spectral peak of ``x`` inside ``band``."""
    freqs, power = spectrum(x, fps)
    inside = (freqs >= band[0]) & (freqs <= band[1])
    if not inside.any():
        raise ValueError(f"band={band} Hz holds no frequency of a signal sampled at {fps} Hz")
    return float(freqs[inside][np.argmax(power[inside])])


def principal_axis(vectors: np.ndarray) -> np.ndarray:
    """(T,) projection of (T, 3) vectors on their direction of largest variance."""
    v = np.asarray(vectors, dtype=np.float64)
    v = v - v.mean(axis=0)
    _, _, vt = np.linalg.svd(v, full_matrices=False)
    return v @ vt[0]


def step_frequency(thigh_gyro: np.ndarray, fps: float) -> float:
    """Steps per second from a thigh gyroscope (T, 3): twice the stride frequency (module docstring)."""
    return 2.0 * dominant_frequency(principal_axis(thigh_gyro), fps, band=(0.3, 2.5))


def moving_segment(trans: np.ndarray, fps: float, min_speed: float = 0.15, smooth_s: float = 1.0) -> slice:
    """The frames from the first to the last moment the root moves faster than ``min_speed`` m/s (horizontally)."""
    speed = np.linalg.norm(np.gradient(np.asarray(trans)[:, [0, 2]], axis=0), axis=1) * fps
    speed = uniform_filter1d(speed, max(1, int(smooth_s * fps)))
    moving = np.flatnonzero(speed > min_speed)
    if moving.size < 2:
        raise ValueError(f"the root never moves faster than {min_speed} m/s; no walking segment")
    return slice(int(moving[0]), int(moving[-1]) + 1)


def horizontal_speed(trans: np.ndarray, fps: float, segment: slice | None = None) -> float:
    """Mean horizontal root speed (m/s) over ``segment`` (path length / time)."""
    xz = np.asarray(trans)[segment or slice(None)][:, [0, 2]]
    return float(np.linalg.norm(np.diff(xz, axis=0), axis=1).sum() * fps / max(len(xz) - 1, 1))
