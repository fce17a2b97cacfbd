"""Procedural postures, transitions, exercises and manual tasks (everything that is not locomotion).

Each generator builds on a base posture (:mod:`lib.body.posture`) and adds the task's characteristic
movement with physiological rates and ranges (typical values used as model choices):

* quiet standing: postural sway ~1 cm at 0.1-0.5 Hz, weight shifts every 4-12 s; sitting/lying:
  fidgets, breathing 0.2-0.33 Hz; sit <-> stand transitions 1.6-3 s with a forward trunk-lean peak;
* clapping 1.5-5 claps/s with hands meeting at the midline (|sin| hand separation: the impact is a
  cusp, i.e. a sharp deceleration); waving 1.5-3 Hz forearm oscillation on a raised arm;
* punches: 0.12-0.18 s extension and ~0.2 s retraction at 1.2-2.5 punches/s over a bouncing guard;
* CPR compressions at 100-120 /min with a ventilation pause after 30 compressions;
* stretching: min-jerk moves into and out of held end positions (3-8 s per move); wiping, stirring,
  chopping, strumming, drumming, bowing, wrench turning at 0.5-5 Hz;
* dancing: a tempo of 100-135 beats/min with knee bounce on the beat, sway and side steps every two
  beats, and an arm pattern chosen per four-beat bar.
Hands that must meet (clapping) or reach a point (CPR) are placed by solving for the joint angle with
forward kinematics, so every body size claps with touching hands.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from lib.body.anatomy import anatomical_to_local
from lib.body.kinematics import forward_kinematics
from lib.body.posture import Body, MotionContext, leg_drop
from lib.body.skeleton import JOINT_INDEX
from lib.body.waveforms import bump, events, min_jerk, phase, piecewise_choice, pulse, ramp, soft_positive, soft_union

_J = JOINT_INDEX


def _envelope(t: np.ndarray, start: float, end: float, edge: float) -> np.ndarray:
    """1 inside [start, end], min-jerk ramps of ``edge`` s at both ends, 0 outside."""
    return ramp(t, start, edge) * (1.0 - ramp(t, end - edge, edge))


def _hand_gap(ctx: MotionContext, flex: float, abd: float, elbow: float) -> float:
    """Internal rotation (deg) of both shoulders at which the hands meet at the midline (by FK)."""
    sk = ctx.skeleton

    def x_left_hand(rot: float) -> float:
        a = np.zeros((1, 24, 3))
        for side in ("left", "right"):
            a[0, _J[f"{side}_shoulder"]] = (flex, abd, rot)
            a[0, _J[f"{side}_elbow"]] = (elbow, 70.0, 0.0)
        _, pos = forward_kinematics(anatomical_to_local(a, np.zeros((1, 3))), np.zeros((1, 3)), sk, [_J["left_hand"]])
        return float(pos[0, 0, 0]) - 0.02

    lo, hi = -30.0, 120.0
    if x_left_hand(lo) * x_left_hand(hi) > 0:
        return 60.0
    return float(brentq(x_left_hand, lo, hi, xtol=0.1))


def _events_body(b: Body, ctx: MotionContext, rate: float, dur: tuple, joint: str, angles: tuple) -> None:
    """Occasional gestures: add ``angles`` to ``joint`` during random episodes."""
    for t0 in events(ctx.rng, ctx.duration, rate, min_gap=dur[1]):
        d = ctx.rng.uniform(*dur)
        env = _envelope(ctx.t, t0, t0 + d, min(0.6, d / 3))
        b.add(joint, *(a * env for a in angles))


# ---------------------------------------------------------------------------------- postures
def standing(ctx: MotionContext) -> Body:
    """Quiet standing with weight shifts, head turns and an occasional hand to the face or phone."""
    b = Body(ctx).stand()
    style = ctx.choice("stand_style", ["idle", "phone", "talking"], [0.5, 0.25, 0.25])
    for t0 in events(ctx.rng, ctx.duration, 1 / 8.0, min_gap=3.0):
        side = 1.0 if ctx.rng.random() < 0.5 else -1.0
        env = _envelope(ctx.t, t0, t0 + ctx.rng.uniform(2.5, 6.0), 0.8)
        b.trans[:, 0] += side * 0.03 * env
        b.root[:, 2] -= side * 2.0 * env
        b.add("right_knee" if side > 0 else "left_knee", 8.0 * env)
    _events_body(b, ctx, 1 / 6.0, (1.0, 3.0), "head", (0.0, 0.0, ctx.rng.choice([-1, 1]) * 30.0))
    if style == "phone":
        b.add("right_shoulder", 25.0, 5.0, 20.0).add("right_elbow", 95.0).add("neck", 25.0).add("head", 10.0)
        b.add("right_wrist", -15.0)
    elif style == "talking":
        gest = soft_positive(ctx.noise(1.0, (2,)) - 0.5)
        b.add("right_elbow", 40.0 * gest[:, 0]).add("left_elbow", 30.0 * gest[:, 1])
        b.add("right_shoulder", 20.0 * gest[:, 0], 0.0, 15.0 * gest[:, 0]).add("left_shoulder", 15.0 * gest[:, 1])
        b.add("head", 4.0 * ctx.noise(1.5))
    else:
        _events_body(b, ctx, 1 / 15.0, (1.5, 3.0), "right_shoulder", (35.0, 10.0, 30.0))
    return b


def sitting(ctx: MotionContext) -> Body:
    """Seated: idle, reading, phone or conversation, with fidgets and leg jiggle."""
    b = Body(ctx).sit()
    style = ctx.choice("sit_style", ["idle", "reading", "phone", "talking"])
    if style in ("reading", "phone"):
        b.both("shoulder", 20.0, 5.0, 25.0).both("elbow", 60.0).add("neck", 25.0).add("head", 10.0)
    elif style == "talking":
        gest = soft_positive(ctx.noise(0.8, (2,)) - 0.5)
        b.add("right_elbow", 35.0 * gest[:, 0]).add("left_elbow", 25.0 * gest[:, 1])
        b.add("right_shoulder", 15.0 * gest[:, 0]).add("head", 0.0, 0.0, 15.0 * ctx.noise(0.3))
    for t0 in events(ctx.rng, ctx.duration, 1 / 20.0, min_gap=4.0):  # leg jiggle 3-5 Hz for a few seconds
        env = _envelope(ctx.t, t0, t0 + ctx.rng.uniform(2, 6), 0.5)
        b.add("right_ankle", 6.0 * env * np.sin(2 * np.pi * ctx.rng.uniform(3, 5) * ctx.t))
    b.spine(flex=2.0 * ctx.noise(0.2))
    return b


def lying(ctx: MotionContext) -> Body:
    """Lying supine, on a side or prone, on a bed or the floor, breathing, with occasional limb moves."""
    b = Body(ctx)
    pose = ctx.choice("lying_pose", ["supine", "left_side", "right_side", "prone"], [0.45, 0.2, 0.2, 0.15])
    surface = ctx.choice("surface", ["bed", "floor", "sofa"])
    height = {"bed": 0.55, "floor": 0.10, "sofa": 0.45}[surface] + ctx.rng.uniform(-0.03, 0.03)
    if pose == "supine":
        b.root[:, 1] -= 90.0
        b.both("shoulder", 0.0, ctx.uniform("arm_abd", 5.0, 30.0))
        b.both("elbow", ctx.uniform("elbow_lying", 5.0, 60.0))
    elif pose == "prone":
        b.root[:, 1] += 90.0
        b.both("shoulder", 150.0, 40.0).both("elbow", 100.0)
        b.add("head", 0.0, 0.0, 70.0)
    else:
        side = 1.0 if pose == "left_side" else -1.0
        b.root[:, 2] += 90.0 * side
        b.root[:, 1] -= 5.0
        b.both("hip", ctx.uniform("curl_hip", 20.0, 70.0)).both("knee", ctx.uniform("curl_knee", 30.0, 90.0))
        b.both("shoulder", 70.0).both("elbow", 80.0)
        height += 0.12
    breath = np.sin(2 * np.pi * ctx.uniform("breath_hz", 0.2, 0.33) * ctx.t)
    b.spine(flex=-0.8 * breath)
    b.trans[:, 1] = height + 0.003 * breath
    _events_body(b, ctx, 1 / 20.0, (2.0, 5.0), "right_shoulder", (40.0, 20.0, 0.0))
    _events_body(b, ctx, 1 / 25.0, (2.0, 6.0), "left_knee", (40.0, 0.0, 0.0))
    b.root[:, 0] += 2.0 * ctx.noise(0.1)
    b.posture = "lying"
    return b


def half_sine(s: np.ndarray) -> np.ndarray:
    """sin(pi s) for a 0 -> 1 progress s, never below 0: rounding can put a minimum-jerk s a hair past 1,
    where sin turns negative and a fractional power of it would be NaN (seen in P2's 50,000-segment world)."""
    return np.clip(np.sin(np.pi * s), 0.0, None)


def _sit_stand(ctx: MotionContext, down: bool, name: str) -> Body:
    """Blend of the standing and sitting postures with a forward-lean peak, feet fixed on the floor."""
    stand_ctx, sit_ctx = ctx, ctx
    s_body = Body(stand_ctx).stand(sway=0.5)
    c_body = Body(sit_ctx).sit()
    dur = ctx.uniform("transition_s", 1.6, 3.0) / ctx.speed
    t0 = ctx.uniform("start_s", 0.2, max(0.25, ctx.duration - dur - 0.2)) if ctx.duration > dur + 0.4 else 0.0
    s = min_jerk((ctx.t - t0) / dur)
    if not down:
        s = 1.0 - s
    b = Body(ctx)
    b.angles = (1 - s)[:, None, None] * s_body.angles + s[:, None, None] * c_body.angles
    b.root = (1 - s)[:, None] * s_body.root + s[:, None] * c_body.root
    lean = ctx.uniform("lean_peak", 25.0, 45.0) * half_sine(s) ** 1.5
    b.lean(lean * 0.6)
    b.spine(flex=lean * 0.4)
    b.both("shoulder", 20.0 * np.sin(np.pi * s))
    thigh = ctx.skeleton.bone_lengths[_J["left_knee"]]
    s_y = min_jerk((s - 0.15) / 0.75)  # the pelvis drops once the trunk has moved over the feet
    b.trans[:, 1] = (1 - s_y) * s_body.trans[:, 1] + s_y * c_body.trans[:, 1]
    b.trans[:, 2] = -thigh * s_y
    b.posture = "sitting" if down else "standing"
    b.segments = [(0.0, t0, "standing" if down else "sitting"), (t0, t0 + dur, name),
                  (t0 + dur, ctx.duration + 1.0, "sitting" if down else "standing")]
    return b


def sitting_down(ctx: MotionContext) -> Body:
    """Standing -> sitting on a chair (1.6-3 s); frames before/after are labelled standing/sitting."""
    return _sit_stand(ctx, True, "sitting_down")


def standing_up(ctx: MotionContext) -> Body:
    """Sitting -> standing (1.6-3 s); frames before/after are labelled sitting/standing."""
    return _sit_stand(ctx, False, "standing_up")


# ---------------------------------------------------------------------------------- exercise
def stretching_arms(ctx: MotionContext) -> Body:
    """Arm stretches held 3-8 s: overhead reach, side raise, cross-body, triceps, arm circles."""
    b = Body(ctx).stand()
    a = ctx.amplitude
    moves = ["overhead", "side", "cross_body", "triceps", "circles"]
    for start, end, move in piecewise_choice(ctx.rng, ctx.t, moves, (3.0 / ctx.speed, 8.0 / ctx.speed)):
        env = _envelope(ctx.t, start, end, min(1.2, (end - start) / 3))
        side = "left" if ctx.rng.random() < 0.5 else "right"
        other = "right" if side == "left" else "left"
        if move == "overhead":
            b.both("shoulder", 165.0 * a * env, 10.0 * env)
            b.spine(bend=(15.0 if side == "left" else -15.0) * env * ctx.rng.random(), flex=-5.0 * env)
            b.both("wrist", -40.0 * env)
        elif move == "side":
            b.both("shoulder", 0.0, ctx.rng.uniform(80.0, 150.0) * a * env)
        elif move == "cross_body":
            b.add(f"{side}_shoulder", 90.0 * env, -45.0 * a * env)
            b.add(f"{other}_shoulder", 70.0 * env, -10.0 * env, 40.0 * env).add(f"{other}_elbow", 100.0 * env)
            b.spine(twist=(10.0 if side == "right" else -10.0) * env)
        elif move == "triceps":
            b.add(f"{side}_shoulder", 165.0 * env, 15.0 * env).add(f"{side}_elbow", 140.0 * env)
            b.add(f"{other}_shoulder", 150.0 * env, 20.0 * env).add(f"{other}_elbow", 120.0 * env)
            b.add("neck", 10.0 * env)
        else:
            w = 2 * np.pi * ctx.rng.uniform(0.4, 1.0) * ctx.speed
            b.both("shoulder", 0.0, 90.0 * env)
            b.both("shoulder", 25.0 * a * env * np.cos(w * ctx.t), 25.0 * a * env * np.sin(w * ctx.t))
    return b


def stretching_legs(ctx: MotionContext) -> Body:
    """Leg stretches and drills: front/side leg raises, lunges, marching/stepping, hamstring bend."""
    b = Body(ctx).stand()
    a = ctx.amplitude
    moves = ["front_raise", "side_raise", "lunge", "stepping", "hamstring"]
    grounded = np.zeros(ctx.n, bool)
    for start, end, move in piecewise_choice(ctx.rng, ctx.t, moves, (4.0 / ctx.speed, 9.0 / ctx.speed)):
        env = _envelope(ctx.t, start, end, min(0.8, (end - start) / 4))
        inside = (ctx.t >= start) & (ctx.t < end)
        tau = ctx.t - start
        if move in ("front_raise", "side_raise"):
            period = ctx.rng.uniform(2.2, 3.5) / ctx.speed
            lift = np.sin(np.pi * np.mod(tau, period) / period) ** 2 * env
            which = (np.floor(tau / period) % 2 == 0)
            for side, mask in (("left", which), ("right", ~which)):
                if move == "front_raise":
                    b.add(f"{side}_hip", ctx.rng.uniform(50, 85) * a * lift * mask)
                else:
                    b.add(f"{side}_hip", 5.0 * lift * mask, ctx.rng.uniform(30, 45) * a * lift * mask)
            b.both("shoulder", 0.0, 30.0 * env)
            grounded |= inside
        elif move == "lunge":
            period = ctx.rng.uniform(3.0, 5.0) / ctx.speed
            depth = np.sin(np.pi * np.mod(tau, period) / period) ** 2 * env
            which = (np.floor(tau / period) % 2 == 0)
            for front, back, mask in (("left", "right", which), ("right", "left", ~which)):
                m = depth * mask
                b.add(f"{front}_hip", 85.0 * a * m).add(f"{front}_knee", 90.0 * a * m).add(f"{front}_ankle", 15.0 * m)
                b.add(f"{back}_hip", -15.0 * m).add(f"{back}_knee", 95.0 * a * m).add(f"{back}_ankle", -20.0 * m)
                b.add(f"{back}_foot", 40.0 * m)
            b.trans[:, 2] += 0.25 * depth
            b.both("shoulder", 0.0, 0.0)
            b.lean(5.0 * depth)
            grounded |= inside
        elif move == "stepping":
            phi = phase(ctx.rng, ctx.t, ctx.rng.uniform(0.45, 0.6) * ctx.speed, fps=ctx.fps)
            for side, off in (("left", 0.0), ("right", np.pi)):
                lift = np.clip(np.sin(phi + off), 0, None) ** 1.5 * env
                b.add(f"{side}_hip", 65.0 * a * lift).add(f"{side}_knee", 85.0 * a * lift).add(f"{side}_ankle", -10.0 * lift)
                b.add(f"{side}_shoulder", -25.0 * np.sin(phi + off) * env).add(f"{side}_elbow", 60.0 * env)
            grounded |= inside
        else:
            bend = ctx.rng.uniform(55.0, 85.0) * a * env
            b.lean(bend * 0.7)
            b.spine(flex=bend * 0.3)
            b.both("shoulder", 60.0 * env).add("neck", -10.0 * env)
            grounded |= inside
    b.ground(smooth_hz=3.0)
    return b


# ---------------------------------------------------------------------------------- upper-body tasks
def computer_work(ctx: MotionContext) -> Body:
    """Seated typing and mouse work: bursts of 3-8 Hz finger/wrist activity, scanning head, reaches."""
    b = Body(ctx).sit(lean=ctx.uniform("desk_lean", -2.0, 10.0))
    b.both("shoulder", ctx.uniform("desk_shoulder", 25.0, 45.0) - 15.0, 12.0, 25.0).both("elbow", ctx.uniform("desk_elbow", 80.0, 105.0) - 50.0)
    b.both("elbow", 0.0, 70.0).both("wrist", -15.0)
    typing = soft_union([_envelope(ctx.t, t0, t0 + ctx.rng.uniform(2.0, 9.0), 0.3)
                         for t0 in events(ctx.rng, ctx.duration, 1 / 5.0, min_gap=1.0)], ctx.n)
    jitter = ctx.noise(6.0, (4,))
    b.add("left_wrist", 3.0 * typing * jitter[:, 0], 3.0 * typing * jitter[:, 1])
    b.add("right_wrist", 3.0 * typing * jitter[:, 2], 3.0 * typing * jitter[:, 3])
    b.both("elbow", 2.0 * typing * ctx.noise(3.0))
    mouse = 1.0 - typing
    b.add("right_shoulder", 4.0 * mouse * ctx.noise(0.8), 8.0 * mouse + 5.0 * mouse * ctx.noise(0.8))
    b.add("neck", ctx.uniform("screen_neck", 0.0, 20.0)).add("head", 0.0, 0.0, 6.0 * ctx.noise(0.4))
    _events_body(b, ctx, 1 / 25.0, (1.5, 3.0), "right_shoulder", (30.0, 0.0, 0.0))
    return b


def clapping(ctx: MotionContext) -> Body:
    """Clapping with hands meeting at the midline: applause (fast, small) or rhythmic (slower, larger)."""
    seated = ctx.choice("clap_posture", ["standing", "sitting"], [0.7, 0.3])
    b = Body(ctx).stand() if seated == "standing" else Body(ctx).sit()
    style = ctx.choice("clap_style", ["applause", "rhythmic"])
    rate = (ctx.uniform("rate_hz", 3.0, 5.0) if style == "applause" else ctx.uniform("rate_hz", 1.5, 2.6)) * ctx.speed
    open_deg = (18.0 if style == "applause" else 32.0) * ctx.amplitude
    flex, abd, elbow = ctx.uniform("clap_flex", 30.0, 55.0), ctx.uniform("clap_abd", 5.0, 20.0), ctx.uniform("clap_elbow", 70.0, 100.0)
    closed = _hand_gap(ctx, flex, abd, elbow)
    phi = phase(ctx.rng, ctx.t, rate / 2.0, jitter=0.04, fps=ctx.fps)
    sep = np.abs(np.sin(phi))  # contact = velocity reversal (elastic impact)
    env = np.ones(ctx.n)
    if ctx.duration > 6:  # pauses between bursts
        env = soft_union([_envelope(ctx.t, t0, t0 + ctx.rng.uniform(2.5, 7.0), 0.3)
                          for t0 in events(ctx.rng, ctx.duration, 1 / 4.0, min_gap=1.0, start=-1.0)], ctx.n)
    b.both("shoulder", flex * env, abd * env, (closed - open_deg * sep) * env)
    b.both("elbow", (elbow - 10.0) * env, 70.0 * env)
    b.both("wrist", -10.0 * env)
    return b


def waving(ctx: MotionContext) -> Body:
    """Waving: one raised arm with a 1.5-3 Hz forearm oscillation, or both arms swaying overhead."""
    b = Body(ctx).stand()
    style = ctx.choice("wave_style", ["one_arm", "both_overhead"], [0.75, 0.25])
    side = ctx.choice("wave_hand", ["right", "left"], [0.8, 0.2])
    env = soft_union([_envelope(ctx.t, t0, t0 + ctx.rng.uniform(2.0, 6.0), 0.5)
                      for t0 in events(ctx.rng, ctx.duration, 1 / 3.0, min_gap=1.0, start=-1.0)], ctx.n)
    if style == "one_arm":
        f = ctx.uniform("wave_hz", 1.5, 3.0) * ctx.speed
        phi = phase(ctx.rng, ctx.t, f, jitter=0.05, fps=ctx.fps)
        amp = ctx.uniform("wave_deg", 15.0, 35.0) * ctx.amplitude
        b.add(f"{side}_shoulder", ctx.uniform("wave_flex", 10.0, 35.0) * env, ctx.uniform("wave_abd", 95.0, 150.0) * env,
              (-60.0 + amp * np.sin(phi)) * env)
        b.add(f"{side}_elbow", ctx.uniform("wave_elbow", 20.0, 70.0) * env + 8.0 * np.sin(phi + 0.5) * env, -40.0 * env)
        b.add(f"{side}_wrist", 10.0 * np.sin(phi - 0.6) * env)
        b.add("head", 0.0, 0.0, 8.0 * env)
    else:
        f = ctx.uniform("wave_hz", 0.6, 1.2) * ctx.speed
        sway = np.sin(2 * np.pi * f * ctx.t + ctx.rng.uniform(0, 6.28))
        b.both("shoulder", 160.0 * env, 10.0 * env)
        b.add("left_shoulder", 0.0, 25.0 * ctx.amplitude * sway * env)
        b.add("right_shoulder", 0.0, -25.0 * ctx.amplitude * sway * env)
        b.spine(bend=6.0 * sway * env)
    return b


def wiping(ctx: MotionContext) -> Body:
    """Wiping a table (bent over, circles or back-and-forth) or a window (arm raised), stepping sideways."""
    b = Body(ctx).stand()
    target = ctx.choice("wipe_target", ["table", "window"], [0.65, 0.35])
    side = ctx.choice("hand", ["right", "left"], [0.85, 0.15])
    other = "left" if side == "right" else "right"
    f = ctx.uniform("wipe_hz", 0.8, 2.0) * ctx.speed
    pattern = ctx.choice("wipe_pattern", ["circles", "back_forth"])
    w = phase(ctx.rng, ctx.t, f, jitter=0.08, fps=ctx.fps)
    r = ctx.uniform("wipe_deg", 8.0, 18.0) * ctx.amplitude
    if target == "table":
        lean = ctx.uniform("table_lean", 15.0, 35.0)
        b.lean(lean * 0.6).spine(flex=lean * 0.4)
        base_flex, elbow = 55.0, 40.0
        b.add(f"{other}_shoulder", 40.0, 10.0).add(f"{other}_elbow", 45.0)
    else:
        base_flex, elbow = 110.0, 30.0
    flex = base_flex + r * np.cos(w)
    abd = 10.0 + (1.3 * r * np.sin(w) if pattern == "circles" else 1.6 * r * np.sin(w))
    if pattern == "back_forth":
        flex = base_flex + 0.4 * r * np.cos(2 * w)
    b.add(f"{side}_shoulder", flex, abd, 15.0)
    b.add(f"{side}_elbow", elbow - 0.8 * r * np.cos(w))
    b.spine(twist=(0.4 if side == "left" else -0.4) * (abd - 10.0))
    for t0 in events(ctx.rng, ctx.duration, 1 / 10.0, min_gap=3.0):  # side step along the surface
        b.trans[:, 0] += ctx.rng.choice([-1, 1]) * 0.35 * ramp(ctx.t, t0, 0.8)
    return b


def boxing(ctx: MotionContext) -> Body:
    """Shadow boxing: bouncing guard stance with jabs, crosses, hooks and uppercuts."""
    b = Body(ctx)
    b.both("knee", 18.0).both("hip", 12.0, 6.0).both("ankle", 9.0)
    b.lean(8.0)
    b.both("shoulder", 45.0, 25.0, 25.0).both("elbow", 125.0)
    f_b = ctx.uniform("bounce_hz", 1.5, 2.5)
    b.trans[:, 1] += -leg_drop(ctx.skeleton, 18.0) - 0.015 * ctx.amplitude * np.abs(np.sin(np.pi * f_b * ctx.t))
    rate = ctx.uniform("punch_rate_hz", 1.2, 2.5) * ctx.speed
    times = events(ctx.rng, ctx.duration, rate, min_gap=0.25)
    arm = "left" if ctx.rng.random() < 0.5 else "right"
    for t0 in times:
        if ctx.rng.random() < 0.7:
            arm = "right" if arm == "left" else "left"
        kind = ctx.rng.choice(["straight", "hook", "uppercut"], p=[0.65, 0.2, 0.15])
        ext = ctx.rng.uniform(0.12, 0.18)
        p = pulse(ctx.t, t0, ext, 0.03, 0.2) * ctx.amplitude
        twist = (-1.0 if arm == "left" else 1.0) * 20.0 * p
        if kind == "straight":
            b.add(f"{arm}_shoulder", 42.0 * p, -15.0 * p, 15.0 * p).add(f"{arm}_elbow", -110.0 * p)
        elif kind == "hook":
            b.add(f"{arm}_shoulder", 40.0 * p, 55.0 * p, 20.0 * p).add(f"{arm}_elbow", -35.0 * p)
            twist *= 1.6
        else:
            b.add(f"{arm}_shoulder", 40.0 * p, -10.0 * p).add(f"{arm}_elbow", -25.0 * p)
            b.both("knee", 10.0 * pulse(ctx.t, t0 - 0.15, 0.15, 0.0, 0.2))
        b.spine(twist=twist)
        b.root[:, 0] += 0.5 * twist
    b.root[:, 0] += 10.0 * ctx.noise(0.3)
    b.trans[:, [0, 2]] += 0.15 * ctx.noise(0.3, (2,))
    return b


def cooking(ctx: MotionContext) -> Body:
    """At a kitchen counter: stirring, chopping, pouring and reaching, looking down at the work."""
    b = Body(ctx).stand()
    lean = ctx.uniform("counter_lean", 5.0, 15.0)
    b.lean(lean * 0.5).spine(flex=lean * 0.5).add("neck", ctx.uniform("look_down", 15.0, 30.0))
    b.both("shoulder", 30.0, 12.0, 30.0).both("elbow", 80.0)
    tasks = ["stir", "chop", "pour", "reach"]
    for start, end, task in piecewise_choice(ctx.rng, ctx.t, tasks, (4.0, 12.0)):
        env = _envelope(ctx.t, start, end, 0.6)
        if task == "stir":
            w = 2 * np.pi * ctx.rng.uniform(0.9, 1.6) * ctx.speed * ctx.t
            b.add("right_shoulder", 7.0 * np.cos(w) * env, 7.0 * np.sin(w) * env).add("right_elbow", 6.0 * np.sin(w) * env)
            b.add("left_shoulder", 5.0 * env)
        elif task == "chop":
            f = ctx.rng.uniform(2.5, 4.5) * ctx.speed
            chop = np.abs(np.sin(np.pi * f * ctx.t)) * env
            b.add("right_elbow", 18.0 * ctx.amplitude * chop).add("right_wrist", -12.0 * chop)
            b.add("left_shoulder", 0.0, -8.0 * env).add("left_elbow", 10.0 * env)
        elif task == "pour":
            p = pulse(ctx.t, start + 0.5, 1.2, max(0.1, end - start - 3.0), 1.0)
            b.add("right_shoulder", 25.0 * p).add("right_elbow", -20.0 * p, -70.0 * p)
        else:
            side = "right" if ctx.rng.random() < 0.6 else "left"
            p = pulse(ctx.t, start + 0.5, 1.0, 1.0, 1.0)
            b.spine(twist=(-30.0 if side == "right" else 30.0) * p)
            b.add(f"{side}_shoulder", 45.0 * p, 30.0 * p).add(f"{side}_elbow", -55.0 * p)
            b.add(f"{'left' if side == 'right' else 'right'}_knee", 10.0 * p)
    return b


def playing_instrument(ctx: MotionContext) -> Body:
    """Guitar strumming (2-4 Hz), drumming (alternating strikes + foot), violin bowing, or piano."""
    inst = ctx.choice("instrument", ["guitar", "drums", "violin", "piano"])
    seated = inst in ("drums", "piano") or (inst == "guitar" and ctx.choice("guitar_seated", [True, False]))
    b = Body(ctx).sit(lean=5.0) if seated else Body(ctx).stand()
    tempo = ctx.uniform("tempo_bpm", 70.0, 140.0) / 60.0 * ctx.speed
    a = ctx.amplitude
    if inst == "guitar":
        phi = phase(ctx.rng, ctx.t, tempo * ctx.choice("strum_subdivision", [1, 2]), jitter=0.02, fps=ctx.fps)
        b.add("left_shoulder", 35.0, 35.0, 30.0).add("left_elbow", 110.0).add("left_wrist", -25.0)
        b.add("left_wrist", 4.0 * ctx.noise(2.0))
        b.add("right_shoulder", 40.0 + 6.0 * a * np.sin(phi), 25.0).add("right_elbow", 95.0 + 14.0 * a * np.sin(phi + 0.4))
        b.add("right_wrist", 12.0 * a * np.sin(phi + 0.8)).add("neck", 20.0)
        b.add("head", 3.0 * np.sin(2 * np.pi * tempo * ctx.t))
    elif inst == "drums":
        phi = phase(ctx.rng, ctx.t, tempo, jitter=0.02, fps=ctx.fps)
        for side, off in (("left", 0.0), ("right", np.pi)):
            hit = np.abs(np.sin((phi + off) / 1.0)) ** 2
            b.add(f"{side}_shoulder", 30.0 + 10.0 * a * hit, 20.0).add(f"{side}_elbow", 70.0 + 25.0 * a * hit)
            b.add(f"{side}_wrist", 25.0 * a * hit - 10.0)
        b.add("right_ankle", 10.0 * np.abs(np.sin(phi / 2)))
        b.add("head", 3.0 * np.sin(phi))
    elif inst == "violin":
        phi = phase(ctx.rng, ctx.t, ctx.uniform("bow_hz", 0.4, 1.0) * ctx.speed, jitter=0.1, fps=ctx.fps)
        b.add("left_shoulder", 70.0, 40.0, -20.0).add("left_elbow", 120.0).add("left_wrist", -10.0 + 3.0 * ctx.noise(3.0))
        bow = np.sin(phi) * a
        b.add("right_shoulder", 50.0, 40.0 + 15.0 * bow).add("right_elbow", 80.0 - 35.0 * bow)
        b.add("head", 0.0, 15.0, 25.0)
        b.spine(bend=3.0 * bow)
    else:
        b.both("shoulder", 25.0, 15.0, 20.0).both("elbow", 50.0).both("elbow", 0.0, 70.0)
        reach = ctx.noise(0.5, (2,))
        b.add("left_shoulder", 0.0, 10.0 * a * reach[:, 0]).add("right_shoulder", 0.0, 10.0 * a * reach[:, 1])
        b.both("wrist", 6.0 * np.abs(np.sin(np.pi * tempo * 2 * ctx.t)))
        b.spine(bend=-3.0 * (reach[:, 0] - reach[:, 1]))
    return b


def dancing(ctx: MotionContext) -> Body:
    """Free dancing to a beat: knee bounce, hip sway, side steps, one arm pattern per bar, turns."""
    b = Body(ctx).stand(sway=0.3)
    a = ctx.amplitude
    f_beat = ctx.uniform("tempo_bpm", 100.0, 135.0) / 60.0 * ctx.speed
    beat = phase(ctx.rng, ctx.t, f_beat, jitter=0.01, fps=ctx.fps)
    bounce = bump(beat, 0.0, 0.12)
    b.both("knee", 15.0 * a * bounce).both("hip", 7.0 * a * bounce).both("ankle", 7.0 * a * bounce)
    b.trans[:, 1] -= leg_drop(ctx.skeleton, 15.0 * a * bounce)
    sway = np.sin(beat / 2.0)          # hip sway, one side per beat
    step = np.sin(beat / 4.0)          # step-touch: one side step every two beats
    b.root[:, 2] += 6.0 * a * sway
    b.trans[:, 0] += 0.5 * ctx.uniform("step_m", 0.1, 0.3) * a * step
    b.add("left_hip", 0.0, 10.0 * np.clip(sway, 0, None)).add("right_hip", 0.0, 10.0 * np.clip(-sway, 0, None))
    bar = 4.0 / f_beat
    patterns = ["pump", "swing", "disco", "overhead", "clap"]
    for start, end, pat in piecewise_choice(ctx.rng, ctx.t, patterns, (bar, 2 * bar)):
        env = _envelope(ctx.t, start, end, 0.15)
        if pat == "pump":
            b.both("shoulder", (110.0 + 40.0 * a * bounce) * env, 20.0 * env).both("elbow", 40.0 * env)
        elif pat == "swing":
            b.add("left_shoulder", 40.0 * a * sway * env, 15.0 * env).add("right_shoulder", -40.0 * a * sway * env, 15.0 * env)
            b.both("elbow", 70.0 * env)
        elif pat == "disco":
            up = np.tanh(3.0 * np.sin(beat / 2.0))
            b.add("right_shoulder", (90.0 + 60.0 * up) * env, 40.0 * env).add("left_shoulder", 0.0, 20.0 * env)
            b.add("left_hip", 0.0, 0.0, 10.0 * up * env)
        elif pat == "overhead":
            b.both("shoulder", 160.0 * env, 15.0 * env)
            b.add("left_shoulder", 0.0, 20.0 * sway * env).add("right_shoulder", 0.0, -20.0 * sway * env)
        else:
            b.both("shoulder", 50.0 * env, 10.0 * env, (50.0 - 25.0 * np.abs(np.sin(beat / 2.0))) * env).both("elbow", 90.0 * env)
        if ctx.rng.random() < 0.25:
            b.root[:, 0] += ctx.rng.choice([-1, 1]) * ctx.rng.choice([90.0, 180.0, 360.0]) * ramp(ctx.t, start, bar)
    b.add("head", 6.0 * bounce)
    b.spine(twist=10.0 * a * sway, bend=4.0 * sway)
    return b


def bike_repair(ctx: MotionContext) -> Body:
    """Kneeling (one or both knees) or squatting at a bike: wrench turns, wheel spins, tool reaches."""
    b = Body(ctx)
    pose = ctx.choice("kneel_pose", ["one_knee", "both_knees", "squat"])
    if pose == "one_knee":
        down = ctx.choice("kneel_leg", ["left", "right"])
        up = "right" if down == "left" else "left"
        b.add(f"{down}_hip", 5.0).add(f"{down}_knee", 100.0).add(f"{down}_ankle", -35.0).add(f"{down}_foot", 50.0)
        b.add(f"{up}_hip", 90.0, 10.0).add(f"{up}_knee", 95.0).add(f"{up}_ankle", 8.0)
    elif pose == "both_knees":
        b.both("hip", 20.0, 8.0).both("knee", 110.0).both("ankle", -35.0).both("foot", 40.0)
    else:
        b.both("hip", 110.0, 20.0).both("knee", 130.0).both("ankle", 25.0)
    lean = ctx.uniform("repair_lean", 20.0, 40.0)
    b.lean(lean * 0.6).spine(flex=lean * 0.4).add("neck", 25.0)
    b.both("shoulder", 45.0, 12.0, 15.0).both("elbow", 70.0)
    tasks = ["wrench", "spin_wheel", "hold", "reach_tool"]
    for start, end, task in piecewise_choice(ctx.rng, ctx.t, tasks, (3.0, 9.0)):
        env = _envelope(ctx.t, start, end, 0.5)
        if task == "wrench":
            f = ctx.rng.uniform(0.6, 1.2) * ctx.speed
            turn = np.clip(np.sin(2 * np.pi * f * ctx.t), -0.3, 1.0)
            b.add("right_elbow", 10.0 * turn * env, 40.0 * ctx.amplitude * turn * env).add("right_shoulder", 0.0, 0.0, 12.0 * turn * env)
        elif task == "spin_wheel":
            w = 2 * np.pi * ctx.rng.uniform(0.8, 1.5) * ctx.speed * ctx.t
            b.add("right_shoulder", 15.0 * np.cos(w) * env, 10.0 * np.sin(w) * env).add("right_elbow", 15.0 * np.sin(w) * env)
        elif task == "hold":
            b.both("wrist", 5.0 * ctx.noise(1.0) * env)
        else:
            p = pulse(ctx.t, start + 0.3, 0.9, 0.8, 0.9)
            b.spine(twist=-35.0 * p).add("right_shoulder", 10.0 * p, 40.0 * p).add("right_elbow", -50.0 * p)
    b.ground(smooth_hz=2.0)
    b.posture = "kneeling"
    return b


def cpr(ctx: MotionContext) -> Body:
    """CPR on a person on the floor: kneeling, locked elbows, 100-120 compressions/min, 30:2 cycles."""
    b = Body(ctx)
    b.both("hip", ctx.uniform("cpr_hip", 10.0, 25.0), 15.0).both("knee", 105.0).both("ankle", -35.0).both("foot", 40.0)
    lean = ctx.uniform("cpr_lean", 35.0, 50.0)
    rate = ctx.uniform("rate_per_min", 100.0, 120.0) / 60.0 * ctx.speed
    n_comp = 30
    cycle_comp = n_comp / rate
    pause = ctx.uniform("breath_pause_s", 4.0, 6.0)
    cycle = cycle_comp + pause
    tau = np.mod(ctx.t + ctx.rng.uniform(0, cycle), cycle)
    compressing = tau < cycle_comp
    depth = np.where(compressing, 0.5 - 0.5 * np.cos(2 * np.pi * rate * tau), 0.0)
    breathing = _smooth_mask(ctx, ~compressing, 0.5)
    comp = ctx.uniform("compression_deg", 5.0, 8.0) * ctx.amplitude * depth
    b.lean((lean * 0.6 + comp) * (1 - breathing) + (lean * 0.6 + 15.0) * breathing)
    b.spine(flex=lean * 0.4)
    arm_flex = lean + 15.0
    b.both("shoulder", arm_flex * (1 - breathing) + 30.0 * breathing, 8.0, 10.0)
    b.both("elbow", 5.0 * (1 - breathing) + 50.0 * breathing)
    b.both("wrist", -60.0 * (1 - breathing))
    b.add("neck", 15.0 + 25.0 * breathing)
    b.ground(smooth_hz=8.0)
    b.trans[:, 1] -= 0.01 * depth
    b.posture = "kneeling"
    return b


def _smooth_mask(ctx: MotionContext, mask: np.ndarray, edge_s: float) -> np.ndarray:
    """0/1 mask -> smooth 0..1 with ramps of about ``edge_s`` seconds."""
    from scipy.ndimage import gaussian_filter1d

    return np.clip(gaussian_filter1d(mask.astype(float), edge_s * ctx.fps / 3.0, mode="nearest"), 0.0, 1.0)

