"""The procedural motion library: one activity as a :class:`MotionClip`, or a chained sequence.

``generate("walking", 10.0, rng=rng)`` draws a subject (unless given), a speed from the activity's
range, an amplitude factor 0.8-1.2 and the activity's style choices, runs the activity's generator
(:mod:`lib.body.locomotion`, :mod:`lib.body.everyday`), then adds a **smooth random perturbation** to
every joint angle (band-limited noise, cut-off ~0.7 Hz, SD 1-4 deg by joint; root 0.5-2 deg, 5 mm)
and turns the whole motion to a random heading. Any frame rate works because every generator is a
function of continuous time (60 Hz default, as AMASS is used in P4 and DIP).

``generate_sequence([...])`` chains activities of one subject with cross-fades of 0.6-1.2 s (slerp of
every joint rotation with a minimum-jerk weight, linear blend of the translation), continuing the
path where the last clip ended; a stand -> sit change inserts ``sitting_down`` (sit -> stand:
``standing_up``). Frames are labelled with the activity that dominates the cross-fade.

Metadata (activity, speed, amplitude, style choices, scene, narration, postures) travels in
``clip.subject["motion"]`` (a list of segments for a sequence).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy.spatial.transform import Rotation

from lib.body.activities import ACTIVITY_NAMES, get_activity, narrate
from lib.body.clip import N_JOINTS, MotionClip
from lib.body.posture import Body, MotionContext
from lib.body.skeleton import Subject, sample_subject
from lib.body.waveforms import min_jerk, smooth_noise

#: SD (deg) of the smooth perturbation per joint (model: a few degrees of natural variability).
PERTURB_DEG = np.array([0.0, 3.0, 3.0, 1.5, 3.0, 3.0, 1.5, 2.5, 2.5, 1.5, 2.0, 2.0, 2.0, 1.5, 1.5, 3.0,
                        4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 2.0, 2.0])
PERTURB_CUTOFF_HZ = 0.7
AMPLITUDE_RANGE = (0.8, 1.2)


def _rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        raise ValueError("pass rng= (a numpy Generator or an int seed) so that motions are reproducible")
    return np.random.default_rng(rng)


def _turn(poses: np.ndarray, trans: np.ndarray, heading_deg: float, pivot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rotate a whole motion about the vertical axis through ``pivot`` (x, z)."""
    turn = Rotation.from_euler("y", heading_deg, degrees=True)
    poses = poses.copy()
    poses[:, 0] = (turn * Rotation.from_rotvec(poses[:, 0])).as_rotvec()
    rel = trans.copy()
    rel[:, [0, 2]] -= pivot
    trans = turn.apply(rel)
    trans[:, [0, 2]] += pivot
    return poses, trans


def root_heading(poses: np.ndarray) -> np.ndarray:
    """(T,) heading (deg) of the root: the yaw of its forward axis about world up."""
    fwd = Rotation.from_rotvec(poses[:, 0]).apply([0.0, 0.0, 1.0])
    return np.degrees(np.arctan2(fwd[:, 0], fwd[:, 2]))


def generate(activity: str, duration_s: float = 10.0, fps: float = 60.0, subject: Subject | None = None,
             rng: np.random.Generator | int | None = None, speed: float | None = None,
             amplitude: float | None = None, style: dict | None = None, perturbation: float = 1.0,
             heading_deg: float | None = None, scene: str | None = None) -> MotionClip:
    """A clip of ``activity`` lasting ``duration_s`` seconds at ``fps`` (see the module docstring)."""
    act = get_activity(activity)
    rng = _rng(rng)
    if not np.isfinite(duration_s) or duration_s <= 0:
        raise ValueError(f"duration_s={duration_s!r} must be a positive number of seconds")
    if not np.isfinite(fps) or fps <= 0:
        raise ValueError(f"fps={fps!r} must be positive (60 is the AMASS/DIP rate used by P4)")
    n = int(round(duration_s * fps))
    if n < 3:
        raise ValueError(f"duration_s={duration_s} at fps={fps} gives {n} frames; need at least 3")
    subject = subject if subject is not None else sample_subject(rng)
    speed = float(rng.uniform(*act.speed_range)) if speed is None else float(speed)
    if speed <= 0:
        raise ValueError(f"speed={speed!r} must be positive ({act.speed_unit}; range {act.speed_range})")
    amplitude = float(rng.uniform(*AMPLITUDE_RANGE)) if amplitude is None else float(amplitude)
    ctx = MotionContext(t=np.arange(n) / fps, fps=float(fps), rng=rng, subject=subject, skeleton=subject.skeleton(),
                        speed=speed, amplitude=amplitude, style=dict(style or {}))
    body: Body = act.generator(ctx)
    if perturbation:
        body.angles += perturbation * PERTURB_DEG[None, :, None] * smooth_noise(rng, n, fps, PERTURB_CUTOFF_HZ, (N_JOINTS, 3))
        body.root += perturbation * np.array([2.0, 0.7, 0.7]) * smooth_noise(rng, n, fps, 0.4, (3,))
        body.trans += perturbation * 0.005 * smooth_noise(rng, n, fps, 0.5, (3,))
    labels = np.full(n, act.label)
    for start, end, name in body.segments or []:
        labels[(ctx.t >= start) & (ctx.t < end)] = ACTIVITY_NAMES.index(name)
    clip = body.to_clip(labels=labels, source=f"procedural:{activity}")
    heading = float(rng.uniform(-180.0, 180.0)) if heading_deg is None else float(heading_deg)
    clip.poses, clip.trans = _turn(clip.poses, clip.trans, heading, clip.trans[0, [0, 2]])
    scene = scene or act.scenes[int(rng.integers(len(act.scenes)))]
    first = body.segments[0][2] if body.segments else activity
    clip.subject["motion"] = {
        "activity": activity, "label": act.label, "speed": speed, "speed_unit": act.speed_unit,
        "amplitude": amplitude, "style": ctx.style, "scene": scene, "heading_deg": heading,
        "narration": narrate(activity, rng, speed, scene, ctx.style),
        "posture_start": get_activity(first).posture if body.segments else body.posture,
        "posture_end": body.posture,
    }
    return clip


def crossfade(a: MotionClip, b: MotionClip, n_overlap: int) -> MotionClip:
    """Join ``a`` and ``b`` over ``n_overlap`` frames: slerp per joint with a min-jerk weight, labels by the dominant clip."""
    if a.fps != b.fps:
        raise ValueError(f"crossfade: clips have different fps ({a.fps} vs {b.fps}); resample one first")
    n_overlap = int(min(n_overlap, a.n_frames - 1, b.n_frames - 1))
    if n_overlap < 1:
        return MotionClip(np.concatenate([a.poses, b.poses]), np.concatenate([a.trans, b.trans]), a.fps,
                          _cat_labels(a, b), a.subject, a.source)
    w = min_jerk((np.arange(n_overlap) + 0.5) / n_overlap)
    ra = Rotation.from_rotvec(a.poses[-n_overlap:].reshape(-1, 3))
    rb = Rotation.from_rotvec(b.poses[:n_overlap].reshape(-1, 3))
    delta = (ra.inv() * rb).as_rotvec().reshape(n_overlap, N_JOINTS, 3) * w[:, None, None]
    mid = (ra * Rotation.from_rotvec(delta.reshape(-1, 3))).as_rotvec().reshape(n_overlap, N_JOINTS, 3)
    mid_trans = (1 - w)[:, None] * a.trans[-n_overlap:] + w[:, None] * b.trans[:n_overlap]
    poses = np.concatenate([a.poses[:-n_overlap], mid, b.poses[n_overlap:]])
    trans = np.concatenate([a.trans[:-n_overlap], mid_trans, b.trans[n_overlap:]])
    labels = None
    if a.labels is not None and b.labels is not None:
        mid_labels = np.where(w < 0.5, a.labels[-n_overlap:], b.labels[:n_overlap])
        labels = np.concatenate([a.labels[:-n_overlap], mid_labels, b.labels[n_overlap:]])
    return MotionClip(poses, trans, a.fps, labels, a.subject, a.source)


def _cat_labels(a: MotionClip, b: MotionClip):
    if a.labels is None or b.labels is None:
        return None
    return np.concatenate([a.labels, b.labels])


_POSTURE_BRIDGE = {("standing", "sitting"): "sitting_down", ("sitting", "standing"): "standing_up"}


def generate_sequence(activities: Sequence[str], durations_s: Sequence[float] | float = 10.0, fps: float = 60.0,
                      subject: Subject | None = None, rng: np.random.Generator | int | None = None,
                      transition_s: tuple[float, float] = (0.6, 1.2), bridge_postures: bool = True,
                      **kwargs) -> MotionClip:
    """One subject performing ``activities`` in order, chained with cross-fades (module docstring).

    durations_s: one duration for all, or one per activity; kwargs go to :func:`generate`.
    """
    rng = _rng(rng)
    activities = list(activities)
    if not activities:
        raise ValueError("generate_sequence needs at least one activity")
    for name in activities:
        get_activity(name)
    durations = [float(durations_s)] * len(activities) if np.isscalar(durations_s) else [float(d) for d in durations_s]
    if len(durations) != len(activities):
        raise ValueError(f"durations_s has {len(durations)} entries for {len(activities)} activities; give one per activity or a single number")
    subject = subject if subject is not None else sample_subject(rng)
    plan: list[tuple[str, float]] = []
    for name, dur in zip(activities, durations):
        plan.append((name, dur))
    clip: MotionClip | None = None
    segments: list[dict] = []
    end_posture = None
    for name, dur in plan:
        nxt = generate(name, dur, fps, subject, rng, heading_deg=0.0, **kwargs)
        meta = nxt.subject["motion"]
        bridge = _POSTURE_BRIDGE.get((end_posture, meta["posture_start"])) if bridge_postures else None
        pieces = []
        if bridge is not None:
            pieces.append(generate(bridge, float(rng.uniform(3.0, 4.0)), fps, subject, rng, heading_deg=0.0, **kwargs))
        pieces.append(nxt)
        for piece in pieces:
            if clip is None:
                heading = float(rng.uniform(-180, 180))
                piece.poses, piece.trans = _turn(piece.poses, piece.trans, heading, piece.trans[0, [0, 2]])
                clip = piece
            else:
                n_overlap = int(round(rng.uniform(*transition_s) * fps))
                n_overlap = min(n_overlap, clip.n_frames - 1, piece.n_frames - 1)
                anchor = clip.n_frames - n_overlap
                heading = float(root_heading(clip.poses[anchor:anchor + 1])[0] - root_heading(piece.poses[:1])[0])
                piece.poses, piece.trans = _turn(piece.poses, piece.trans, heading, piece.trans[0, [0, 2]])
                piece.trans[:, [0, 2]] += clip.trans[anchor, [0, 2]] - piece.trans[0, [0, 2]]
                clip = crossfade(clip, piece, n_overlap)
            segments.append(piece.subject["motion"])
        end_posture = meta["posture_end"]
    assert clip is not None
    clip.subject = {**subject.as_dict(), "motion": segments}
    clip.source = "procedural:sequence"
    return clip


def random_sequence(n_segments: int, rng: np.random.Generator | int, activities: Sequence[str] | None = None,
                    duration_range_s: tuple[float, float] = (6.0, 20.0), **kwargs) -> MotionClip:
    """A sequence of ``n_segments`` random activities (no immediate repeats) with random durations."""
    rng = _rng(rng)
    pool = list(activities or [a for a in ACTIVITY_NAMES if a not in ("sitting_down", "standing_up")])
    names: list[str] = []
    for _ in range(n_segments):
        options = [a for a in pool if not names or a != names[-1]] or pool
        names.append(options[int(rng.integers(len(options)))])
    durations = rng.uniform(*duration_range_s, size=n_segments)
    return generate_sequence(names, durations, rng=rng, **kwargs)


__all__ = ["generate", "generate_sequence", "random_sequence", "crossfade", "root_heading"]
