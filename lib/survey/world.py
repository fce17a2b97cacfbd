"""The transfer lab's world: one set of motions seen as video-derived pose (source) and as IMU (target).

Every window is one procedural motion of the shared body model (:mod:`lib.body.motions`) by one
subject; it is observed three ways:

* **pose** (the label-rich source, as a video pipeline would give it): 3-D positions of the
  :data:`POSE_JOINTS` (16 joints, H36M-like) with *pose-estimation error* (:class:`PoseNoise`):
  per-frame jitter, a slowly wandering error that is larger along the camera's depth axis (monocular
  lifting is least certain in depth) — partly shared by the whole body (the depth/scale ambiguity
  moves every joint together) and partly per joint — and occlusions during which a joint's estimate
  freezes relative to the root and drifts, then blends back to the track over 0.2 s when re-acquired.
  Monocular 3-D pose estimators err by a few centimetres per joint after root alignment; the defaults
  (10 mm jitter, 25 mm per-joint depth, 10 mm in-plane: about 35 mm per joint, plus 80 mm shared
  depth) are model choices of that order. Sampled at the video rate
  (30 fps). The classifier sees root-relative positions in a heading-normalised body frame plus the
  root's displacement from the window's first frame (9 + 3·16 = 51 channels).
* **imu** (the label-poor target, a *real* sensor): the shared virtual IMU (:class:`lib.body.imu.VirtualIMU`)
  on the true motion at 60 Hz, left wrist (forearm segment) and right thigh (P4's sites), specific
  force with gravity in the sensor frame plus the gyroscope, passed through the shared sim-to-real
  sensor model (:class:`lib.body.sensors.SensorModel`, consumer-MEMS preset: noise, bias and drift,
  scale and axis misalignment, mounting rotation, soft-tissue wobble, jitter, saturation, dropouts)
  and resampled to 30 Hz: 2 × (3 + 3) = 12 channels.
* **virtual** (instance-based transfer, IMUTube-style): the IMU computed *from the estimated pose*
  (:func:`lib.survey.instance.pose_to_imu`), i.e. what a video → IMU pipeline can make without any
  IMU hardware; plus **virtual_clean**, the same pipeline on the true joints (no pose error, no sensor
  model), to split the simulation gap into its parts.

Splits (disjoint subjects): ``source`` (labelled pose; its virtual IMU), ``paired`` (unlabelled
pose + IMU recorded together — needs no annotation, survey §4), ``target`` (the pool from which
k labelled IMU windows per class are drawn; pose recorded too, for fusion) and ``test``.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy.spatial.transform import Rotation

from lib.body.imu import VirtualIMU, resample_imu
from lib.body.kinematics import joint_positions
from lib.body.motions import generate
from lib.body.sensors import SensorModel
from lib.body.skeleton import JOINT_INDEX, sample_subject
from lib.body.waveforms import min_jerk, smooth_noise
from lib.survey.instance import pose_to_imu
from lib.survey.sensors import LAB_SITES, imu_features

#: The lab's activities: locomotion, arm gestures, exercise and household tasks whose wrist/thigh
#: signatures overlap in pairs (walking/stairs_up, clapping/waving, boxing/wiping).
LAB_ACTIVITIES = ("walking", "jogging", "stairs_up", "clapping", "waving", "boxing", "wiping", "stretching_arms")

#: The joints a video pose estimator returns (H36M-like subset of SMPL's 24).
POSE_JOINTS = ("pelvis", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
               "spine3", "neck", "head", "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
               "left_wrist", "right_wrist")
POSE_INDEX = tuple(JOINT_INDEX[name] for name in POSE_JOINTS)

SPLITS = ("source", "paired", "target", "test")
SENSOR_PRESETS = ("consumer", "research", "pocket", "ideal")


@dataclass(frozen=True)
class PoseNoise:
    """Monocular 3-D pose-estimation error, metres (module docstring); ``scale`` multiplies all of it."""

    jitter_m: float = 0.01           # white, per joint, per frame, per axis
    depth_m: float = 0.025           # slow error along the camera axis, per joint
    plane_m: float = 0.01            # slow error in the image plane, per joint
    body_depth_m: float = 0.08       # slow error along the camera axis shared by all joints (scale/depth ambiguity)
    drift_hz: float = 0.7            # band of the slow errors
    occlusion_p: float = 0.15        # probability per joint and window of an occluded stretch
    occlusion_s: tuple = (0.3, 1.0)  # its duration range, seconds
    scale: float = 1.0

    def __post_init__(self) -> None:
        for name in ("jitter_m", "depth_m", "plane_m", "body_depth_m", "scale"):
            if getattr(self, name) < 0:
                raise ValueError(f"PoseNoise.{name}={getattr(self, name)} must be >= 0 (metres / factor)")
        if not 0 <= self.occlusion_p <= 1:
            raise ValueError(f"PoseNoise.occlusion_p={self.occlusion_p} must lie in [0, 1]")

    def apply(self, joints: np.ndarray, fps: float, rng: np.random.Generator) -> np.ndarray:
        """(T, J, 3) true joint positions (Y-up world) -> estimated positions, same shape."""
        T, J, _ = joints.shape
        if self.scale == 0:
            return joints.copy()
        yaw = rng.uniform(0, 2 * np.pi)  # camera azimuth: its depth axis in the horizontal plane
        depth_axis = np.array([np.sin(yaw), 0.0, np.cos(yaw)])
        slow = smooth_noise(rng, T, fps, self.drift_hz, (J, 3))
        slow_plane = self.plane_m * (slow - np.einsum("tjk,k->tj", slow, depth_axis)[..., None] * depth_axis)
        slow_depth = self.depth_m * smooth_noise(rng, T, fps, self.drift_hz, (J, 1)) * depth_axis
        slow_depth = slow_depth + self.body_depth_m * smooth_noise(rng, T, fps, self.drift_hz, (1, 1)) * depth_axis
        out = joints + self.scale * (slow_plane + slow_depth + self.jitter_m * rng.standard_normal((T, J, 3)))
        occluded = rng.random(J) < self.occlusion_p
        occluded[0] = False  # the root's track comes from the person detector, not from one joint
        for j in np.flatnonzero(occluded):
            length = int(round(rng.uniform(*self.occlusion_s) * fps))
            start = int(rng.integers(0, max(T - length, 1)))
            stop = min(start + length, T)
            # the joint's position *relative to the root* freezes (and drifts): the body keeps moving
            offset = out[start, j] - out[start, 0]
            drift = self.scale * 0.03 * np.cumsum(rng.standard_normal((stop - start, 3)), 0) / np.sqrt(fps)
            frozen = out[start:stop, 0] + offset + drift
            hold = np.ones(stop - start)  # re-acquisition blends back to the track over 0.2 s (no jump)
            n_blend = min(int(round(0.2 * fps)), stop - start)
            hold[len(hold) - n_blend:] = 1.0 - min_jerk(np.linspace(0.0, 1.0, n_blend))
            out[start:stop, j] = hold[:, None] * frozen + (1.0 - hold[:, None]) * out[start:stop, j]
        return out


@dataclass(frozen=True)
class LabConfig:
    """Everything that defines the lab's world. ``sensor`` holds field overrides of the sim-to-real
    sensor model (``None`` = the preset's values); ``sensor_preset="ideal"`` switches it off."""

    activities: tuple = LAB_ACTIVITIES
    window_s: float = 2.0
    video_fps: float = 30.0
    imu_fps: float = 60.0
    input_fps: float = 30.0
    pose_noise: PoseNoise = field(default_factory=PoseNoise)
    lowpass_hz: float = 4.0          # IMUTube-style smoothing of the pose before differentiation
    sensor_preset: str = "consumer"  # lib.body.sensors.SensorModel preset: consumer | research | pocket | ideal
    sensor: dict | None = None
    subjects: dict = field(default_factory=lambda: {"source": 16, "paired": 8, "target": 6, "test": 6})

    def __post_init__(self) -> None:
        if len(self.activities) < 2:
            raise ValueError(f"LabConfig.activities needs at least 2 classes; got {self.activities!r}")
        if self.window_s <= 0.5:
            raise ValueError(f"LabConfig.window_s={self.window_s} s is too short; use >= 1 s")
        if self.sensor_preset not in SENSOR_PRESETS:
            raise ValueError(f"LabConfig.sensor_preset={self.sensor_preset!r} is unknown; use one of {SENSOR_PRESETS}")
        if set(self.subjects) != set(SPLITS) or min(self.subjects.values()) < 1:
            raise ValueError(f"LabConfig.subjects must give >= 1 subject for each of {SPLITS}; got {self.subjects}")

    @property
    def n_frames(self) -> int:
        """Frames per window at the input rate: ``window_s`` seconds × ``input_fps``."""
        return int(round(self.window_s * self.input_fps))

    def as_params(self) -> dict:
        """The configuration as plain data (field -> value), as the world cache key and results record it."""
        return asdict(self)


# --------------------------------------------------------------------------- views of one motion

def pose_features(joints: np.ndarray) -> np.ndarray:
    """(T, 16, 3) pose -> (T, 51): heading-normalised root-relative joints + root displacement, metres.

    The heading is the mean direction of the hip line over the window (so the classifier does not
    see the camera or the walking direction)."""
    hips = joints[:, POSE_JOINTS.index("left_hip")] - joints[:, POSE_JOINTS.index("right_hip")]
    lateral = hips.mean(0)
    yaw = np.arctan2(lateral[2], lateral[0])  # angle of the hip line from +x, about Y
    turn = Rotation.from_euler("y", yaw)  # rotates the hip line back onto +x
    root = joints[:, :1]
    rel = turn.apply((joints - root).reshape(-1, 3)).reshape(joints.shape)
    disp = turn.apply(root[:, 0] - root[0, 0])
    return np.concatenate([disp, rel.reshape(len(joints), -1)], axis=1)


def _crop(x: np.ndarray, n: int) -> np.ndarray:
    start = (len(x) - n) // 2
    return x[start:start + n]


def simulate_window(activity: str, subject, config: LabConfig, rng: np.random.Generator,
                    sensor_model=None) -> dict:
    """One window of ``activity`` by ``subject``: pose (L, 51), imu (L, 12), virtual (L, 12), virtual_clean (L, 12)."""

    pad_s = 0.5
    clip = generate(activity, config.window_s + 2 * pad_s, fps=config.imu_fps, subject=subject, rng=rng)
    skeleton = subject.skeleton()
    n = config.n_frames
    # the real sensor, at the IMU rate, then the input rate
    imu = VirtualIMU(sites=LAB_SITES, acc_frame="sensor", gravity=True, gyro=True)(clip, skeleton)
    if sensor_model is not None:
        imu = sensor_model(imu, rng)
    imu = resample_imu(imu, config.input_fps)
    # the video: true joints at the video rate
    step = config.imu_fps / config.video_fps
    if abs(step - round(step)) > 1e-9:
        raise ValueError(f"LabConfig: imu_fps={config.imu_fps} must be an integer multiple of video_fps={config.video_fps}")
    joints = joint_positions(clip, skeleton)[::int(round(step))][:, POSE_INDEX]
    estimated = config.pose_noise.apply(joints, config.video_fps, rng)
    virtual = pose_to_imu(estimated, config.video_fps, lowpass_hz=config.lowpass_hz)
    clean = pose_to_imu(joints, config.video_fps, lowpass_hz=None)
    if abs(config.video_fps - config.input_fps) > 1e-9:
        raise ValueError("LabConfig: video_fps must equal input_fps (the pose is not resampled)")
    return {"pose": _crop(pose_features(estimated), n), "imu": _crop(imu_features(imu.acc, imu.gyro), n),
            "virtual": _crop(virtual, n), "virtual_clean": _crop(clean, n)}


def default_sensor_model(config: LabConfig):
    """The shared sim-to-real sensor model (:class:`lib.body.sensors.SensorModel`, preset
    ``config.sensor_preset`` with ``config.sensor`` field overrides), called as ``model(imu, rng)``."""
    from dataclasses import replace


    unknown = set(config.sensor or {}) - set(SensorModel.__dataclass_fields__)
    if unknown:
        raise ValueError(f"LabConfig.sensor has unknown SensorModel field(s) {sorted(unknown)}; "
                         f"known: {sorted(SensorModel.__dataclass_fields__)}")
    return replace(getattr(SensorModel, config.sensor_preset)(), **(config.sensor or {}))


def simulate_split(config: LabConfig, n_per_class: int, n_subjects: int, rng: np.random.Generator,
                   sensor_model=None) -> dict[str, np.ndarray]:
    """``n_per_class`` windows of every activity from ``n_subjects`` new subjects (round-robin).

    Returns arrays pose (N, 51, L), imu / virtual / virtual_clean (N, 12, L) float32 (channels first),
    y (N,) int64 class index into ``config.activities``, subject (N,) int64."""
    if n_per_class < 1:
        raise ValueError(f"n_per_class={n_per_class} must be >= 1")
    subjects = [sample_subject(rng, id=f"s{i}") for i in range(n_subjects)]
    views: dict[str, list] = {"pose": [], "imu": [], "virtual": [], "virtual_clean": []}
    ys, who = [], []
    for c, activity in enumerate(config.activities):
        for i in range(n_per_class):
            s = (i + c) % n_subjects
            window = simulate_window(activity, subjects[s], config, rng, sensor_model)
            for key in views:
                views[key].append(window[key].T)
            ys.append(c)
            who.append(s)
    out = {key: np.stack(v).astype(np.float32) for key, v in views.items()}
    out["y"] = np.asarray(ys, dtype=np.int64)
    out["subject"] = np.asarray(who, dtype=np.int64)
    return out


@contextmanager
def torch_threads(n: int = 1):
    """Run a block with ``n`` torch intra-op threads, then restore the previous number.

    The lab's tensors are small (a window is 12 × 60 numbers): thread start-up and, on a shared
    machine, contention cost far more than the parallelism gains (measured: 2 threads were 10-60x
    slower than 1 on a loaded 2-core machine)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def make_world(config: LabConfig, sizes: dict, seed: int) -> dict[str, np.ndarray]:
    """All four splits as one flat dict ``"<split>/<view>" -> array`` (ready for :func:`lib.repro.cached`).

    sizes: windows per class for each split, e.g. ``{"source": 40, "paired": 40, "target": 20, "test": 30}``."""
    if set(sizes) != set(SPLITS):
        raise ValueError(f"make_world(sizes=...) needs windows per class for each of {SPLITS}; got {sorted(sizes)}")
    rng = np.random.default_rng(seed)
    sensor_model = default_sensor_model(config)
    world = {}
    with torch_threads(1):
        for split in SPLITS:
            part = simulate_split(config, int(sizes[split]), config.subjects[split], rng, sensor_model)
            world.update({f"{split}/{key}": value for key, value in part.items()})
    return world


def split(world: dict, name: str) -> dict[str, np.ndarray]:
    """The arrays of one split: ``split(world, "test")["imu"]``."""
    if name not in SPLITS:
        raise ValueError(f"split(name={name!r}) is unknown; use one of {SPLITS}")
    prefix = name + "/"
    return {k[len(prefix):]: v for k, v in world.items() if k.startswith(prefix)}


def world_cache_params(config: LabConfig, sizes: dict, seed: int) -> dict:
    """The parameters that key a cached world: the config, the sizes, the seed and a digest of the
    simulator's source (``lib/body`` and this package's world/instance modules), so that a change to
    the body model rebuilds the cache instead of serving stale windows."""
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted((root / "body").glob("*.py")) + [root / "survey" / "world.py", root / "survey" / "instance.py"]:
        digest.update(path.read_bytes())
    return {"config": config.as_params(), "sizes": dict(sizes), "seed": int(seed), "source": digest.hexdigest()[:16]}
