"""Physical building blocks of the P1 scene simulator: floor, geophone, room and sound sources.

Every function is vectorised over events (rows) and takes a ``numpy.random.Generator`` where it
draws. Units: time in seconds, floor velocity in m/s, geophone output in volts, sound pressure in
arbitrary units (full scale ~1). :mod:`lib.footsteps.simulator` composes these into scenes; its
module docstring states the physics and every parameter range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import fft as sp_fft
from scipy import signal

AUDIO_RATE = 16_000  # Hz, microphone (paper §3.1.2)
GEO_RATE = 4_000  # Hz, geophone ADC (paper §3.1.1)
DURATION_S = 10.0  # s, every clip (paper §3.3)
SPEED_OF_SOUND = 343.0  # m/s

# SM-24 geophone (the sensor named in paper §3.1.1; SparkFun/SM-24 datasheet values):
SM24_NATURAL_HZ = 10.0  # natural frequency
SM24_OPEN_CIRCUIT_DAMPING = 0.25  # damping ratio without a shunt resistor (the amplifier input is high-impedance)
SM24_SENSITIVITY = 28.8  # V per m/s (intrinsic voltage sensitivity)
AMPLIFIER_GAIN = 2200.0  # paper §3.1.1: "approximately x 2200"


# --------------------------------------------------------------------------- small helpers

def log_uniform(rng: np.random.Generator, low: float, high: float, size=None) -> np.ndarray:
    """Draws uniform in log space between ``low`` and ``high`` (both > 0)."""
    return np.exp(rng.uniform(np.log(low), np.log(high), size))


def overlap_add(n: int, starts: np.ndarray, rows: np.ndarray, gains: np.ndarray | None = None) -> np.ndarray:
    """Sum ``rows`` (E, L) into a length-``n`` signal at sample offsets ``starts`` (E,), clipped to [0, n).

    ``gains`` (E,) scales each row. Vectorised with ``np.add.at`` (repeated indices accumulate).
    """
    out = np.zeros(n)
    rows = np.atleast_2d(rows)
    if rows.shape[0] == 0:
        return out
    gains = np.ones(rows.shape[0]) if gains is None else np.asarray(gains, float)
    idx = np.asarray(starts, int)[:, None] + np.arange(rows.shape[1])[None, :]
    keep = (idx >= 0) & (idx < n)
    np.add.at(out, idx[keep], (rows * gains[:, None])[keep])
    return out


def fft_convolve_rows(x: np.ndarray, h: np.ndarray, n: int) -> np.ndarray:
    """Row-wise linear convolution of x (R, Nx) with h (R, Nh) or (Nh,), truncated to ``n`` samples."""
    nfft = sp_fft.next_fast_len(x.shape[-1] + h.shape[-1] - 1, real=True)
    y = sp_fft.irfft(sp_fft.rfft(x, nfft) * sp_fft.rfft(h, nfft), nfft)
    return y[..., :n]


def colored_noise(rng: np.random.Generator, n: int, rate: float, exponent: float, band: tuple[float, float],
                  rms: float) -> np.ndarray:
    """Gaussian noise with power spectrum ~ 1/f**exponent inside ``band`` (Hz), zero outside, scaled to ``rms``."""
    freqs = sp_fft.rfftfreq(n, 1 / rate)
    shape = np.zeros_like(freqs)
    inside = (freqs >= band[0]) & (freqs <= band[1])
    shape[inside] = freqs[inside] ** (-exponent / 2)
    spec = (rng.standard_normal(freqs.size) + 1j * rng.standard_normal(freqs.size)) * shape
    x = sp_fft.irfft(spec, n)
    return x * (rms / max(np.sqrt(np.mean(x**2)), 1e-30))


# --------------------------------------------------------------------------- floor and geophone

@dataclass(frozen=True)
class Floor:
    """A floor type: its structural modes, how vibration decays with distance and how it sounds.

    mode_hz / damping: ranges of the K modal frequencies (Hz) and damping ratios of the slab.
    kappa: material attenuation (1/m at 30 Hz; scales with frequency).
    vib_gain: mobility scale (softer, lighter floors move more for the same force).
    audio_gain / audio_hz: loudness scale and centre-frequency range of a heel click on it.
    pulse_stretch: factor on the heel-strike force duration (a carpet cushions the impact).
    """

    name: str
    mode_hz: tuple[float, float]
    damping: tuple[float, float]
    kappa: tuple[float, float]
    vib_gain: float
    audio_gain: float
    audio_hz: tuple[float, float]
    pulse_stretch: float = 1.0


FLOORS = {
    "concrete": Floor("concrete", (22.0, 90.0), (0.02, 0.06), (0.08, 0.20), 0.6, 1.0, (900.0, 3500.0)),
    "wood": Floor("wood", (12.0, 45.0), (0.03, 0.08), (0.04, 0.12), 1.6, 0.8, (400.0, 1800.0)),
    "tile": Floor("tile", (28.0, 110.0), (0.02, 0.05), (0.08, 0.20), 0.5, 1.3, (1200.0, 4500.0)),
    "carpet": Floor("carpet", (22.0, 90.0), (0.03, 0.07), (0.08, 0.20), 0.45, 0.25, (300.0, 1100.0), 1.8),
}


@dataclass(frozen=True)
class Shoe:
    """Footwear: heel-strike force duration (s), click loudness and click-brightness factor."""

    name: str
    pulse_s: tuple[float, float]
    audio_gain: float
    brightness: float


SHOES = {
    "hard": Shoe("hard", (0.010, 0.025), 1.0, 1.6),
    "sneaker": Shoe("sneaker", (0.025, 0.050), 0.35, 0.8),
    "soft": Shoe("soft", (0.040, 0.080), 0.12, 0.5),
}


def draw_modes(rng: np.random.Generator, floor: Floor, n_modes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(frequencies Hz, damping ratios, modal gains) of ``n_modes`` floor modes, sorted by frequency."""
    freqs = np.sort(log_uniform(rng, *floor.mode_hz, n_modes))
    zetas = rng.uniform(*floor.damping, n_modes)
    gains = rng.uniform(0.3, 1.0, n_modes) / np.arange(1, n_modes + 1) ** 0.5  # lower modes carry more energy
    return freqs, zetas, gains


def modal_velocity_irs(freqs: np.ndarray, zetas: np.ndarray, n: int, rate: float) -> np.ndarray:
    """Velocity impulse responses (K, n) of K single-degree-of-freedom modes (unit modal mass).

    v_k(t) = exp(-ζ ω t) [cos(ω_d t) - ζ ω / ω_d sin(ω_d t)], the time derivative of the displacement
    response exp(-ζ ω t) sin(ω_d t) / ω_d of a mode with ω = 2π f to a unit force impulse.
    """
    t = np.arange(n) / rate
    w = 2 * np.pi * freqs[:, None]
    z = zetas[:, None]
    wd = w * np.sqrt(1 - z**2)
    return np.exp(-z * w * t) * (np.cos(wd * t) - z * w / wd * np.sin(wd * t))


def modal_mobility(freqs: np.ndarray, zetas: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Frequency responses (K, F) velocity/force of the modes of :func:`modal_velocity_irs`:
    H_k(w) = j w / (w_k^2 - w^2 + 2 j zeta_k w_k w), evaluated at frequencies ``f`` (Hz)."""
    w = 2 * np.pi * np.asarray(f)[None, :]
    wk = 2 * np.pi * freqs[:, None]
    return 1j * w / (wk**2 - w**2 + 2j * zetas[:, None] * wk * w)


def distance_weights(r: np.ndarray, freqs: np.ndarray, kappa: float, r0: float = 1.0) -> np.ndarray:
    """Amplitude (E, K) reaching the sensor from distance r (E,) m for modes at ``freqs`` (K,) Hz.

    Geometric spreading of a surface wave, (r0 / r)^0.5, times material damping exp(-κ (f / 30 Hz) (r - r0));
    r is clipped below at r0 / 2 (a step right beside the sensor).
    """
    r = np.maximum(np.asarray(r, float), r0 / 2)[:, None]
    return (r0 / r) ** 0.5 * np.exp(-kappa * (freqs[None, :] / 30.0) * (r - r0))


def force_pulses(widths_s: np.ndarray, rate: float) -> np.ndarray:
    """Unit-peak Hann-shaped force pulses (E, L) of durations ``widths_s`` (E,), zero-padded to the longest."""
    n = np.maximum(np.round(np.asarray(widths_s) * rate).astype(int), 2)
    length = int(n.max())
    k = np.arange(length)[None, :]
    phase = np.clip(k / n[:, None], 0, 1)
    return np.where(k < n[:, None], np.sin(np.pi * phase) ** 2, 0.0)


def geophone_filter(rate: float = GEO_RATE, natural_hz: float = SM24_NATURAL_HZ,
                    damping: float = SM24_OPEN_CIRCUIT_DAMPING,
                    sensitivity: float = SM24_SENSITIVITY) -> tuple[np.ndarray, np.ndarray]:
    """Digital (b, a) of a moving-coil velocity geophone: floor velocity (m/s) -> coil voltage (V).

    Analog transfer function H(s) = S s^2 / (s^2 + 2 ζ ω_n s + ω_n^2): a second-order high-pass with
    a resonance at ω_n (peak gain 1 / (2 ζ sqrt(1 - ζ^2)) at f_n / sqrt(1 - 2 ζ^2) for ζ < 0.707),
    flat (= S) well above f_n. Discretised with the bilinear transform (``scipy.signal.bilinear``).
    """
    w = 2 * np.pi * natural_hz
    return signal.bilinear([sensitivity, 0.0, 0.0], [1.0, 2 * damping * w, w**2], fs=rate)


# --------------------------------------------------------------------------- sounds

def shaped_bursts(rng: np.random.Generator, n_events: int, length: int, rate: float, centre_hz: np.ndarray,
                  octaves: np.ndarray, decay_s: np.ndarray, attack_s: float = 0.0005) -> np.ndarray:
    """Unit-peak noise bursts (E, length): a log-Gaussian band around ``centre_hz`` (width ``octaves``),
    shaped by a fast attack and an exponential decay ``decay_s``. Each row is independent noise."""
    if n_events == 0:
        return np.zeros((0, length))
    spec = sp_fft.rfft(rng.standard_normal((n_events, length)), axis=-1)
    f = np.maximum(sp_fft.rfftfreq(length, 1 / rate), 1.0)[None, :]
    band = np.exp(-0.5 * (np.log2(f / centre_hz[:, None]) / octaves[:, None]) ** 2)
    x = sp_fft.irfft(spec * band, length, axis=-1)
    t = np.arange(length)[None, :] / rate
    env = (1 - np.exp(-t / attack_s)) * np.exp(-t / decay_s[:, None])
    x = x * env
    return x / np.maximum(np.abs(x).max(axis=1, keepdims=True), 1e-12)


def damped_tones(freqs: np.ndarray, decays: np.ndarray, amps: np.ndarray, length: int, rate: float,
                 phases: np.ndarray | None = None) -> np.ndarray:
    """Sum over the last axis of damped sinusoids: freqs/decays/amps (E, M) -> (E, length)."""
    t = np.arange(length) / rate
    phases = np.zeros_like(freqs) if phases is None else phases
    waves = amps[..., None] * np.exp(-t / decays[..., None]) * np.sin(2 * np.pi * freqs[..., None] * t + phases[..., None])
    return waves.sum(axis=-2)


def step_sounds(rng: np.random.Generator, floor: Floor, shoe: Shoe, n_steps: int,
                clips: list[np.ndarray] | None = None, length_s: float = 0.3) -> np.ndarray:
    """Dry footstep sounds (E, L) at 16 kHz, unit-ish peak.

    Synthetic: heel click (band noise, centre from the floor's range x the shoe's brightness, decay
    3-15 ms) + low thump (damped 60-160 Hz tone, 20-40 ms: the floor radiating) + a quieter forefoot
    scuff 60-140 ms later. With ``clips`` (real recordings at 16 kHz), each step is one random clip
    with a +-3 dB gain change instead.
    """
    length = int(length_s * AUDIO_RATE)
    if clips:
        out = np.zeros((n_steps, length))
        for e, k in enumerate(rng.integers(0, len(clips), n_steps)):
            clip = clips[k][:length]
            out[e, :clip.size] = clip / max(np.abs(clip).max(), 1e-12)
        return out * log_uniform(rng, 10 ** (-3 / 20), 10 ** (3 / 20), n_steps)[:, None]
    centre = np.minimum(log_uniform(rng, *floor.audio_hz, n_steps) * shoe.brightness, 6000.0)
    click = shaped_bursts(rng, n_steps, length, AUDIO_RATE, centre, rng.uniform(0.6, 1.3, n_steps),
                          rng.uniform(0.003, 0.015, n_steps))
    thump = damped_tones(rng.uniform(60, 160, (n_steps, 1)), rng.uniform(0.02, 0.04, (n_steps, 1)),
                         np.ones((n_steps, 1)), length, AUDIO_RATE)
    scuff = shaped_bursts(rng, n_steps, length, AUDIO_RATE, np.minimum(centre * 1.5, 7000.0),
                          np.full(n_steps, 1.2), rng.uniform(0.01, 0.03, n_steps))
    delay = (rng.uniform(0.06, 0.14, n_steps) * AUDIO_RATE).astype(int)
    shifted = np.zeros_like(scuff)
    for e in range(n_steps):  # a per-row shift; n_steps is tens
        shifted[e, delay[e]:] = scuff[e, :length - delay[e]]
    sound = click + rng.uniform(0.2, 0.6, (n_steps, 1)) * thump + rng.uniform(0.1, 0.35, (n_steps, 1)) * shifted
    return sound / np.maximum(np.abs(sound).max(axis=1, keepdims=True), 1e-12)


def room_impulse_response(rng: np.random.Generator, rt60_s: float, rate: float = AUDIO_RATE) -> np.ndarray:
    """Diffuse-field reverberation tail: Gaussian noise with an exponential decay reaching -60 dB at
    ``rt60_s`` (Sabine's exponential energy decay), high frequencies decaying faster (one-pole
    low-pass), unit energy. The direct path is rendered separately."""
    n = int(rt60_s * rate)
    t = np.arange(n) / rate
    tail = rng.standard_normal(n) * np.exp(-6.91 * t / rt60_s)
    tail = signal.lfilter([0.6], [1.0, -0.4], tail)
    tail[: int(0.003 * rate)] = 0.0  # first reflections arrive a few ms after the direct sound
    return tail / np.sqrt(np.sum(tail**2))


def speech(rng: np.random.Generator, n: int, rate: float = AUDIO_RATE, active: tuple[float, float] | None = None) -> np.ndarray:
    """One talker (n,) with unit rms while talking: a source-filter model.

    Voiced syllables: a glottal pulse train (F0 85-255 Hz, drifting +-15 % per phrase) through three
    formant resonances (F1 300-850, F2 850-2400, F3 2300-3300 Hz) that change every syllable
    (120-320 ms, 3-6 per second); 20 % unvoiced (fricative noise 3-7 kHz). Phrases of 0.8-3 s
    alternate with 0.2-1.2 s pauses. Filtering is done per STFT frame (vectorised over frames).
    ``active``: (start, end) s of the talking interval (default: the whole clip).
    """
    start, end = active if active is not None else (0.0, n / rate)
    # syllable grid
    bounds, voiced, t = [], [], start
    talking = True
    while t < end:
        if talking:
            phrase_end = min(end, t + rng.uniform(0.8, 3.0))
            while t < phrase_end:
                dur = rng.uniform(0.12, 0.32)
                bounds.append((t, min(t + dur, phrase_end)))
                voiced.append(rng.random() < 0.8)
                t += dur
        else:
            t += rng.uniform(0.2, 1.2)
        talking = not talking
    if not bounds:
        return np.zeros(n)
    on = np.array(bounds)
    n_syl = len(on)
    f0_base = rng.choice([rng.uniform(85, 150), rng.uniform(160, 255)])
    time = np.arange(n) / rate
    f0 = f0_base * (1 + 0.15 * np.sin(2 * np.pi * rng.uniform(0.1, 0.4) * time + rng.uniform(0, 6.3)))
    phase = np.cumsum(f0 / rate)
    pulses = np.diff(np.floor(phase), prepend=0.0)  # one impulse per glottal cycle
    glottal = signal.lfilter([1.0], [1.0, -0.95], pulses)  # spectral tilt of the glottal source
    noise = rng.standard_normal(n)
    # per-sample syllable index and envelope
    idx = np.searchsorted(on[:, 0], time, side="right") - 1
    inside = (idx >= 0) & (time < on[np.clip(idx, 0, None), 1])
    idx = np.where(inside, idx, -1)
    pos = np.where(inside, (time - on[np.clip(idx, 0, None), 0]) / np.maximum(on[np.clip(idx, 0, None), 1] - on[np.clip(idx, 0, None), 0], 1e-3), 0)
    env = np.where(inside, np.sin(np.pi * np.clip(pos, 0, 1)) ** 0.7, 0.0) * rng.uniform(0.4, 1.0, n_syl)[np.clip(idx, 0, None)]
    is_voiced = np.array(voiced)[np.clip(idx, 0, None)] & inside
    excitation = np.where(is_voiced, glottal / max(np.std(glottal), 1e-9), 0.0) + np.where(~is_voiced & inside, 0.5 * noise, 0.0)
    # formant filtering per STFT frame
    nper = 512
    freqs, frames_t, spec = signal.stft(excitation, fs=rate, nperseg=nper, noverlap=nper // 2, boundary="even")
    formants = np.stack([rng.uniform(300, 850, n_syl), rng.uniform(850, 2400, n_syl), rng.uniform(2300, 3300, n_syl)], 1)
    widths = np.array([80.0, 120.0, 180.0])
    per_syllable = (1.0 / (1 + ((freqs[None, :, None] - formants[:, None, :]) / widths) ** 2)).sum(-1)  # (syl, freqs)
    fricative = np.exp(-0.5 * (np.log2(np.maximum(freqs, 1) / 5000) / 0.6) ** 2)
    per_syllable = np.where(np.array(voiced)[:, None], per_syllable, fricative[None, :])
    fidx = np.clip(np.searchsorted(on[:, 0], frames_t, side="right") - 1, 0, n_syl - 1)
    _, y = signal.istft(spec * per_syllable[fidx].T, fs=rate, nperseg=nper, noverlap=nper // 2, boundary=True)
    y = y[:n] if y.size >= n else np.pad(y, (0, n - y.size))
    y = y * env
    active_rms = np.sqrt(np.mean(y[inside] ** 2)) if inside.any() else 1.0
    return y / max(active_rms, 1e-12)
