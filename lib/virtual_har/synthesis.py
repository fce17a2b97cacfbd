"""Notebook 40's experiments: the motions behind P4 Fig. 1-4 and real CMU walks beside procedural ones.

Every motion is a deterministic function of the run's seed (each draws from its own generator,
``np.random.default_rng([seed, stream, ...])``), so :mod:`lib.virtual_har.figures` can regenerate the
figures of notebook 40 from its results record in seconds. Accelerations follow DIP's convention, which
P4 uses: world frame, gravity removed (:data:`VIMU`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lib import verdict
from lib.body.analysis import dominant_frequency, horizontal_speed, moving_segment, rms, spectrum, step_frequency
from lib.body.clip import MotionClip
from lib.body.imu import P4_SITES, IMUData, SensorSite, VirtualIMU
from lib.body.kinematics import joint_positions
from lib.body.motions import generate
from lib.body.sensors import SensorModel
from lib.body.skeleton import JOINT_INDEX, Subject, sample_subject, skeleton_from_stature
from lib.datasets.bvh import load_bvh, to_motion_clip
from lib.paths import SHARED_DATA

#: The virtual IMU of notebook 40: P4's three sites, DIP's convention (world frame, gravity-free).
VIMU = VirtualIMU(P4_SITES, acc_frame="world", gravity=False)
SITES = tuple(site.name for site in P4_SITES)
FPS = 60.0
#: CMU subject 131's walks ("start, walk, stop", 120 fps; 131_03 is a hop), from mocap.cs.cmu.edu.
CMU_WALK_STEMS = ("131_01", "131_02")
CMU_MOCAP_DIR = SHARED_DATA / "cmu_mocap"  # CMU subject 131's BVH files, when present
N_DRAWS = 5  # procedural walks per recording (and variant), each its own draw of the motion library
REAL, MODEL, MATCHED = "real mocap", "procedural, model cadence", "procedural, recording's cadence"
HIGH_HZ = 3.0  # the share of the wrist's |a| power above this frequency
#: The checks of the CMU comparison: value -> (target, tolerance) for :func:`lib.verdict.within`.
TARGETS = {"cadence_ratio": (1.0, 0.15), **{f"rms_ratio_{s}": (1.0, 0.5) for s in SITES}, "peak_diff_hz": (0.0, 0.3)}


# --------------------------------------------------------------------------- Eq. (3)

def turning_check(radius_m: float = 0.4, rev_per_s: float = 0.5, seconds: float = 3.0) -> dict:
    """Eq. (3) against a known answer: a body turning on the spot at ``rev_per_s`` revolutions per second
    carries a sensor ``radius_m`` metres from the axis (beside the pelvis). It must feel the centripetal
    acceleration ω²r and its gyroscope must read ω.

    Returns {"expected": ω²r (m/s²), "finite_difference": mean |a| of the virtual sensor (m/s²),
    "gyro": mean angular rate about the vertical axis (rad/s), "omega": ω (rad/s)}."""
    t = np.arange(int(round(seconds * FPS))) / FPS
    spin = np.zeros((t.size, 24, 3))  # axis-angle rotation of each SMPL joint; the root turns about y
    spin[:, 0, 1] = 2 * np.pi * rev_per_s * t
    turning = MotionClip(spin, np.tile([0.0, 1.0, 0.0], (t.size, 1)), FPS)
    side = SensorSite("side", JOINT_INDEX["pelvis"], offset=(radius_m, 0.0, 0.0))
    reading = VirtualIMU([side])(turning, skeleton_from_stature(1.75))
    omega = 2 * np.pi * rev_per_s
    return {"expected": omega**2 * radius_m,
            "finite_difference": float(np.linalg.norm(reading.acc[:, 0], axis=1).mean()),
            "gyro": float(reading.gyro[:, 0, 1].mean()), "omega": omega}


# --------------------------------------------------------------------------- Fig. 1-2

def fig12_motions(seed: int, clip_s: float) -> dict:
    """One subject's walk at 1.3 m/s and run at 3.5 m/s (Fig. 1-2), ``clip_s`` seconds each.

    Returns {"person": Subject, "body": its skeleton, "walk_imu", "run_imu": :class:`IMUData` at 60 Hz}.
    """
    person = sample_subject(np.random.default_rng([seed, 1]), id="fig12")
    body = person.skeleton()
    walk = generate("walking", clip_s, subject=person, rng=np.random.default_rng([seed, 2]), speed=1.3)
    jog = generate("running", clip_s, subject=person, rng=np.random.default_rng([seed, 3]), speed=3.5)
    return {"person": person, "body": body, "walk_imu": VIMU(walk, body), "run_imu": VIMU(jog, body)}


def wrist_features(activity: str, k: int, seed: int, clip_s: float) -> dict:
    """Clip ``k`` of ``activity`` ("walking" | "running") by a new subject: its speed (m/s) and the peak,
    variance (m²/s⁴), RMS (m/s²) and dominant frequency (Hz) of the left wrist's acceleration magnitude."""
    rng = np.random.default_rng([seed, 10, k, ("walking", "running").index(activity)])
    subject = sample_subject(rng, id=f"{activity}{k}")
    clip = generate(activity, clip_s, subject=subject, rng=rng)
    a = VIMU(clip, subject.skeleton()).acc[:, 0]
    mag = np.linalg.norm(a, axis=1)
    return {"activity": activity, "speed_m_s": clip.subject["motion"]["speed"], "peak": mag.max(),
            "variance": mag.var(), "rms": rms(a), "dominant_hz": dominant_frequency(mag, FPS)}


def fig12_statistics(seed: int, n_clips: int, clip_s: float) -> pd.DataFrame:
    """:func:`wrist_features` of ``n_clips`` walks and ``n_clips`` runs, one row each."""
    return pd.DataFrame([wrist_features(a, k, seed, clip_s) for a in ("walking", "running") for k in range(n_clips)])


def threshold_accuracy(stats: pd.DataFrame, feature: str) -> float:
    """The best accuracy of one threshold on ``feature`` telling running (above) from walking."""
    x, y = stats[feature].to_numpy(), (stats["activity"] == "running").to_numpy()
    return max(np.mean((x > c) == y) for c in np.unique(x))


# --------------------------------------------------------------------------- Fig. 3-4

def fig34_motions(seed: int, person: Subject) -> tuple:
    """6-s clips of rhythmic standing clapping (Fig. 3) and right-hand waving (Fig. 4) by ``person``."""
    clap = generate("clapping", 6.0, subject=person, rng=np.random.default_rng([seed, 4]),
                    style={"clap_posture": "standing", "clap_style": "rhythmic"})
    wave = generate("waving", 6.0, subject=person, rng=np.random.default_rng([seed, 5]),
                    style={"wave_style": "one_arm", "wave_hand": "right"})
    return clap, wave


def fig34_numbers(clap, wave, body) -> dict:
    """What a labeller would look for: the hands' closest and widest gap (m) and claps per second in the
    clapping clip; the share of frames with the right wrist above the shoulder in the waving clip."""
    clap_pos, wave_pos = joint_positions(clap, body), joint_positions(wave, body)
    hand_gap = np.linalg.norm(clap_pos[:, JOINT_INDEX["left_hand"]] - clap_pos[:, JOINT_INDEX["right_hand"]], axis=1)
    waving = np.mean(wave_pos[:, JOINT_INDEX["right_wrist"], 1] > wave_pos[:, JOINT_INDEX["right_shoulder"], 1])
    return {"hand_gap_min_m": hand_gap.min(), "hand_gap_max_m": hand_gap.max(),
            "clap_rate_hz": dominant_frequency(hand_gap, FPS, band=(0.5, 8.0)), "wrist_above_shoulder": waving}


# --------------------------------------------------------------------------- the sensor model

def sensor_model_reading(clean: IMUData, seed: int, model: SensorModel | None = None) -> tuple[SensorModel, IMUData]:
    """(model, readings): ``clean`` as a real sensor would record it through ``model`` (default: a consumer
    IMU, :meth:`lib.body.sensors.SensorModel.consumer`), the session's draws seeded by ``seed``."""
    model = SensorModel.consumer() if model is None else model
    return model, model.corrupt(clean, np.random.default_rng([seed, 7]))


# --------------------------------------------------------------------------- real CMU walks

def cmu_walks(cmu_bvh: str | None = None) -> list[Path]:
    """The BVH files of the CMU section: ``cmu_bvh`` alone when given, else every CMU walk present."""
    if cmu_bvh is not None:
        return [Path(cmu_bvh)]
    return [p for p in (CMU_MOCAP_DIR / f"{stem}.bvh" for stem in CMU_WALK_STEMS) if p.exists()]


def readout(imu: IMUData, seg: slice = slice(None)) -> dict:
    """The compared numbers over one walking segment: step frequency (Hz, from the thigh gyroscope), the
    wrist's dominant frequency (Hz) and its share of |a| power above :data:`HIGH_HZ`, RMS (m/s²) per sensor."""
    wrist = np.linalg.norm(imu.acc[seg, 0], axis=1)
    f, power = spectrum(wrist, FPS)
    row = {"step_hz": step_frequency(imu.gyro[seg, 1], FPS), "wrist_dominant_hz": dominant_frequency(wrist, FPS),
           "wrist_high_share": power[f > HIGH_HZ].sum() / power.sum()}
    return row | {f"rms_{site}": rms(imu.acc[seg, k]) for k, site in enumerate(imu.sites)}


def recording_and_draws(r: int, bvh_path: Path, seed: int, units: str, n_draws: int = N_DRAWS) -> tuple[list, float]:
    """Recording number ``r`` through the virtual IMU, with ``n_draws`` procedural walks per variant.

    Returns ([(motion, draw, imu, segment)], walking speed in m/s); the first entry is the recording
    (:data:`REAL`, its walking segment), then draw k of :data:`MODEL` and :data:`MATCHED` for each k
    (both share draw k's random gait). Prints the walking segment it found.
    """
    cmu = to_motion_clip(load_bvh(bvh_path, units=units), fps=FPS)
    subject = Subject(stature=float(cmu.subject["stature"]), id=bvh_path.stem)
    segment = moving_segment(cmu.trans, FPS)
    speed, walk_s = horizontal_speed(cmu.trans, FPS, segment), (segment.stop - segment.start) / FPS
    print(f"{bvh_path.stem}: walking segment {walk_s:.1f} s at {speed:.2f} m/s, stature {subject.stature:.2f} m")
    real = VIMU(cmu, subject.skeleton())
    styles = {MODEL: None, MATCHED: {"step_hz": step_frequency(real.gyro[segment, 1], FPS)}}
    runs = [(REAL, 0, real, segment)]
    for k in range(n_draws):
        for name, style in styles.items():
            clip = generate("walking", walk_s, subject=subject, speed=speed, style=style,
                            rng=np.random.default_rng([seed, 6, r, k]))
            runs.append((name, k, VIMU(clip, subject.skeleton()), slice(None)))
    return runs, speed


def comparison_rows(recordings: dict) -> pd.DataFrame:
    """One row per recording and motion draw ({stem: (runs, speed)} of :func:`recording_and_draws`):
    :func:`readout`, speed, step length (m) and the wrist's peak per step."""
    rows = pd.DataFrame([{"recording": stem, "motion": name, "draw": k, "speed_m_s": speed} | readout(imu, seg)
                         for stem, (runs, speed) in recordings.items() for name, k, imu, seg in runs])
    if len(rows):
        rows["step_length_m"] = rows.speed_m_s / rows.step_hz
        rows["wrist_peak_per_step"] = rows.wrist_dominant_hz / rows.step_hz
    return rows


def comparison_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The means per (recording, motion) of :func:`comparison_rows` (procedural rows: mean over draws)."""
    return pd.DataFrame(rows).groupby(["recording", "motion"], sort=False).mean(numeric_only=True).drop(columns="draw")


def per_walk(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (recording, procedural draw): model cadence ÷ real, RMS per sensor ÷ real (recording's
    cadence), and the wrist's dominant peak minus the real one (Hz)."""
    rows = pd.DataFrame(rows)
    real = rows[rows.motion == REAL].set_index("recording")
    model_cad, matched = rows[rows.motion == MODEL], rows[rows.motion == MATCHED]

    def of_real(walks, col):  # each walk's recording's value of col
        return real.loc[walks.recording, col].to_numpy()

    return pd.DataFrame({"recording": matched.recording.to_numpy(), "draw": matched["draw"].to_numpy(),
                         "cadence_ratio": model_cad.step_hz.to_numpy() / of_real(model_cad, "step_hz"),
                         **{f"rms_ratio_{s}": matched[f"rms_{s}"].to_numpy() / of_real(matched, f"rms_{s}")
                            for s in SITES},
                         "peak_diff_hz": matched.wrist_dominant_hz.to_numpy() - of_real(matched, "wrist_dominant_hz")})


def own_verdicts(walks: pd.DataFrame, col: str) -> dict:
    """recording -> :func:`lib.verdict.within` of ``col`` from the spread of its own draws (:data:`TARGETS`)."""
    return {stem: verdict.within(g[col], *TARGETS[col]) for stem, g in pd.DataFrame(walks).groupby("recording", sort=False)}


def checks(walks: pd.DataFrame) -> tuple[dict, dict]:
    """(each check's verdict as the weakest recording's, each check pooled over every walk)."""
    walks = pd.DataFrame(walks)
    pooled = {col: verdict.within(walks[col], *target) for col, target in TARGETS.items()}
    weakest = {col: verdict.weakest(*own_verdicts(walks, col).values()) for col in TARGETS}
    return weakest, pooled


def per_recording(walks: pd.DataFrame, col: str) -> str:
    """ "131_01 1.31 ± 0.06 does not hold, ...": each recording's own verdict on ``col``."""
    return ", ".join(f"{stem} {v.estimate:.2f} ± {v.spread:.2f} {v.label}" for stem, v in own_verdicts(walks, col).items())


def checks_table(walks: pd.DataFrame) -> pd.DataFrame:
    """Each check: target, each recording's verdict, the weakest recording's, and the pooled one."""
    weakest, pooled = checks(walks)
    return pd.DataFrame([{"value": col, "target": f"{TARGETS[col][0]:g} ± {TARGETS[col][1]:g}",
                          "each recording": per_recording(walks, col), "verdict (weakest recording)": weakest[col].label,
                          "pooled": f"{v.estimate:.3f} ± {v.spread:.3f} ({v.label})"}
                         for col, v in pooled.items()]).set_index("value")


def shown_walks(recordings: dict) -> tuple[str, list]:
    """(first recording's stem, [(label, imu, segment)]): the recording beside draw 1 of each procedural
    variant, as the CMU figure shows them."""
    first, (runs, _) = next(iter(recordings.items()))
    return first, [(f"CMU {first} (real mocap)" if name == REAL else f"{name}, draw 1 of {N_DRAWS}", imu, seg)
                   for name, k, imu, seg in runs if k == 0]


# --------------------------------------------------------------------------- the recorded values

ROUNDED = ("fig12_stats", "cmu_vs_procedural", "cmu_per_walk")


def values_40(results: dict) -> dict:
    """What notebook 40 records from its ``results`` (the dict :func:`lib.virtual_har.claims.synthesis_claims`
    reads): the tables of :data:`ROUNDED` rounded to 4 decimals, plus each CMU check's verdict
    ("cmu_checks": the weakest recording's; "cmu_checks_pooled": over every walk) as plain dicts."""
    values = dict(results)
    for key in ROUNDED:
        values[key] = pd.DataFrame(results[key]).round(4).to_dict("records")
    walks = pd.DataFrame(results["cmu_per_walk"])
    weakest, pooled = checks(walks) if len(walks) else ({}, {})
    values["cmu_checks"] = {col: vars(v) for col, v in weakest.items()}
    values["cmu_checks_pooled"] = {col: vars(v) for col, v in pooled.items()}
    return values
