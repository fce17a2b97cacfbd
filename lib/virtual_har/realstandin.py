"""The DIP-IMU stand-in: an independent real-sensor corpus for P4 (experiments 2-3, "without fine-tuning").

P4 fine-tunes on DIP-IMU (Huang et al. 2018: real Xsens sensors on 10 people) and reports that the
AMASS-trained network alone scores "< 50 %" there (§4.3). That is a statement about the gap between
virtual and real data, so the stand-in for DIP must not come from the generator of the virtual corpus.
This corpus differs from it in every stage:

1. **Motion source**: :mod:`lib.body.second_source`, a second motion generator with its own style model
   (keyframes and step-by-step gait from published gait statistics, lab paths with turns, 2:1 arm swing
   when slow, its own jumping, stretching and desk-work repertoires), plus real CMU motion capture for
   one walking and one jumping bout per person where ``mocap_dir`` holds it (``cmu_mocap`` in the
   real-data folder, :func:`lib.paths.shared_data_dir`).
   Performers are new people (subject ids 1001 ... 1000 + n).
2. **Recording protocol**: per person one recording per P4 class (DIP's files are per activity block,
   P4 §3.2 "rather balanced" classes), each starting with DIP's I-pose calibration, then bouts of the
   activity separated by rests (standing; 3-8 s, after jumping 5-12 s; ours), computer work between a
   sit-down and a stand-up. Bout lengths (ours): walking 20-45 s, jumping 8-20 s, stretching 15-35 s.
3. **Labels as P4 makes them** (§2.3): a recording is cut at every change of what is performed; bouts
   carry their class, while rests (standing or seated posture, no P4 class), transitions (gait
   initiation/termination, sit-down/stand-up, blends) and the calibration pose are *left out*
   (label -1; ``info["kind"]`` says which). So no window ever mixes a rest into an activity's label.
4. **Sensors**: placed where straps go rather than at the synthesis vertex (:func:`real_sites`), moving
   with the soft tissue (:func:`soft_tissue`), then :meth:`lib.body.sensors.SensorModel.xsens_mtw`
   (noise, bias, scale, saturation at ±16 g, quantisation, calibration residual, fusion error, heading
   drift, wobble, packet loss), and DIP's conventions: orientation calibrated to the segment in an
   I-pose, world frame Y up facing +Z at calibration, acceleration gravity-free in the world frame
   (m/s²), gravity removed with the *estimated* orientation. The real body's translation is felt.

Each stage can be switched off (:class:`StandinSpec` ``translation``, ``placement``, ``soft_tissue``,
``orientation``, ``noise``), for an ablation of the gap (:mod:`lib.virtual_har.gap`). Switching one off
changes nothing else: the motion has its own random streams, and each sensor stage draws from its own
generator (:func:`read_sensors`), so the performed motion and every other effect's draws stay as they were.

**Size** (:data:`SIZE_PRESETS`): "dip" = 10 people × 9 min = 90 min (DIP-IMU: 10 subjects, 330,000
frames at 60 Hz ≈ 92 min); "quick" = 4 people × 1 min. **Split**: DIP's usual subject split, the last
two people held out (s_09, s_10; TransPose, IMUPoser), i.e. 8 / 2 for the DIP size
(:func:`test_subjects`, ``info["test_split"]``).

Departures from the real DIP-IMU (also :data:`DEPARTURES`, shown in notebook 41):

===============================  ====================================  ============  =============================
DIP-IMU fact                     stand-in                              match?        source
===============================  ====================================  ============  =============================
10 subjects, 9 male, 1 female    10 performers, the 6th female         match         Huang et al. 2018; aitviewer
(s_06)                                                                               examples/load_DIP_IMU.py
330,000 frames at 60 Hz          10 × 9 min = 90 min at 60 Hz;         size match;   Huang et al. 2018 (abstract)
(≈ 92 min), 64 sequences         5 recordings per person (50)          files differ
motions of real people           second motion source (simulated);     departure     lib.body.second_source
                                 CMU 131 mocap bouts (one other
                                 real performer)
per-file motion categories;      one recording per P4 class; no        departure     P4 §3.2; Huang et al. 2018
P4's file -> class mapping       freestyle; contents from
unpublished                      second_source
Xsens MTw Awinda, 17 units;      3 sensors: distal forearm, lateral    subset;       IMUPoser (Mollyn et al. 2023);
P4 uses lower arm (7), right     mid-thigh, back of the head;          placement     placement ours
upper leg (10), head (0)         placement varies per session          ours
sensor errors                    SensorModel.xsens_mtw: 200 µg/√Hz,    modelled      Paulich et al. 2018 (MTw
                                 ±16 g, 16 bit, fusion 1°, calibration               Awinda white paper);
                                 3°, heading drift 3°/min, packet loss               de Vries et al. 2009
skin and strap motion            thigh 10-25 mm and 2-6° with knee     modelled      Andersen et al. 2012; Karlsson
                                 flexion; forearm 2-8 mm, 1-4°;                      & Tranberg 1999; amplitudes
                                 25 Hz wobble                                        ours
I-pose calibration; the head     I-pose at the start of every          match         DIP live demo (eth-ait/dip18
sensor defines the SMPL frame    recording, facing +Z; residual 3°                   live_demo/read_mtw.cs)
imu_ori: sensor-to-world,        same                                  match         TransPose, IMUPoser and
calibrated to the bone, Y up                                                         aitviewer DIP-IMU loaders
imu_acc: global, gravity-free,   same; gravity removed with the        match (as     inferred from the TransPose
m/s² (inferred)                  estimated orientation                 inferred)     loader and dip18's live demo
NaN gaps filled by loaders;      packet loss held at the last value;   approximate   TransPose preprocess.py
6 frames trimmed per end         no trimming
gt has no translation; the       sensors feel the translation          match         TransPose preprocess.py
sensors feel it
split s_01-s_08 / s_09-s_10      the last 2 of 10 held out             match         TransPose; IMUPoser
labels per file; P4 cleans DIP   rests, transitions, calibration       P4 §2.3       P4 §2.3, §3.2
like AMASS (§3.2)                left out; bouts labelled              applied
===============================  ====================================  ============  =============================
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
from scipy.spatial.transform import Rotation

from lib.body import second_source as src
from lib.body.imu import P4_SITES, IMUData, SensorSite, VirtualIMU, finite_difference_acceleration
from lib.body.sensors import SensorModel
from lib.body.skeleton import JOINT_INDEX
from lib.repro import cached
from lib.virtual_har.sequences import SequenceCorpus

#: The five DIP activities of P4 §3.2, in the order of lib.virtual_har.corpus.REAL_CLASSES.
CLASSES = ("computer works", "walking", "jumping", "stretching arms", "stretching legs")
SENSORS = tuple(site.name for site in P4_SITES)
FPS = 60.0
SUBJECT_BASE = 1000
STANDIN_VERSION = "2"  # 2: one random stream per sensor stage (noise no longer redraws the orientation error)

#: Per class: bout length (s) and rest after a bout (s); ours.
BOUTS = {"walking": ((20.0, 45.0), (3.0, 8.0)), "jumping": ((8.0, 20.0), (5.0, 12.0)),
         "stretching arms": ((15.0, 35.0), (3.0, 8.0)), "stretching legs": ((15.0, 35.0), (3.0, 8.0)),
         "computer works": (None, (2.0, 4.0))}


@dataclass(frozen=True)
class StandinSize:
    """A size of the stand-in: people and minutes recorded per person."""

    n_subjects: int
    minutes_per_subject: float


#: "dip": DIP-IMU's size (10 subjects, ≈ 90 min); "quick": a CI/teaching size.
SIZE_PRESETS = {"dip": StandinSize(10, 9.0), "quick": StandinSize(4, 1.0)}


@dataclass(frozen=True)
class StandinSpec:
    """Parameters of the stand-in (module docstring). Effects default on; ``mocap_dir`` None = no mocap."""

    n_subjects: int = 10
    minutes_per_subject: float = 9.0
    n_test: int | None = None
    seed: int = 0
    mocap_dir: str | None = None
    translation: bool = True
    placement: bool = True
    soft_tissue: bool = True
    orientation: bool = True
    noise: bool = True

    def __post_init__(self) -> None:
        if self.n_subjects < 2:
            raise ValueError(f"StandinSpec.n_subjects={self.n_subjects} must be >= 2 (the split is by subject)")
        if not self.minutes_per_subject >= 0.5:
            raise ValueError(f"StandinSpec.minutes_per_subject={self.minutes_per_subject} must be >= 0.5 "
                             "(five recordings of at least 6 s each)")
        if self.n_test is not None and not 1 <= self.n_test < self.n_subjects:
            raise ValueError(f"StandinSpec.n_test={self.n_test} must lie in 1 .. n_subjects - 1")

    @classmethod
    def preset(cls, name: str, **overrides) -> "StandinSpec":
        """A spec of the size :data:`SIZE_PRESETS` ``[name]`` ("dip" or "quick")."""
        if name not in SIZE_PRESETS:
            raise ValueError(f"unknown stand-in size {name!r}; use one of {list(SIZE_PRESETS)}")
        size = SIZE_PRESETS[name]
        return cls(**{"n_subjects": size.n_subjects, "minutes_per_subject": size.minutes_per_subject, **overrides})

    @property
    def test_count(self) -> int:
        """Held-out people: DIP's 2 of 10 (s_09, s_10), i.e. a fifth, at least one."""
        return self.n_test if self.n_test is not None else max(1, int(round(0.2 * self.n_subjects)))


def subject_ids(spec: StandinSpec) -> np.ndarray:
    """(n_subjects,) ids of the stand-in's people: 1001, 1002, ... (apart from the virtual corpus's)."""
    return SUBJECT_BASE + np.arange(1, spec.n_subjects + 1)


def test_subjects(spec: StandinSpec) -> np.ndarray:
    """The held-out people: the last ``spec.test_count`` (DIP: s_09 and s_10)."""
    return subject_ids(spec)[-spec.test_count:]


def performer(spec: StandinSpec, k: int) -> src.Performer:
    """Person k (0-based): the 6th of 10 is female as DIP's s_06 (aitviewer ``load_DIP_IMU.py``), the others male."""
    sex = "female" if k == 5 else "male"
    return src.sample_performer(np.random.default_rng([spec.seed, 20, k]), sex=sex, id=f"standin_{k + 1:02d}")


# ------------------------------------------------------------------------------------ the protocol

def protocol(cls: str, perf: src.Performer, seconds: float, rng: np.random.Generator,
             mocap_dir: str | None = None) -> list[src.Piece]:
    """The pieces of one recording of class ``cls`` lasting about ``seconds`` (module docstring, step 2)."""
    if cls not in BOUTS:
        raise ValueError(f"unknown class {cls!r}; use one of {list(CLASSES)}")
    bout_s, rest_s = BOUTS[cls]
    pieces = [src.calibration(perf, rng)]
    used = pieces[0].n / FPS
    if cls == "computer works":
        pieces += [src.rest(perf, rng, rng.uniform(*rest_s)), src.sit_down(perf, rng)]
        stand_up = src.sit_down(perf, rng, up=True)
        after = src.rest(perf, rng, rng.uniform(*rest_s))
        used += sum(p.n for p in pieces[1:] + [stand_up, after]) / FPS
        pieces += [src.computer_work(perf, rng, max(4.0, seconds - used)), stand_up, after]
        return pieces
    generator = src.ACTIVITY_GENERATORS[cls]
    mocap_used = False
    blend = float(np.mean(src.STYLE["blend_s"][0]))  # record() inserts a blend before every piece
    while used < seconds - 2.0:
        if used > 0 and pieces[-1].kind == src.ACTIVITY:
            r = src.rest(perf, rng, rng.uniform(*rest_s))
            pieces.append(r)
            used += r.n / FPS + blend
        used += blend
        piece = None
        if not mocap_used and len(pieces) > 2:
            piece = src.mocap_piece(mocap_dir, cls, perf, rng)
            mocap_used = True
        if piece is None:
            piece = generator(perf, rng, float(min(rng.uniform(*bout_s), max(seconds - used, 4.0))))
        pieces.append(piece)
        used += piece.n / FPS
    return pieces


# ------------------------------------------------------------------------------------ the sensors

_J = JOINT_INDEX


def real_sites(rng: np.random.Generator) -> tuple[SensorSite, ...]:
    """Where the three straps sit this session (ours; after the usual Xsens placement): the wrist unit on
    the back of the distal forearm, 70-88 % of the way from elbow to wrist (the synthesis site: 92 %,
    3 cm dorsal); the thigh unit on the *lateral* thigh, 45-70 % down (synthesis: front of mid-thigh);
    the head unit on a headband at the back of the head (synthesis: forehead)."""
    u = rng.uniform
    return (
        SensorSite("left_wrist", _J["left_elbow"], offset=(0.0, u(0.03, 0.045), u(-0.01, 0.01)), along=u(0.70, 0.88)),
        SensorSite("right_thigh", _J["right_hip"], offset=(-u(0.06, 0.09), 0.0, u(-0.01, 0.03)), along=u(0.45, 0.70)),
        SensorSite("head", _J["head"], offset=(u(-0.01, 0.01), u(0.05, 0.09), -u(0.08, 0.10))),
    )


def _flexion_deg(poses: np.ndarray, joint: str) -> np.ndarray:
    return np.degrees(np.linalg.norm(poses[:, _J[joint]], axis=-1))


def soft_tissue(pos: np.ndarray, ori: np.ndarray, poses: np.ndarray, skeleton, rng: np.random.Generator):
    """Move each sensor with the skin (soft-tissue artefact, STA). Thigh STA is mostly a rigid translation
    along the bone and a rotation about the medial-lateral axis, both growing with knee flexion (Andersen
    et al. 2012, Gait Posture 35:606: thigh residual up to 27 mm in walking; "Assessment of the lower limb
    soft tissue artefact at marker-cluster level with a high-density marker set during walking", J Biomech
    62:21, 2017: these two modes, correlated with knee flexion). Amplitudes per session at 60° of flexion
    (ours): thigh 10-25 mm and 2-6°; forearm, with elbow flexion, 2-8 mm and 1-4° about its long axis;
    head (headband) none. pos (T, 3, 3) m and ori (T, 3, 3, 3) in :data:`SENSORS` order; returns new arrays."""
    pos, ori = pos.copy(), ori.copy()
    for s, (joint, child, drive, mm, deg, axis) in enumerate((
            ("left_elbow", "left_wrist", "left_elbow", (2.0, 8.0), (1.0, 4.0), "long"),
            ("right_hip", "right_knee", "right_knee", (10.0, 25.0), (2.0, 6.0), "x"))):
        k = _flexion_deg(poses, drive) / 60.0
        bone = skeleton.offsets[_J[child]] / np.linalg.norm(skeleton.offsets[_J[child]])
        shift = (rng.uniform(*mm) / 1000.0) * k * rng.choice([-1.0, 1.0])
        pos[:, s] += np.einsum("tij,j->ti", ori[:, s], bone) * shift[:, None]
        rot_axis = bone if axis == "long" else np.array([1.0, 0.0, 0.0])
        angle = np.radians(rng.uniform(*deg)) * k * rng.choice([-1.0, 1.0])
        ori[:, s] = ori[:, s] @ Rotation.from_rotvec(angle[:, None] * rot_axis).as_matrix()
    return pos, ori


def sensor_model(spec: StandinSpec) -> SensorModel:
    """:meth:`SensorModel.xsens_mtw` with the stages ``spec`` switches off set to zero (``soft_tissue``:
    the 25 Hz wobble; ``orientation``: mounting, calibration residual, fusion error, heading drift; ``noise``:
    white noise, bias and its walk, scale, misalignment, saturation, quantisation, packet loss)."""
    m = SensorModel.xsens_mtw()
    if not spec.soft_tissue:
        m = replace(m, wobble_hz=0.0)
    if not spec.orientation:
        m = replace(m, mount_sd_deg=0.0, calib_error_deg=0.0, ori_error_deg=0.0, heading_drift_deg=0.0)
    if not spec.noise:
        m = replace(m, acc_noise_density=0.0, gyro_noise_density=0.0, acc_bias_sd=0.0, gyro_bias_sd=0.0,
                    acc_bias_walk=0.0, gyro_bias_walk=0.0, scale_sd=0.0, misalignment_sd=0.0, acc_range=0.0,
                    gyro_range=0.0, bits=0, dropout_rate_hz=0.0)
    return m


#: :class:`SensorModel` fields of the ``noise`` stage (the electronics and the radio); the other fields
#: (mounting, calibration, fusion, heading drift, wobble) belong to the ``orientation`` and ``soft_tissue`` stages.
NOISE_FIELDS = ("acc_noise_density", "gyro_noise_density", "acc_bias_sd", "gyro_bias_sd", "acc_bias_walk",
                "gyro_bias_walk", "scale_sd", "misalignment_sd", "acc_range", "gyro_range", "bits",
                "dropout_rate_hz", "dropout_s", "dropout_fill")
#: The draws the noise stage reports in ``meta["sensor_model"]``.
_NOISE_DRAWS = ("acc_bias", "acc_scale", "gyro_bias", "gyro_scale", "dropouts", "chip_sample")


def sensor_stages(spec: StandinSpec) -> tuple[SensorModel, SensorModel]:
    """:func:`sensor_model` split in two: (body, electronics). ``body`` holds the mounting, calibration,
    fusion error, heading drift and wobble, ``electronics`` the :data:`NOISE_FIELDS` (all else ideal)."""
    full, ideal = sensor_model(spec), SensorModel.ideal()
    body = replace(full, **{f: getattr(ideal, f) for f in NOISE_FIELDS})
    electronics = replace(ideal, **{f: getattr(full, f) for f in NOISE_FIELDS})
    return body, electronics


def _streams(rng: np.random.Generator, n: int) -> list[np.random.Generator]:
    """``n`` independent generators seeded from ``rng`` with a fixed number of draws."""
    return [np.random.default_rng(int(s)) for s in rng.integers(0, 2 ** 63 - 1, size=n)]


def read_sensors(rec: src.Recording, perf: src.Performer, spec: StandinSpec, session_rng: np.random.Generator,
                 unit_rng: np.random.Generator) -> IMUData:
    """The three sensors of a recording in DIP's conventions (module docstring, step 4).

    Every stage draws from its own generator: ``session_rng`` (this recording) seeds four, for the strap
    placement, the soft tissue, the orientation errors and the noise; ``unit_rng`` (this person's straps and
    units, drawn in turn by the person's recordings) seeds two, for the wobble and the scale/misalignment.
    Each takes a fixed number of draws, so switching a stage off leaves the draws of every other stage as
    they were. The sensor model runs in two passes (:func:`sensor_stages`): the body pass (mounting,
    wobble, fusion error, heading drift, calibration) gives the estimated orientation and the acceleration
    re-expressed with it; the electronics pass adds bias, noise, scale, saturation, quantisation and packet
    loss in the calibrated sensor frame and re-expresses them with that same estimate. That frame is the
    physical one turned by the calibrated mount (a few degrees), which leaves the distribution of the
    isotropic noise and bias unchanged (scale, cross-axis coupling and the ±16 g clipping act on axes that
    few degrees off the physical ones). ``meta["sensor_model"]`` holds the draws of both passes.
    """
    placement_rng, tissue_rng, orientation_rng, noise_rng = _streams(session_rng, 4)
    wobble_rng, scale_rng = _streams(unit_rng, 2)
    skeleton = perf.skeleton()
    sites = real_sites(placement_rng) if spec.placement else P4_SITES
    vimu = VirtualIMU(sites, gyro=False)
    trans = rec.trans if spec.translation else np.zeros_like(rec.trans)
    pos, ori = vimu.trajectories(rec.poses, trans, skeleton)
    if spec.soft_tissue:
        pos, ori = soft_tissue(pos, ori, rec.poses, skeleton, tissue_rng)
    imu = IMUData(acc=finite_difference_acceleration(pos, FPS), ori=ori, fps=FPS, sites=SENSORS,
                  acc_frame="world", gravity=False)
    body, electronics = sensor_stages(spec)
    out = body.corrupt(imu, orientation_rng, unit_rng=wobble_rng)
    draws = dict(out.meta["sensor_model"])
    if spec.noise:
        noisy = electronics.corrupt(out, noise_rng, unit_rng=scale_rng)
        draws.update({k: v for k, v in noisy.meta["sensor_model"].items() if k in _NOISE_DRAWS})
        out = noisy
    draws["params"] = asdict(sensor_model(spec))
    return replace(out, meta={**imu.meta, "sensor_model": draws})


# ------------------------------------------------------------------------------------ the corpus

def _runs(key: np.ndarray) -> list[tuple[int, int]]:
    change = np.flatnonzero(key[1:] != key[:-1]) + 1
    edges = np.concatenate([[0], change, [len(key)]])
    return list(zip(edges[:-1], edges[1:]))


def _people(spec: StandinSpec, people) -> np.ndarray:
    """The subject ids to build: all (None) or ``people`` (ids among :func:`subject_ids`), sorted."""
    ids = subject_ids(spec)
    if people is None:
        return ids
    people = np.unique(np.asarray(people, dtype=np.int64))
    unknown = np.setdiff1d(people, ids)
    if len(people) == 0 or len(unknown):
        raise ValueError(f"people={people.tolist()} must be a non-empty subset of the subject ids "
                         f"{ids[0]} .. {ids[-1]} (unknown: {unknown.tolist()})")
    return people


def build_standin_corpus(spec: StandinSpec, people=None) -> SequenceCorpus:
    """Every recording of every person, cut into labelled bouts and left-out rests/transitions.

    Clip info: ``kind`` (0 activity, 1 rest, 2 transition, 3 calibration; :data:`lib.body.second_source.KIND_NAMES`),
    ``recording`` (class index of the recording), ``test_split`` (held-out person), ``mocap`` (a CMU bout),
    ``seated`` (the rest or bout is seated). Frame truth: the class for activity frames, else -1.

    people: None (everyone) or subject ids (e.g. :func:`test_subjects`) to build only those; each person's
    data are drawn from that person's own generators, so they equal that person's part of the full build.
    """
    seconds = spec.minutes_per_subject * 60.0 / len(CLASSES)
    held_out = set(test_subjects(spec).tolist())
    wanted = set(_people(spec, people).tolist())
    frames, lengths, labels, subjects, truth = [], [], [], [], []
    info = {k: [] for k in ("kind", "recording", "test_split", "mocap", "seated")}
    for k, sid in enumerate(subject_ids(spec)):
        if int(sid) not in wanted:
            continue
        perf = performer(spec, k)
        unit_rng = np.random.default_rng([spec.seed, 21, k])  # this person's straps and units
        for c, cls in enumerate(CLASSES):
            rng = np.random.default_rng([spec.seed, 22, k, c])
            pieces = protocol(cls, perf, seconds, rng, spec.mocap_dir)
            rec = src.record(pieces, perf, rng, heading_deg=0.0)
            imu = read_sensors(rec, perf, spec, np.random.default_rng([spec.seed, 23, k, c]), unit_rng)
            feats = imu.features().astype(np.float32)
            mocap_pieces = [i for i, p in enumerate(rec.pieces) if str(p.get("style", "")).startswith("mocap")]
            mocap_frames = np.isin(rec.piece, mocap_pieces)
            seated = _seated_frames(rec)
            key = rec.kind.astype(np.int64) * 2 + seated
            for a, b in _runs(key):
                kind = int(rec.kind[a])
                frames.append(feats[a:b])
                lengths.append(b - a)
                labels.append(c if kind == src.ACTIVITY else -1)
                subjects.append(int(sid))
                truth.append(np.full(b - a, c if kind == src.ACTIVITY else -1, np.int16))
                info["kind"].append(kind)
                info["recording"].append(c)
                info["test_split"].append(int(sid) in held_out)
                info["mocap"].append(bool(mocap_frames[a:b].any()))
                info["seated"].append(bool(seated[a]))
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    return SequenceCorpus(np.concatenate(frames), bounds, np.array(labels), np.array(subjects), CLASSES, SENSORS,
                          FPS, {k: np.array(v) for k, v in info.items()}, np.concatenate(truth))


def _seated_frames(rec: src.Recording) -> np.ndarray:
    """(T,) True where the pelvis is at seat height (seated rests and desk work): pelvis below 75 % of the
    recording's standing (calibration) height."""
    y = rec.trans[:, 1]
    calib = rec.kind == src.CALIBRATION
    standing = np.median(y[calib]) if calib.any() else np.median(y)
    return (y < 0.75 * standing).astype(np.int64)


def split(corpus: SequenceCorpus) -> tuple[np.ndarray, np.ndarray]:
    """(train subjects, test subjects) by ``info["test_split"]`` (DIP's held-out people)."""
    if "test_split" not in corpus.info:
        raise ValueError("this corpus has no info['test_split']; build it with build_standin_corpus")
    test = np.unique(corpus.subject[corpus.info["test_split"].astype(bool)])
    train = np.setdiff1d(np.unique(corpus.subject), test)
    return train, test


def standin_corpus(spec: StandinSpec, cache_dir=None, people=None) -> SequenceCorpus:
    """:func:`build_standin_corpus`, cached on disk by the spec (and ``people``; :func:`lib.repro.cached`)."""
    key = asdict(spec) if people is None else {**asdict(spec), "people": _people(spec, people).tolist()}
    arrays = cached("p4_standin_corpus", key, STANDIN_VERSION,
                    lambda: build_standin_corpus(spec, people).to_arrays(), cache_dir=cache_dir)
    return SequenceCorpus.from_arrays(arrays)


def summary(corpus: SequenceCorpus):
    """Minutes per frame kind and class, windows per class, people (train/test): a DataFrame for the notebook."""
    import pandas as pd

    minutes = corpus.lengths() / FPS / 60.0
    kind = corpus.info["kind"]
    rows = []
    for c, cls in enumerate(corpus.classes):
        sel = corpus.info["recording"] == c
        w = corpus.windows(np.flatnonzero(sel & (corpus.label >= 0))) if np.any(sel & (corpus.label >= 0)) else None
        rows.append({"class": cls, "recorded min": minutes[sel].sum(),
                     "labelled min": minutes[sel & (kind == src.ACTIVITY)].sum(),
                     "left out min (rest / transition / calibration)": minutes[sel & (kind != src.ACTIVITY)].sum(),
                     "windows": 0 if w is None else len(w),
                     "mocap min": minutes[sel & corpus.info["mocap"].astype(bool)].sum()})
    return pd.DataFrame(rows).set_index("class").round(2)


#: The departures table of the module docstring as rows (fact, stand-in, match, source).
DEPARTURES = (
    ("10 subjects, 9 male, 1 female (s_06)", "10 performers, the 6th female", "match",
     "Huang et al. 2018; aitviewer examples/load_DIP_IMU.py"),
    ("330,000 frames at 60 Hz (≈ 92 min), 64 sequences", "10 × 9 min = 90 min at 60 Hz; 5 recordings per person",
     "size matches; files differ", "Huang et al. 2018 (abstract)"),
    ("motions of 10 real people", "second motion source (simulated), plus CMU subject-131 mocap bouts",
     "departure", "lib.body.second_source"),
    ("per-file motion categories; P4's mapping of files to 5 classes unpublished",
     "one recording per P4 class, contents from second_source; no freestyle", "departure",
     "P4 §3.2; Huang et al. 2018"),
    ("Xsens MTw Awinda; P4 uses lower arm (7), right upper leg (10), head (0)",
     "3 sensors: distal forearm, lateral thigh, back of the head; placement varies per session",
     "subset; placement ours",
     "DIP sensor order: eth-ait/dip18 issue #16, aitviewer load_DIP_IMU.py; IMUPoser (Mollyn et al. 2023)"),
    ("real sensor errors", "SensorModel.xsens_mtw: 200 µg/√Hz, ±16 g, 16 bit, fusion 1°, calibration 3°, "
     "heading drift 3°/min, packet loss", "modelled", "Paulich et al. 2018; de Vries et al. 2009"),
    ("skin and strap motion", "thigh 10-25 mm / 2-6° with knee flexion, forearm 2-8 mm / 1-4°, 25 Hz wobble",
     "modelled", "Andersen et al. 2012; Karlsson & Tranberg 1999; amplitudes ours"),
    ("I-pose calibration; the head sensor defines the SMPL frame", "I-pose at the start of every recording, "
     "facing +Z; residual 3°", "match", "DIP live demo (eth-ait/dip18 live_demo/read_mtw.cs)"),
    ("imu_ori: sensor-to-world, calibrated to the bone, Y up", "same", "match",
     "TransPose, IMUPoser and aitviewer DIP-IMU loaders"),
    ("imu_acc: global frame, gravity-free, m/s² (inferred)", "same; gravity removed with the estimated orientation",
     "match (as inferred)", "inferred from the TransPose loader and dip18's live demo"),
    ("NaN gaps filled by loaders; 6 frames trimmed per end", "packet loss held at the last value; no trimming",
     "approximate", "TransPose preprocess.py"),
    ("gt has no translation; sensors feel it", "sensors feel the translation", "match", "TransPose preprocess.py"),
    ("split s_01-s_08 / s_09-s_10", "the last 2 of 10 held out", "match", "TransPose; IMUPoser"),
    ("labels per file; P4 cleans DIP like AMASS (§3.2)", "rests, transitions, calibration left out; bouts labelled",
     "P4 §2.3 applied", "P4 §2.3, §3.2"),
)


def departures_table():
    """:data:`DEPARTURES` as a DataFrame (DIP-IMU fact, stand-in, match or departure, source)."""
    import pandas as pd

    return pd.DataFrame(DEPARTURES, columns=["DIP-IMU fact", "stand-in", "match or departure", "source"])
