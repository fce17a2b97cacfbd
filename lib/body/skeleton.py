"""SMPL-topology skeleton built from anthropometric ratios, and the subjects that parameterise it.

Topology: SMPL's 24 joints and parents (names from vchoutas/smplx ``smplx/joint_names.py``, parents from
IMUPoser's ``SMPL_PARENTS``). No SMPL model file is used (it is licensed); the rest pose is a T-pose in
SMPL's canonical frame:

* **Y up, body facing +Z, the body's left side on +X**, metres;
* arms horizontal along ±X with the palms down, legs straight down, feet pointing +Z.

Rest offsets (child joint relative to its parent, in the parent's rest frame) are segment lengths from
**Winter, *Biomechanics and Motor Control of Human Movement*, Fig. 4.1** (after Drillis & Contini 1966)
as fractions of stature H: thigh 0.245 H, shank 0.246 H, upper arm 0.186 H, forearm 0.146 H, hand
0.108 H, foot 0.152 H, landmark heights hip 0.530 H, knee 0.285 H, ankle 0.039 H, shoulder 0.818 H, chin
0.870 H, eye 0.936 H. How the trunk is split into spine1/2/3/neck/head and where joint centres sit
inside the outer breadths are modelling choices, marked "model" in :data:`REST_RATIOS`; SMPL's hip
joints sit roughly ±0.06–0.07 m from the pelvis (approximate, not checked against the licensed model),
which the 0.04 H hip half-width reproduces at H = 1.75 m.

Subjects (:func:`sample_subject`): stature ~ Normal(mean by sex, sd) clipped to [1.45, 2.05] m, with
means 1.759 m (male) and 1.618 m (female), the 50th-percentile statures of Huston, *Principles of
Biomechanics* (2009); the SDs (0.07 / 0.065 m) are typical adult values (model). Limb proportions vary
per segment group (legs, arms, trunk, breadth) by a factor ~ Normal(1, 0.03) clipped to [0.92, 1.08]
(model) — a ±5 % skeleton error changes the rotational part of a virtual acceleration by about ±5 % (the
terms ω×(ω×r) and α×r scale with the lever arm r), which is the point of varying it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lib.body.clip import N_JOINTS

#: SMPL joint names, index = joint id (vchoutas/smplx ``JOINT_NAMES``).
JOINT_NAMES = (
    "pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2", "left_ankle",
    "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar", "right_collar", "head",
    "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
    "left_hand", "right_hand",
)

#: SMPL parent of each joint (-1 for the root), as IMUPoser's ``SMPL_PARENTS``.
PARENTS = np.array([-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21])

JOINT_INDEX = {name: i for i, name in enumerate(JOINT_NAMES)}

#: Anthropometric landmark heights and segment lengths as fractions of stature (Winter Fig. 4.1).
WINTER = {
    "hip_height": 0.530, "knee_height": 0.285, "ankle_height": 0.039, "shoulder_height": 0.818,
    "chin_height": 0.870, "eye_height": 0.936, "chest_height": 0.720,
    "thigh": 0.245, "shank": 0.246, "upper_arm": 0.186, "forearm": 0.146, "hand": 0.108,
    "foot_length": 0.152, "shoulder_width": 0.259, "hip_width": 0.191,
}

# Rest offsets in units of stature H: (joint, (x, y, z), proportion group, source).
# Left joints have +x, right joints -x; mirrored pairs share a row.
_W = WINTER
REST_RATIOS = {
    "pelvis": ((0.0, 0.0, 0.0), "trunk", "root; its world position is the clip's trans"),
    "hip": ((0.040, -0.050, 0.0), "breadth", "model: joint centre inside the 0.191 H hip breadth, 0.05 H below the pelvis joint"),
    "knee": ((0.0, -_W["thigh"], 0.0), "legs", "Winter: thigh 0.245 H"),
    "ankle": ((0.0, -_W["shank"], 0.0), "legs", "Winter: shank 0.246 H"),
    "foot": ((0.0, -0.025, 0.070), "legs", "model: ball of the foot, about half the 0.152 H foot length ahead of the ankle"),
    "spine1": ((0.0, 0.060, 0.0), "trunk", "model: lumbar"),
    "spine2": ((0.0, 0.070, 0.0), "trunk", "model: lower thorax, at the 0.720 H chest height"),
    "spine3": ((0.0, 0.030, 0.0), "trunk", "model: upper thorax"),
    "neck": ((0.0, 0.100, 0.0), "trunk", "model: base of the neck at 0.84 H, just above the 0.818 H shoulder"),
    "head": ((0.0, 0.050, 0.0), "trunk", "model: head joint at 0.89 H, between chin 0.870 H and eye 0.936 H"),
    "collar": ((0.045, 0.060, 0.0), "breadth", "model: sterno-clavicular to 0.80 H"),
    "shoulder": ((0.065, 0.0, 0.0), "breadth", "model: gleno-humeral centre at 0.11 H, inside the 0.13 H acromial half-width"),
    "elbow": ((_W["upper_arm"], 0.0, 0.0), "arms", "Winter: upper arm 0.186 H"),
    "wrist": ((_W["forearm"], 0.0, 0.0), "arms", "Winter: forearm 0.146 H"),
    "hand": ((0.050, 0.0, 0.0), "arms", "model: knuckles, about half of the 0.108 H hand"),
}

PROPORTION_GROUPS = ("legs", "arms", "trunk", "breadth")

#: Stature model (metres) by sex: mean (Huston 2009, 50th percentile) and SD (model).
STATURE = {"male": (1.759, 0.070), "female": (1.618, 0.065)}
STATURE_RANGE = (1.45, 2.05)
PROPORTION_SD = 0.03
PROPORTION_RANGE = (0.92, 1.08)


def _ratio_row(joint: str) -> tuple[str, float]:
    """(key in REST_RATIOS, x sign) for a SMPL joint name."""
    for side, sign in (("left_", 1.0), ("right_", -1.0)):
        if joint.startswith(side):
            return joint[len(side):], sign
    return joint, 1.0


@dataclass(frozen=True)
class Skeleton:
    """Rest offsets of the 24 SMPL joints for one body.

    offsets: (24, 3) metres, child relative to parent in the T-pose (offsets[0] = 0: the pelvis sits at ``trans``)
    stature: metres
    """

    offsets: np.ndarray
    stature: float
    parents: np.ndarray = field(default_factory=lambda: PARENTS.copy())

    def __post_init__(self) -> None:
        offsets = np.asarray(self.offsets, dtype=np.float64)
        if offsets.shape != (N_JOINTS, 3) or not np.isfinite(offsets).all():
            raise ValueError(f"Skeleton.offsets must be a finite (24, 3) array in metres; got shape {offsets.shape}")
        object.__setattr__(self, "offsets", offsets)

    @property
    def rest_positions(self) -> np.ndarray:
        """(24, 3) joint positions in the T-pose with the pelvis at the origin."""
        pos = np.zeros((N_JOINTS, 3))
        for j in range(1, N_JOINTS):
            pos[j] = pos[self.parents[j]] + self.offsets[j]
        return pos

    @property
    def bone_lengths(self) -> np.ndarray:
        """(24,) distance of each joint from its parent (0 for the root), metres."""
        return np.linalg.norm(self.offsets, axis=1)

    @property
    def pelvis_height(self) -> float:
        """Pelvis height above the floor when standing upright (ankles at Winter's 0.039 H)."""
        rest = self.rest_positions
        return float(-rest[JOINT_INDEX["left_ankle"], 1] + WINTER["ankle_height"] * self.stature)

    @property
    def leg_length(self) -> float:
        """Hip-to-ankle length (thigh + shank), metres."""
        return float(self.bone_lengths[JOINT_INDEX["left_knee"]] + self.bone_lengths[JOINT_INDEX["left_ankle"]])


def skeleton_from_stature(stature: float = 1.75, proportions: dict[str, float] | None = None) -> Skeleton:
    """An SMPL-topology skeleton for a body of ``stature`` metres.

    proportions: optional scale per group in :data:`PROPORTION_GROUPS` (1.0 = Winter's average body).
    """
    if not np.isfinite(stature) or not 0.5 <= stature <= 2.6:
        raise ValueError(f"stature={stature!r} m is outside 0.5-2.6 m; give the body height in metres, e.g. 1.75")
    proportions = dict(proportions or {})
    unknown = set(proportions) - set(PROPORTION_GROUPS)
    if unknown:
        raise ValueError(f"proportions has unknown group(s) {sorted(unknown)}; use {list(PROPORTION_GROUPS)}")
    offsets = np.zeros((N_JOINTS, 3))
    for j, name in enumerate(JOINT_NAMES):
        key, sign = _ratio_row(name)
        ratio, group, _ = REST_RATIOS[key]
        scale = proportions.get(group, 1.0)
        offsets[j] = np.array(ratio) * (sign, 1.0, 1.0) * stature * scale
    return Skeleton(offsets=offsets, stature=float(stature))


@dataclass(frozen=True)
class Subject:
    """One simulated person: body size and proportions (motion style lives with the motion).

    stature: metres; sex: "male" | "female"; proportions: group -> scale factor; id: free label.
    """

    stature: float = 1.75
    sex: str = "male"
    proportions: dict = field(default_factory=lambda: {g: 1.0 for g in PROPORTION_GROUPS})
    id: str = "s0"

    def skeleton(self) -> Skeleton:
        """The SMPL-topology :class:`Skeleton` for this stature and these proportions (metres)."""
        return skeleton_from_stature(self.stature, self.proportions)

    def as_dict(self) -> dict:
        """id, stature (m), sex and proportions as a plain dict, numbers rounded to 4 decimals."""
        return {"id": self.id, "stature": round(self.stature, 4), "sex": self.sex,
                "proportions": {k: round(v, 4) for k, v in self.proportions.items()}}


def sample_subject(rng: np.random.Generator, sex: str | None = None, id: str = "s0") -> Subject:
    """Draw a subject: sex uniform (unless given), stature and limb proportions as in the module docstring."""
    if sex is None:
        sex = "male" if rng.random() < 0.5 else "female"
    if sex not in STATURE:
        raise ValueError(f"sex={sex!r} is unknown; use one of {list(STATURE)} or None for a random draw")
    mean, sd = STATURE[sex]
    stature = float(np.clip(rng.normal(mean, sd), *STATURE_RANGE))
    scales = np.clip(rng.normal(1.0, PROPORTION_SD, len(PROPORTION_GROUPS)), *PROPORTION_RANGE)
    return Subject(stature=stature, sex=sex, proportions=dict(zip(PROPORTION_GROUPS, map(float, scales))), id=id)
