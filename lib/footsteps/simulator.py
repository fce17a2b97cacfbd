"""Scene simulator for P1: paired 10-s audio (16 kHz) and geophone (4 kHz) clips, with or without footsteps.

The paper's data are private (700 positive + 700 negative pairs recorded in a lab, §3.2); this module
makes clips with the same structure, rates and kinds of content. No public geophone footstep
recording with a redistributable licence exists, so the vibration channel is always simulated; the
footstep *sound* can come from real recordings (``clips=``, e.g. ``../shared/data/footstep_audio``).

Physics
-------
Walkers. A walker takes heel strikes at a cadence of 1.5-2.2 steps/s; step intervals have a gait
jitter (coefficient of variation 1-6 %) and a left/right asymmetry (0-4 %). Walks are either partial
(3-6 steps, p = 0.2) or longer passes (12-24 steps) that may start before or end after the clip.
The walker moves on a straight line past the sensors at step length 0.55-0.8 m, closest approach
0.5-5 m at a time in [-4, 14] s, so a walk approaches, passes or recedes; the microphone sits up
to 1 m off the line of the geophone and up to 2 m along it. Strength: body mass 45-110 kg x gait
intensity 0.6-1.4 (per-step jitter 10 %, left/right 5 %). 15 % of positive scenes have two walkers.

Floor vibration. A heel strike is a Hann-shaped force pulse (hard shoes 10-25 ms, sneakers 25-50 ms,
soft soles 40-80 ms; x1.8 on carpet) followed by a broad loading pulse (80-160 ms, 0.4-0.8 of the
heel amplitude). The floor answers with 3-6 damped structural modes (velocity impulse responses of
single-degree-of-freedom oscillators; concrete 22-90 Hz, wood 12-45 Hz, tile 28-110 Hz; damping
ratio 2-8 %). Amplitude decays with distance as a surface wave: (1 m / r)^0.5 x exp(-kappa (f / 30 Hz) (r - 1 m)),
kappa 0.04-0.2 1/m by floor. Scale: a 75-kg walker at 1 m moves the floor by ~8e-6 m/s peak
(the paper's 1e-6 - 1e-5 m/s, §3.1.1) times the floor's mobility (0.45-1.6).

Geophone. SM-24-like moving-coil sensor: H(s) = S s^2 / (s^2 + 2 zeta w_n s + w_n^2) with
f_n = 10 Hz (+-2.5 %), open-circuit damping zeta = 0.25-0.35, S = 28.8 V/(m/s), then the paper's
x2200 amplifier (§3.1.1); output in volts at 4 kHz. Noise: ambient floor vibration (1/f, 1-200 Hz,
1e-8 - 4e-7 m/s rms, before the sensor), electronic white noise (0.3-3 mV) and mains hum (50 Hz and
harmonics, 0-10 mV) after the amplifier.

Sound. Each strike also makes a short broadband transient: a heel click (band noise, centre
0.3-6 kHz from floor x shoe, decay 3-15 ms), a low thump (60-160 Hz, 20-40 ms) and a forefoot scuff
60-140 ms later; level ~ shoe (hard 1, sneaker 0.35, soft 0.12) x floor (carpet 0.25 ... tile 1.3)
x sqrt(mass / 75 kg) x intensity, 1/r spreading for the direct path plus a diffuse reverberant field
(exponential tail, RT60 0.2-0.8 s, critical distance 0.8-2.5 m). Background: pink-ish room noise
(3e-4 - 1e-2 rms, spectral exponent 0.5-1.5).

Negatives (no footsteps in either channel), as in paper §3.1.2 plus distractors that fool one
modality (so that each channel alone is misled by something the other channel tells apart):
``silence`` background only; ``speech`` 1-3 talkers (source-filter model, F0 85-255 Hz, formants,
syllables 3-6 /s, pauses); ``typing`` keystroke bursts (2-6 kHz clicks, press/release); ``vibration``
2-6 floor events that the microphone hears as something else: object drops with 0-3 bounces (a
clank), chair moves (5-40 Hz rumble + leg impacts; a scrape), someone rocking on a chair (4-15
rhythmic leg impacts at 0.8-2.2 Hz, 20-60 ms force pulses like steps; only a faint creak in the
air), doors (slam + rattle; a thud and a latch click); ``tapping`` taps or keystrokes at walking cadence (audio only: the desk barely couples
to the floor, 0.2-2 % of a step's force); ``both`` vibration events and tapping in the same clip,
not time-aligned (this kind fools both channels and caps attainable accuracy).
Positive scenes carry background speech (30 %), typing (20 %), a vibration event (15 %) or
tapping (5 %) too. Default mix of negatives: silence 0.14, speech 0.2, typing 0.14,
vibration 0.24, tapping 0.22, both 0.06.

Presets (:data:`SCENE_PRESETS`, ``scene_preset()``):

``"paper"`` is the paper's recording (§3.1-3.2), range by range; "ours" marks an assumption where the
paper is silent. Nothing here was set by looking at a network's accuracy.

=====================  ===================================  =============================================
field                  value                                source
=====================  ===================================  =============================================
floor_probs            concrete only                        "in an indoor lab environment" (§1), one room;
                                                            the floor type is ours
rt60_s                 0.3-0.5 s                            one room (§3.2); the range is ours
critical_distance_m    1.0-1.5 m                            one room; ours
two_walker_prob        0                                    "a person moving in the lab environment" (§3.2)
partial_walk_prob      0                                    positives "contain ... a person walking" and are
                                                            "precisely annotated" (§3.1.2, §3.2): a walk that
                                                            barely enters the clip would not be selected; ours
min_steps_in_clip      6                                    steps "present" in both channels (§3.2), i.e. an
                                                            annotator hears and sees several; the count is ours
closest_m              0.5-2.0 m                            walking near the sensors, whose vibration range
                                                            the paper gives as 1e-6-1e-5 m/s (§3.1.1); ours
pass_time_s            1-9 s                                the walker passes the sensors inside the 10-s clip
                                                            (a recording cut around the walk, §3.2); ours
shoe_probs             hard 0.4, sneaker 0.6                positives "carefully selected ... to contain subtle
                                                            sounds of a person walking" (§3.1.2): audible
                                                            steps, so no near-silent soft soles; ours
negative_probs         speech 0.45, typing 0.45,            "human speech signals, keyboard typing, and a few
                       silence 0.1                          silent sound signals" (§3.1.2); "a few" = 10 % ours
positive_extras        none                                 §3.1.2 lists no other sources in positives; ours
negative_background_speech  0                               negatives are one of the three kinds (§3.1.2)
other ranges           as the defaults above                cadence, gait, body mass ("people with multiple
                                                            strengths", §3.1.1), sensor and noise models
=====================  ===================================  =============================================

``"hard"`` (the default :class:`SceneConfig`) is *beyond the paper*: partial and far walks, soft soles on
carpet, a second walker, and the one-modality distractors above. ``"paper_like"`` (kept for comparison
with earlier results) has the paper's negatives but the default walkers (closest approach up to 5 m,
partial walks, soft soles on carpet), so some of its positives are walks no annotator would keep.

Seeding: scene ``i`` of class ``c`` draws from ``SeedSequence([seed, c, i])``, so a dataset of
``n`` scenes is a prefix of a larger one with the same seed (quick-mode data are a subset of full).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import librosa
import numpy as np
import soundfile as sf
from scipy import fft as sp_fft
from scipy import signal

from lib.footsteps import sources as src
from lib.footsteps.sources import AUDIO_RATE, DURATION_S, FLOORS, GEO_RATE, SHOES, log_uniform

SIMULATOR_VERSION = "4"
NEGATIVE_KINDS = ("silence", "speech", "typing", "vibration", "tapping", "both")
REFERENCE_PULSE_S = 0.03  # force pulse that defines the vibration scale at 1 m
REFERENCE_VELOCITY = 8e-6  # m/s peak floor velocity of a 75-kg walker at 1 m on a floor of mobility 1


@dataclass(frozen=True)
class SceneConfig:
    """Parameter ranges of the simulator (see the module docstring for their physics)."""

    cadence_hz: tuple[float, float] = (1.5, 2.2)
    interval_cv: tuple[float, float] = (0.01, 0.06)
    asymmetry: tuple[float, float] = (0.0, 0.04)
    partial_walk_prob: float = 0.2
    partial_steps: tuple[int, int] = (3, 6)
    long_steps: tuple[int, int] = (12, 24)
    step_length_m: tuple[float, float] = (0.55, 0.8)
    closest_m: tuple[float, float] = (0.5, 5.0)
    max_nearest_m: float = 6.0  # the nearest in-clip step of a walker is at most this far
    pass_time_s: tuple[float, float] = (-4.0, 14.0)  # when the walker is closest to the geophone
    min_steps_in_clip: int = 1  # a walk is re-placed (up to 20 tries) until this many steps fall inside the clip
    body_mass_kg: tuple[float, float] = (45.0, 110.0)
    intensity: tuple[float, float] = (0.6, 1.4)
    two_walker_prob: float = 0.15
    floor_probs: dict = field(default_factory=lambda: {"concrete": 0.35, "wood": 0.25, "tile": 0.2, "carpet": 0.2})
    shoe_probs: dict = field(default_factory=lambda: {"hard": 0.3, "sneaker": 0.5, "soft": 0.2})
    negative_probs: dict = field(default_factory=lambda: {"silence": 0.14, "speech": 0.2, "typing": 0.14,
                                                          "vibration": 0.24, "tapping": 0.22, "both": 0.06})
    positive_extras: dict = field(default_factory=lambda: {"speech": 0.3, "typing": 0.2, "vibration": 0.15,
                                                           "tapping": 0.05})
    negative_background_speech: float = 0.2
    step_audio_peak: float = 0.3  # click peak at 1 m: hard shoe, floor gain 1, 75 kg, intensity 1
    audio_noise_rms: tuple[float, float] = (3e-4, 1e-2)
    rt60_s: tuple[float, float] = (0.2, 0.8)
    critical_distance_m: tuple[float, float] = (0.8, 2.5)
    geo_noise_velocity: tuple[float, float] = (1e-8, 4e-7)  # m/s rms ambient floor vibration
    electronic_noise_v: tuple[float, float] = (3e-4, 3e-3)
    hum_v: tuple[float, float] = (0.0, 0.01)
    geophone_damping: tuple[float, float] = (0.25, 0.35)
    duration_s: float = DURATION_S

    def to_dict(self) -> dict:
        """Every field as plain Python values (the data key of the feature and model caches)."""
        return asdict(self)


SCENE_PRESETS = ("paper", "hard", "paper_like")


def scene_preset(name: str) -> SceneConfig:
    """The :class:`SceneConfig` of a named preset (see the module docstring): "paper", "hard" or "paper_like"."""
    if name == "hard":
        return SceneConfig()
    if name == "paper_like":
        return SceneConfig(negative_probs={"silence": 0.3, "speech": 0.4, "typing": 0.3}, positive_extras={},
                           negative_background_speech=0.0)
    if name == "paper":
        return SceneConfig(floor_probs={"concrete": 1.0}, rt60_s=(0.3, 0.5), critical_distance_m=(1.0, 1.5),
                           two_walker_prob=0.0, partial_walk_prob=0.0, min_steps_in_clip=6, closest_m=(0.5, 2.0),
                           pass_time_s=(1.0, 9.0), shoe_probs={"hard": 0.4, "sneaker": 0.6},
                           negative_probs={"speech": 0.45, "typing": 0.45, "silence": 0.1}, positive_extras={},
                           negative_background_speech=0.0)
    raise ValueError(f"scene preset {name!r} is unknown; use one of {list(SCENE_PRESETS)}")


@dataclass
class SceneInfo:
    """What one scene contains (for figures, tests and error analysis)."""

    label: int
    kind: str
    floor: str
    shoe: str = ""
    n_walkers: int = 0
    n_steps: int = 0
    cadence_hz: float = float("nan")
    nearest_m: float = float("nan")
    step_times: np.ndarray = field(default_factory=lambda: np.zeros(0))
    extras: tuple = ()
    audio_noise_rms: float = 0.0
    geo_noise_velocity: float = 0.0


# --------------------------------------------------------------------------- event containers

@dataclass
class _Impacts:
    """Force events into the floor: onset (s), amplitude (m/s at 1 m for the reference pulse), pulse width (s), distance (m)."""

    times: list = field(default_factory=list)
    amps: list = field(default_factory=list)
    widths: list = field(default_factory=list)
    dists: list = field(default_factory=list)
    rumbles: list = field(default_factory=list)  # continuous forces: (signal (n_geo,), distance)

    def add(self, times, amps, widths, dists) -> None:
        n = np.size(times)
        self.times.append(np.atleast_1d(np.asarray(times, float)))
        self.amps.append(np.broadcast_to(np.asarray(amps, float), (n,)).copy())
        self.widths.append(np.broadcast_to(np.asarray(widths, float), (n,)).copy())
        self.dists.append(np.broadcast_to(np.asarray(dists, float), (n,)).copy())

    def arrays(self):
        if not self.times:
            return (np.zeros(0),) * 4
        return tuple(np.concatenate(x) for x in (self.times, self.amps, self.widths, self.dists))


@dataclass
class _Sounds:
    """Sound events: onsets (s), dry waveforms (E, L) at 16 kHz, level at 1 m, distance (m); plus continuous sources."""

    groups: list = field(default_factory=list)
    continuous: list = field(default_factory=list)  # (signal (n_audio,), level at 1 m, distance)

    def add(self, times, rows, levels, dists) -> None:
        times = np.atleast_1d(np.asarray(times, float))
        n = times.size
        self.groups.append((times, np.atleast_2d(rows), np.broadcast_to(np.asarray(levels, float), (n,)),
                            np.broadcast_to(np.asarray(dists, float), (n,))))


# --------------------------------------------------------------------------- sources in a scene

def _gait_times(rng, cfg: SceneConfig, n_steps: int, cadence: float) -> np.ndarray:
    """Relative heel-strike times (n_steps,) starting at 0 with jitter and left/right asymmetry."""
    cv = rng.uniform(*cfg.interval_cv)
    asym = rng.uniform(*cfg.asymmetry)
    k = np.arange(n_steps - 1)
    intervals = (1 / cadence) * (1 + cv * rng.standard_normal(n_steps - 1)) * (1 + asym * (-1.0) ** k)
    return np.concatenate([[0.0], np.cumsum(np.maximum(intervals, 0.2 / cadence))])


def _place_sequence(rng, cfg: SceneConfig, rel: np.ndarray, partial: bool) -> np.ndarray:
    """Absolute times: a partial sequence lies inside the clip; a long one may run past either edge."""
    span, dur = rel[-1], cfg.duration_s
    if partial or span < dur - 1.0:
        start = rng.uniform(0.2, max(dur - span - 0.3, 0.25))
    else:  # at least ~3 events inside
        lead = rel[min(2, rel.size - 1)]
        start = rng.uniform(-span + lead, dur - lead - 0.3)
    times = start + rel
    return times[(times >= 0.0) & (times < dur - 0.05)]


def _walker(rng, cfg: SceneConfig, floor, shoe, imp: _Impacts, snd: _Sounds, clips) -> dict:
    cadence = rng.uniform(*cfg.cadence_hz)
    partial = rng.random() < cfg.partial_walk_prob
    n = int(rng.integers(cfg.partial_steps[0], cfg.partial_steps[1] + 1) if partial
            else rng.integers(cfg.long_steps[0], cfg.long_steps[1] + 1))
    rel = _gait_times(rng, cfg, n, cadence)
    times = _place_sequence(rng, cfg, rel, partial)
    for _ in range(20):  # an annotated walk: enough steps inside the clip (min_steps_in_clip)
        if times.size >= min(cfg.min_steps_in_clip, n):
            break
        times = _place_sequence(rng, cfg, rel, partial)
    if times.size == 0:
        times = np.array([rng.uniform(1.0, cfg.duration_s - 1.0)])
    speed = cadence * rng.uniform(*cfg.step_length_m)
    d0 = rng.uniform(*cfg.closest_m)
    t_c = rng.uniform(*cfg.pass_time_s)
    r_geo = np.hypot(d0, speed * (times - t_c))
    if r_geo.min() > cfg.max_nearest_m:  # keep the walker within sensing range for part of the clip
        t_c = rng.choice(times)
        r_geo = np.hypot(d0, speed * (times - t_c))
    d0_mic = max(d0 + rng.uniform(-1.0, 1.0), 0.3)
    r_mic = np.hypot(d0_mic, speed * (times - t_c) - rng.uniform(-2.0, 2.0))
    strength = rng.uniform(*cfg.body_mass_kg) / 75.0 * rng.uniform(*cfg.intensity)
    k = np.arange(times.size)
    per_step = strength * (1 + 0.1 * rng.standard_normal(times.size)).clip(0.5) * (1 + 0.05 * (-1.0) ** k)
    base_w = rng.uniform(*shoe.pulse_s) * floor.pulse_stretch
    widths = base_w * (1 + 0.1 * rng.standard_normal(times.size)).clip(0.6)
    amp = REFERENCE_VELOCITY * floor.vib_gain * per_step
    imp.add(times, amp, widths, r_geo)  # heel transient
    imp.add(times + rng.uniform(0.03, 0.08, times.size), amp * rng.uniform(0.4, 0.8, times.size),
            rng.uniform(0.08, 0.16, times.size), r_geo)  # broad loading pulse
    sounds = src.step_sounds(rng, floor, shoe, times.size, clips)
    level = cfg.step_audio_peak * shoe.audio_gain * floor.audio_gain * np.sqrt(per_step.clip(0.05))
    snd.add(times, sounds, level, r_mic)
    return {"times": times, "cadence": cadence, "nearest": float(r_geo.min())}


def _speech(rng, cfg: SceneConfig, snd: _Sounds, n_talkers: int) -> None:
    n = int(cfg.duration_s * AUDIO_RATE)
    for _ in range(n_talkers):
        start = rng.uniform(0, 0.5 * cfg.duration_s) if rng.random() < 0.4 else 0.0
        x = src.speech(rng, n, AUDIO_RATE, active=(start, cfg.duration_s))
        snd.continuous.append((x, log_uniform(rng, 0.02, 0.1), rng.uniform(0.7, 4.0)))


def _key_sounds(rng, n: int) -> np.ndarray:
    """Keystroke clicks (n, 1600): a bright click (2-6 kHz, 1-4 ms) plus a small 'thock' (250-600 Hz)."""
    length = int(0.1 * AUDIO_RATE)
    click = src.shaped_bursts(rng, n, length, AUDIO_RATE, log_uniform(rng, 2000, 6000, n), rng.uniform(0.5, 1.0, n),
                              rng.uniform(0.001, 0.004, n))
    thock = src.shaped_bursts(rng, n, length, AUDIO_RATE, rng.uniform(250, 600, n), np.full(n, 0.7),
                              rng.uniform(0.002, 0.006, n))
    return click + rng.uniform(0.1, 0.5, (n, 1)) * thock


def _typing(rng, cfg: SceneConfig, imp: _Impacts, snd: _Sounds) -> None:
    """Bursts of 3-8 keys (80-250 ms apart) separated by 0.3-1.5 s; each key a press and a release."""
    times, t = [], rng.uniform(0, 1.5)
    while t < cfg.duration_s:
        for _ in range(int(rng.integers(3, 9))):
            times.append(t)
            t += rng.uniform(0.08, 0.25)
        t += rng.uniform(0.3, 1.5)
    times = np.array([x for x in times if x < cfg.duration_s - 0.05])
    if times.size == 0:
        return
    release = times + rng.uniform(0.03, 0.1, times.size)
    all_t = np.concatenate([times, release])
    dist = rng.uniform(0.5, 3.0)
    snd.add(all_t, _key_sounds(rng, all_t.size), log_uniform(rng, 0.02, 0.1) * rng.uniform(0.5, 1.0, all_t.size), dist)
    imp.add(times, REFERENCE_VELOCITY * log_uniform(rng, 5e-4, 3e-3), 0.005, dist)


def _tapping(rng, cfg: SceneConfig, floor, imp: _Impacts, snd: _Sounds) -> None:
    """Taps (knuckles/pen on a desk, or keystrokes) at walking cadence: loud in audio, ~absent in vibration."""
    cadence = rng.uniform(*cfg.cadence_hz)
    partial = rng.random() < cfg.partial_walk_prob
    n = int(rng.integers(cfg.partial_steps[0] + 1, cfg.partial_steps[1] + 1) if partial
            else rng.integers(cfg.long_steps[0], cfg.long_steps[1] + 1))
    times = _place_sequence(rng, cfg, _gait_times(rng, cfg, n, cadence), partial)
    if times.size == 0:
        return
    dist = rng.uniform(0.5, 3.0)
    if rng.random() < 0.3:
        rows = _key_sounds(rng, times.size)
        level = log_uniform(rng, 0.02, 0.1)
    else:  # taps: step-like clicks (centres overlap the footstep range) with a desk thump sometimes
        length = int(0.3 * AUDIO_RATE)
        centre = log_uniform(rng, 500, 4000, times.size)
        rows = src.shaped_bursts(rng, times.size, length, AUDIO_RATE, centre, rng.uniform(0.6, 1.3, times.size),
                                 rng.uniform(0.003, 0.015, times.size))
        if rng.random() < 0.5:
            rows = rows + rng.uniform(0.2, 0.6) * src.damped_tones(
                rng.uniform(120, 400, (times.size, 1)), rng.uniform(0.01, 0.03, (times.size, 1)),
                np.ones((times.size, 1)), length, AUDIO_RATE)
        level = log_uniform(rng, 0.03, 0.3)
    snd.add(times, rows, level * (1 + 0.1 * rng.standard_normal(times.size)).clip(0.5), dist)
    imp.add(times, REFERENCE_VELOCITY * floor.vib_gain * log_uniform(rng, 2e-3, 2e-2), rng.uniform(0.005, 0.02), dist)


def _vibration_events(rng, cfg: SceneConfig, floor, imp: _Impacts, snd: _Sounds, n_events: int) -> list[str]:
    """Object drops, chair moves, door slams: strong in the floor, not footstep-like in sound."""
    n_geo, kinds = int(cfg.duration_s * GEO_RATE), []
    ref = REFERENCE_VELOCITY * floor.vib_gain
    for _ in range(n_events):
        kind = str(rng.choice(["drop", "chair", "rocking", "door"], p=[0.35, 0.2, 0.2, 0.25]))
        kinds.append(kind)
        t = rng.uniform(0.1, cfg.duration_s - 0.6)
        if kind == "rocking":  # someone rocking on a chair: rhythmic leg impacts, a faint creak in the air
            dist = rng.uniform(0.5, 5.0)
            rate_hz = rng.uniform(0.8, 2.2)
            n_hits = int(rng.integers(4, 16))
            times = _place_sequence(rng, cfg, _gait_times(rng, cfg, n_hits, rate_hz), partial=False)
            if times.size == 0:
                continue
            amps = ref * rng.uniform(0.15, 1.0) * (1 + 0.15 * rng.standard_normal(times.size)).clip(0.4)
            imp.add(times, amps, rng.uniform(0.02, 0.06, times.size), dist)
            length = int(0.3 * AUDIO_RATE)
            creak = src.shaped_bursts(rng, times.size, length, AUDIO_RATE, rng.uniform(300, 1500, times.size),
                                      np.full(times.size, 0.4), rng.uniform(0.05, 0.15, times.size), attack_s=0.03)
            snd.add(times, creak, log_uniform(rng, 0.003, 0.03), dist)
        elif kind == "drop":
            dist = rng.uniform(0.5, 6.0)
            e = rng.uniform(0.3, 0.6)
            gap = rng.uniform(0.15, 0.5)
            n_b = int(rng.integers(0, 4))
            times = t + np.concatenate([[0.0], np.cumsum(gap * e ** np.arange(n_b))])
            amps = ref * rng.uniform(0.3, 2.5) * e ** np.arange(n_b + 1)
            imp.add(times, amps, rng.uniform(0.008, 0.04), dist)
            m = int(rng.integers(3, 7))
            length = int(0.4 * AUDIO_RATE)
            rows = src.damped_tones(log_uniform(rng, 400, 5000, (times.size, m)), rng.uniform(0.02, 0.25, (times.size, m)),
                                    rng.uniform(0.3, 1.0, (times.size, m)), length, AUDIO_RATE,
                                    rng.uniform(0, 2 * np.pi, (times.size, m)))
            rows = rows / np.abs(rows).max(axis=1, keepdims=True)
            snd.add(times, rows, log_uniform(rng, 0.02, 0.4) * e ** np.arange(n_b + 1), dist)
        elif kind == "chair":
            dist = rng.uniform(0.5, 5.0)
            dur = rng.uniform(0.4, 1.5)
            rumble = src.colored_noise(rng, int(dur * GEO_RATE), GEO_RATE, 1.0, (5.0, 40.0), 1.0)
            rumble *= np.hanning(rumble.size)
            force = np.zeros(n_geo)
            i0 = int(t * GEO_RATE)
            seg = rumble[: n_geo - i0]
            force[i0:i0 + seg.size] = seg
            imp.rumbles.append((force * ref * rng.uniform(0.05, 0.3), dist))
            legs = t + np.sort(rng.uniform(0, dur, int(rng.integers(1, 3))))
            imp.add(legs, ref * rng.uniform(0.2, 0.8, legs.size), rng.uniform(0.01, 0.03, legs.size), dist)
            length = int(dur * AUDIO_RATE)
            scrape = src.shaped_bursts(rng, 1, length, AUDIO_RATE, np.array([rng.uniform(300, 2500)]), np.array([1.0]),
                                       np.array([10.0]))[0]
            am = np.abs(src.colored_noise(rng, length, AUDIO_RATE, 1.0, (3.0, 30.0), 1.0))
            scrape = scrape * np.hanning(length) * am
            snd.add([t], scrape[None, :] / max(np.abs(scrape).max(), 1e-12), log_uniform(rng, 0.01, 0.15), dist)
        else:  # door
            dist = rng.uniform(3.0, 10.0)
            n_r = int(rng.integers(2, 5))
            times = t + np.concatenate([[0.0], np.sort(rng.uniform(0.05, 0.3, n_r))])
            amps = ref * rng.uniform(0.8, 3.0) * np.concatenate([[1.0], rng.uniform(0.1, 0.3, n_r)])
            imp.add(times, amps, rng.uniform(0.01, 0.03), dist)
            length = int(0.4 * AUDIO_RATE)
            thud = src.damped_tones(rng.uniform(70, 200, (1, 1)), rng.uniform(0.05, 0.1, (1, 1)), np.ones((1, 1)),
                                    length, AUDIO_RATE)
            click = src.shaped_bursts(rng, 1, length, AUDIO_RATE, np.array([rng.uniform(2000, 5000)]), np.array([0.7]),
                                      np.array([0.004]))
            snd.add([t], thud + rng.uniform(0.2, 0.8) * click, log_uniform(rng, 0.05, 0.5), dist)
    return kinds


# --------------------------------------------------------------------------- rendering

def _render_geophone(rng, cfg: SceneConfig, floor, imp: _Impacts) -> tuple[np.ndarray, float]:
    n = int(cfg.duration_s * GEO_RATE)
    freqs, zetas, gains = src.draw_modes(rng, floor, int(rng.integers(3, 7)))
    nfft = sp_fft.next_fast_len(n + int(3.0 * GEO_RATE), real=True)  # room for the modes' ring-down
    mobility = src.modal_mobility(freqs, zetas, sp_fft.rfftfreq(nfft, 1 / GEO_RATE)) * gains[:, None]  # (K, F)
    ref_pulse = src.force_pulses(np.array([REFERENCE_PULSE_S]), GEO_RATE)[0]
    ref = sp_fft.irfft(sp_fft.rfft(ref_pulse, nfft) * mobility.sum(0), nfft)
    scale = 1.0 / np.abs(ref).max()  # the reference pulse at 1 m peaks at exactly 1 (x its amplitude)
    kappa = rng.uniform(*floor.kappa)
    times, amps, widths, dists = imp.arrays()
    drive = np.zeros((freqs.size, n))
    if times.size:
        pulses = src.force_pulses(widths, GEO_RATE)
        weights = src.distance_weights(dists, freqs, kappa) * amps[:, None]
        starts = np.round(times * GEO_RATE).astype(int)
        for k in range(freqs.size):
            drive[k] = src.overlap_add(n, starts, pulses, weights[:, k])
    for force, dist in imp.rumbles:
        drive += src.distance_weights(np.array([dist]), freqs, kappa)[0][:, None] * force[None, :]
    spectrum = (sp_fft.rfft(drive, nfft) * mobility).sum(0)
    velocity = sp_fft.irfft(spectrum, nfft)[:n] * scale
    noise_v = log_uniform(rng, *cfg.geo_noise_velocity)
    velocity = velocity + src.colored_noise(rng, n, GEO_RATE, rng.uniform(0.5, 1.5), (1.0, 200.0), noise_v)
    natural = src.SM24_NATURAL_HZ * rng.uniform(0.975, 1.025)
    b, a = src.geophone_filter(GEO_RATE, natural, rng.uniform(*cfg.geophone_damping))
    volts = signal.lfilter(b, a, velocity) * src.AMPLIFIER_GAIN
    t = np.arange(n) / GEO_RATE
    hum_amp = rng.uniform(*cfg.hum_v)
    mains = rng.choice([50.0, 60.0])
    hum = sum(hum_amp / h * np.sin(2 * np.pi * mains * h * t + rng.uniform(0, 2 * np.pi)) for h in (1, 2, 3))
    volts = volts + hum + log_uniform(rng, *cfg.electronic_noise_v) * rng.standard_normal(n)
    return volts, noise_v


def _render_audio(rng, cfg: SceneConfig, snd: _Sounds) -> tuple[np.ndarray, float]:
    n = int(cfg.duration_s * AUDIO_RATE)
    direct, diffuse = np.zeros(n), np.zeros(n)
    r_crit = rng.uniform(*cfg.critical_distance_m)
    for times, rows, levels, dists in snd.groups:
        r = np.maximum(dists, 0.3)
        delay = r / src.SPEED_OF_SOUND
        direct += src.overlap_add(n, np.round((times + delay) * AUDIO_RATE), rows, levels / r)
        diffuse += src.overlap_add(n, np.round(times * AUDIO_RATE), rows, levels / r_crit)
    for x, level, dist in snd.continuous:
        r = max(dist, 0.3)
        shift = int(round(r / src.SPEED_OF_SOUND * AUDIO_RATE))
        direct[shift:] += level / r * x[: n - shift]
        diffuse += level / r_crit * x
    rir = src.room_impulse_response(rng, rng.uniform(*cfg.rt60_s))
    audio = direct + src.fft_convolve_rows(diffuse[None, :], rir[None, :], n)[0]
    noise = log_uniform(rng, *cfg.audio_noise_rms)
    audio = audio + src.colored_noise(rng, n, AUDIO_RATE, rng.uniform(0.5, 1.5), (20.0, 8000.0), noise)
    return audio, noise


def _choose(rng, probs: dict) -> str:
    keys = list(probs)
    p = np.array([probs[k] for k in keys], float)
    return str(keys[rng.choice(len(keys), p=p / p.sum())])


def simulate_scene(label: int, index: int, seed: int = 0, config: SceneConfig | None = None,
                   clips: list[np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray, SceneInfo]:
    """One scene: audio (160000,) float32 at 16 kHz, geophone (40000,) float32 volts at 4 kHz, its info.

    ``label`` 1 = footsteps present (positive pair), 0 = none. ``index`` numbers scenes of that label.
    """
    if label not in (0, 1):
        raise ValueError(f"simulate_scene(label={label!r}): label must be 1 (footsteps) or 0 (none)")
    cfg = config or SceneConfig()
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), int(label), int(index)]))
    floor = FLOORS[_choose(rng, cfg.floor_probs)]
    imp, snd = _Impacts(), _Sounds()
    info = SceneInfo(label=label, kind="walk" if label else _choose(rng, cfg.negative_probs), floor=floor.name)
    extras = []
    if label == 1:
        shoe = SHOES[_choose(rng, cfg.shoe_probs)]
        info.shoe = shoe.name
        walks = [_walker(rng, cfg, floor, shoe, imp, snd, clips)]
        if rng.random() < cfg.two_walker_prob:
            walks.append(_walker(rng, cfg, floor, SHOES[_choose(rng, cfg.shoe_probs)], imp, snd, clips))
        info.n_walkers = len(walks)
        info.step_times = np.sort(np.concatenate([w["times"] for w in walks]))
        info.n_steps = int(info.step_times.size)
        info.cadence_hz = float(walks[0]["cadence"])
        info.nearest_m = float(min(w["nearest"] for w in walks))
        draws = {k: rng.random() < p for k, p in cfg.positive_extras.items()}
        if draws.get("speech"):
            _speech(rng, cfg, snd, 1)
            extras.append("speech")
        if draws.get("typing"):
            _typing(rng, cfg, imp, snd)
            extras.append("typing")
        if draws.get("vibration"):
            extras += _vibration_events(rng, cfg, floor, imp, snd, int(rng.integers(1, 3)))
        if draws.get("tapping"):
            _tapping(rng, cfg, floor, imp, snd)
            extras.append("tapping")
    else:
        kind = info.kind
        if kind == "speech":
            _speech(rng, cfg, snd, int(rng.integers(1, 4)))
        elif kind == "typing":
            _typing(rng, cfg, imp, snd)
        elif kind in ("vibration", "both"):
            extras += _vibration_events(rng, cfg, floor, imp, snd, int(rng.integers(2, 7)))
        if kind in ("tapping", "both"):
            _tapping(rng, cfg, floor, imp, snd)
        if kind != "speech" and rng.random() < cfg.negative_background_speech:
            _speech(rng, cfg, snd, 1)
            extras.append("speech")
    info.extras = tuple(extras)
    geo, info.geo_noise_velocity = _render_geophone(rng, cfg, floor, imp)
    audio, info.audio_noise_rms = _render_audio(rng, cfg, snd)
    return audio.astype(np.float32), geo.astype(np.float32), info


def simulate_scenes(n_pos: int, n_neg: int, seed: int = 0, config: SceneConfig | None = None,
                    clips: list[np.ndarray] | None = None, start: tuple[int, int] = (0, 0)) -> dict:
    """``n_pos`` positive then ``n_neg`` negative scenes.

    Returns {"audio": (n, 160000) float32, "geophone": (n, 40000) float32, "label": (n,) int64,
    "info": list[SceneInfo]}. ``start`` = (first positive index, first negative index), for chunking.
    """
    for name, value in (("n_pos", n_pos), ("n_neg", n_neg)):
        if not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"simulate_scenes({name}={value!r}): give a non-negative integer number of scenes")
    jobs = [(1, start[0] + i) for i in range(n_pos)] + [(0, start[1] + i) for i in range(n_neg)]
    audio = np.zeros((len(jobs), int(DURATION_S * AUDIO_RATE)), np.float32)
    geo = np.zeros((len(jobs), int(DURATION_S * GEO_RATE)), np.float32)
    infos = []
    for row, (label, index) in enumerate(jobs):
        audio[row], geo[row], info = simulate_scene(label, index, seed, config, clips)
        infos.append(info)
    return {"audio": audio, "geophone": geo, "label": np.array([j[0] for j in jobs], np.int64), "info": infos}


def load_step_clips(folder: str | Path, rate: int = AUDIO_RATE) -> list[np.ndarray]:
    """Real single-footstep recordings (WAV/FLAC/OGG, any rate, mono or stereo) resampled to ``rate``.

    E.g. ``../shared/data/footstep_audio`` (freesound clips; see its README for licences).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"step clip folder {folder} does not exist; give a folder of WAV/FLAC/OGG footstep clips")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".wav", ".flac", ".ogg"))
    if not files:
        raise FileNotFoundError(f"step clip folder {folder} has no .wav/.flac/.ogg files")
    clips = []
    for path in files:
        try:
            data, sr = sf.read(path, dtype="float32", always_2d=True)
        except Exception as exc:  # noqa: BLE001
            raise ValueError(f"step clip {path} cannot be read ({exc}); remove or replace it") from exc
        clips.append(librosa.resample(data.mean(axis=1), orig_sr=sr, target_sr=rate))
    return clips
