"""The canvas procedural motions are drawn on: a :class:`Body` track of anatomical angles, a
:class:`MotionContext` (time base, subject, speed, amplitude, style, rng), and base postures.

Postures keep the body on the floor by geometry, not by hand-tuned heights:

* standing: pelvis height = the subject's standing pelvis height minus the drop that knee, hip and
  ankle flexion cause (:func:`leg_drop`);
* :meth:`Body.ground`: the pelvis height is set so that the lowest contact point — heel (ankle
  joint minus Winter's 0.039 H ankle height), ball of the foot, or knee cap — touches the floor,
  then low-pass filtered (real contacts roll rather than switch), used for lunges, squats, kneeling;
* sitting: the pelvis rests at the height where thighs are level and feet are flat on the floor
  (``sitting_pelvis_height``), a 0.45-0.5 m seat for a 1.75 m person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.ndimage import gaussian_filter1d

from lib.body.anatomy import anatomical_to_local
from lib.body.clip import N_JOINTS, MotionClip
from lib.body.kinematics import forward_kinematics
from lib.body.skeleton import JOINT_INDEX, WINTER, Skeleton, Subject
from lib.body.waveforms import smooth_noise

_J = JOINT_INDEX
KNEE_RADIUS = 0.05  # m, knee cap to knee joint centre (model)


@dataclass
class MotionContext:
    """Everything a generator needs. ``style`` holds overrides on input and every choice made on output."""

    t: np.ndarray
    fps: float
    rng: np.random.Generator
    subject: Subject
    skeleton: Skeleton
    speed: float
    amplitude: float = 1.0
    style: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of frames (the length of ``t``)."""
        return self.t.size

    @property
    def duration(self) -> float:
        """Length of the motion in seconds (n / fps)."""
        return self.n / self.fps

    def uniform(self, key: str, lo: float, hi: float) -> float:
        """A style number: the override in ``style`` if given, else a uniform draw (recorded)."""
        if key not in self.style:
            self.style[key] = float(self.rng.uniform(lo, hi))
        return float(self.style[key])

    def choice(self, key: str, options: list, p: list | None = None):
        """A style choice: the override in ``style`` if given (must be one of ``options``), else a draw."""
        if key in self.style:
            if self.style[key] not in options:
                raise ValueError(f"style {key}={self.style[key]!r} is not one of {options}")
            return self.style[key]
        self.style[key] = options[int(self.rng.choice(len(options), p=p))]
        return self.style[key]

    def noise(self, cutoff_hz: float, shape: tuple = ()) -> np.ndarray:
        """(n, *shape) unit-variance smooth noise from ``rng`` with its power mostly below ``cutoff_hz`` (Hz)."""
        return smooth_noise(self.rng, self.n, self.fps, cutoff_hz, shape)

    @property
    def stature_scale(self) -> float:
        """sqrt(1.75 / stature): cadence scales with the inverse square root of leg length (pendulum)."""
        return float(np.sqrt(1.75 / self.subject.stature))


def leg_drop(skeleton: Skeleton, knee_deg: np.ndarray) -> np.ndarray:
    """Pelvis drop (m) of a symmetric crouch with knee flexion κ and hip flexion = ankle dorsiflexion = κ/2."""
    half = np.radians(np.asarray(knee_deg)) / 2.0
    return skeleton.leg_length * (1.0 - np.cos(half))


class Body:
    """A track of anatomical angles (deg, see :mod:`lib.body.anatomy`), root angles and root translation."""

    def __init__(self, ctx: MotionContext) -> None:
        self.ctx = ctx
        n = ctx.n
        self.angles = np.zeros((n, N_JOINTS, 3))
        self.root = np.zeros((n, 3))  # heading (left turn), pitch (forward lean), roll (lean left), deg
        self.trans = np.zeros((n, 3))
        self.trans[:, 1] = ctx.skeleton.pelvis_height
        self.posture = "standing"  # base posture at the end of the track: standing | sitting | lying | kneeling
        self.segments: list[tuple[float, float, str]] | None = None  # (start s, end s, activity) label overrides

    # -- angle editing -------------------------------------------------------------------------
    def add(self, joint: str, a1=0.0, a2=0.0, a3=0.0) -> "Body":
        """Add angles (deg, scalars or (T,) arrays) to ``joint`` (SMPL name)."""
        j = _J[joint]
        self.angles[:, j, 0] += a1
        self.angles[:, j, 1] += a2
        self.angles[:, j, 2] += a3
        return self

    def both(self, part: str, a1=0.0, a2=0.0, a3=0.0) -> "Body":
        """Add the same anatomical angles to the left and right ``part`` (e.g. "hip")."""
        return self.add(f"left_{part}", a1, a2, a3).add(f"right_{part}", a1, a2, a3)

    def spine(self, flex=0.0, bend=0.0, twist=0.0, weights=(0.4, 0.35, 0.25)) -> "Body":
        """Distribute trunk flexion / lateral bend (left) / twist (left) over spine1..3."""
        for name, w in zip(("spine1", "spine2", "spine3"), weights):
            self.add(name, w * np.asarray(flex), w * np.asarray(bend), w * np.asarray(twist))
        return self

    def get(self, joint: str) -> np.ndarray:
        """(T, 3) anatomical angles (deg) of ``joint`` (SMPL name): a view, so editing it edits the track."""
        return self.angles[:, _J[joint]]

    # -- base postures -------------------------------------------------------------------------
    def stand(self, sway: float = 1.0) -> "Body":
        """Relaxed upright stance with postural sway (0.1-0.5 Hz, ~1 cm) and arms hanging."""
        c = self.ctx
        knee = c.uniform("stand_knee", 1.0, 6.0)
        self.both("knee", knee)
        self.both("hip", knee / 2)
        self.both("ankle", knee / 2)
        self.both("shoulder", 0.0, c.uniform("arm_abd", 3.0, 9.0))
        self.both("elbow", c.uniform("elbow_rest", 6.0, 18.0))
        self.both("hip", 0.0, c.uniform("stance_width", 1.0, 6.0))
        self.trans[:, 1] -= leg_drop(c.skeleton, knee)
        self.root[:, 1] += sway * 0.8 * c.noise(0.3)
        self.root[:, 2] += sway * 0.6 * c.noise(0.3)
        self.trans[:, [0, 2]] += sway * 0.008 * c.noise(0.3, (2,))
        return self

    def sit(self, lean: float | None = None) -> "Body":
        """Seated on a chair: thighs level, knees ~90 deg, feet flat; trunk lean from the style."""
        c = self.ctx
        hip = c.uniform("sit_hip", 80.0, 95.0)
        knee = c.uniform("sit_knee", 75.0, 100.0)
        self.both("hip", hip, c.uniform("sit_abd", 3.0, 12.0))
        self.both("knee", knee)
        self.both("ankle", knee - hip)  # shank vertical-ish when knee ~ hip flexion
        lean = c.uniform("sit_lean", -5.0, 15.0) if lean is None else lean
        self.lean(lean * 0.4)
        self.spine(flex=lean * 0.6)
        self.both("shoulder", 15.0, 8.0)
        self.both("elbow", 50.0)
        self.trans[:, 1] = sitting_pelvis_height(c.skeleton)
        self.posture = "sitting"
        return self

    def lean(self, pitch, roll=0.0) -> "Body":
        """Tilt the pelvis forward by ``pitch`` (and to the left by ``roll``) deg, legs keeping their direction."""
        self.root[:, 1] += pitch
        self.root[:, 2] += roll
        self.both("hip", pitch)
        self.add("left_hip", 0.0, roll)
        self.add("right_hip", 0.0, -np.asarray(roll))
        return self

    def ground(self, smooth_hz: float = 4.0, lowest: float = 0.0) -> "Body":
        """Lift or lower the pelvis so the lowest heel/ball/knee point is at height ``lowest`` (m)."""
        y_rel = self.contact_heights()
        target = self.trans[:, 1] - y_rel + lowest
        sigma = self.ctx.fps / (2 * np.pi * smooth_hz)
        self.trans[:, 1] = gaussian_filter1d(target, sigma, mode="nearest") if sigma > 0.3 else target
        return self

    def contact_heights(self) -> np.ndarray:
        """(T,) height of the lowest contact point above the floor for the current track."""
        sk = self.ctx.skeleton
        joints = [_J[n] for n in ("left_ankle", "right_ankle", "left_foot", "right_foot", "left_knee", "right_knee")]
        poses = anatomical_to_local(self.angles, self.root)
        _, pos = forward_kinematics(poses, self.trans, sk, joints)
        h_ankle = WINTER["ankle_height"] * sk.stature
        h_ball = 0.012 * sk.stature
        y = np.stack([pos[:, 0, 1] - h_ankle, pos[:, 1, 1] - h_ankle, pos[:, 2, 1] - h_ball, pos[:, 3, 1] - h_ball,
                      pos[:, 4, 1] - KNEE_RADIUS, pos[:, 5, 1] - KNEE_RADIUS], axis=1)
        return y.min(axis=1)

    # -- output --------------------------------------------------------------------------------
    def to_clip(self, labels: np.ndarray | None = None, source: str = "procedural") -> MotionClip:
        """The track as a :class:`MotionClip`: SMPL local axis-angle poses (rad), root translation (m), ctx fps."""
        poses = anatomical_to_local(self.angles, self.root)
        return MotionClip(poses=poses, trans=self.trans.copy(), fps=self.ctx.fps, labels=labels,
                          subject=self.ctx.subject.as_dict(), source=source)


def sitting_pelvis_height(skeleton: Skeleton) -> float:
    """Pelvis height (m) when seated with level thighs, vertical shanks and flat feet."""
    hip_drop = -skeleton.offsets[_J["left_hip"], 1]
    shank = skeleton.bone_lengths[_J["left_ankle"]]
    return float(hip_drop + shank + WINTER["ankle_height"] * skeleton.stature)


def heading_path(ctx: MotionContext, speed: np.ndarray | float, turn_sd_deg: float = 12.0,
                 cutoff_hz: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """A wandering path: heading (deg, (T,)) and horizontal displacement (T, 2) (x, z) for a forward speed."""
    heading = turn_sd_deg * ctx.noise(cutoff_hz)
    speed = np.broadcast_to(np.asarray(speed, dtype=np.float64), (ctx.n,))
    h = np.radians(heading)
    step = speed / ctx.fps
    dx = np.concatenate([[0.0], np.cumsum((step * np.sin(h))[:-1])])
    dz = np.concatenate([[0.0], np.cumsum((step * np.cos(h))[:-1])])
    return heading, np.stack([dx, dz], axis=1)


def local_to_world_xz(heading_deg: np.ndarray, lateral: np.ndarray, forward: np.ndarray) -> np.ndarray:
    """(T, 2) world (x, z) of a displacement given in the body's (left, forward) frame."""
    h = np.radians(heading_deg)
    x = lateral * np.cos(h) + forward * np.sin(h)
    z = -lateral * np.sin(h) + forward * np.cos(h)
    return np.stack([x, z], axis=1)
