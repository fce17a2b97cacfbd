"""P4's two corpora: the virtual one (AMASS stand-in) and the real-sensor one (DIP-IMU stand-in).

**Virtual corpus** (§2, AMASS): ``n_subjects`` simulated people (:func:`lib.body.skeleton.sample_subject`),
each recording 1 + Poisson(``clips_per_subject`` − 1) motion clips with :mod:`lib.body.motions`.
Every clip has an AMASS-style *description* drawn with unbalanced frequencies
(:data:`DESCRIPTION_WEIGHTS`: "walk" about 20 % of clips, "type at computer" 2.5 %, as walking
dominates AMASS); the motion is the described activity for 6-16 s, often entered from and left to
standing (a lead-in/lead-out of 1-3 s each with probability 0.4; a seated activity entered from
standing gets a sit-down transition), so clips are complex sequences with transitions. Like AMASS,
the pool also holds motions the paper removes — boxing, dancing, ball kicking, and "walk stop run"
clips of 4-6 short (1.5-3.5 s) walking/standing/jogging/running segments — and, because AMASS
descriptions are superficial, a fraction ``mislabel_rate`` of clips perform something other than
their description (:data:`CONFUSIONS`, e.g. "walk" performed as jogging, "stretch arms" as waving).
The three steps of §2.3 (:mod:`lib.virtual_har.cleaning`) then label and clean the pool. Virtual
IMUs (:class:`lib.body.imu.VirtualIMU`, P4's Eq. 3, gravity-free world-frame acceleration) at the
left wrist (forearm segment), right thigh and head give 36 features at 60 Hz.

P4 synthesises its virtual IMUs as DIP does (§2.2 cites [6]; the README of the group's MARS code,
xspc/MARS-IEEE_IoT-HAR, says it follows DIP's ``data_synthesis``), and DIP's ``genSynData.py``
(eth-ait/dip18) applies **no root translation**, so its virtual accelerations miss the whole-body
acceleration of walking or jumping. ``translation=False`` (the default) reproduces that;
``translation=True`` gives the physically complete accelerations. Real sensors of course feel the translation.

**Same-generator real-sensor corpus** (:func:`build_real_corpus`; notebook 41 first used it as its DIP-IMU
stand-in, and it stays as the "same motion source" baseline of the gap's ablation):
``n_subjects`` *new* people (a separate seed stream), each recording one session per class of the five
DIP classes; a session strings several bouts of the class, each with its own motion style (§4.3:
"stretching legs includes two motions, leg raising and stepping"), separated by standing rests of 2-5 s.
The session is cut where the performed activity changes: bouts keep the class, standing rests and the
frames the cross-fades give to them are left out (label -1, as P4 §2.3 labels by what is performed and
removes transitions), so no standing window carries an activity's label. The same virtual IMUs then pass
through the sim-to-real sensor model of :mod:`lib.body` (noise, bias drift, misalignment, soft-tissue
wobble, imperfect gravity removal). Its motions come from the virtual corpus's own generator, so it does
not test a sim-to-real gap; the independent stand-in is :mod:`lib.virtual_har.realstandin`. DIP is
roughly balanced, so neither is up-sampled (§3.2).

**Real DIP-IMU** (``data_root``): :func:`load_dip_corpus` reads ``DIP_IMU/s_XX/NN.pkl`` with
:func:`lib.datasets.dip.load_dip` (sensors "p4": DIP indices 7 = left lower arm, 10 = right upper
leg, 0 = head; segment names as aitviewer's ``examples/load_DIP_IMU.py``) and labels each file from
``p4_labels.csv`` — the paper's mapping of DIP files to its five classes was not published, so the user
supplies it.

Both builders are deterministic functions of their spec (each clip has its own generator seeded by
(seed, stream, subject, clip)) and are cached on disk with :func:`lib.repro.cached`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from lib.body.activities import ACTIVITY_NAMES, P4_CLASSES
from lib.body.imu import P4_SITES, VirtualIMU
from lib.body.kinematics import forward_kinematics
from lib.body.motions import generate_sequence, random_sequence
from lib.body.sensors import SensorModel
from lib.body.skeleton import JOINT_INDEX, Subject, sample_subject
from lib.datasets.bvh import load_bvh, to_motion_clip
from lib.datasets.dip import load_dip
from lib.datasets.errors import DataFormatError, read_text
from lib.repro import cached
from lib.virtual_har import cleaning
from lib.virtual_har.sequences import SequenceCorpus

#: §2.3: "we first classify the whole motions in AMASS into 12 categories".
VIRTUAL_CLASSES = ("walking", "running", "jumping", "stairs", "sitting", "standing", "computer works",
                   "stretching arms", "stretching legs", "clapping", "waving", "cleaning")
#: §3.2: the five DIP activities (names as lib.body.activities.P4_CLASSES).
REAL_CLASSES = tuple(P4_CLASSES)
SENSORS = tuple(site.name for site in P4_SITES)

#: Description -> the lib.body activity that performs it (None: a chained transition clip).
DESCRIPTION_ACTIVITY = {
    "walk": "walking", "jog": "jogging", "run": "running", "jump": "jumping", "hop": "hopping",
    "stairs up": "stairs_up", "stairs down": "stairs_down", "sit": "sitting", "stand": "standing",
    "type at computer": "computer_work", "stretch arms": "stretching_arms", "stretch legs": "stretching_legs",
    "clap": "clapping", "wave": "waving", "wipe": "wiping", "box": "boxing", "dance": "dancing",
    "kick ball": "kicking_ball", "walk stop run": None,
}
DESCRIPTIONS = tuple(DESCRIPTION_ACTIVITY)
#: Relative frequency of each description in the raw pool (model: walking dominates, as in AMASS).
DESCRIPTION_WEIGHTS = {
    "walk": 0.20, "jog": 0.06, "run": 0.05, "jump": 0.06, "hop": 0.02, "stairs up": 0.03, "stairs down": 0.03,
    "sit": 0.05, "stand": 0.07, "type at computer": 0.025, "stretch arms": 0.04, "stretch legs": 0.04,
    "clap": 0.025, "wave": 0.035, "wipe": 0.03, "box": 0.04, "dance": 0.04, "kick ball": 0.03, "walk stop run": 0.05,
}
#: What a mislabelled clip performs instead of its description (superficial descriptions, §2.3).
CONFUSIONS = {
    "walk": ("jogging", "stairs_up", "standing"), "jog": ("walking",), "run": ("walking",),
    "jump": ("dancing", "hopping"), "hop": ("walking",), "stairs up": ("walking",), "stairs down": ("walking",),
    "sit": ("computer_work", "standing"), "stand": ("walking", "waving"), "type at computer": ("sitting",),
    "stretch arms": ("waving", "wiping", "standing"), "stretch legs": ("walking", "standing"),
    "clap": ("waving", "standing"), "wave": ("clapping", "standing"), "wipe": ("cooking", "standing"),
}
#: Which category each lib.body activity belongs to (for the frame-level truth).
ACTIVITY_CATEGORY = {
    "walking": "walking", "jogging": "running", "running": "running", "jumping": "jumping", "hopping": "jumping",
    "stairs_up": "stairs", "stairs_down": "stairs", "sitting": "sitting", "standing": "standing",
    "computer_work": "computer works", "stretching_arms": "stretching arms", "stretching_legs": "stretching legs",
    "clapping": "clapping", "waving": "waving", "wiping": "cleaning",
}
SEATED = ("sitting", "computer_work")
TRANSITION_ACTIVITIES = ("walking", "standing", "jogging", "running")
POSE_JOINT_IDS = [JOINT_INDEX[n] for n in cleaning.POSE_JOINTS]


@dataclass(frozen=True)
class VirtualSpec:
    """Parameters of the virtual corpus (see the module docstring); ``version`` keys the cache."""

    n_subjects: int = 300
    clips_per_subject: float = 3.0
    duration_s: tuple = (6.0, 16.0)
    lead_prob: float = 0.4
    mislabel_rate: float = 0.08
    z_max: float = 3.5
    translation: bool = False
    seed: int = 0

    def __post_init__(self) -> None:
        if self.n_subjects < 2:
            raise ValueError(f"VirtualSpec.n_subjects={self.n_subjects} must be >= 2 (the split is by subject)")
        if self.clips_per_subject < 1:
            raise ValueError(f"VirtualSpec.clips_per_subject={self.clips_per_subject} must be >= 1")
        lo, hi = self.duration_s
        if not 2.0 <= lo <= hi:
            raise ValueError(f"VirtualSpec.duration_s={self.duration_s} must satisfy 2 <= low <= high (seconds)")
        if not 0 <= self.mislabel_rate < 1 or not 0 <= self.lead_prob <= 1:
            raise ValueError("VirtualSpec.mislabel_rate must lie in [0, 1) and lead_prob in [0, 1]")


@dataclass(frozen=True)
class RealSpec:
    """Parameters of the real-sensor corpus: subjects, seconds per session, sensor effects on/off."""

    n_subjects: int = 10
    session_s: float = 60.0
    sensor_effects: bool = True
    seed: int = 0

    def __post_init__(self) -> None:
        if self.n_subjects < 2:
            raise ValueError(f"RealSpec.n_subjects={self.n_subjects} must be >= 2 (the split is by subject)")
        if self.session_s < 5:
            raise ValueError(f"RealSpec.session_s={self.session_s} must be >= 5 seconds")


# ------------------------------------------------------------------------------------ virtual corpus

def _draw_description(rng: np.random.Generator) -> str:
    weights = np.array([DESCRIPTION_WEIGHTS[d] for d in DESCRIPTIONS])
    return DESCRIPTIONS[int(rng.choice(len(DESCRIPTIONS), p=weights / weights.sum()))]


def virtual_clip(spec: VirtualSpec, subject_index: int, clip_index: int):
    """Regenerate one raw clip of the virtual pool: (clip, skeleton, description, performed, mislabelled).

    performed = the lib.body activity of the main motion ("walk stop run" for chained transition clips).
    """
    subject = sample_subject(np.random.default_rng([spec.seed, 0, subject_index]), id=f"v{subject_index}")
    rng = np.random.default_rng([spec.seed, 1, subject_index, clip_index])
    desc = _draw_description(rng)
    if DESCRIPTION_ACTIVITY[desc] is None:
        clip = random_sequence(int(rng.integers(4, 7)), rng, activities=TRANSITION_ACTIVITIES,
                               duration_range_s=(1.5, 3.5), subject=subject)
        return clip, subject, desc, desc, False
    performed = DESCRIPTION_ACTIVITY[desc]
    mislabelled = desc in CONFUSIONS and rng.random() < spec.mislabel_rate
    if mislabelled:
        performed = CONFUSIONS[desc][int(rng.integers(len(CONFUSIONS[desc])))]
    lead = spec.lead_prob * (0.4 if performed in SEATED else 1.0)
    names, durations = [performed], [float(rng.uniform(*spec.duration_s))]
    if rng.random() < lead:
        names.insert(0, "standing")
        durations.insert(0, float(rng.uniform(1.0, 3.0)))
    if rng.random() < lead:
        names.append("standing")
        durations.append(float(rng.uniform(1.0, 3.0)))
    clip = generate_sequence(names, durations, subject=subject, rng=rng)
    mislabelled = mislabelled and ACTIVITY_CATEGORY.get(performed) != cleaning.DESCRIPTION_TO_CATEGORY[desc]
    return clip, subject, desc, performed, mislabelled


def _frame_truth(labels: np.ndarray, classes) -> np.ndarray:
    lut = np.array([list(classes).index(ACTIVITY_CATEGORY[a]) if a in ACTIVITY_CATEGORY else -1
                    for a in ACTIVITY_NAMES], dtype=np.int16)
    return lut[np.asarray(labels, dtype=np.int64)]


def build_virtual_corpus(spec: VirtualSpec) -> SequenceCorpus:
    """The raw pool (every clip, also the removed ones) after the three cleaning steps of §2.3."""
    vimu = VirtualIMU(P4_SITES, gyro=False)
    frames, truth, lengths, subjects = [], [], [], []
    desc_idx, performed_idx, mislabelled, keys, acc_stats, pose_stats = [], [], [], [], [], []
    for s in range(spec.n_subjects):
        n_clips = 1 + int(np.random.default_rng([spec.seed, 3, s]).poisson(spec.clips_per_subject - 1))
        for k in range(n_clips):
            clip, subject, desc, performed, wrong = virtual_clip(spec, s, k)
            skeleton = subject.skeleton()
            trans = clip.trans if spec.translation else np.zeros_like(clip.trans)  # DIP genSynData.py: no trans
            sensor_pos, sensor_ori = vimu.trajectories(clip.poses, trans, skeleton)
            imu = vimu.from_trajectories(sensor_pos, sensor_ori, clip.fps)
            _, pos = forward_kinematics(clip.poses, clip.trans, skeleton, POSE_JOINT_IDS)
            frames.append(imu.features().astype(np.float32))
            truth.append(_frame_truth(clip.labels, VIRTUAL_CLASSES))
            lengths.append(clip.n_frames)
            subjects.append(s)
            desc_idx.append(DESCRIPTIONS.index(desc))
            performed_idx.append(ACTIVITY_NAMES.index(performed) if performed in ACTIVITY_NAMES else -1)
            mislabelled.append(wrong)
            keys.append(k)
            acc_stats.append(cleaning.acceleration_stats(imu.acc[:, 0]))
            pose_stats.append(cleaning.pose_stats(pos, subject.stature))
    acc_stats, pose_stats = np.array(acc_stats), np.array(pose_stats)
    descriptions = [DESCRIPTIONS[i] for i in desc_idx]
    label, stage = cleaning.posture_labelling(descriptions, VIRTUAL_CLASSES)
    label, stage, acc_z = cleaning.acceleration_filter(label, stage, acc_stats, VIRTUAL_CLASSES, spec.z_max)
    label, stage, pose_z = cleaning.pose_check(label, stage, pose_stats, VIRTUAL_CLASSES, spec.z_max)
    info = {"description": np.array(desc_idx), "performed": np.array(performed_idx),
            "mislabelled": np.array(mislabelled), "clip_index": np.array(keys), "stage": stage,
            "acc_peak_log": acc_stats[:, 0], "acc_var_log": acc_stats[:, 1], "acc_z": acc_z, "pose_z": pose_z,
            "described_label": np.array([VIRTUAL_CLASSES.index(cleaning.DESCRIPTION_TO_CATEGORY[d])
                                         if cleaning.DESCRIPTION_TO_CATEGORY[d] else -1 for d in descriptions])}
    info.update({f"pose_{name}": pose_stats[:, i] for i, name in enumerate(cleaning.POSE_FEATURES)})
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    return SequenceCorpus(np.concatenate(frames), bounds, label, np.array(subjects), VIRTUAL_CLASSES, SENSORS,
                          60.0, info, np.concatenate(truth))


def cleaning_summary(corpus: SequenceCorpus):
    """Per cleaning stage: clips removed, how many of them were truly mislabelled or irrelevant; a DataFrame."""
    import pandas as pd

    stage = corpus.info["stage"]
    wrong = corpus.info["mislabelled"].astype(bool)
    rows = []
    for code, name in enumerate(cleaning.STAGES):
        sel = stage == code
        rows.append({"stage": name, "clips": int(sel.sum()), "truly mislabelled": int((sel & wrong).sum())})
    frame = pd.DataFrame(rows).set_index("stage")
    frame.loc["all clips"] = [corpus.n_clips, int(wrong.sum())]
    return frame


# ------------------------------------------------------------------------------------ real-sensor corpus

#: Bouts per real-sensor class: (activity, bout seconds); bouts are separated by standing rests.
SESSION_BOUTS = {
    "walking": ("walking", (6.0, 12.0)), "jumping": ("jumping", (4.0, 8.0)),
    "stretching arms": ("stretching_arms", (6.0, 12.0)), "stretching legs": ("stretching_legs", (6.0, 12.0)),
    "computer works": ("computer_work", (12.0, 25.0)),
}
REST_S = (2.0, 5.0)  # standing rest between bouts (recording protocol, model); none at the desk


def _session_plan(cls: str, total_s: float, rng: np.random.Generator) -> tuple[list[str], list[float]]:
    """The motions of one DIP-like session of class ``cls`` lasting about ``total_s`` seconds.

    A session is bouts of the class's activity (each with its own style draw: a stretching-legs bout
    may be leg raises, lunges or stepping) separated by standing rests of 2-5 s, as a recording
    protocol has; the rests carry the session's label, as DIP's per-file labels do. Computer work
    is one seated activity throughout (its generator alternates typing, mouse work and pauses).
    """
    if cls not in SESSION_BOUTS:
        raise ValueError(f"unknown real-sensor class {cls!r}; use one of {list(REAL_CLASSES)}")
    activity, bout = SESSION_BOUTS[cls]
    names, durations, t = [], [], 0.0
    while t < total_s:
        if names and activity != "computer_work":
            rest = float(rng.uniform(*REST_S))
            names.append("standing")
            durations.append(rest)
            t += rest
        dur = float(rng.uniform(*bout))
        if names and names[-1] == activity:
            durations[-1] += dur
        else:
            names.append(activity)
            durations.append(dur)
        t += dur
    return names, durations


def _sensor_effects(imu, rng: np.random.Generator):
    """Sim-to-real: lib.body's sensor model with the research-IMU preset (DIP records with Xsens units)."""
    return SensorModel.research().corrupt(imu, rng)


def build_real_corpus(spec: RealSpec) -> SequenceCorpus:
    """One session per class per subject, virtual IMUs + sensor effects; subjects are new people.

    Each session is cut into runs of what is performed: runs of the session's class keep it, other runs
    (standing rests) get label -1 (``info["session"]`` names the session's class for every run)."""
    vimu = VirtualIMU(P4_SITES, gyro=False)
    frames, truth, lengths, subjects, labels, sessions = [], [], [], [], [], []
    for s in range(spec.n_subjects):
        subject = sample_subject(np.random.default_rng([spec.seed, 10, s]), id=f"r{s}")
        skeleton = subject.skeleton()
        for c, cls in enumerate(REAL_CLASSES):
            rng = np.random.default_rng([spec.seed, 11, s, c])
            names, durations = _session_plan(cls, spec.session_s, rng)
            clip = generate_sequence(names, durations, subject=subject, rng=rng)
            imu = vimu(clip, skeleton)
            if spec.sensor_effects:
                imu = _sensor_effects(imu, np.random.default_rng([spec.seed, 12, s, c]))
            feats = imu.features().astype(np.float32)
            real_truth = _to_real_truth(_frame_truth(clip.labels, VIRTUAL_CLASSES))
            own = (real_truth == c).astype(np.int64)
            edges = np.concatenate([[0], np.flatnonzero(own[1:] != own[:-1]) + 1, [len(own)]])
            for a, b in zip(edges[:-1], edges[1:]):
                frames.append(feats[a:b])
                truth.append(real_truth[a:b])
                lengths.append(b - a)
                subjects.append(1000 + s)
                labels.append(c if own[a] else -1)
                sessions.append(c)
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    return SequenceCorpus(np.concatenate(frames), bounds, np.array(labels), np.array(subjects), REAL_CLASSES,
                          SENSORS, 60.0, {"session": np.array(sessions)}, np.concatenate(truth))


def _to_real_truth(virtual_truth: np.ndarray) -> np.ndarray:
    lut = np.array([REAL_CLASSES.index(c) if c in REAL_CLASSES else -1 for c in VIRTUAL_CLASSES] + [-1], np.int16)
    return lut[np.where(virtual_truth < 0, len(VIRTUAL_CLASSES), virtual_truth)]


# ------------------------------------------------------------------------------------ real DIP-IMU

DIP_LABELS_FILE = "p4_labels.csv"
DIP_LAYOUT = (f"DIP_IMU/s_XX/NN.pkl as published (dip.is.tue.mpg.de) plus {DIP_LABELS_FILE} with one row "
              f"'s_XX/NN.pkl,<class>' per recording, class one of {list(REAL_CLASSES)} (the paper's mapping of "
              "DIP files to classes is not published, so you give it)")


def read_dip_labels(path: Path) -> dict[str, int]:
    """``p4_labels.csv`` -> {"s_01/01.pkl": class index}. Rows: relative file, class name (header optional).

    Read as UTF-8 with or without BOM (:func:`lib.datasets.errors.read_text`); a malformed row raises
    :class:`~lib.datasets.errors.DataFormatError` naming the file and the line.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; the real-DIP path needs it: {DIP_LAYOUT}")
    out = {}
    reader = csv.reader(io.StringIO(read_text(path, "DIP label file"), newline=""))
    for row in reader:
        n = reader.line_num
        if not row or row[0].strip().startswith("#") or (n == 1 and row[0].strip().lower() == "file"):
            continue
        if len(row) < 2:
            raise DataFormatError(path, f"line {n}: expected 'file,class', got {row}", DIP_LAYOUT)
        name, cls = row[0].strip(), row[1].strip()
        if cls not in REAL_CLASSES:
            raise DataFormatError(path, f"line {n}: class {cls!r} is not one of {list(REAL_CLASSES)}", DIP_LAYOUT)
        out[name] = REAL_CLASSES.index(cls)
    if not out:
        raise DataFormatError(path, "lists no recordings", DIP_LAYOUT)
    return out


#: DIP-IMU's usual held-out people (s_09, s_10; TransPose and IMUPoser train on s_01-s_08).
DIP_TEST_SUBJECTS = (9, 10)


def load_dip_corpus(data_root: str | Path) -> SequenceCorpus:
    """Real DIP-IMU recordings named in ``p4_labels.csv`` as a SequenceCorpus (3 sensors, 36 features).

    When s_09 and s_10 are both among the files, ``info["test_split"]`` marks them as DIP's usual
    held-out people, which :func:`lib.virtual_har.experiments.real_split` keeps for every seed (8 / 2);
    otherwise the split is 7:3 by subject per seed (P4 §4.1)."""
    root = Path(data_root)
    labels = read_dip_labels(root / DIP_LABELS_FILE)
    base = root / "DIP_IMU" if (root / "DIP_IMU").is_dir() else root
    frames, lengths, label, subject = [], [], [], []
    for rel, cls in sorted(labels.items()):
        seq = load_dip(base / rel, sensors="p4")
        feats = np.concatenate([seq.acc, seq.ori.reshape(seq.n_frames, -1, 9)], axis=-1).reshape(seq.n_frames, -1)
        frames.append(feats.astype(np.float32))
        lengths.append(seq.n_frames)
        label.append(cls)
        subject.append(int(seq.subject.split("_")[-1]) if seq.subject.startswith("s_") else len(subject))
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    subject = np.array(subject)
    # DIP's usual subject split (TransPose, IMUPoser): s_09 and s_10 held out, when both are present
    info = {"test_split": np.isin(subject, DIP_TEST_SUBJECTS)} if set(DIP_TEST_SUBJECTS) <= set(subject) else {}
    return SequenceCorpus(np.concatenate(frames), bounds, np.array(label), subject, REAL_CLASSES, SENSORS, 60.0, info)


# ------------------------------------------------------------------------------------ real mocap (CMU BVH)

#: CMU subject-131 clips in the real-data folder's ``cmu_mocap`` and their descriptions in the CMU database
#: (mocap.cs.cmu.edu).
CMU_DESCRIPTIONS = {"131_01": "start, walk, stop", "131_02": "start, walk, stop", "131_03": "start, hop, stop"}


def mocap_features(bvh_path: str | Path, translation: bool = False) -> tuple[np.ndarray, float]:
    """A real mocap clip through the virtual-corpus pipeline: (T, 36) features at 60 Hz and the stature.

    The BVH is read and retargeted to SMPL-24 (:func:`lib.datasets.bvh.to_motion_clip`), resampled to
    60 Hz and read out by the same three virtual IMUs on an SMPL skeleton of the recording's stature,
    with or without the root translation as the virtual corpus (``translation``).
    """
    clip = to_motion_clip(load_bvh(bvh_path), fps=60.0)
    stature = float(clip.subject.get("stature") or 1.75)
    skeleton = Subject(stature=stature, id=Path(bvh_path).stem).skeleton()
    vimu = VirtualIMU(P4_SITES, gyro=False)
    trans = clip.trans if translation else np.zeros_like(clip.trans)
    sensor_pos, sensor_ori = vimu.trajectories(clip.poses, trans, skeleton)
    return vimu.from_trajectories(sensor_pos, sensor_ori, 60.0).features().astype(np.float32), stature


# ------------------------------------------------------------------------------------ caching

CORPUS_VERSION = "2"
REAL_CORPUS_VERSION = "3"  # 3: sessions cut into bouts and left-out rests


def virtual_corpus(spec: VirtualSpec, cache_dir=None) -> SequenceCorpus:
    """:func:`build_virtual_corpus`, cached on disk by the spec."""
    arrays = cached("p4_virtual_corpus", asdict(spec), CORPUS_VERSION,
                    lambda: build_virtual_corpus(spec).to_arrays(), cache_dir=cache_dir)
    return SequenceCorpus.from_arrays(arrays)


def real_corpus(spec: RealSpec, cache_dir=None) -> SequenceCorpus:
    """:func:`build_real_corpus`, cached on disk by the spec."""
    arrays = cached("p4_real_corpus", asdict(spec), REAL_CORPUS_VERSION,
                    lambda: build_real_corpus(spec).to_arrays(), cache_dir=cache_dir)
    return SequenceCorpus.from_arrays(arrays)
