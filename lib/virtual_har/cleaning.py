"""The three labelling and filtering steps of §2.3, applied clip by clip.

1. **Posture-based labelling.** Each motion's description (AMASS keeps one per file: "walk", "jog",
   "stretch arms", ...) is mapped to one of the categories by :data:`DESCRIPTION_TO_CATEGORY`. Two
   kinds of motion are removed, as §2.3 says (:data:`REMOVED`): motions with little relevance to
   daily activities (boxing and other martial or sport motions), and motions with frequent
   transitions ("walk stop run": 1.5-3.5-s segments), which would conflict with the 1-s windows.
2. **Acceleration-based filtering.** "Data is further cleaned based on the differences in the
   characteristics of acceleration (e.g. peaks, variances)" using the left-wrist sensor: per clip
   the peak |a| (99th percentile) and the variance of |a| (both in log), compared with the other
   clips of the same category by a robust z-score z = 0.6745·(v − median)/MAD; a clip with |z| >
   ``z_max`` in either statistic is removed. Applied to the categories whose accelerations are
   characteristic (:data:`ACCELERATION_CHECKED`).
3. **Visual check with the body model.** §2.3 visualises the SMPL motion for activities with weak
   acceleration signatures (stretching arms) and deletes mislabelled ones. Our stand-in for the
   human reviewer is the same robust outlier rule on pose statistics from forward kinematics
   (upper-arm elevation, hand-to-hand distance, thigh elevation, time with a wrist above the head,
   pelvis height / stature) for :data:`POSE_CHECKED`; the notebook draws the flagged clips as stick
   figures beside kept ones so a reader can do the check by eye.

Each clip ends with a stage code (:data:`STAGES`): where it was removed, or 0 = kept.
"""

from __future__ import annotations

import numpy as np

STAGES = ("kept", "irrelevant motion", "fast transitions", "acceleration filter", "pose check")

#: AMASS-style motion descriptions -> category (posture-based labelling). None = removed (see REMOVED).
DESCRIPTION_TO_CATEGORY = {
    "walk": "walking", "jog": "running", "run": "running", "jump": "jumping", "hop": "jumping",
    "stairs up": "stairs", "stairs down": "stairs", "sit": "sitting", "stand": "standing",
    "type at computer": "computer works", "stretch arms": "stretching arms", "stretch legs": "stretching legs",
    "clap": "clapping", "wave": "waving", "wipe": "cleaning",
    "box": None, "dance": None, "kick ball": None, "walk stop run": None,
}
#: Why a description is removed in step 1 (§2.3: irrelevant to daily life; frequent transitions).
REMOVED = {"box": "irrelevant motion", "dance": "irrelevant motion", "kick ball": "irrelevant motion",
           "walk stop run": "fast transitions"}

ACCELERATION_CHECKED = ("walking", "running", "jumping", "stairs", "sitting", "standing", "computer works",
                        "clapping", "waving", "cleaning")
POSE_CHECKED = ("stretching arms", "stretching legs", "clapping", "waving", "cleaning", "computer works",
                "sitting", "standing")
POSE_FEATURES = ("arm_elevation_deg", "hand_gap_m", "thigh_elevation_deg", "wrist_above_head", "pelvis_height_rel")
#: Smallest spread (MAD) per pose statistic, so a category whose clips agree exactly does not flag tiny deviations.
POSE_MAD_FLOOR = np.array([8.0, 0.04, 6.0, 0.08, 0.02])
ACC_MAD_FLOOR = np.array([0.15, 0.3])  # log units


def posture_labelling(descriptions, classes) -> tuple[np.ndarray, np.ndarray]:
    """Step 1: (M,) category index (-1 = removed) and (M,) stage code, from the motions' descriptions."""
    classes = list(classes)
    label = np.full(len(descriptions), -1, dtype=np.int64)
    stage = np.zeros(len(descriptions), dtype=np.int64)
    for m, desc in enumerate(descriptions):
        if desc not in DESCRIPTION_TO_CATEGORY:
            raise ValueError(f"motion description {desc!r} is not in the labelling table; "
                             f"known descriptions: {sorted(DESCRIPTION_TO_CATEGORY)}")
        cat = DESCRIPTION_TO_CATEGORY[desc]
        if cat is None:
            stage[m] = STAGES.index(REMOVED[desc])
        else:
            label[m] = classes.index(cat)
    return label, stage


def robust_z(values: np.ndarray, groups: np.ndarray, mad_floor: np.ndarray | float) -> np.ndarray:
    """Robust z-scores 0.6745·(v − median)/MAD of ``values`` (M,) or (M, D) within each group (M,)."""
    values = np.asarray(values, dtype=np.float64)
    flat = values.ndim == 1
    v = values[:, None] if flat else values
    z = np.zeros_like(v)
    floor = np.broadcast_to(np.asarray(mad_floor, dtype=np.float64), (v.shape[1],))
    for g in np.unique(groups):
        rows = groups == g
        med = np.median(v[rows], axis=0)
        mad = np.maximum(np.median(np.abs(v[rows] - med), axis=0), floor)
        z[rows] = 0.6745 * (v[rows] - med) / mad
    return z[:, 0] if flat else z


def acceleration_filter(label: np.ndarray, stage: np.ndarray, acc_stats: np.ndarray, classes,
                        z_max: float = 3.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step 2 on the clips still labelled. acc_stats: (M, 2) log peak and log variance of wrist |a|.
    Returns updated (label, stage) and the (M,) largest |z| (0 for unchecked clips)."""
    checked = np.isin(label, [list(classes).index(c) for c in ACCELERATION_CHECKED if c in classes])
    zmax = np.zeros(len(label))
    if checked.any():
        z = robust_z(acc_stats[checked], label[checked], ACC_MAD_FLOOR)
        zmax[checked] = np.abs(z).max(axis=1)
    out = checked & (zmax > z_max)
    label, stage = label.copy(), stage.copy()
    label[out] = -1
    stage[out] = STAGES.index("acceleration filter")
    return label, stage, zmax


def pose_check(label: np.ndarray, stage: np.ndarray, pose_stats: np.ndarray, classes,
               z_max: float = 3.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step 3 on the clips still labelled. pose_stats: (M, 5) in the order of :data:`POSE_FEATURES`.
    Returns updated (label, stage) and the (M,) largest |z| (0 for unchecked clips)."""
    checked = np.isin(label, [list(classes).index(c) for c in POSE_CHECKED if c in classes])
    zmax = np.zeros(len(label))
    if checked.any():
        z = robust_z(pose_stats[checked], label[checked], POSE_MAD_FLOOR)
        zmax[checked] = np.abs(z).max(axis=1)
    out = checked & (zmax > z_max)
    label, stage = label.copy(), stage.copy()
    label[out] = -1
    stage[out] = STAGES.index("pose check")
    return label, stage, zmax


def acceleration_stats(wrist_acc: np.ndarray) -> np.ndarray:
    """(2,) log peak (99th percentile) and log variance of the wrist acceleration magnitude (T, 3) m/s²."""
    mag = np.linalg.norm(wrist_acc, axis=-1)
    return np.log(np.array([np.percentile(mag, 99) + 1e-3, mag.var() + 1e-3]))


def pose_stats(pos: np.ndarray, stature: float) -> np.ndarray:
    """(5,) pose statistics from joint positions (T, 12, 3) in the order of :data:`POSE_JOINTS`."""
    p = {name: pos[:, i] for i, name in enumerate(POSE_JOINTS)}
    down = np.array([0.0, -1.0, 0.0])

    def elevation(a: np.ndarray, b: np.ndarray) -> np.ndarray:  # angle of segment a->b from straight down, deg
        d = b - a
        cos = (d @ down) / np.maximum(np.linalg.norm(d, axis=-1), 1e-9)
        return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))

    arm = np.maximum(elevation(p["left_shoulder"], p["left_elbow"]), elevation(p["right_shoulder"], p["right_elbow"]))
    thigh = np.maximum(elevation(p["left_hip"], p["left_knee"]), elevation(p["right_hip"], p["right_knee"]))
    gap = np.linalg.norm(p["left_wrist"] - p["right_wrist"], axis=-1)
    above = (np.maximum(p["left_wrist"][:, 1], p["right_wrist"][:, 1]) > p["head"][:, 1]).mean()
    pelvis = np.median(p["pelvis"][:, 1] - np.minimum(p["left_knee"][:, 1], p["right_knee"][:, 1])) / stature
    return np.array([np.percentile(arm, 95), np.percentile(gap, 5), np.percentile(thigh, 95), above, pelvis])


#: Joints (SMPL names) :func:`pose_stats` needs, in the order of its input.
POSE_JOINTS = ("pelvis", "left_hip", "right_hip", "left_knee", "right_knee", "head", "left_shoulder",
               "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist")
