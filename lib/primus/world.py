"""The synthetic egocentric world of P2: head-IMU segments with frozen "video" and "text" embeddings.

What PRIMUS pretrains on is EgoExo4D: ≈ 250K five-second segments of aligned (head IMU, egocentric
video, narration) from recordings ("takes") of eight skilled activities (paper §II, Table I). This
module builds the same structure from the shared body model (:mod:`lib.body`):

1. **Takes.** A subject (:func:`lib.body.skeleton.sample_subject`) performs a scenario
   (:mod:`lib.primus.scenarios`): atomic activities drawn from the scenario's mixture, 6–20 s each,
   chained by :func:`lib.body.motions.generate_sequence` (cross-fades, sit/stand bridges), in one
   scene. Scenario frequencies in the pretraining corpus follow EgoExo4D's take counts per class (PRIMUS
   reference code, Nokia-Bell-Labs/pretrained-imu-encoders, scripts/construct_egoexo_labels.py:
   302 / 364 / 1402 / 1216 / 98 / 680 / 728 / 280), so the corpus is unbalanced as the real one is.
2. **IMU.** The head-worn device (:data:`DEVICES`) is a :class:`lib.body.imu.SensorSite`; the
   virtual IMU (:class:`lib.body.imu.VirtualIMU`) gives what an accelerometer measures (specific
   force in the sensor frame, gravity included, m/s²) and the gyroscope's body rate (rad/s) at 50 Hz,
   and the device's sim-to-real model (:class:`lib.body.sensors.SensorModel`: mounting rotation,
   soft-tissue/strap wobble, jitter, scale, misalignment, bias, noise, quantisation) turns them into a
   recording — per-unit draws fixed per wearer, per-session draws per take. A take is cut into
   contiguous 5-s windows → (6, 250) = acc xyz, gyro xyz (the reference's window,
   dataset/egoexo4d/utils/utils.py).
3. **Video** (:class:`lib.primus.frozen.FrozenVideoEncoder`): ten frames per window (2 fps) of
   whole-body pose and joint velocities from forward kinematics, plus the take's **scene context**
   (a vector for the place, one for the scenario's objects — a bike, a mannequin, a guitar — and a
   per-take instance perturbation: another kitchen, another light).
4. **Text** (:class:`lib.primus.frozen.FrozenTextEncoder`): the narration of the window's dominant
   atomic activity from the body library's templates ("#C C stirs the pot on the stove."), cleaned as
   the reference cleans EgoExo4D narrations (the "#C C " prefix removed; dataset/egoexo4d/dataloader.py).

Downstream tasks (Table I) are generated the same way with **new subjects**, split by subject
(train subjects ≠ test subjects), without video/text.

**The REALWORLD-like task and its device.** The paper (§III-A): REALWORLD "is a human activity
recognition dataset with 8 predefined classes, that contain data captured by various Samsung Galaxy-S4
and LG G-Watch-R placed at different positions on the body. For our analysis, we use the data from the
head-placed sensor. We adopted the well-established user-based dataset-splitting strategy [...] This
dataset also evaluates the out-of-domain performance of our pretrained models since both the set of
activities and device type are different from EgoExo4D." REALWORLD itself (Sztyler & Stuckenschmidt,
PerCom 2016: 15 subjects, 8 activities, 7 body positions, a phone or watch at each; the dataset page
gives 50 Hz) recorded the head with a smartphone. Item by item:

==========================  ==================================================  ========================================
REALWORLD (paper, dataset)  stand-in (task "realworld", device "head_phone")    match / departure
==========================  ==================================================  ========================================
8 classes (Table I)         lib.primus.scenarios.LOCOMOTION, one activity per   matches
                            take, as REALWORLD recorded them
user-based split            train subjects ≠ test subjects                      matches
15 subjects; 8.3K / 2.6K    quick 6 + 4, full 16 + 8 subjects; full 520 + 150   departs (sizes: WorldConfig)
windows                     windows per class
device: Galaxy S4 phone     MPU-6500-class consumer IMU (the part Samsung       matches the class; the S4's exact part
                            handsets list as "MPU6500"): 3× the glasses'        and settings are not published
                            accelerometer noise density, 2× the gyroscope's;
                            ±4 g, ±2000 °/s, 16 bit
position: head              side of the head over the left temple               ours (our sources do not say where on
                            (lib.body.imu.HEAD_SIDE_PHONE), not the glasses'    the head)
                            eye-level site in front of the head
frame: Android              x right of the screen, y up, z out of the screen;   matches Android's convention; the
                            m/s² with gravity, rad/s. On this mount x =         phone's orientation on the head is ours
                            backward, y = up, z = left
mounting                    per wearer (SD 10°, fixed for a subject) ∘ per      ours (a strap, re-fitted per recording)
                            session (SD 10°); glasses 3° per session
strap                       10 Hz, ζ 0.3 wobble (glasses 20 Hz, ζ 0.45)         ours (a ~130 g phone on a band)
sampling: ~50 Hz, Android   chip at 200 Hz with a 98 Hz on-chip low-pass, read  chip rate ours, filter from the driver
                            at 50 Hz without anti-alias filter (sample-and-     rule (head_phone_sensor); glasses: 1 kHz
                            hold: 0-5 ms delay, repeated samples, noise folded  IMU resampled with an anti-alias filter
                            in), 0.4 ms scheduling jitter                       (torchaudio, in the PRIMUS reference
                                                                                code's EgoExo4D loader), noise
                                                                                band-limited to 25 Hz
timestamps                  the 250 samples are taken as 5 s at 50 Hz           ours (the PRIMUS REALWORLD loader is not
                                                                                in the public reference code)
==========================  ==================================================  ========================================

Not simulated: the LG watch and the other six positions (PRIMUS uses the head only), dropped packets,
an actual event rate that differs from the one asked for (Android treats it as a hint), and impact
transients above 25 Hz that an unfiltered 50 Hz read would also fold into the band (the motion library
runs at 50 Hz, so only the sensor noise is folded). Each parameter and its source is listed in
:func:`head_phone_sensor`. The frame difference between the devices is a rotation (about the vertical:
the phone's x/z are the glasses' −z/x), as it would be for a real phone on the side of the head; the
scaling and time-reversal augmentations of L_SS do not undo it, so the paper's "SS helps most out of
domain" is tested here, not built in.

Sizes (:class:`WorldConfig`; the notebooks' presets are in :data:`lib.primus.spec.PRESETS`): full
mode 2,500 pretraining segments (paper: ≈ 250K; the CPU budget of 3 pretraining seeds x 14 runs x 15–30
epochs) and 520 training
+ 150 test windows per class per task; quick mode 1,200 segments and 30 + 20 windows per class. Everything flows from one world
seed (subjects, motions, scenes, frozen networks) through ``numpy.random.SeedSequence`` children per
take, so results do not depend on how many worker processes generate the takes.
"""

from __future__ import annotations

import math
import os
import zlib
from dataclasses import asdict, dataclass, replace

import numpy as np

from lib.body.activities import ACTIVITY_NAMES, narrate
from lib.body.imu import HEAD_SIDE_PHONE, P2_HEAD, SensorSite, VirtualIMU
from lib.body.kinematics import forward_kinematics
from lib.body.motions import generate_sequence
from lib.body.sensors import G0, SensorModel, realistic
from lib.body.skeleton import Subject, sample_subject
from lib.primus.frozen import FrozenTextEncoder, FrozenVideoEncoder
from lib.primus.scenarios import PRETRAINING, TASKS, Scenario, Task, check_activities
from lib.repro import cached, params_hash

WORLD_VERSION = "4"
FPS = 50.0  # Hz (PRIMUS resamples IMU to 50 Hz: imu_sampling_rate in the reference code's pretraining config)
WINDOW = 250  # samples = 5 s
VIDEO_FRAMES = 10  # frames per window seen by the video stand-in (2 fps)
SCENE_DIM = 32
MOTION_DIM = 23 * 3 + 24 * 3 + 1
#: EgoExo4D take counts per skilled scenario (PRIMUS reference code, scripts/construct_egoexo_labels.py), the
#: pretraining mixture.
EGOEXO_TAKES = (302, 364, 1402, 1216, 98, 680, 728, 280)


@dataclass(frozen=True)
class Device:
    """A head-worn IMU: where it sits (nominal site and mount) and its sim-to-real sensor model."""

    name: str
    site: SensorSite
    sensor: SensorModel
    description: str = ""


def head_phone_sensor() -> SensorModel:
    """The sensor model of REALWORLD's head phone (a Galaxy-S4-like Android phone on a head strap).

    ======================  =====================  ==================================================================
    parameter               value                  source
    ======================  =====================  ==================================================================
    acc_noise_density       300 µg/√Hz             InvenSense MPU-6500 product specification (PS-MPU-6500A-01):
                                                   accelerometer noise power spectral density, low-noise mode
    gyro_noise_density      0.01 °/s/√Hz           MPU-6500 spec: gyroscope rate noise spectral density
    acc_range, bits         ±4 g, 16 bit           the Android sensor list of a later Samsung phone (Galaxy S6,
                                                   SM-G920S): "MPU6500 Acceleration Sensor", maximum range
                                                   39.2266 m/s², resolution 0.0011971 m/s² (= 39.2266/2¹⁵); that
                                                   the S4's stack used the same setting is ours
    gyro_range              ±2000 °/s              same sensor list: "MPU6500 Gyroscope Sensor", 34.906586 rad/s
    scale_sd                1.5 %                  MPU-6500 spec: sensitivity initial tolerance ±3 %, read as ±2σ
    misalignment_sd         1 %                    MPU-6500 spec: cross-axis sensitivity ±2 %, read as ±2σ
    acc_bias_sd             30 mg                  MPU-6500 spec: zero-g initial tolerance ±60 mg (x, y), read as ±2σ
    gyro_bias_sd            0.5 °/s                ours: Android's TYPE_GYROSCOPE is calibrated and compensated in use
                                                   (Android CDD §7.3.4), so the chip's raw zero-rate offset is mostly
                                                   removed; the residual is the :meth:`SensorModel.consumer` default
    *_bias_walk             consumer defaults      ours (5-s windows: a minor term)
    internal_rate_hz        200 Hz                 that sensor list gives the MPU6500 a minimum delay of 5000 µs
                                                   (200 Hz); that the chip runs at this rate while the app reads
                                                   50 Hz is ours (the phone's stack serves fusion and other clients)
    internal_lpf_hz         98 Hz                  InvenSense's Linux/Android driver (``inv_set_lpf``) sets the chip's
                                                   low-pass to the largest of 188/98/42/20/10/5 Hz not above half
                                                   the chip rate: 98 Hz at 200 Hz. No filter at the app's 50 Hz, so
                                                   noise up to ~98 Hz folds into 0-25 Hz (σ ×2.1 vs a 25 Hz band)
    jitter_sd_s             0.4 ms                 Android CDD: continuous sensors SHOULD have jitter below 3 % of the
                                                   period (SD of consecutive timestamp differences): 0.6 ms at 50 Hz,
                                                   0.6/√2 ≈ 0.4 ms per read
    wobble_hz, damping      10 Hz, ζ 0.3           ours: low end of the 10-20 Hz soft-tissue range of
                                                   :mod:`lib.body.sensors`, as a ~130 g phone on an elastic band is
                                                   heavier than a skin-mounted IMU (f_n ∝ √(k/m))
    mount_unit_sd_deg       10°                    ours: how each wearer's head shape and habit seat the strap
    mount_sd_deg            10°                    ours: re-strapped for each recording (total ≈ 14°)
    dropout_rate_hz         0                      ours: lost samples are not modelled
    ======================  =====================  ==================================================================

    Frame and units follow Android's ``SensorEvent`` (x right, y up, z out of the screen; acceleration in
    m/s² including gravity, angular rate in rad/s); the mount is :data:`lib.body.imu.HEAD_SIDE_PHONE`.
    """
    return replace(SensorModel.consumer(),
                   acc_noise_density=300e-6 * G0, gyro_noise_density=math.radians(0.01),
                   acc_range=4 * G0, gyro_range=math.radians(2000.0), bits=16,
                   scale_sd=0.015, misalignment_sd=0.01, acc_bias_sd=0.03 * G0, gyro_bias_sd=math.radians(0.5),
                   internal_rate_hz=200.0, internal_lpf_hz=98.0, jitter_sd_s=0.0004,
                   wobble_hz=10.0, wobble_damping=0.3, mount_unit_sd_deg=10.0, mount_sd_deg=10.0,
                   dropout_rate_hz=0.0)


DEVICES = {
    # Aria-like glasses: a calibrated IMU on a rigid frame at eye height; mounting varies little; its 1 kHz IMU
    # reaches 50 Hz through an anti-alias resampler (torchaudio, in the PRIMUS reference code's EgoExo4D loader),
    # which the default sampling stage models
    "glasses": Device("glasses", P2_HEAD[0],
                      replace(SensorModel.research(), mount_sd_deg=3.0, dropout_rate_hz=0.0, wobble_hz=20.0),
                      "Aria-like glasses at eye height (lib.body.imu.P2_HEAD), research-grade IMU"),
    # REALWORLD-like: a Galaxy-S4-like phone strapped to the side of the head, Android frame, read at 50 Hz
    # without anti-alias filter (head_phone_sensor lists each parameter and its source)
    "head_phone": Device("head_phone", HEAD_SIDE_PHONE[0], head_phone_sensor(),
                         "an Android phone (MPU-6500-class IMU) strapped to the left side of the head, portrait, "
                         "screen out (lib.body.imu.HEAD_SIDE_PHONE), read at 50 Hz without anti-alias filter"),
}


@dataclass(frozen=True)
class WorldConfig:
    """Sizes and knobs of the world. ``seed`` is the world seed; the rest are counts and gains."""

    seed: int = 0
    n_pretrain: int = 50_000
    train_per_class: int = 520
    test_per_class: int = 150
    take_windows: tuple = (6, 12)  # windows per take, inclusive range
    n_pretrain_subjects: int = 120
    n_train_subjects: int = 16
    n_test_subjects: int = 8
    piece_seconds: tuple = (6.0, 20.0)
    motion_gain: float = 1.0
    scene_gain: float = 1.0
    instance_sigma: float = 0.5

    def __post_init__(self) -> None:
        for name in ("n_pretrain", "train_per_class", "test_per_class", "n_pretrain_subjects",
                     "n_train_subjects", "n_test_subjects"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"WorldConfig.{name}={getattr(self, name)!r} must be >= 1")
        lo, hi = self.take_windows
        if not 1 <= lo <= hi:
            raise ValueError(f"WorldConfig.take_windows={self.take_windows!r} must be (lo, hi) with 1 <= lo <= hi")

    def key(self, part: str) -> dict:
        """The cache parameters of one part ("pretraining" or a task name)."""
        return {"part": part, **asdict(self)}


def quick_config(seed: int = 0) -> WorldConfig:
    """A world small enough for quick mode (a few thousand segments)."""
    return WorldConfig(seed=seed, n_pretrain=1200, train_per_class=30, test_per_class=20, n_pretrain_subjects=24,
                       n_train_subjects=6, n_test_subjects=4)


# --------------------------------------------------------------------------- frozen encoders & scenes

def name_vector(name: str, seed: int, dim: int = SCENE_DIM) -> np.ndarray:
    """A fixed unit vector for a name (a place, a scenario's objects), drawn from the world seed."""
    v = np.random.default_rng([seed, 7, zlib.crc32(name.encode())]).normal(size=dim)
    return v / np.linalg.norm(v)


def scene_context(scene: str, scenario: str, seed: int, instance: np.ndarray, sigma: float) -> np.ndarray:
    """(SCENE_DIM,) the scene the video sees: place + scenario objects + a per-take instance, O(1) per coordinate."""
    ctx = name_vector(f"place:{scene}", seed) + name_vector(f"objects:{scenario}", seed) + sigma * instance
    return ctx * math.sqrt(SCENE_DIM / 2.0)


def motion_features(positions: np.ndarray, root_rot: np.ndarray, stature: float, dt: float) -> np.ndarray:
    """(F, MOTION_DIM) per-frame features the video stand-in sees.

    positions: (F, 24, 3) joint positions (m, Y up); root_rot: (F, 3, 3) pelvis orientation; dt: seconds
    between frames. Features: joints relative to the pelvis in the pelvis's heading frame (× 4 / stature),
    joint velocities in that frame (/ stature, m/s per m), pelvis height (× 2 / stature).
    """
    forward = root_rot[:, :, 2]  # body forward (+Z in the T-pose) in world
    yaw = np.arctan2(forward[:, 0], forward[:, 2])
    c, s = np.cos(-yaw), np.sin(-yaw)
    unyaw = np.zeros((len(yaw), 3, 3))
    unyaw[:, 0, 0], unyaw[:, 0, 2], unyaw[:, 1, 1], unyaw[:, 2, 0], unyaw[:, 2, 2] = c, s, 1.0, -s, c
    rel = np.einsum("fij,fkj->fki", unyaw, positions - positions[:, :1])[:, 1:] * (4.0 / stature)
    vel = np.gradient(positions, dt, axis=0) if len(positions) > 1 else np.zeros_like(positions)
    vel = np.einsum("fij,fkj->fki", unyaw, vel) / stature
    height = positions[:, 0, 1:2] * (2.0 / stature)
    return np.concatenate([rel.reshape(len(yaw), -1), vel.reshape(len(yaw), -1), height], axis=1)


def frozen_encoders(config: WorldConfig) -> tuple[FrozenVideoEncoder, FrozenTextEncoder]:
    """The world's fixed random video and text stand-ins (512-d outputs), seeded by ``config.seed``."""
    return (FrozenVideoEncoder(MOTION_DIM, SCENE_DIM, config.seed, motion_gain=config.motion_gain,
                               scene_gain=config.scene_gain),
            FrozenTextEncoder(config.seed))


def clean_narration(text: str) -> str:
    """EgoExo4D/Ego4D-style cleaning (as in the PRIMUS reference code): drop the "#C C " prefix, strip, lower-case."""
    return text.replace("#C C ", "").strip().lower()


# --------------------------------------------------------------------------- takes

@dataclass
class TakeJob:
    """Everything one worker needs to render a take."""

    seed: tuple  # SeedSequence entropy
    scenario: Scenario
    scenario_id: int
    subject: Subject
    subject_id: int
    take_id: int
    n_windows: int
    device: Device
    with_video: bool
    world_seed: int
    piece_seconds: tuple = (6.0, 20.0)
    instance_sigma: float = 0.5


def _plan_pieces(rng: np.random.Generator, scenario: Scenario, total_s: float, piece_s: tuple) -> tuple[list, list]:
    names, probs = zip(*scenario.resolved())
    probs = np.asarray(probs) / np.sum(probs)
    acts, durs, covered = [], [], 0.0
    while covered < total_s:
        options = [i for i in range(len(names)) if not acts or names[i] != acts[-1]] or list(range(len(names)))
        p = probs[options] / probs[options].sum()
        acts.append(names[options[int(rng.choice(len(options), p=p))]])
        durs.append(float(rng.uniform(*piece_s)))
        covered += durs[-1] - 1.0  # cross-fades eat about a second per join
    return acts, durs


@dataclass
class TakeRecording:
    """A simulated take before it is cut: the motion, the body, the device's (6, T) signal, the scene."""

    clip: object
    skeleton: object
    signal: np.ndarray
    scene: str
    activities: list
    rng: np.random.Generator


def simulate_take(job: TakeJob) -> TakeRecording:
    """Motion of the take (body model), the head device's IMU recording (virtual IMU + sensor model)."""
    rng = np.random.default_rng(np.random.SeedSequence(job.seed))
    scene = job.scenario.scenes[int(rng.integers(len(job.scenario.scenes)))]
    total = job.n_windows * WINDOW / FPS + 2.0
    acts, durs = _plan_pieces(rng, job.scenario, total, job.piece_seconds)
    clip = generate_sequence(acts, durs, fps=FPS, subject=job.subject, rng=rng, scene=scene)
    skeleton = job.subject.skeleton()
    clean = VirtualIMU(sites=(job.device.site,), acc_frame="sensor", gravity=True)(clip, skeleton)
    unit_rng = np.random.default_rng([job.world_seed, 31, zlib.crc32(f"{job.subject.id}:{job.device.name}".encode())])
    imu = realistic(clean, unit_rng, rng, job.device.sensor)  # the person's/unit's draws, then this session's
    signal = np.concatenate([imu.acc[:, 0], imu.gyro[:, 0]], axis=1).T  # (6, T)
    return TakeRecording(clip, skeleton, signal, scene, acts, rng)


def render_take(job: TakeJob) -> dict:
    """One take → its windows: imu (n, 6, 250) float32, video frames/scene (if asked), narrations, labels."""
    rec = simulate_take(job)
    clip, skeleton, signal, scene, rng = rec.clip, rec.skeleton, rec.signal, rec.scene, rec.rng
    n_fit = (clip.n_frames - int(FPS)) // WINDOW
    n = min(job.n_windows, n_fit)
    start0 = int(rng.integers(0, clip.n_frames - n * WINDOW + 1))
    starts = start0 + WINDOW * np.arange(n)
    windows = np.stack([signal[:, s:s + WINDOW] for s in starts]).astype(np.float32)
    labels = clip.labels
    dominant = np.array([np.bincount(labels[s:s + WINDOW], minlength=len(ACTIVITY_NAMES)).argmax() for s in starts])
    out = {"imu": windows, "scenario": np.full(n, job.scenario_id), "activity": dominant,
           "subject": np.full(n, job.subject_id), "take": np.full(n, job.take_id), "start": starts}
    if job.with_video:
        out["narration"] = np.array([clean_narration(narrate(ACTIVITY_NAMES[a], rng, scene=scene)) for a in dominant])
        frames = (starts[:, None] + np.linspace(0, WINDOW - 1, VIDEO_FRAMES).round().astype(int)[None, :]).ravel()
        rot, pos = forward_kinematics(clip.poses[frames], clip.trans[frames], skeleton)
        pos, root = pos.reshape(n, VIDEO_FRAMES, 24, 3), rot[:, 0].reshape(n, VIDEO_FRAMES, 3, 3)
        dt = (WINDOW - 1) / FPS / (VIDEO_FRAMES - 1)
        out["frames"] = np.stack([motion_features(pos[i], root[i], job.subject.stature, dt)
                                  for i in range(n)]).astype(np.float32)
        instance = rng.normal(size=SCENE_DIM) / math.sqrt(SCENE_DIM)
        ctx = scene_context(scene, job.scenario.name, job.world_seed, instance, job.instance_sigma)
        out["scene"] = np.repeat(ctx[None].astype(np.float32), n, axis=0)
    return out


def _render_many(jobs: list[TakeJob]) -> list[dict]:
    return [render_take(j) for j in jobs]


def render_takes(jobs: list[TakeJob], n_jobs: int | None = None, progress: bool = True) -> dict:
    """Render takes (in parallel worker processes when there are many) and concatenate in take order."""
    from tqdm.auto import tqdm

    if n_jobs is None:
        n_jobs = min(2, os.cpu_count() or 1) if len(jobs) >= 24 else 1
    chunk = max(1, min(50, math.ceil(len(jobs) / (8 * max(n_jobs, 1)))))
    chunks = [jobs[i:i + chunk] for i in range(0, len(jobs), chunk)]
    if n_jobs > 1:
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=n_jobs, backend="loky", return_as="generator")(delayed(_render_many)(c) for c in chunks)
    else:
        results = (_render_many(c) for c in chunks)
    takes = [t for batch in tqdm(results, total=len(chunks), desc="rendering takes", disable=not progress or None)
             for t in batch]
    keys = takes[0].keys()
    return {k: np.concatenate([t[k] for t in takes]) for k in keys}


def _subjects(seed: int, tag: int, n: int) -> list[Subject]:
    rng = np.random.default_rng([seed, tag])
    return [sample_subject(rng, id=f"s{tag}-{i}") for i in range(n)]


def _take_sizes(rng: np.random.Generator, target: int, take_windows: tuple) -> list[int]:
    sizes = []
    while sum(sizes) < target * 1.04 + take_windows[1]:  # a few spare: some takes come out a window short
        sizes.append(int(rng.integers(take_windows[0], take_windows[1] + 1)))
    return sizes


# --------------------------------------------------------------------------- the world

class World:
    """The world of one :class:`WorldConfig`: the pretraining corpus and the three downstream tasks."""

    def __init__(self, config: WorldConfig | None = None) -> None:
        check_activities()
        self.config = config or WorldConfig()
        self.video_encoder, self.text_encoder = frozen_encoders(self.config)

    # -- one take, for figures --------------------------------------------------------------------
    def example_take(self, scenario: int | str = 0, n_windows: int = 2, device: str = "glasses",
                     task: Task = PRETRAINING, seed: int = 0, main_activity: bool = True) -> tuple[TakeRecording, dict]:
        """A fresh take of one scenario (by index or name): its recording and its rendered windows.

        main_activity: redraw (seed, seed + 1, ...; at most 20 tries) until the first window shows the
        scenario's main activity, so that a figure shows what the scenario is about.
        """
        names = task.class_names
        k = names.index(scenario) if isinstance(scenario, str) else int(scenario)
        main = ACTIVITY_NAMES.index(task.classes[k].activities[0])
        for attempt in range(20 if main_activity else 1):
            subject = _subjects(self.config.seed, 900 + seed + attempt, 1)[0]
            job = TakeJob((self.config.seed, 901, seed + attempt, k), task.classes[k], k, subject, 0, 0, n_windows,
                          DEVICES[device], True, self.config.seed, self.config.piece_seconds,
                          self.config.instance_sigma)
            windows = render_take(job)
            if windows["activity"][0] == main:
                break
        windows["video"] = self.video_encoder(windows.pop("frames"), windows.pop("scene"))
        windows["text"] = self.text_encoder(windows["narration"])
        windows["narration"] = [str(t) for t in windows["narration"]]
        return simulate_take(job), windows

    # -- pretraining --------------------------------------------------------------------------
    def pretraining_jobs(self) -> list[TakeJob]:
        """The takes of the pretraining corpus (seeded): enough for ``n_pretrain`` windows (a few spare), their
        scenarios drawn in proportion to EgoExo4D's take counts."""
        cfg = self.config
        rng = np.random.default_rng([cfg.seed, 100])
        subjects = _subjects(cfg.seed, 101, cfg.n_pretrain_subjects)
        weights = np.asarray(EGOEXO_TAKES, float) / sum(EGOEXO_TAKES)
        jobs = []
        for take_id, size in enumerate(_take_sizes(rng, cfg.n_pretrain, cfg.take_windows)):
            k = int(rng.choice(len(PRETRAINING.classes), p=weights))
            s = int(rng.integers(len(subjects)))
            jobs.append(TakeJob((cfg.seed, 102, take_id), PRETRAINING.classes[k], k, subjects[s], s, take_id, size,
                                DEVICES[PRETRAINING.device], True, cfg.seed, cfg.piece_seconds, cfg.instance_sigma))
        return jobs

    def pretraining_corpus(self, n_jobs: int | None = None, progress: bool = True) -> dict:
        """Arrays: imu (N, 6, 250) f32; video, text (N, 512) f32 (L2-normalised); scenario, activity,
        subject, take (N,) int; narration (N,) str. N = ``config.n_pretrain``."""
        raw = render_takes(self.pretraining_jobs(), n_jobs, progress)
        n = self.config.n_pretrain
        if len(raw["imu"]) < n:
            raise RuntimeError(f"rendered {len(raw['imu'])} pretraining windows, fewer than n_pretrain={n}")
        raw = {k: v[:n] for k, v in raw.items()}
        video = self.video_encoder(raw.pop("frames"), raw.pop("scene"))
        text = self.text_encoder(raw["narration"])
        return {**raw, "video": video, "text": text}

    # -- downstream tasks --------------------------------------------------------------------------
    def task_jobs(self, name: str, split: str) -> list[TakeJob]:
        """The takes of a downstream task's "train" or "test" split (their own subjects)."""
        task = get_task(name)
        cfg = self.config
        if split not in ("train", "test"):
            raise ValueError(f"split={split!r} must be 'train' or 'test'")
        tag = 200 + 10 * list(TASKS).index(name) + (0 if split == "train" else 5)
        n_subjects = cfg.n_train_subjects if split == "train" else cfg.n_test_subjects
        subjects = _subjects(cfg.seed, tag, n_subjects)
        per_class = cfg.train_per_class if split == "train" else cfg.test_per_class
        rng = np.random.default_rng([cfg.seed, tag, 1])
        jobs, take_id = [], 0
        for k, scenario in enumerate(task.classes):
            for size in _take_sizes(rng, per_class, cfg.take_windows):
                s = int(rng.integers(len(subjects)))
                jobs.append(TakeJob((cfg.seed, tag, 2, take_id), scenario, k, subjects[s], s, take_id, size,
                                    DEVICES[task.device], False, cfg.seed, cfg.piece_seconds, cfg.instance_sigma))
                take_id += 1
        return jobs

    def task_data(self, name: str, n_jobs: int | None = None, progress: bool = True) -> dict:
        """Arrays ``{train,test}_{imu,y,subject,activity}``: exactly train/test_per_class windows per class."""
        cfg = self.config
        out = {}
        for split, per_class in (("train", cfg.train_per_class), ("test", cfg.test_per_class)):
            raw = render_takes(self.task_jobs(name, split), n_jobs, progress)
            keep = np.concatenate([np.flatnonzero(raw["scenario"] == k)[:per_class]
                                   for k in range(len(get_task(name).classes))])
            out.update({f"{split}_imu": raw["imu"][keep], f"{split}_y": raw["scenario"][keep],
                        f"{split}_subject": raw["subject"][keep], f"{split}_activity": raw["activity"][keep]})
        return out


def get_task(name: str) -> Task:
    """The downstream task ``name`` of :data:`lib.primus.scenarios.TASKS` (a clear error otherwise)."""
    if name not in TASKS:
        raise ValueError(f"unknown downstream task {name!r}; choose one of {list(TASKS)}")
    return TASKS[name]


def cached_pretraining(config: WorldConfig, cache_dir=None, n_jobs: int | None = None) -> dict:
    """:meth:`World.pretraining_corpus`, cached on disk (``lib.repro.cached``) under the world's parameters."""
    return cached("p2_world_pretraining", config.key("pretraining"), WORLD_VERSION,
                  lambda: World(config).pretraining_corpus(n_jobs), cache_dir=cache_dir)


def cached_task(config: WorldConfig, name: str, cache_dir=None, n_jobs: int | None = None) -> dict:
    """:meth:`World.task_data`, cached on disk under the world's parameters and the task name."""
    get_task(name)
    return cached("p2_world_task", config.key(name), WORLD_VERSION,
                  lambda: World(config).task_data(name, n_jobs), cache_dir=cache_dir)


def corpus_key(config: WorldConfig) -> str:
    """A short key for the pretraining corpus's content (what pretrained checkpoints are keyed by)."""
    return "world-" + params_hash(config.key("pretraining"), WORLD_VERSION)
