"""Procedural locomotion: walking, jogging, running, stairs, jumping, hopping, climbing, ball kicking.

Gait (all cycles start at left heel strike; the right leg runs half a cycle later):

* cadence (steps/s) grows with speed: walking f = (0.9 + 0.65 v)·√(1.75/H) (1.8 Hz at 1.4 m/s),
  jogging f = (2.2 + 0.18 v)·√(1.75/H), running f = (2.25 + 0.2 v)·√(1.75/H) (3 Hz at 3.8 m/s),
  each times a per-subject factor 0.93-1.07 and a slow 3 % stride-to-stride wander;
* sagittal joint curves are drawn from the landmarks of normative gait (Winter's gait data, as
  taught): hip flexion ~30 deg at heel strike, ~10 deg extension at toe-off; knee flexion a
  loading-response bump (~15 deg at 15 % of the cycle) and a swing peak (~60 deg at 70 % walking,
  90-130 deg running); ankle plantarflexion at push-off; arm swing opposite the ipsilateral leg;
* the pelvis bobs twice per stride — an inverted pendulum in walking (lowest at double support,
  amplitude 2-4 cm), a spring-mass bounce in running: during the stance time t_c the ground force is
  a half sine averaging body weight over the step (peak (π/2)·T_step/t_c ≈ 1.8-2.4 body weights),
  in flight a ballistic parabola with take-off speed v0 = g·t_f/2; height, velocity and acceleration
  are continuous;
* jumps are ballistic (take-off speed √(2 g h)) with cubic-Hermite countermovements on the ground,
  and the crouch depth sets knee/hip/ankle flexion by leg geometry (:func:`lib.body.posture.leg_drop`).
Speeds overlap between neighbouring classes (walking 0.7-1.9 m/s, jogging 1.8-3.2, running 2.8-5.5)
so that the classes are not separable by speed alone.
"""

from __future__ import annotations

import numpy as np
from scipy.interpolate import CubicHermiteSpline
from scipy.ndimage import gaussian_filter1d

from lib.body.skeleton import JOINT_INDEX
from lib.body.posture import Body, MotionContext, heading_path, leg_drop, local_to_world_xz
from lib.body.waveforms import bump, min_jerk, phase, pulse

G = 9.80665
_IDX = JOINT_INDEX.__getitem__


def _path(body: Body, ctx: MotionContext, speed, forward_wobble=None, lateral=None, turn_sd=12.0):
    """Move the root along a wandering path at ``speed`` (m/s) with optional body-frame wobble."""
    heading, xz = heading_path(ctx, speed, turn_sd)
    body.root[:, 0] += heading
    if forward_wobble is not None or lateral is not None:
        fw = np.zeros(ctx.n) if forward_wobble is None else forward_wobble
        lat = np.zeros(ctx.n) if lateral is None else lateral
        xz = xz + local_to_world_xz(heading, lat, fw)
    body.trans[:, 0] += xz[:, 0]
    body.trans[:, 2] += xz[:, 1]
    return heading


def _cadence(ctx: MotionContext, model_hz: float) -> float:
    """Steps/s: ``style["step_hz"]`` when given (e.g. to match a recording), else the speed model
    × √(1.75/H) × a per-subject factor 0.93-1.07."""
    if "step_hz" in ctx.style:
        return float(ctx.style["step_hz"])
    return model_hz * ctx.stature_scale * ctx.uniform("cadence_scale", 0.93, 1.07)


def _touchdowns(t: np.ndarray, phi_stride: np.ndarray) -> np.ndarray:
    """Times (s) at which a step starts: the step count 2φ/2π crosses an integer (extrapolated at the ends)."""
    psi = phi_stride / np.pi  # steps done: two per stride
    rate0 = (psi[1] - psi[0]) / (t[1] - t[0])
    rate1 = (psi[-1] - psi[-2]) / (t[-1] - t[-2])
    ks = np.arange(np.floor(psi[0]) - 1, np.ceil(psi[-1]) + 2)
    out = np.interp(ks, psi, t)
    out = np.where(ks < psi[0], t[0] - (psi[0] - ks) / rate0, out)
    return np.where(ks > psi[-1], t[-1] + (ks - psi[-1]) / rate1, out)


def _spring_mass_vertical(t: np.ndarray, phi_stride: np.ndarray, duty: float) -> np.ndarray:
    """Pelvis height offset (m) of running steps (module doc): touchdown at 0, half-sine ground force, flight.

    Per step of duration T (from touchdown to touchdown, in real time): stance t_c = 2·duty·T with
    a(τ) = A·sin(π τ/t_c) − g, A = (π/2)·g·T/t_c (the ground force averages body weight over a step);
    flight t_f = T − t_c is free fall with take-off speed v0 = g·t_f/2. Height, velocity and
    acceleration are continuous (a = −g at touchdown and take-off), the flight exactly ballistic.
    """
    touch = _touchdowns(t, phi_stride)
    k = np.clip(np.searchsorted(touch, t, side="right") - 1, 0, touch.size - 2)
    T = touch[k + 1] - touch[k]
    w = t - touch[k]  # time since the last touchdown
    t_c = np.minimum(0.95 * T, 2.0 * duty * T)
    t_f = T - t_c
    v0 = G * t_f / 2.0
    A = 0.5 * np.pi * G * T / t_c
    tau = np.minimum(w, t_c)
    stance_y = -v0 * tau + (A * t_c / np.pi) * (tau - (t_c / np.pi) * np.sin(np.pi * tau / t_c)) - 0.5 * G * tau ** 2
    tf = w - t_c
    flight_y = v0 * tf - 0.5 * G * tf ** 2
    return np.where(w < t_c, stance_y, flight_y)


def _arm_swing(body: Body, phi: np.ndarray, swing: float, elbow: float, elbow_swing: float, abd: float) -> None:
    """Arms swing opposite the ipsilateral leg (left arm forward when the left hip extends); the elbow
    bends a little more in the forward swing (smooth in phase, so no artificial harmonics)."""
    for side, off in (("left", 0.0), ("right", np.pi)):
        forward = -np.cos(phi + off)  # +1 at the front of the swing
        body.add(f"{side}_shoulder", swing * forward, abd, 5.0)
        body.add(f"{side}_elbow", elbow + 0.5 * elbow_swing * (1.0 + forward))


def _walk_legs(body: Body, phi: np.ndarray, v: float, a: float, ctx: MotionContext) -> None:
    """Sagittal and frontal leg curves of walking at speed v (m/s) scaled by amplitude a."""
    hip_amp = (13.0 + 6.0 * v) * a
    knee_swing = min(70.0, (48.0 + 8.0 * v) * np.sqrt(a))
    for side, off in (("left", 0.0), ("right", np.pi)):
        p = phi + off
        hip = 7.0 + hip_amp * np.cos(p - 0.15) + 2.5 * np.cos(2 * p - 1.0)
        knee = 4.0 + (8.0 + 5.0 * v) * a * bump(p, 0.14, 0.06) + knee_swing * bump(p, 0.71, 0.09)
        ankle = 2.0 + 8.0 * bump(p, 0.42, 0.1) - (10.0 + 5.0 * v) * bump(p, 0.62, 0.05) - 4.0 * bump(p, 0.04, 0.03)
        body.add(f"{side}_hip", hip, ctx.uniform("step_width", 1.0, 5.0) - 3.0 * np.cos(p), 3.0 * np.cos(p))
        body.add(f"{side}_knee", knee)
        body.add(f"{side}_ankle", ankle)
        body.add(f"{side}_foot", 12.0 * bump(p, 0.55, 0.06))


def walking(ctx: MotionContext) -> Body:
    """Level walking at ctx.speed m/s (0.7-1.9)."""
    b = Body(ctx)
    v, a = ctx.speed, ctx.amplitude
    f_step = _cadence(ctx, 0.9 + 0.65 * v)
    phi = phase(ctx.rng, ctx.t, f_step / 2.0, fps=ctx.fps)
    _walk_legs(b, phi, v, a, ctx)
    lean = ctx.uniform("trunk_lean", 0.0, 6.0) + 1.5 * v
    b.lean(lean * 0.5)
    b.spine(flex=lean * 0.5, twist=(2.0 + 2.0 * v) * np.cos(phi))
    b.root[:, 0] += -(3.0 + 2.0 * v) * a * np.cos(phi)          # pelvic rotation: forward on the swing side
    obliquity = (2.5 + 1.5 * v) * np.sin(2 * phi - 0.6)
    b.root[:, 2] += obliquity                                   # pelvic obliquity ...
    b.spine(bend=-0.9 * obliquity)                              # ... which the trunk cancels: the head stays level
    b.add("neck", -lean * 0.3)
    swing = (10.0 + 9.0 * v) * a * ctx.uniform("arm_swing", 0.5, 1.1)
    _arm_swing(b, phi, swing, ctx.uniform("elbow_walk", 10.0, 25.0), 10.0, ctx.uniform("arm_abd", 4.0, 10.0))
    bob = (0.010 + 0.012 * v) * a
    b.trans[:, 1] += -bob * np.cos(2 * phi) - bob
    _path(b, ctx, v * (1 + 0.04 * np.cos(2 * phi - 0.8)), lateral=0.018 * np.sin(phi - 0.3))
    return b


def _run(ctx: MotionContext, f_step: float, duty: float, lean: float) -> Body:
    b = Body(ctx)
    v, a = ctx.speed, ctx.amplitude
    phi = phase(ctx.rng, ctx.t, f_step / 2.0, fps=ctx.fps)
    hip_amp, hip_mean = (20.0 + 5.0 * v) * a, 14.0 + 2.5 * v
    knee_swing = min(130.0, (62.0 + 12.0 * v) * a)
    for side, off in (("left", 0.0), ("right", np.pi)):
        p = phi + off
        b.add(f"{side}_hip", hip_mean + hip_amp * np.cos(p - 2 * np.pi * 0.9), 4.0 - 4.0 * np.cos(p), 3.0 * np.cos(p))
        b.add(f"{side}_knee", 12.0 + (22.0 + 4.0 * v) * bump(p, duty / 2, 0.06)
              + knee_swing * bump(p, duty + 0.32 * (1 - duty), 0.1))
        b.add(f"{side}_ankle", 4.0 + 14.0 * bump(p, duty / 2, 0.07) - (18.0 + 3.0 * v) * bump(p, duty + 0.03, 0.05)
              + 6.0 * bump(p, 0.85, 0.08))
    b.lean(lean * 0.5)
    b.spine(flex=lean * 0.5, twist=(4.0 + 1.5 * v) * np.cos(phi))
    b.root[:, 0] += -(5.0 + 1.5 * v) * a * np.cos(phi)
    obliquity = 4.0 * np.sin(2 * phi - 0.6)
    b.root[:, 2] += obliquity
    b.spine(bend=-0.9 * obliquity)
    b.add("neck", -lean * 0.5)
    swing = (15.0 + 3.0 * v) * a * ctx.uniform("arm_swing", 0.7, 1.1)  # ±25-32 deg at 3.5-5.5 m/s
    _arm_swing(b, phi, swing, ctx.uniform("elbow_run", 70.0, 100.0), 12.0, ctx.uniform("arm_abd", 8.0, 18.0))
    b.trans[:, 1] += _spring_mass_vertical(ctx.t, phi, duty) - leg_drop(ctx.skeleton, 12.0)  # physics: not scaled
    _path(b, ctx, v * (1 + 0.05 * np.cos(2 * phi - 1.0)), lateral=0.012 * np.sin(phi - 0.3), turn_sd=8.0)
    return b


def jogging(ctx: MotionContext) -> Body:
    """Jogging at ctx.speed m/s (1.8-3.2): lower cadence, longer stance than running."""
    v = ctx.speed
    f_step = _cadence(ctx, 2.2 + 0.18 * v)
    duty = float(np.clip(0.42 - 0.03 * (v - 2.0), 0.34, 0.46))
    return _run(ctx, f_step, duty, ctx.uniform("trunk_lean", 3.0, 8.0))


def running(ctx: MotionContext) -> Body:
    """Running at ctx.speed m/s (2.8-5.5)."""
    v = ctx.speed
    f_step = _cadence(ctx, 2.25 + 0.2 * v)
    duty = float(np.clip(0.37 - 0.02 * (v - 3.0), 0.27, 0.4))
    return _run(ctx, f_step, duty, ctx.uniform("trunk_lean", 5.0, 12.0))


def _stairs(ctx: MotionContext, up: bool) -> Body:
    b = Body(ctx)
    a = ctx.amplitude
    f_step = ctx.speed * ctx.stature_scale * ctx.uniform("cadence_scale", 0.93, 1.07)  # speed = steps/s here
    riser = ctx.uniform("riser_m", 0.15, 0.19)
    tread = ctx.uniform("tread_m", 0.26, 0.32)
    phi = phase(ctx.rng, ctx.t, f_step / 2.0, fps=ctx.fps)
    for side, off in (("left", 0.0), ("right", np.pi)):
        p = phi + off
        if up:  # foot lands on the next step with the hip and knee flexed, then extends (McFadyen & Winter landmarks)
            hip = 30.0 + 30.0 * a * np.cos(p - 2 * np.pi * 0.92)
            knee = 10.0 + 55.0 * a * bump(p, 0.02, 0.12) + 80.0 * a * bump(p, 0.75, 0.1)
            ankle = 8.0 * bump(p, 0.1, 0.1) - 15.0 * bump(p, 0.6, 0.06) + 6.0 * bump(p, 0.85, 0.1)
        else:  # lowering: the stance knee flexes while the body descends; toe-first landing
            hip = 15.0 + 15.0 * a * np.cos(p - 2 * np.pi * 0.8)
            knee = 12.0 + 75.0 * a * bump(p, 0.5, 0.13) + 40.0 * a * bump(p, 0.8, 0.08)
            ankle = -18.0 * bump(p, 0.0, 0.05) + 20.0 * bump(p, 0.4, 0.1) - 8.0 * bump(p, 0.7, 0.08)
        b.add(f"{side}_hip", hip, 3.0 - 3.0 * np.cos(p))
        b.add(f"{side}_knee", knee)
        b.add(f"{side}_ankle", ankle)
    lean = ctx.uniform("trunk_lean", 6.0, 14.0) if up else ctx.uniform("trunk_lean", -2.0, 5.0)
    b.lean(lean * 0.5)
    b.spine(flex=lean * 0.5, twist=3.0 * np.cos(phi))
    obliquity = 4.0 * np.sin(2 * phi - 0.6)
    b.root[:, 2] += obliquity
    b.spine(bend=-0.9 * obliquity)
    b.add("neck", 10.0 if not up else 0.0)  # looking down the stairs
    if ctx.choice("handrail", [False, True], [0.6, 0.4]):
        b.add("right_shoulder", 25.0, 20.0)
        b.add("right_elbow", 60.0)
        b.add("left_shoulder", 0.0, 6.0)
        b.add("left_elbow", 15.0)
    else:
        _arm_swing(b, phi, 12.0 * a, 15.0, 8.0, 8.0)
    # body rises (falls) one riser per step: a smooth staircase, fastest mid-stance
    step_phase = 2.0 * phi
    steps = (step_phase - np.sin(step_phase)) / (2.0 * np.pi)
    steps -= steps[0]
    b.trans[:, 1] += (riser if up else -riser) * steps * a ** 0.3 - leg_drop(ctx.skeleton, 30.0)
    b.trans[:, 1] += 0.01 * np.cos(2 * phi)
    forward = tread * steps
    b.trans[:, 2] += forward
    b.trans[:, 0] += 0.015 * np.sin(phi - 0.3)
    return b


def stairs_up(ctx: MotionContext) -> Body:
    """Climbing stairs; ctx.speed = steps/s (1.3-1.9)."""
    return _stairs(ctx, up=True)


def stairs_down(ctx: MotionContext) -> Body:
    """Descending stairs; ctx.speed = steps/s (1.4-2.0)."""
    return _stairs(ctx, up=False)


def _jump_cycles(ctx: MotionContext, period: float, height: float, depth: float, ground_frac_stand: float,
                 variability: float = 0.08) -> tuple[np.ndarray, np.ndarray]:
    """Root height offset (m) and crouch depth (m, >= 0) of repeated ballistic jumps.

    Each cycle: landing (velocity -v_in) -> crouch to ``depth`` -> [stand] -> countermovement -> take-off
    (+v0) -> flight of 2 v0 / g, landing with -v0 in the next cycle. The ground part is a C1
    cubic-Hermite path through these knots, so height and vertical velocity are continuous.
    """
    t = ctx.t
    y = np.zeros(ctx.n)
    h = height * np.exp(variability * ctx.rng.standard_normal())
    v_in = np.sqrt(2 * G * h)
    cycle_start = -ctx.rng.uniform(0, period)
    while cycle_start < t[-1] + 1e-9:
        h = height * np.exp(variability * ctx.rng.standard_normal())
        d = depth * np.exp(variability * ctx.rng.standard_normal())
        per = period * np.exp(0.5 * variability * ctx.rng.standard_normal())
        v0 = np.sqrt(2 * G * h)
        t_f = 2 * v0 / G
        t_g = max(per - t_f, 0.25)
        if ground_frac_stand > 0:
            knots_t = np.array([0.0, 0.25, 0.5, 0.78, 1.0]) * t_g
            knots_y = np.array([0.0, -d, -0.15 * d, -d, 0.0])
            knots_v = np.array([-v_in, 0.0, 0.0, 0.0, v0])
        else:
            knots_t = np.array([0.0, 0.5, 1.0]) * t_g
            knots_y = np.array([0.0, -d, 0.0])
            knots_v = np.array([-v_in, 0.0, v0])
        spline = CubicHermiteSpline(knots_t, knots_y, knots_v)
        tau = t - cycle_start
        ground = (tau >= 0) & (tau < t_g)
        flight = (tau >= t_g) & (tau < t_g + t_f)
        y[ground] = spline(tau[ground])
        tf = tau[flight] - t_g
        y[flight] = v0 * tf - 0.5 * G * tf ** 2
        cycle_start += t_g + t_f
        v_in = v0
    crouch = np.clip(-y, 0.0, None)
    return y, crouch


def _crouch_angles(ctx: MotionContext, crouch: np.ndarray, depth: float) -> np.ndarray:
    """Knee flexion (deg) for a crouch (m): linear in depth, exact (by :func:`leg_drop`) at ``depth``.

    Linear rather than the exact arccos so that the knee angle stays smooth when the crouch starts
    (the exact map has an infinite slope at zero depth)."""
    L = ctx.skeleton.leg_length
    knee_at_depth = 2.0 * np.degrees(np.arccos(np.clip(1.0 - depth / L, -1.0, 1.0)))
    return knee_at_depth * crouch / max(depth, 1e-6)


def _airborne(ctx: MotionContext, y: np.ndarray, threshold: float = 0.005) -> np.ndarray:
    """Smooth 0..1 indicator of flight (feet off the ground), ~50 ms edges."""
    return np.clip(gaussian_filter1d((y > threshold).astype(float), 0.03 * ctx.fps, mode="nearest"), 0.0, 1.0)


def jumping(ctx: MotionContext) -> Body:
    """Repeated jumps: countermovement jumps in place, jumping jacks or forward (broad) jumps; speed = tempo."""
    b = Body(ctx)
    a = ctx.amplitude
    style = ctx.choice("jump_style", ["vertical", "jacks", "forward"], [0.45, 0.35, 0.2])
    if style == "jacks":
        period = ctx.uniform("period_s", 0.75, 1.05) / ctx.speed
        depth = 0.06
        y, crouch = _jump_cycles(ctx, period / 2, 0.06 * a, depth, 0.0)
        open_ = 0.5 - 0.5 * np.cos(2 * np.pi * np.cumsum(np.full(ctx.n, 1.0 / (period * ctx.fps))) + ctx.rng.uniform(0, 6.28))
        b.both("hip", 0.0, 18.0 * a * open_)
        b.both("shoulder", 10.0, 10.0 + 150.0 * a * open_)
        b.both("elbow", 10.0)
    else:
        height = ctx.uniform("height_m", 0.12, 0.35) * a
        period = ctx.uniform("period_s", 1.3, 2.2) / ctx.speed
        depth = ctx.uniform("depth_m", 0.12, 0.25)
        y, crouch = _jump_cycles(ctx, period, height, depth, 0.5)
        vel = np.gradient(y, 1.0 / ctx.fps)
        # arms swing back in the countermovement, forward-up at take-off
        arms = np.clip(-60.0 * crouch / 0.2 + 25.0 * np.clip(vel, 0, None), -50, 160)
        b.both("shoulder", gaussian_filter1d(arms, 0.05 * ctx.fps, mode="nearest"), 10.0)  # arms lag the trunk
        b.both("elbow", 20.0)
    knee = _crouch_angles(ctx, crouch, depth)
    flight = _airborne(ctx, y)
    b.both("knee", knee + 5.0)
    b.both("hip", knee / 2 + 0.3 * knee)  # trunk leans over the feet in a crouch
    b.both("ankle", knee / 2 - 25.0 * flight)
    b.lean(0.3 * knee * 0.5)
    b.spine(flex=0.3 * knee * 0.5)
    b.trans[:, 1] += y - leg_drop(ctx.skeleton, 5.0)
    if style == "forward":
        hop = np.cumsum(flight) / ctx.fps * ctx.uniform("jump_speed", 1.5, 2.5)  # forward only while airborne
        b.trans[:, 2] += hop
    b.root[:, 0] += 3.0 * ctx.noise(0.1)
    return b


def hopping(ctx: MotionContext) -> Body:
    """Hopping on one leg (the other held bent), in place or travelling; speed = tempo factor."""
    b = Body(ctx)
    a = ctx.amplitude
    leg = ctx.choice("hop_leg", ["left", "right"])
    free = "right" if leg == "left" else "left"
    period = ctx.uniform("period_s", 0.45, 0.7) / ctx.speed
    depth = ctx.uniform("depth_m", 0.04, 0.09)
    y, crouch = _jump_cycles(ctx, period, ctx.uniform("height_m", 0.04, 0.12) * a, depth, 0.0)
    knee = _crouch_angles(ctx, crouch, depth)
    b.add(f"{leg}_knee", knee + 5.0)
    b.add(f"{leg}_hip", knee / 2 + 0.2 * knee, -3.0)
    b.add(f"{leg}_ankle", knee / 2 - 20.0 * _airborne(ctx, y, 0.003))
    b.add(f"{free}_hip", ctx.uniform("free_hip", 15.0, 45.0), 5.0)
    b.add(f"{free}_knee", ctx.uniform("free_knee", 60.0, 95.0))
    b.add(f"{free}_ankle", -15.0)
    b.lean(5.0, roll=4.0 if leg == "left" else -4.0)
    b.both("shoulder", 15.0 - 20.0 * crouch / 0.08, 25.0)
    b.both("elbow", 45.0)
    b.trans[:, 1] += y - leg_drop(ctx.skeleton, 5.0)
    if ctx.choice("travel", [False, True]):
        _path(b, ctx, ctx.uniform("hop_speed", 0.4, 1.2), turn_sd=10.0)
    return b


def climbing(ctx: MotionContext) -> Body:
    """Rock-like climbing on a vertical wall: alternating reaches, high steps, the body rising in bursts."""
    b = Body(ctx)
    a = ctx.amplitude
    period = ctx.uniform("move_period_s", 2.0, 3.5) / ctx.speed
    phi = phase(ctx.rng, ctx.t, 1.0 / period, jitter=0.08, fps=ctx.fps)
    rise = ctx.uniform("rise_per_cycle_m", 0.35, 0.6) * a
    # limb order: left arm, right leg, right arm, left leg, each reaching in its quarter of the cycle
    for limb, centre in (("left_shoulder", 0.0), ("right_hip", 0.25), ("right_shoulder", 0.5), ("left_hip", 0.75)):
        reach = bump(phi, centre, 0.08)
        hold = 0.5 + 0.5 * np.cos(phi - 2 * np.pi * (centre + 0.25))
        if limb.endswith("shoulder"):
            side = limb.split("_")[0]
            b.add(limb, 120.0 + 45.0 * hold + 10.0 * reach, 15.0 + 10.0 * reach)
            b.add(f"{side}_elbow", 60.0 - 40.0 * hold - 20.0 * reach)
            b.add(f"{side}_wrist", 20.0)
        else:
            side = limb.split("_")[0]
            b.add(limb, 25.0 + 55.0 * hold + 20.0 * reach, 25.0, -15.0)
            b.add(f"{side}_knee", 40.0 + 70.0 * hold + 20.0 * reach)
            b.add(f"{side}_ankle", 10.0 - 20.0 * reach)
    b.lean(-3.0)
    b.add("neck", -20.0 + 10.0 * np.sin(phi))  # looking up for holds
    b.add("head", 0.0, 0.0, 20.0 * np.sin(phi))
    progress = (phi - phi[0] - 0.4 * np.sin(phi)) / (2 * np.pi)
    b.trans[:, 1] += rise * progress - 0.15
    b.trans[:, 0] += 0.06 * np.sin(phi / 2)
    b.root[:, 2] += 6.0 * np.sin(phi)
    return b


def kicking_ball(ctx: MotionContext) -> Body:
    """Ball kicking drills: a run-up stride, a fast kick with follow-through, walking back; all smooth in time.

    Per cycle (period 3-4.5 s): run-up 0-0.9 s (one stride), back-swing ~0.95 s, whip to ~80 deg hip
    flexion at ~1.1 s with knee extension, follow-through, then a slower walk back to the start."""
    b = Body(ctx)
    a = ctx.amplitude
    leg = ctx.choice("kick_leg", ["right", "left"], [0.75, 0.25])
    support = "left" if leg == "right" else "right"
    period = max(3.0, ctx.uniform("period_s", 3.0, 4.5) / ctx.speed)
    v_appr = ctx.uniform("approach_speed", 1.2, 2.2)
    tau = np.mod(ctx.t + ctx.rng.uniform(0, period), period)

    def g(c: float, w: float) -> np.ndarray:  # Gaussian bump in cycle time
        return np.exp(-0.5 * ((tau - c) / w) ** 2)

    run_up = pulse(tau, 0.0, 0.15, 0.6, 0.15)
    p_run = 2 * np.pi * tau / 0.9
    back_t = period - 1.7
    walk_back = pulse(tau, 1.6, 0.2, back_t - 0.5, 0.2)
    p_back = 2 * np.pi * (tau - 1.6) / 1.1
    for side, off in (("left", 0.0), ("right", np.pi)):
        b.add(f"{side}_hip", run_up * 25.0 * np.cos(p_run + off - 0.15) + walk_back * 15.0 * np.cos(p_back + off))
        b.add(f"{side}_knee", run_up * 60.0 * bump(p_run + off, 0.71, 0.1) + walk_back * 40.0 * bump(p_back + off, 0.7, 0.1))
    b.add(f"{leg}_hip", a * (-28.0 * g(0.95, 0.07) + 85.0 * g(1.13, 0.06) + 30.0 * g(1.25, 0.08)))
    b.add(f"{leg}_knee", 95.0 * g(1.0, 0.07) + 20.0 * g(1.25, 0.1))
    b.add(f"{leg}_ankle", -30.0 * g(1.1, 0.1))
    b.add(f"{support}_knee", 20.0 * g(1.1, 0.15))
    b.add(f"{support}_shoulder", 20.0 * g(1.1, 0.2), 50.0 * g(1.1, 0.2))
    b.add(f"{leg}_shoulder", 30.0 * g(1.1, 0.2))
    b.lean(-10.0 * g(1.05, 0.1) + 8.0 * g(1.25, 0.15))
    b.spine(twist=(15.0 if leg == "right" else -15.0) * (g(1.12, 0.1) - g(0.95, 0.1)))
    b.both("shoulder", 0.0, 10.0)
    b.both("elbow", 25.0)
    b.lean(5.0)
    distance = v_appr * 0.9 + 0.3
    forward = distance * (min_jerk(tau / 1.2) - min_jerk((tau - 1.6) / back_t))
    b.trans[:, 2] += forward
    b.trans[:, 1] -= leg_drop(ctx.skeleton, 12.0)
    b.trans[:, 1] += 0.02 * (run_up * np.cos(2 * p_run) + walk_back * np.cos(2 * p_back))
    return b
