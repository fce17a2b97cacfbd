"""A second motion source: people performing the five DIP activities with their own style model.

P4's claim that a virtual-trained network scores "< 50 %" on real sensors is only tested when the
real-sensor stand-in does not come from the generator that made the virtual (training) corpus.
This module is that other generator. It shares with :mod:`lib.body.motions` only
the body (SMPL joint tree and anthropometric skeleton of :mod:`lib.body.skeleton`), the anatomical
angle convention (:mod:`lib.body.anatomy`) and forward kinematics; none of the virtual corpus's
motion code (:mod:`lib.body.motions`, :mod:`lib.body.locomotion`, :mod:`lib.body.everyday`,
:mod:`lib.body.posture`, :mod:`lib.body.waveforms`) is used, and the test
``tests/test_virtual_har_realstandin.py`` checks that. Where real motion capture exists for an
activity (CMU subject 131, ``cmu_mocap`` in the real-data folder) it is used as-is (:func:`mocap_piece`).

How it differs from the virtual generator (numbers of that generator in brackets):

=====================  =====================================================  =========================================
aspect                 this source                                            virtual generator (lib.body.locomotion)
=====================  =====================================================  =========================================
time course            keyframes joined by shape-preserving cubic (PCHIP)     von Mises bumps, sinusoids, min-jerk
                       interpolation; gait curves keyed on the cycle          ramps, Gaussian-smoothed noise
gait timing            step by step: each step's duration from the walk       smooth phase: cadence 0.9 + 0.65 v
                       ratio (cadence = √(v / WR), WR ≈ 0.0062 m per           (steps/s) with a 0.2 Hz, 3 % wander
                       step/min, Sekiya & Nagasaki 1998) with white
                       step-to-step jitter (stride CV 1.5-3.5 %,
                       Hausdorff et al. 1995)
walking path           a lab: straight laps of 3-8 m with 180° turns,         a gentle wander (heading SD 12°,
                                                                              0.05 Hz)
                       circles of 1.5-3 m radius, or 45-135° turns
                       (ours; 20-50 % of daily steps are turning steps,
                       Glaister et al. 2007)
speed                  per person 1.15 ± 0.15 m/s (Bohannon 1997's            uniform 0.7-1.9 m/s per clip
                       comfortable 1.27-1.46 m/s, lowered for short laps,
                       ours), per bout ×0.6-1.1 (ours); gait initiation
                       and termination ramps
arm swing              1:1 with the legs, relative phase offset               always 1:1, exactly antiphase
                       N(0, 15°) per person plus a slow wander; *2:1*
                       (arms at step frequency) below 0.8 m/s for 3 people
                       in 8 (Wagenaar & van Emmerik 2000; Donker et al.
                       2001); dominant arm ×0.85 (ours)
vertical motion        from the legs by foot contact (forward kinematics),    sinusoidal bob; spring-mass running
                       ballistic flights for jumps
jumping                jumping jacks with keyed arm/leg cycles, rebound       countermovement jumps, jacks, broad
                       hopping at 2.0-2.5 Hz (Farley et al. 1991: 2.2 Hz      jumps with Hermite crouches
                       preferred), countermovement jump series, and CMU
                       131_03 "hop" mocap
stretching             held stretches (ACSM-style holds shortened to 4-12 s), overhead/side/cross-body/triceps/
                       dynamic arm swings, shoulder rolls, chest opener;      circles; leg raises, lunges, stepping,
                       squats, quadriceps stretch, calf raises, side lunges,  hamstring bend
                       knee lifts
computer work          seated sub-activities as a Markov chain (typing,       typing bursts with 6 Hz jitter, mouse
                       mouse, reading, reaching for a cup, posture shifts)    noise, head scanning
rests, transitions     I-pose calibration, quiet standing with idle arm       lead-in/out standing, 0.6-1.2 s cross-
                       postures, sit-down/stand-up keyframes, 0.4-1.0 s       fades by slerp
                       blends
=====================  =====================================================  =========================================

Every range is in :data:`STYLE` with its source or "ours" (our assumption, never chosen by looking at
a classifier's accuracy). Units: angles in degrees (anatomical convention of :mod:`lib.body.anatomy`),
lengths in metres, times in seconds, speeds in m/s, 60 Hz.

Sources (abstract read: A; cited by a paper read: C; recalled, not re-read: R):
Sekiya N. & Nagasaki H. (1998) Gait & Posture 7:225 (walk ratio ~0.006 m/(steps/min), invariant over
speeds; R, value confirmed C); Murakami R. & Otaka Y. (2017) J Phys Ther Sci (the walk ratio's constancy
breaks below ~62 m/min; A); Bohannon R.W. (1997) Age Ageing 26:15 (comfortable gait speed 1.27-1.46 m/s
by age and sex; A); Hausdorff J.M. et al. (1995) J Appl Physiol 78:349 (stride-time fluctuations of a
few per cent; R); Wagenaar R.C. & van Emmerik R.E.A. (2000) J Biomech 33:853 (arms locked to step
frequency at 0.3-0.7 m/s, to stride frequency from 0.8 m/s; A); Donker S.F., Beek P.J., Wagenaar R.C. &
Mulder T. (2001) J Mot Behav 33:86 (2:1 arm-leg coordination consistently in 3 of 8 participants at
1-2 km/h; A); Glaister B.C. et al. (2007) Gait & Posture 25:289 (turning steps are about 20-50 % of daily
steps; C); Farley C.T. et al. (1991) J Appl Physiol 71:2127 (preferred two-legged hopping 2.2 Hz; R);
Perry J. & Burnfield J.M. (2010) *Gait Analysis* (normative sagittal landmarks: hip ~30° flexion at
initial contact, ~10° extension at 50 %, knee ~15-20° loading peak and ~60° in swing, ankle ~10°
dorsiflexion in late stance, ~15-20° plantarflexion at toe-off; R); DIP's I-pose calibration
(eth-ait/dip18, ``live_demo/read_mtw.cs``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.interpolate import CubicHermiteSpline, PchipInterpolator
from scipy.ndimage import gaussian_filter1d
from scipy.signal import butter, sosfiltfilt
from scipy.spatial.transform import Rotation

from lib.body.anatomy import anatomical_to_local
from lib.body.clip import N_JOINTS, MotionClip
from lib.body.kinematics import forward_kinematics
from lib.body.skeleton import (JOINT_INDEX, JOINT_NAMES, PROPORTION_GROUPS, STATURE, STATURE_RANGE, WINTER,
                               Skeleton, Subject, skeleton_from_stature)
from lib.datasets.bvh import load_bvh, to_motion_clip

G = 9.80665
FPS = 60.0
_J = JOINT_INDEX

#: Frame kinds of a recording (per frame and per piece).
ACTIVITY, REST, TRANSITION, CALIBRATION = 0, 1, 2, 3
KIND_NAMES = ("activity", "rest", "transition", "calibration")

#: Ranges of the style model: name -> (low, high) or value, and where it comes from ("ours" = assumption).
STYLE = {
    "walk_ratio": ((0.0062, 0.0006), "m/(steps/min), N(mean, sd): ~0.006 (Sekiya & Nagasaki 1998); sd ours"),
    "walk_ratio_break_mpm": (62.0, "m/min below which the walk ratio rises (Murakami & Otaka 2017); slope 0.6 ours"),
    "lab_speed": ((1.15, 0.15), "m/s, N(mean, sd) per person: Bohannon 1997 comfortable 1.27-1.46 m/s, lowered "
                                "for short laps with turns (ours)"),
    "bout_speed_factor": ((0.6, 1.1), "per walking bout (ours)"),
    "stride_cv": ((0.015, 0.035), "stride-time CV (Hausdorff et al. 1995: a few per cent)"),
    "arm_double_p": (3 / 8, "share of people with 2:1 arm swing at < 0.8 m/s (Donker et al. 2001; Wagenaar & "
                            "van Emmerik 2000)"),
    "arm_gain": ((0.6, 1.3), "shoulder swing amplitude factor on (6 + 14 v) deg (ours)"),
    "arm_phase_sd_deg": (15.0, "arm-leg relative phase offset per person (ours)"),
    "pelvis_rotation_deg": ((3.0, 8.0), "peak transverse pelvic rotation at normal step length (ours; Perry)"),
    "lap_m": ((3.0, 8.0), "straight lap before a 180 deg turn (ours: a lab room)"),
    "turn_s": ((1.4, 2.4), "duration of a 180 deg turn (ours)"),
    "circle_radius_m": ((1.5, 3.0), "(ours)"),
    "gait_start_s": ((1.0, 1.6), "gait initiation ramp (ours)"),
    "gait_stop_s": ((0.8, 1.3), "gait termination ramp (ours)"),
    "hop_hz": ((2.0, 2.5), "two-legged rebound hopping (Farley et al. 1991: preferred 2.2 Hz)"),
    "jack_period_s": ((0.8, 1.25), "one jumping-jack cycle, open + close (ours)"),
    "cmj_height_m": ((0.18, 0.38), "countermovement jump height (ours)"),
    "hold_s": ((4.0, 12.0), "static stretch holds (ours; ACSM recommends 10-30 s, a protocol shortens them)"),
    "tempo": ((0.0, 0.15), "log-normal exercise tempo factor (mean, sd of the log) (ours)"),
    "flexibility": ((0.75, 1.15), "range-of-motion factor of stretches (ours)"),
    "blend_s": ((0.4, 1.0), "blend between two pieces (ours)"),
    "sit_transition_s": ((1.8, 2.8), "stand -> sit and sit -> stand (ours)"),
    "calibration_s": ((2.0, 4.0), "I-pose held for the calibration (DIP calibrates in an I-pose; duration ours)"),
    "right_handed_p": (0.9, "(ours)"),
    "trunk_lean": ((-2.0, 8.0), "habitual forward trunk lean, deg (ours)"),
}


# ------------------------------------------------------------------------------------ people

@dataclass(frozen=True)
class Performer:
    """One stand-in person: a body (:class:`Subject`) and a personal motion style (:data:`STYLE`)."""

    subject: Subject
    walk_ratio: float
    lab_speed: float
    stride_cv: float
    arm_double: bool
    arm_gain: float
    arm_phase_deg: float
    pelvis_rotation: float
    dominant: str
    tempo: float
    flexibility: float
    trunk_lean: float
    turn_left: bool

    @property
    def id(self) -> str:
        """The subject's id."""
        return self.subject.id

    def skeleton(self) -> Skeleton:
        """The SMPL-topology :class:`Skeleton` of this person's body (metres)."""
        return self.subject.skeleton()

    def as_dict(self) -> dict:
        """The subject's fields plus every style field as a plain dict (style floats rounded to 5 decimals)."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "subject"}
        return {**self.subject.as_dict(), **{k: (round(v, 5) if isinstance(v, float) else v) for k, v in out.items()}}


def sample_performer(rng: np.random.Generator, sex: str = "male", id: str = "p0") -> Performer:
    """Draw a person: stature by sex (Huston's 50th-percentile means, :data:`lib.body.skeleton.STATURE`),
    limb proportions ±3 %, and a style from :data:`STYLE`."""
    mean, sd = STATURE[sex]
    stature = float(np.clip(rng.normal(mean, sd), *STATURE_RANGE))
    scales = np.clip(rng.normal(1.0, 0.03, len(PROPORTION_GROUPS)), 0.92, 1.08)
    subject = Subject(stature=stature, sex=sex, proportions=dict(zip(PROPORTION_GROUPS, map(float, scales))), id=id)
    wr_mean, wr_sd = STYLE["walk_ratio"][0]
    v_mean, v_sd = STYLE["lab_speed"][0]
    return Performer(
        subject=subject,
        walk_ratio=float(np.clip(rng.normal(wr_mean, wr_sd), 0.0050, 0.0078)),
        lab_speed=float(np.clip(rng.normal(v_mean, v_sd), 0.7, 1.6)),
        stride_cv=float(rng.uniform(*STYLE["stride_cv"][0])),
        arm_double=bool(rng.random() < STYLE["arm_double_p"][0]),
        arm_gain=float(rng.uniform(*STYLE["arm_gain"][0])),
        arm_phase_deg=float(rng.normal(0.0, STYLE["arm_phase_sd_deg"][0])),
        pelvis_rotation=float(rng.uniform(*STYLE["pelvis_rotation_deg"][0])),
        dominant="right" if rng.random() < STYLE["right_handed_p"][0] else "left",
        tempo=float(np.exp(rng.normal(*STYLE["tempo"][0]))),
        flexibility=float(rng.uniform(*STYLE["flexibility"][0])),
        trunk_lean=float(rng.uniform(*STYLE["trunk_lean"][0])),
        turn_left=bool(rng.random() < 0.5),
    )


# ------------------------------------------------------------------------------------ building blocks

@dataclass
class Piece:
    """A stretch of motion in its own frame: anatomical angles (n, 24, 3) deg, root (n, 3) deg
    (heading = left turn, pitch = forward lean, roll = lean left), horizontal displacement (n, 2) m in
    the piece's frame (x = left, z = forward; SMPL axes), lift (n,) m added to the foot-contact height
    (flight), phase (n,) frame kinds (:data:`ACTIVITY` or :data:`TRANSITION` inside a piece).

    ``poses``/``trans`` replace the angles for mocap pieces (local axis-angle, already grounded)."""

    angles: np.ndarray | None
    root: np.ndarray | None
    xz: np.ndarray
    lift: np.ndarray
    phase: np.ndarray
    kind: int = ACTIVITY
    name: str = ""
    meta: dict = field(default_factory=dict)
    poses: np.ndarray | None = None
    trans: np.ndarray | None = None

    @property
    def n(self) -> int:
        """Number of frames in the piece."""
        return len(self.xz)


def _blank(n: int, kind: int = ACTIVITY, name: str = "") -> Piece:
    return Piece(np.zeros((n, N_JOINTS, 3)), np.zeros((n, 3)), np.zeros((n, 2)), np.zeros(n),
                 np.full(n, ACTIVITY if kind == ACTIVITY else kind, dtype=np.int8), kind, name)


def _add(p: Piece, joint: str, a1=0.0, a2=0.0, a3=0.0) -> None:
    j = _J[joint]
    p.angles[:, j, 0] += a1
    p.angles[:, j, 1] += a2
    p.angles[:, j, 2] += a3


def _both(p: Piece, part: str, a1=0.0, a2=0.0, a3=0.0) -> None:
    _add(p, f"left_{part}", a1, a2, a3)
    _add(p, f"right_{part}", a1, a2, a3)


def _lean(p: Piece, pitch, roll=0.0) -> None:
    """Tilt the pelvis (and the trunk above it) forward by ``pitch`` deg; the legs keep their direction."""
    p.root[:, 1] += pitch
    p.root[:, 2] += roll
    _both(p, "hip", pitch)
    _add(p, "left_hip", 0.0, roll)
    _add(p, "right_hip", 0.0, -np.asarray(roll))


def _trunk(p: Piece, flex=0.0, bend=0.0, twist=0.0) -> None:
    """Spread trunk flexion / bend to the left / twist to the left over spine1-3 (30/35/35 %, ours)."""
    for name, w in (("spine1", 0.3), ("spine2", 0.35), ("spine3", 0.35)):
        _add(p, name, w * np.asarray(flex), w * np.asarray(bend), w * np.asarray(twist))


def _keys(t: np.ndarray, times, values) -> np.ndarray:
    """PCHIP through (times, values) (values (K,) or (K, D)); held constant outside the keys."""
    times = np.asarray(times, dtype=float)
    values = np.asarray(values, dtype=float)
    order = np.argsort(times, kind="stable")
    times, values = times[order], values[order]
    keep = np.concatenate([[True], np.diff(times) > 1e-6])
    times, values = times[keep], values[keep]
    if len(times) == 1:
        return np.broadcast_to(values[0], t.shape + values.shape[1:]).copy()
    return PchipInterpolator(times, values, axis=0, extrapolate=False)(np.clip(t, times[0], times[-1]))


def _cycle(p: np.ndarray, knots, values) -> np.ndarray:
    """Periodic PCHIP curve of the cycle fraction ``p`` (any real; wraps at 1) through (knots in [0, 1), values)."""
    k = np.asarray(knots, dtype=float)
    v = np.asarray(values, dtype=float)
    kk = np.concatenate([k - 1.0, k, k + 1.0])
    vv = np.concatenate([v, v, v])
    return PchipInterpolator(kk, vv)(np.mod(p, 1.0))


def _drift(rng: np.random.Generator, n: int, cutoff_hz: float, shape: tuple = ()) -> np.ndarray:
    """(n, *shape) unit-SD noise low-passed by a 2nd-order Butterworth (zero phase) at ``cutoff_hz``."""
    pad = int(3 * FPS / cutoff_hz) + 8
    white = rng.standard_normal((n + 2 * pad,) + tuple(shape))
    sos = butter(2, min(cutoff_hz / (FPS / 2), 0.99), output="sos")
    x = sosfiltfilt(sos, white, axis=0)[pad:pad + n]
    sd = x.std(axis=0, keepdims=True) if n > 10 else 1.0
    return x / np.maximum(sd, 1e-9)


def _time(n: int) -> np.ndarray:
    return np.arange(n) / FPS


def _n(seconds: float) -> int:
    return max(3, int(round(seconds * FPS)))


# ------------------------------------------------------------------------------------ standing and rests

def _stand(p: Piece, perf: Performer, rng: np.random.Generator, sway: float = 1.0) -> None:
    """Upright stance of this person: knees 1-4°, feet 3-6° apart, arms relaxed; sway of an inverted
    pendulum (ankle pitch/roll 0.4°/0.3° below 0.4 Hz, ours)."""
    n = p.n
    knee = rng.uniform(1.0, 4.0)
    _both(p, "knee", knee)
    _both(p, "hip", knee / 2, rng.uniform(3.0, 6.0))
    _both(p, "ankle", knee / 2)
    _both(p, "shoulder", 0.0, rng.uniform(4.0, 9.0))
    _both(p, "elbow", rng.uniform(5.0, 15.0))
    _lean(p, 0.3 * perf.trunk_lean)
    _trunk(p, flex=0.3 * perf.trunk_lean)
    if sway:
        s = _drift(rng, n, 0.4, (2,))
        p.root[:, 1] += sway * 0.4 * s[:, 0]
        p.root[:, 2] += sway * 0.3 * s[:, 1]
        _both(p, "ankle", -sway * 0.4 * s[:, 0])  # the body sways over fixed feet


def calibration(perf: Performer, rng: np.random.Generator, seconds: float | None = None) -> Piece:
    """The I-pose of DIP's calibration (its live demo, eth-ait/dip18): upright, arms straight at the sides, still."""
    n = _n(seconds if seconds is not None else rng.uniform(*STYLE["calibration_s"][0]))
    p = _blank(n, CALIBRATION, "calibration")
    _both(p, "hip", 0.0, 2.0)
    _both(p, "shoulder", 0.0, rng.uniform(1.0, 4.0))
    _both(p, "elbow", rng.uniform(0.0, 5.0))
    s = _drift(rng, n, 0.3, (2,))
    p.root[:, 1] += 0.25 * s[:, 0]
    _both(p, "ankle", -0.25 * s[:, 0])
    p.root[:, 2] += 0.2 * s[:, 1]
    return p


def rest(perf: Performer, rng: np.random.Generator, seconds: float) -> Piece:
    """Quiet standing between bouts: arms hanging, hands on hips or arms crossed (0.5/0.3/0.2, ours),
    a weight shift every 3-8 s (ours), head turns, breathing 0.2-0.35 Hz."""
    n = _n(seconds)
    p = _blank(n, REST, "rest")
    _stand(p, perf, rng)
    t = _time(n)
    arms = rng.choice(["hanging", "hips", "crossed"], p=[0.5, 0.3, 0.2])
    if arms == "hips":
        _both(p, "shoulder", -10.0, 40.0, 30.0)
        _both(p, "elbow", 95.0)
    elif arms == "crossed":
        _both(p, "shoulder", 40.0, -5.0, 55.0)
        _both(p, "elbow", 110.0)
    tt = rng.uniform(1.0, 4.0)
    while tt < t[-1] - 1.0:
        side = 1.0 if rng.random() < 0.5 else -1.0
        d = rng.uniform(1.5, 3.0)
        env = _keys(t, [tt, tt + 0.6, tt + d, tt + d + 0.6], [0.0, 1.0, 1.0, 0.0])
        p.root[:, 2] -= side * 2.5 * env
        p.xz[:, 0] += side * 0.025 * env
        _add(p, "right_knee" if side > 0 else "left_knee", 7.0 * env)
        tt += d + rng.uniform(3.0, 8.0)
    _add(p, "head", 0.0, 0.0, 8.0 * _drift(rng, n, 0.25))
    breath = np.sin(2 * np.pi * rng.uniform(0.2, 0.35) * t + rng.uniform(0, 6.3))
    _trunk(p, flex=-0.6 * breath)
    p.meta["arms"] = str(arms)
    return p


# ------------------------------------------------------------------------------------ walking

#: Normative sagittal gait curves at stride fractions (0 = left initial contact), deg (Perry & Burnfield
#: landmarks; the knots and the values between landmarks are ours).
GAIT_KNOTS = {
    "hip": ([0.0, 0.12, 0.3, 0.5, 0.62, 0.75, 0.87], [30.0, 26.0, 10.0, -10.0, 0.0, 24.0, 32.0]),
    "knee": ([0.0, 0.15, 0.4, 0.6, 0.72, 0.86], [5.0, 18.0, 5.0, 38.0, 62.0, 28.0]),
    "ankle": ([0.0, 0.07, 0.45, 0.62, 0.75, 0.9], [0.0, -6.0, 10.0, -18.0, 2.0, 1.0]),
    "toe": ([0.0, 0.4, 0.55, 0.7], [0.0, 0.0, 20.0, 0.0]),
    "abduction": ([0.0, 0.25, 0.5, 0.75], [1.0, -3.0, 1.0, 4.0]),
}
_GAIT_REST = {"hip": 10.0, "knee": 3.0, "ankle": 0.0, "toe": 0.0, "abduction": 1.0}


def cadence(speed: np.ndarray | float, walk_ratio: float) -> np.ndarray:
    """Steps per second at ``speed`` (m/s) for a person's walk ratio WR (m per step/min): from
    v = step length × cadence and step length = WR × cadence, cadence = √(v / WR) steps/min; below
    62 m/min the ratio rises (Murakami & Otaka 2017; slope 0.6 ours). At least 0.8 steps/s (ours)."""
    v_mpm = np.maximum(np.asarray(speed, dtype=float), 0.05) * 60.0
    wr = walk_ratio * (1.0 + 0.6 * np.clip((STYLE["walk_ratio_break_mpm"][0] - v_mpm) / 62.0, 0.0, None))
    return np.maximum(np.sqrt(v_mpm / wr) / 60.0, 0.8)


def _path(rng: np.random.Generator, n: int, v: float, style: str, turn_left: bool) -> tuple[np.ndarray, np.ndarray]:
    """Heading (deg) and speed (m/s) per frame of a walking bout in a lab (module docstring)."""
    dt = 1.0 / FPS
    heading, speed = np.zeros(n), np.zeros(n)
    sign = 1.0 if turn_left else -1.0
    h, k = 0.0, 0
    radius = rng.uniform(*STYLE["circle_radius_m"][0])
    while k < n:
        if style == "circle":
            heading[k:] = h + sign * np.degrees(v / radius) * dt * np.arange(n - k)
            speed[k:] = v
            break
        lap = rng.uniform(*STYLE["lap_m"][0]) if style == "laps" else v * rng.uniform(2.0, 5.0)
        m = min(n - k, int(lap / max(v, 0.1) * FPS))
        heading[k:k + m], speed[k:k + m] = h, v
        k += m
        if k >= n:
            break
        angle = 180.0 if style == "laps" else rng.uniform(45.0, 135.0) * (1 if rng.random() < 0.5 else -1)
        turn = rng.uniform(*STYLE["turn_s"][0]) * (abs(angle) / 180.0) ** 0.5
        m = min(n - k, _n(turn))
        s = np.arange(m) / max(_n(turn) - 1, 1)
        heading[k:k + m] = h + sign * angle * (0.5 - 0.5 * np.cos(np.pi * s))
        speed[k:k + m] = v * (0.6 + 0.4 * np.abs(np.cos(np.pi * s)))  # slower mid-turn (ours)
        h += sign * angle
        k += m
    return heading, speed


def _steps(rng: np.random.Generator, t: np.ndarray, speed: np.ndarray, perf: Performer) -> np.ndarray:
    """Cumulative step count per frame: step durations 1/cadence(v) with white jitter (step CV = 1.2 ×
    stride CV, ours), linear within a step."""
    events = [0.0]
    while events[-1] <= t[-1] + 1.0:
        v = np.interp(events[-1], t, speed)
        dur = 1.0 / float(cadence(v, perf.walk_ratio))
        events.append(events[-1] + dur * (1.0 + 1.2 * perf.stride_cv * rng.standard_normal()))
    return np.interp(t, events, np.arange(len(events), dtype=float))


def walking(perf: Performer, rng: np.random.Generator, seconds: float, style: str | None = None) -> Piece:
    """A walking bout from standing to standing: initiation ramp, laps/circle/free path, termination.

    Frames of the initiation and termination ramps are :data:`TRANSITION`; the rest is walking."""
    n = _n(seconds)
    t = _time(n)
    p = _blank(n, ACTIVITY, "walking")
    style = style or str(rng.choice(["laps", "circle", "free"], p=[0.5, 0.25, 0.25]))
    v = perf.lab_speed * rng.uniform(*STYLE["bout_speed_factor"][0])
    heading, speed = _path(rng, n, v, style, perf.turn_left)
    start, stop = rng.uniform(*STYLE["gait_start_s"][0]), rng.uniform(*STYLE["gait_stop_s"][0])
    ramp = np.clip(np.minimum(t / start, (t[-1] - t) / stop), 0.0, 1.0)
    ramp = ramp * ramp * (3 - 2 * ramp)
    speed = speed * ramp
    p.phase[(t < start) | (t > t[-1] - stop)] = TRANSITION
    phi = _steps(rng, t, np.maximum(speed, 0.15 * v), perf)
    stride = phi / 2.0  # left initial contact at even steps
    f = cadence(np.maximum(speed, 1e-3), perf.walk_ratio)
    step_len = speed / f
    a = np.clip(step_len / (0.41 * perf.subject.stature), 0.0, 1.3)  # 0.41 H: normal step length (ours)
    for side, off in (("left", 0.0), ("right", 0.5)):
        q = stride + off
        curves = {k: _cycle(q, *GAIT_KNOTS[k]) for k in GAIT_KNOTS}
        scaled = {k: _GAIT_REST[k] + a * (curves[k] - _GAIT_REST[k]) for k in curves}
        _add(p, f"{side}_hip", scaled["hip"] - _GAIT_REST["hip"], scaled["abduction"] + 2.0)
        _add(p, f"{side}_knee", scaled["knee"])
        _add(p, f"{side}_ankle", scaled["ankle"])
        _add(p, f"{side}_foot", scaled["toe"])
    w = 2 * np.pi * stride
    rot = a * perf.pelvis_rotation
    p.root[:, 0] += heading - rot * np.cos(w)            # right pelvis forward at left contact
    p.root[:, 2] += a * 3.5 * np.sin(w - 0.3)            # obliquity (ours)
    _trunk(p, twist=0.7 * rot * np.cos(w), bend=-a * 3.0 * np.sin(w - 0.3))
    _add(p, "neck", 0.0, 0.0, 0.3 * rot * np.cos(w))     # the head keeps looking ahead
    lean = perf.trunk_lean + 2.0 * v
    _lean(p, 0.5 * lean)
    _trunk(p, flex=0.5 * lean)
    _add(p, "neck", rng.uniform(0.0, 8.0))
    # arms (module docstring): 1:1 antiphase with a personal offset, or 2:1 when slow
    amp = perf.arm_gain * (6.0 + 14.0 * speed)
    offset = np.radians(perf.arm_phase_deg) + np.radians(8.0) * _drift(rng, n, 0.1)
    double = perf.arm_double and v < 0.8
    for side, leg_off in (("left", 0.5), ("right", 0.0)):
        gain = 0.85 if side == perf.dominant else 1.0
        if double:
            swing = 0.5 * gain * amp * np.cos(2 * w + offset)
        else:
            swing = gain * amp * np.cos(w - 2 * np.pi * leg_off + offset)
        _add(p, f"{side}_shoulder", 4.0 + swing, 6.0 + 2.0 * ramp)
        _add(p, f"{side}_elbow", 15.0 + 0.4 * np.clip(swing, 0.0, None))
    # horizontal motion: integrate speed along the path heading, with lateral sway over the stance foot
    h = np.radians(heading)
    fwd = np.stack([np.sin(h), np.cos(h)], axis=1)
    left = np.stack([np.cos(h), -np.sin(h)], axis=1)
    p.xz[:] = np.cumsum(speed[:, None] * fwd, axis=0) / FPS
    p.xz += (0.025 * a * np.sin(w))[:, None] * left
    p.meta.update(style=style, speed=float(v), double_arm=bool(double),
                  cadence=float(np.median(f[p.phase == ACTIVITY])) if (p.phase == ACTIVITY).any() else float(f.mean()))
    return p


# ------------------------------------------------------------------------------------ jumping

def _flight(t: np.ndarray, flights: list[tuple[float, float]]) -> np.ndarray:
    """Lift (m) of ballistic flights [(take-off, landing)]: take-off speed v0 = g·t_f/2, h = v0·τ − g·τ²/2."""
    lift = np.zeros_like(t)
    for a, b in flights:
        tf = b - a
        if tf <= 0:
            continue
        m = (t >= a) & (t < b)
        tau = t[m] - a
        lift[m] = (G * tf / 2.0) * tau - 0.5 * G * tau ** 2
    return lift


def jumping(perf: Performer, rng: np.random.Generator, seconds: float, style: str | None = None) -> Piece:
    """Jumping jacks, rebound hopping or a series of countermovement jumps (module docstring)."""
    n = _n(seconds)
    t = _time(n)
    p = _blank(n, ACTIVITY, "jumping")
    style = style or str(rng.choice(["jacks", "rebound", "countermovement"], p=[0.4, 0.3, 0.3]))
    _stand(p, perf, rng, sway=0.0)
    flights: list[tuple[float, float]] = []
    if style in ("jacks", "rebound"):
        if style == "jacks":
            period = rng.uniform(*STYLE["jack_period_s"][0]) / perf.tempo
            hop = period / 2.0
        else:
            hop = 1.0 / rng.uniform(*STYLE["hop_hz"][0])
            period = hop
        duty = rng.uniform(0.45, 0.6)                                   # contact share of a hop (ours)
        starts = np.arange(-rng.uniform(0, hop), t[-1] + hop, hop)
        jitter = 1.0 + 0.03 * rng.standard_normal(len(starts))          # hop-to-hop variation (ours)
        starts = starts[0] + np.concatenate([[0.0], np.cumsum(np.diff(starts) * jitter[1:])])
        tc = duty * hop
        flights = [(s + tc, s_next) for s, s_next in zip(starts[:-1], starts[1:])]
        absorb, airborne = np.zeros(n), np.ones(n)
        for s in starts:
            m = (t >= s) & (t < s + tc)
            absorb[m] = np.sin(np.pi * (t[m] - s) / tc)
            airborne[m] = 0.0
        depth = rng.uniform(15.0, 30.0) if style == "jacks" else rng.uniform(10.0, 25.0)
        _both(p, "knee", depth * absorb)
        _both(p, "hip", 0.5 * depth * absorb)
        _both(p, "ankle", 0.5 * depth * absorb - 20.0 * gaussian_filter1d(airborne, 0.02 * FPS))
        if style == "jacks":
            phase = np.mod((t - starts[0]) / period, 1.0)
            legs = _cycle(phase, [0.0, 0.2, 0.5, 0.7], [0.0, 1.0, 1.0, 0.0])
            arms = _cycle(phase + 0.08, [0.0, 0.25, 0.5, 0.75], [0.0, 0.7, 1.0, 0.3])  # arms lag the legs (ours)
            _both(p, "hip", 0.0, rng.uniform(18.0, 30.0) * perf.flexibility * legs)
            _both(p, "shoulder", 5.0, rng.uniform(130.0, 170.0) * arms)
            _both(p, "elbow", 10.0 * (1 - arms))
        else:
            if rng.random() < 0.5:  # hands on hips
                _both(p, "shoulder", -10.0, 40.0, 30.0)
                _both(p, "elbow", 95.0)
            else:
                _both(p, "shoulder", 10.0 + 10.0 * absorb, 10.0)
                _both(p, "elbow", 60.0)
    else:  # countermovement jumps with pauses
        tt = rng.uniform(0.3, 1.0)
        crouch_k, hip_k, arm_k = np.zeros(n), np.zeros(n), np.zeros(n)
        while tt < t[-1] - 2.0:
            down = rng.uniform(0.5, 0.8) / perf.tempo
            push = rng.uniform(0.25, 0.35)
            h = rng.uniform(*STYLE["cmj_height_m"][0])
            tf = 2.0 * np.sqrt(2.0 * h / G)
            land = rng.uniform(0.3, 0.5)
            knee_max = rng.uniform(70.0, 100.0)
            t0, t1, t2, t3, t4 = tt, tt + down, tt + down + push, tt + down + push + tf, tt + down + push + tf + land
            crouch_k += _keys(t, [t0 - 0.01, t0, t1, t2, t3, t3 + 0.35 * land, t4, t4 + 0.01],
                              [0, 0, knee_max, 5, 5, 0.6 * knee_max, 0, 0])
            hip_k += _keys(t, [t0 - 0.01, t0, t1, t2, t3, t3 + 0.35 * land, t4, t4 + 0.01],
                           [0, 0, 0.9 * knee_max, 0, 0, 0.5 * knee_max, 0, 0])
            arm_k += _keys(t, [t0 - 0.01, t0, t1, t2, t2 + 0.5 * tf, t4, t4 + 0.01],
                           [0, 0, -45, 150, 120, 0, 0])
            flights.append((t2, t3))
            tt = t4 + rng.uniform(1.0, 3.0)
        _both(p, "knee", crouch_k)
        _both(p, "hip", hip_k)
        _both(p, "ankle", 0.4 * crouch_k)
        _lean(p, 0.35 * hip_k)
        _trunk(p, flex=0.2 * hip_k)
        _both(p, "shoulder", arm_k, 8.0)
        _both(p, "elbow", 15.0)
    p.lift = _flight(t, flights)
    p.root[:, 0] += 4.0 * _drift(rng, n, 0.1)
    p.meta["style"] = style
    return p


# ------------------------------------------------------------------------------------ stretching

def _moves(rng: np.random.Generator, t: np.ndarray, menu: list[str], perf: Performer) -> list[tuple[float, float, str]]:
    """Split a bout into consecutive moves of 4-12 s (holds, :data:`STYLE` ``hold_s``) or dynamic sets."""
    out, start = [], 0.0
    end = float(t[-1]) + 1.0 / FPS
    last = None
    while start < end - 1.0:
        move = str(rng.choice([m for m in menu if m != last] or menu))
        length = rng.uniform(*STYLE["hold_s"][0]) / perf.tempo + 2.0
        stop = end if end - (start + length) < 3.0 else start + length
        out.append((start, stop, move))
        start, last = stop, move
    return out


def _hold(t: np.ndarray, start: float, stop: float, into: float) -> np.ndarray:
    """0 -> 1 in ``into`` s, held, 1 -> 0 in ``into`` s before ``stop`` (PCHIP keys)."""
    into = min(into, (stop - start) / 3.0)
    return _keys(t, [start, start + into, stop - into, stop], [0.0, 1.0, 1.0, 0.0])


def stretching_arms(perf: Performer, rng: np.random.Generator, seconds: float) -> Piece:
    """Arm and shoulder stretches: held reaches and dynamic sets (module docstring)."""
    n = _n(seconds)
    t = _time(n)
    p = _blank(n, ACTIVITY, "stretching arms")
    _stand(p, perf, rng)
    fx = perf.flexibility
    menu = ["overhead_clasp", "side_bend", "lateral_raises", "cross_body", "chest_opener", "arm_swings",
            "shoulder_rolls", "wrist_stretch"]
    done = []
    for start, stop, move in _moves(rng, t, menu, perf):
        env = _hold(t, start, stop, rng.uniform(0.8, 1.5))
        side = "left" if rng.random() < 0.5 else "right"
        other = "right" if side == "left" else "left"
        tau = t - start
        if move == "overhead_clasp":
            _both(p, "shoulder", 165.0 * fx * env, 8.0 * env)
            _both(p, "elbow", -5.0 * env)
            _both(p, "wrist", -50.0 * env)
            _trunk(p, flex=-6.0 * env)
        elif move == "side_bend":
            _both(p, "shoulder", 150.0 * env, 20.0 * env)
            _trunk(p, bend=(1 if side == "right" else -1) * 25.0 * fx * env)
        elif move == "lateral_raises":
            rate = rng.uniform(0.25, 0.45) * perf.tempo
            up = 0.5 - 0.5 * np.cos(2 * np.pi * rate * tau)
            _both(p, "shoulder", 10.0 * env, rng.uniform(80.0, 160.0) * up * env)
        elif move == "cross_body":
            _add(p, f"{side}_shoulder", 90.0 * env, -40.0 * fx * env)
            _add(p, f"{other}_shoulder", 75.0 * env, -15.0 * env, 45.0 * env)
            _add(p, f"{other}_elbow", 105.0 * env)
            _trunk(p, twist=(8.0 if side == "left" else -8.0) * env)
        elif move == "chest_opener":
            _both(p, "shoulder", -30.0 * fx * env, 35.0 * env, -20.0 * env)
            _both(p, "collar", 0.0, -12.0 * env)
            _add(p, "neck", -10.0 * env)
        elif move == "arm_swings":
            rate = rng.uniform(0.5, 0.9) * perf.tempo
            sw = np.sin(2 * np.pi * rate * tau)
            _both(p, "shoulder", 90.0 * env, 40.0 * fx * sw * env)
            _trunk(p, twist=6.0 * sw * env)
        elif move == "shoulder_rolls":
            rate = rng.uniform(0.3, 0.6) * perf.tempo
            w = 2 * np.pi * rate * tau
            _both(p, "collar", 12.0 * np.sin(w) * env, 8.0 * np.cos(w) * env)
        else:  # wrist stretch: arm forward, palm pulled back by the other hand
            _add(p, f"{side}_shoulder", 85.0 * env)
            _add(p, f"{side}_wrist", -60.0 * fx * env)
            _add(p, f"{other}_shoulder", 70.0 * env, -10.0 * env, 30.0 * env)
            _add(p, f"{other}_elbow", 60.0 * env)
        done.append(move)
    p.meta["moves"] = done
    return p


def stretching_legs(perf: Performer, rng: np.random.Generator, seconds: float) -> Piece:
    """Leg exercises and stretches: squats, lunges, leg raises, knee lifts, quadriceps and hamstring
    stretches, side lunges, calf raises (module docstring); the feet stay on the floor by forward kinematics."""
    n = _n(seconds)
    t = _time(n)
    p = _blank(n, ACTIVITY, "stretching legs")
    _stand(p, perf, rng)
    fx = perf.flexibility
    menu = ["squats", "lunges", "front_raises", "knee_lifts", "quad_stretch", "hamstring", "side_lunges",
            "calf_raises"]
    done = []
    for start, stop, move in _moves(rng, t, menu, perf):
        env = _hold(t, start, stop, rng.uniform(0.6, 1.2))
        tau = t - start
        side = "left" if rng.random() < 0.5 else "right"
        other = "right" if side == "left" else "left"
        if move == "squats":
            period = rng.uniform(2.0, 4.0) / perf.tempo
            d = (0.5 - 0.5 * np.cos(2 * np.pi * tau / period)) * env
            k = rng.uniform(70.0, 110.0) * fx
            _both(p, "knee", k * d)
            _both(p, "ankle", 0.45 * k * d)
            _both(p, "hip", 0.55 * k * d)
            _lean(p, 0.35 * k * d)
            _both(p, "shoulder", 80.0 * d)
        elif move in ("lunges", "side_lunges"):
            period = rng.uniform(3.0, 5.0) / perf.tempo
            d = np.sin(np.pi * np.mod(tau, period) / period) ** 2 * env
            alt = np.floor(tau / period) % 2 == 0
            for front, back, mask in ((side, other, alt), (other, side, ~alt)):
                m = d * mask
                if move == "lunges":
                    _add(p, f"{front}_hip", 80.0 * fx * m)
                    _add(p, f"{front}_knee", 85.0 * fx * m)
                    _add(p, f"{front}_ankle", 20.0 * m)
                    _add(p, f"{back}_hip", -20.0 * m)
                    _add(p, f"{back}_knee", 80.0 * fx * m)
                    _add(p, f"{back}_foot", 35.0 * m)
                else:
                    _add(p, f"{front}_hip", 45.0 * m, 35.0 * fx * m)
                    _add(p, f"{front}_knee", 75.0 * fx * m)
                    _add(p, f"{front}_ankle", 20.0 * m)
                    _add(p, f"{back}_hip", 0.0, 30.0 * m)
            if move == "lunges":
                p.xz[:, 1] += 0.15 * d
            _both(p, "elbow", 40.0 * env)
        elif move in ("front_raises", "knee_lifts"):
            period = (rng.uniform(2.0, 3.2) if move == "front_raises" else rng.uniform(0.9, 1.4)) / perf.tempo
            ph = np.mod(tau / period, 1.0)
            lift = _cycle(ph, [0.0, 0.1, 0.3, 0.5, 0.6], [0.0, 0.0, 1.0, 0.0, 0.0]) * env
            alt = np.floor(tau / period) % 2 == 0
            for s, mask in ((side, alt), (other, ~alt)):
                if move == "front_raises":
                    _add(p, f"{s}_hip", rng.uniform(45.0, 80.0) * fx * lift * mask)
                else:
                    _add(p, f"{s}_hip", 85.0 * lift * mask)
                    _add(p, f"{s}_knee", 95.0 * lift * mask)
            _both(p, "shoulder", 0.0, 25.0 * env)
        elif move == "quad_stretch":
            _add(p, f"{side}_knee", 140.0 * fx * env)
            _add(p, f"{side}_hip", -8.0 * env)
            _add(p, f"{side}_shoulder", -25.0 * env, 10.0 * env)
            _add(p, f"{side}_elbow", 15.0 * env)
            _add(p, f"{other}_shoulder", 0.0, 40.0 * env)
            p.root[:, 2] += (3.0 if side == "left" else -3.0) * env * (1 + 0.3 * _drift(rng, n, 0.8))
        elif move == "hamstring":
            bend = rng.uniform(50.0, 85.0) * fx * env
            _lean(p, 0.75 * bend)
            _trunk(p, flex=0.25 * bend)
            _both(p, "shoulder", 0.8 * bend)
            _add(p, "neck", -10.0 * env)
        else:  # calf raises
            period = rng.uniform(1.2, 2.0) / perf.tempo
            up = (0.5 - 0.5 * np.cos(2 * np.pi * tau / period)) * env
            _both(p, "ankle", -25.0 * up)
            _both(p, "foot", 30.0 * up)
        done.append(move)
    p.meta["moves"] = done
    return p


# ------------------------------------------------------------------------------------ computer work

#: Seated sub-activities at a desk: mean dwell time (s) and next-state probabilities (ours).
DESK_STATES = {
    "typing": (12.0, {"mouse": 0.45, "reading": 0.35, "reach": 0.1, "shift": 0.1}),
    "mouse": (10.0, {"typing": 0.45, "reading": 0.35, "reach": 0.1, "shift": 0.1}),
    "reading": (9.0, {"typing": 0.4, "mouse": 0.45, "reach": 0.1, "shift": 0.05}),
    "reach": (3.0, {"typing": 0.4, "mouse": 0.3, "reading": 0.3}),
    "shift": (2.5, {"typing": 0.4, "mouse": 0.3, "reading": 0.3}),
}


def _sit(p: Piece, perf: Performer, rng: np.random.Generator) -> dict:
    """Seated on an office chair: thighs near level, knees 80-100°, feet on the floor; back upright,
    reclined on the backrest or leaning to the desk (ours). Returns the draws."""
    hip = rng.uniform(80.0, 95.0)
    knee = rng.uniform(80.0, 100.0)
    lean = float(rng.choice([-8.0, 2.0, 12.0])) + rng.uniform(-3.0, 3.0)
    _both(p, "hip", hip, rng.uniform(4.0, 12.0))
    _both(p, "knee", knee)
    _both(p, "ankle", knee - hip - rng.uniform(0.0, 10.0))
    _lean(p, 0.5 * lean)
    _trunk(p, flex=0.5 * lean)
    return {"hip": hip, "knee": knee, "lean": lean}


def computer_work(perf: Performer, rng: np.random.Generator, seconds: float) -> Piece:
    """Seated desk work as a Markov chain of :data:`DESK_STATES`; laptop or desktop screen (neck 20-35°
    or 5-15°, ours); typing: wrist extension 10-25° with 3-6 Hz micro-motion of ±0.5-1.5° (ours)."""
    n = _n(seconds)
    t = _time(n)
    p = _blank(n, ACTIVITY, "computer works")
    draws = _sit(p, perf, rng)
    screen = "laptop" if rng.random() < 0.5 else "desktop"
    _add(p, "neck", rng.uniform(20.0, 35.0) if screen == "laptop" else rng.uniform(5.0, 15.0))
    hand = perf.dominant
    other = "left" if hand == "right" else "right"
    # the state sequence
    states, cur, tt = [], "typing" if rng.random() < 0.5 else "reading", 0.0
    while tt < t[-1]:
        dwell, nxt = DESK_STATES[cur]
        d = rng.exponential(dwell) + 1.0
        states.append((tt, tt + d, cur))
        tt += d
        cur = str(rng.choice(list(nxt), p=np.array(list(nxt.values())) / sum(nxt.values())))
    # keyboard posture (both hands), weighted per state
    w = {s: np.zeros(n) for s in DESK_STATES}
    for s0, s1, s in states:
        w[s] += _keys(t, [s0 - 0.4, s0 + 0.4, s1 - 0.4, s1 + 0.4], [0.0, 1.0, 1.0, 0.0])
    total = np.maximum(sum(w.values()), 1e-6)
    w = {s: v / total for s, v in w.items()}
    kb = w["typing"] + w["mouse"]
    _both(p, "shoulder", rng.uniform(15.0, 35.0) * kb, 10.0, 20.0 * kb)
    _both(p, "elbow", rng.uniform(75.0, 100.0) * kb + 60.0 * (1 - kb), 60.0)
    _both(p, "wrist", -rng.uniform(10.0, 25.0) * kb)
    micro = _drift(rng, n, 5.0, (4,)) * rng.uniform(0.5, 1.5)
    _add(p, "left_wrist", w["typing"] * micro[:, 0], w["typing"] * micro[:, 1])
    _add(p, "right_wrist", w["typing"] * micro[:, 2], w["typing"] * micro[:, 3])
    mouse = _drift(rng, n, 0.6, (2,))
    _add(p, f"{hand}_shoulder", 5.0 * w["mouse"] * mouse[:, 0], 10.0 * w["mouse"] + 4.0 * w["mouse"] * mouse[:, 1])
    _add(p, f"{other}_shoulder", 0.0, 0.0, -10.0 * w["mouse"])
    # reaching for a cup or the phone: forward reach, sometimes a drink
    _add(p, f"{hand}_shoulder", 45.0 * w["reach"], 10.0 * w["reach"])
    _add(p, f"{hand}_elbow", -30.0 * w["reach"])
    _lean(p, 6.0 * w["reach"])
    # posture shifts: the pelvis slides and the trunk re-settles
    _lean(p, 4.0 * w["shift"] * _drift(rng, n, 0.5))
    _trunk(p, twist=6.0 * w["shift"] * _drift(rng, n, 0.5))
    # reading: hands rest, head nods slowly; always some head scanning
    _add(p, "head", 3.0 * w["reading"] * _drift(rng, n, 0.3), 0.0, 10.0 * _drift(rng, n, 0.15))
    p.meta.update(screen=screen, states=[s for _, _, s in states], **{f"sit_{k}": v for k, v in draws.items()})
    return p


# ------------------------------------------------------------------------------------ transitions

def sit_down(perf: Performer, rng: np.random.Generator, up: bool = False) -> Piece:
    """Stand -> sit (or sit -> stand with ``up``): the trunk leans forward 25-40° at mid-transition
    while the knees flex (ours); duration :data:`STYLE` ``sit_transition_s``; all frames :data:`TRANSITION`."""
    dur = rng.uniform(*STYLE["sit_transition_s"][0])
    n = _n(dur)
    t = _time(n)
    p = _blank(n, TRANSITION, "sit down" if not up else "stand up")
    s = _keys(t, [0.0, 0.3 * dur, 0.75 * dur, dur], [0.0, 0.15, 0.85, 1.0])
    if up:
        s = 1.0 - s
    hip, knee = 88.0 * s, 90.0 * s
    _both(p, "hip", hip, 6.0 * s)
    _both(p, "knee", knee)
    _both(p, "ankle", 0.3 * knee * (1 - s) + 2.0 * s)
    lean = rng.uniform(25.0, 40.0) * np.sin(np.pi * np.clip(s, 0, 1))
    _lean(p, 0.6 * lean)
    _trunk(p, flex=0.4 * lean)
    _both(p, "shoulder", 15.0 * np.sin(np.pi * s))
    p.xz[:, 1] -= 0.25 * s  # moving back onto the seat (ours)
    return p


# ------------------------------------------------------------------------------------ pieces -> a recording

def _grounded(poses: np.ndarray, skeleton: Skeleton, lift: np.ndarray) -> np.ndarray:
    """(T,) pelvis height: on the ground, the height that puts the lowest heel or ball of a foot on the
    floor (forward kinematics), smoothed over 25 ms (a foot rolls; ours); in flight (``lift`` > 0) the
    take-off height plus the ballistic ``lift``. Take-off and landing are joined by cubic Hermite pieces
    that match height and vertical velocity (push-off 0.15 s, landing 0.10 s; a contact shorter than both
    is one piece from landing to take-off, as a bouncing spring; ours), so the pelvis never jumps in velocity."""
    joints = [_J["left_ankle"], _J["right_ankle"], _J["left_foot"], _J["right_foot"]]
    _, pos = forward_kinematics(poses, np.zeros((len(poses), 3)), skeleton, joints)
    heel = WINTER["ankle_height"] * skeleton.stature
    ball = 0.012 * skeleton.stature
    low = np.minimum(np.minimum(pos[:, 0, 1], pos[:, 1, 1]) - heel, np.minimum(pos[:, 2, 1], pos[:, 3, 1]) - ball)
    y = gaussian_filter1d(-low, 0.025 * FPS, mode="nearest")
    air = lift > 0
    if not air.any() or air.all():
        return y + lift
    idx = np.arange(len(lift))
    base = np.interp(idx, idx[~air], y[~air])       # contact height carried through each flight
    out = np.where(air, base + lift, y)
    vel = np.gradient(out, 1.0 / FPS)
    vel_air = np.gradient(lift, 1.0 / FPS)
    edges = np.flatnonzero(np.diff(air.astype(np.int8)))  # last frame before each change
    starts = [e + 1 for e in edges if air[e + 1]]         # first frame of each flight
    ends = [e + 1 for e in edges if not air[e + 1]]       # first ground frame after each flight
    kp, kl = int(round(0.15 * FPS)), int(round(0.10 * FPS))
    joins = []
    for a in starts:  # take-off: from the ground run before this flight
        land = max([b for b in ends if b < a], default=None)
        if land is not None and a - land < kp + kl + 2:
            joins.append((land - 1, a))                    # one spring-like contact
        else:
            joins.append((max(a - kp, 0), a))
    for b in ends:    # landing, unless already joined as a short contact
        nxt = min([a for a in starts if a > b], default=None)
        if nxt is None or nxt - b >= kp + kl + 2:
            joins.append((b - 1, min(b + kl, len(out) - 1)))
    for i0, i1 in joins:
        if i1 - i0 < 2:
            continue
        v0 = vel_air[i0 + 1] if air[i0] else vel[i0]
        v1 = vel_air[i1] if air[i1] else vel[i1]
        spline = CubicHermiteSpline([i0 / FPS, i1 / FPS], [out[i0], out[i1]], [v0, v1])
        out[i0:i1 + 1] = spline(idx[i0:i1 + 1] / FPS)
    return out


def to_motion(piece: Piece, skeleton: Skeleton) -> tuple[np.ndarray, np.ndarray]:
    """A piece as local axis-angle poses (n, 24, 3) and translation (n, 3) in its own frame (starts at x = z = 0)."""
    if piece.poses is not None:
        return piece.poses, piece.trans
    poses = anatomical_to_local(piece.angles, piece.root)
    y = _grounded(poses, skeleton, piece.lift)
    trans = np.column_stack([piece.xz[:, 0], y, piece.xz[:, 1]])
    trans[:, [0, 2]] -= trans[0, [0, 2]]
    return poses, trans


def _yaw(poses: np.ndarray) -> np.ndarray:
    """(T,) heading (deg) of the root's forward axis about world up."""
    fwd = Rotation.from_rotvec(poses[:, 0]).apply([0.0, 0.0, 1.0])
    return np.degrees(np.arctan2(fwd[:, 0], fwd[:, 2]))


def _turn(poses: np.ndarray, trans: np.ndarray, deg: float) -> tuple[np.ndarray, np.ndarray]:
    r = Rotation.from_euler("y", deg, degrees=True)
    poses = poses.copy()
    poses[:, 0] = (r * Rotation.from_rotvec(poses[:, 0])).as_rotvec()
    return poses, r.apply(trans)


def _blend(a_pose: np.ndarray, b_pose: np.ndarray, a_trans: np.ndarray, b_trans: np.ndarray,
           n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` frames from pose A to pose B: per-joint slerp with a smootherstep weight 6s⁵ − 15s⁴ + 10s³."""
    s = (np.arange(n) + 1.0) / (n + 1.0)
    w = s ** 3 * (10 - 15 * s + 6 * s * s)
    ra = Rotation.from_rotvec(np.repeat(a_pose[None], n, 0).reshape(-1, 3))
    rb = Rotation.from_rotvec(np.repeat(b_pose[None], n, 0).reshape(-1, 3))
    delta = (ra.inv() * rb).as_rotvec().reshape(n, N_JOINTS, 3) * w[:, None, None]
    poses = (ra * Rotation.from_rotvec(delta.reshape(-1, 3))).as_rotvec().reshape(n, N_JOINTS, 3)
    trans = (1 - w)[:, None] * a_trans[None] + w[:, None] * b_trans[None]
    return poses, trans


@dataclass
class Recording:
    """A continuous recording: poses (T, 24, 3) local axis-angle, trans (T, 3) m (Y up), per-frame
    ``kind`` (:data:`KIND_NAMES`), ``activity`` (name, or "" for rests/transitions/calibration) and
    ``piece`` (index into ``pieces``, -1 in the blends between pieces); ``pieces``: per piece its name,
    kind, frames and metadata."""

    poses: np.ndarray
    trans: np.ndarray
    kind: np.ndarray
    activity: np.ndarray
    piece: np.ndarray
    pieces: list
    fps: float = FPS

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return len(self.poses)

    def clip(self, performer: Performer) -> MotionClip:
        """The poses and translation as a :class:`MotionClip` of ``performer`` (no labels)."""
        return MotionClip(self.poses, self.trans, self.fps, None, performer.as_dict(), "second_source:recording")


def record(pieces: list[Piece], performer: Performer, rng: np.random.Generator, heading_deg: float = 0.0) -> Recording:
    """Join pieces into one recording: each piece is turned to the heading and moved to the position where
    the previous one ended, with a blend of :data:`STYLE` ``blend_s`` between them (frames :data:`TRANSITION`).
    The first piece starts at heading ``heading_deg`` (0 = facing +Z, DIP's calibrated frame) at x = z = 0."""
    skeleton = performer.skeleton()
    all_poses, all_trans, kinds, acts, index, info = [], [], [], [], [], []
    heading, pos_xz = heading_deg, np.zeros(2)
    prev_pose = prev_trans = None
    for piece in pieces:
        poses, trans = to_motion(piece, skeleton)
        poses, trans = _turn(poses, trans - np.array([trans[0, 0], 0.0, trans[0, 2]]), heading - _yaw(poses[:1])[0])
        trans[:, [0, 2]] += pos_xz
        if prev_pose is not None:
            nb = _n(rng.uniform(*STYLE["blend_s"][0]))
            bp, bt = _blend(prev_pose, poses[0], prev_trans, trans[0], nb)
            all_poses.append(bp)
            all_trans.append(bt)
            kinds.append(np.full(nb, TRANSITION, np.int8))
            acts.append(np.full(nb, "", dtype=object))
            index.append(np.full(nb, -1))
        kind = np.where(piece.phase == ACTIVITY, piece.kind, piece.phase).astype(np.int8)
        all_poses.append(poses)
        all_trans.append(trans)
        kinds.append(kind)
        acts.append(np.where(kind == ACTIVITY, piece.name, "").astype(object))
        index.append(np.full(piece.n, len(info)))
        info.append({"name": piece.name, "kind": KIND_NAMES[piece.kind], "frames": piece.n, **piece.meta})
        heading = float(_yaw(poses[-1:])[0])
        pos_xz = trans[-1, [0, 2]].copy()
        prev_pose, prev_trans = poses[-1], trans[-1]
    return Recording(np.concatenate(all_poses), np.concatenate(all_trans), np.concatenate(kinds),
                     np.concatenate(acts), np.concatenate(index), info)


# ------------------------------------------------------------------------------------ real mocap

#: Real mocap used for an activity where it fits: (file stem in the real-data folder's cmu_mocap, start s,
#: end s, activity). CMU subject 131 (descriptions from the CMU database): 131_02 "start, walk, stop"
#: (a slow walk, ~0.2 m/s); 131_03 "start, hop, stop" (hops, the paper's labelling puts "hop" under jumping).
MOCAP_BOUTS = {"walking": ("131_02", 2.0, 9.0), "jumping": ("131_03", 2.0, 8.5)}


def mirror(poses: np.ndarray, trans: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The left-right mirror image of a motion (reflection in x): swap left/right joints, negate the y and
    z components of every axis-angle rotation and the x of the translation."""
    swap = [JOINT_NAMES.index(n.replace("left_", "@").replace("right_", "left_").replace("@", "right_"))
            for n in JOINT_NAMES]
    out = poses[:, swap].copy()
    out[..., 1:] *= -1.0
    tr = trans.copy()
    tr[:, 0] *= -1.0
    return out, tr


def mocap_piece(folder: str | Path, activity: str, performer: Performer, rng: np.random.Generator) -> Piece | None:
    """The :data:`MOCAP_BOUTS` clip of ``activity`` from ``folder`` as a piece performed by ``performer``:
    retargeted to SMPL-24 (:func:`lib.datasets.bvh.to_motion_clip`), cut, played 0.9-1.1× as fast and
    mirrored with probability 0.5 (ours), horizontal path scaled by the leg-length ratio, re-grounded on
    the performer's skeleton. None when the file is absent."""
    if activity not in MOCAP_BOUTS or folder is None:
        return None
    stem, t0, t1 = MOCAP_BOUTS[activity][:3]
    path = Path(folder) / f"{stem}.bvh"
    if not path.is_file():
        return None
    clip = to_motion_clip(load_bvh(path), fps=FPS)
    speed = rng.uniform(0.9, 1.1)
    clip = MotionClip(clip.poses, clip.trans, FPS * speed, None, clip.subject, clip.source).resampled(FPS)
    a, b = int(t0 * FPS / speed), min(clip.n_frames, int(t1 * FPS / speed))
    poses, trans = clip.poses[a:b].copy(), clip.trans[a:b].copy()
    mirrored = bool(rng.random() < 0.5)
    if mirrored:
        poses, trans = mirror(poses, trans)
    skeleton = performer.skeleton()
    ratio = skeleton.leg_length / skeleton_from_stature(float(clip.subject.get("stature") or 1.75)).leg_length
    lift = np.zeros(len(poses))
    if activity == "jumping":  # flights: the mocap's own pelvis rise above its standing height
        _, pos = forward_kinematics(poses, trans, skeleton_from_stature(float(clip.subject.get("stature") or 1.75)),
                                    [_J["left_ankle"], _J["right_ankle"]])
        floor = np.percentile(np.minimum(pos[:, 0, 1], pos[:, 1, 1]), 5)
        lift = np.clip(np.minimum(pos[:, 0, 1], pos[:, 1, 1]) - floor - 0.03, 0.0, None) * ratio
    y = _grounded(poses, skeleton, lift)
    xz = (trans[:, [0, 2]] - trans[0, [0, 2]]) * ratio
    n = len(poses)
    piece = Piece(None, None, xz, lift, np.full(n, ACTIVITY, np.int8), ACTIVITY, activity,
                  {"style": f"mocap:{stem}", "mirrored": mirrored, "speed_factor": float(speed)},
                  poses=poses, trans=np.column_stack([xz[:, 0], y, xz[:, 1]]))
    return piece


#: Generators of the five activities: name -> f(performer, rng, seconds).
ACTIVITY_GENERATORS = {
    "walking": walking, "jumping": jumping, "stretching arms": stretching_arms,
    "stretching legs": stretching_legs, "computer works": computer_work,
}


__all__ = ["Performer", "sample_performer", "Piece", "Recording", "record", "calibration", "rest", "walking",
           "jumping", "stretching_arms", "stretching_legs", "computer_work", "sit_down", "mocap_piece", "mirror",
           "cadence", "STYLE", "ACTIVITY_GENERATORS", "KIND_NAMES", "ACTIVITY", "REST", "TRANSITION", "CALIBRATION"]
