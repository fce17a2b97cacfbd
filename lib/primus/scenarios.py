"""Table I of PRIMUS as data: the pretraining scenarios, the three downstream tasks, the two devices.

Each class is a **scenario**: a mixture of atomic activities of the body model (:mod:`lib.body.activities`)
performed in one kind of place. A recording ("take") of a scenario chains atomic activities drawn
from the mixture (6–20 s each), so a 5-s window of a cooking take may show the person walking to the
fridge — its label is still "cook", as EgoExo4D and Ego4D label windows by the take's scenario (PRIMUS reference
code, Nokia-Bell-Labs/pretrained-imu-encoders, scripts/construct_egoexo_labels.py and construct_ego_labels.py).

=====================  ======================================  ==========  ===========  ================
task (mirrors)         classes                                 device      input dom.   output dom.
=====================  ======================================  ==========  ===========  ================
pretraining (EgoExo4D) the 8 skilled scenarios                 glasses     —            —
egoexo4d               the same 8 skilled scenarios            glasses     same         same
ego4d                  10 daily-life scenarios (2 shared)      glasses     same         different
realworld              8 locomotion / posture classes          head_phone  different    different
=====================  ======================================  ==========  ===========  ================

The REALWORLD row: the paper (§III-A) describes REALWORLD as "a human activity recognition dataset
with 8 predefined classes, that contain data captured by various Samsung Galaxy-S4 and LG G-Watch-R
placed at different positions on the body", of which PRIMUS uses "the data from the head-placed sensor",
split by user, and out of domain "since both the set of activities and device type are different from
EgoExo4D". Our task matches it in its classes (:data:`LOCOMOTION`, one activity per take, as REALWORLD
recorded each activity on its own), its user-based split (train subjects ≠ test subjects) and its device
type (``"head_phone"``: an Android phone with an MPU-6500-class IMU strapped to the side of the head,
Android's sensor frame, read at 50 Hz without anti-alias filter, against the pretraining glasses'
research-grade IMU at eye level). It departs in size (our subject and window counts,
:class:`lib.primus.world.WorldConfig`), in the phone's place and orientation on the head (our
assumption) and in what is not simulated (the watch, the other six positions, lost samples); the
item-by-item table and each device parameter's source are in :mod:`lib.primus.world`.

Where the body library has no dedicated motion for a scenario (a COVID test, eating, carpentry,
farming, construction, caring for children), the scenario is a documented mixture of the motions that
make it up (:data:`STAND_INS` lists them, so a figure can say so); when :mod:`lib.body` gains such an
activity under the name given here, it is used automatically.
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.body.activities import ACTIVITY_NAMES


@dataclass(frozen=True)
class Scenario:
    """A class: ``mixture`` = ((atomic activity, weight), ...); ``scenes`` = where it happens."""

    name: str
    mixture: tuple
    scenes: tuple
    wanted: str | None = None  # a dedicated body activity that would replace the main stand-in

    def resolved(self) -> tuple:
        """The mixture, with ``wanted`` taking the first entry's weight when the body library has it."""
        if self.wanted and self.wanted in ACTIVITY_NAMES:
            return ((self.wanted, self.mixture[0][1]),) + tuple(self.mixture[1:])
        return self.mixture

    @property
    def activities(self) -> tuple:
        """The names of the atomic activities the scenario is made of (stand-ins resolved)."""
        return tuple(name for name, _ in self.resolved())


def _s(name, mixture, scenes, wanted=None):
    return Scenario(name, tuple(mixture), tuple(scenes), wanted)


#: EgoExo4D's eight skilled-activity scenarios (the classes of the PRIMUS reference code's
#: scripts/construct_egoexo_labels.py); pretraining and task "egoexo4d".
SKILLED = (
    _s("medical test", [("wiping", 0.45), ("standing", 0.35), ("sitting", 0.2)], ["clinic", "kitchen"], "covid_test"),
    _s("repair bike", [("bike_repair", 0.7), ("standing", 0.15), ("walking", 0.15)], ["garage", "workshop", "street"]),
    _s("climb rock", [("climbing", 0.75), ("standing", 0.15), ("walking", 0.1)], ["climbing gym", "bouldering wall"]),
    _s("soccer", [("kicking_ball", 0.4), ("running", 0.2), ("jogging", 0.2), ("standing", 0.1), ("jumping", 0.1)],
       ["football pitch", "basketball court"]),
    _s("perform CPR", [("cpr", 0.8), ("standing", 0.1), ("walking", 0.1)], ["training room", "living room"]),
    _s("cook", [("cooking", 0.6), ("wiping", 0.15), ("walking", 0.15), ("standing", 0.1)], ["kitchen"]),
    _s("dance", [("dancing", 0.85), ("standing", 0.15)], ["dance studio", "living room", "party"]),
    _s("play music", [("playing_instrument", 0.8), ("sitting", 0.1), ("standing", 0.1)], ["music room", "stage"]),
)

#: Ego4D's ten scenarios (the 10 of 15 kept by the PRIMUS reference code's scripts/construct_ego_labels.py);
#: "play music" and "cook" are shared with EgoExo4D.
DAILY = (
    _s("play music", [("playing_instrument", 0.75), ("sitting", 0.25)], ["living room", "music room"]),
    _s("cook", [("cooking", 0.75), ("wiping", 0.15), ("walking", 0.1)], ["kitchen"]),
    _s("eat", [("sitting", 0.8), ("standing", 0.2)], ["dining room", "restaurant"], "eating"),
    _s("clean", [("wiping", 0.7), ("walking", 0.3)], ["living room", "laundry room"]),
    _s("carpenter", [("bike_repair", 0.6), ("standing", 0.2), ("walking", 0.2)], ["workshop"], "hammering"),
    _s("craft", [("computer_work", 0.7), ("sitting", 0.3)], ["craft room", "study room"], "crafting"),
    _s("farmer", [("stretching_legs", 0.5), ("walking", 0.5)], ["field", "barn"], "digging"),
    _s("household", [("waving", 0.3), ("clapping", 0.3), ("walking", 0.25), ("standing", 0.15)],
       ["living room", "playground"], "carrying_child"),
    _s("walk", [("walking", 0.85), ("standing", 0.15)], ["street", "park"]),
    _s("construction", [("stairs_up", 0.35), ("stairs_down", 0.35), ("walking", 0.3)], ["building site"], "lifting"),
)

#: REALWORLD's eight classes (paper Table I), each recorded on its own as REALWORLD did.
LOCOMOTION = (
    _s("climbing down", [("stairs_down", 1.0)], ["staircase"]),
    _s("climbing up", [("stairs_up", 1.0)], ["staircase"]),
    _s("jumping", [("jumping", 1.0)], ["park"]),
    _s("lying down", [("lying", 1.0)], ["bedroom"]),
    _s("running", [("running", 1.0)], ["park"]),
    _s("sitting", [("sitting", 1.0)], ["living room"]),
    _s("standing", [("standing", 1.0)], ["street"]),
    _s("walking", [("walking", 1.0)], ["street"]),
)


@dataclass(frozen=True)
class Task:
    """One row of Table I: its classes, the device that records it (a key of :data:`lib.primus.world.DEVICES`),
    whether its input (device, body position) and output (activity set) domains match pretraining, and the
    paper's sample size."""

    name: str
    mirrors: str
    classes: tuple
    device: str
    input_domain: str
    output_domain: str
    paper_size: str

    @property
    def class_names(self) -> list[str]:
        """The task's class names, in class-index order."""
        return [c.name for c in self.classes]


TASKS = {
    "egoexo4d": Task("egoexo4d", "EgoExo4D", SKILLED, "glasses", "same", "same", "Train: 195K–Test: 53K"),
    "ego4d": Task("ego4d", "Ego4D", DAILY, "glasses", "same", "different", "Train: 555K–Test: 57K"),
    # REALWORLD: "both the set of activities and device type are different from EgoExo4D" (§III-A): the
    # locomotion classes, recorded by a head-strapped Android phone (see the module docstring)
    "realworld": Task("realworld", "REALWORLD", LOCOMOTION, "head_phone", "different", "different",
                      "Train: 8.3K–Test: 2.6K"),
}
PRETRAINING = Task("pretraining", "EgoExo4D (pretraining)", SKILLED, "glasses", "—", "—", "≈ 250K segments")


def stand_ins() -> list[dict]:
    """Scenarios whose main motion is a stand-in because the body library lacks the dedicated activity."""
    rows = []
    for task in (PRETRAINING, *TASKS.values()):
        for sc in task.classes:
            if sc.wanted and sc.wanted not in ACTIVITY_NAMES:
                rows.append({"task": task.mirrors, "scenario": sc.name, "wanted activity": sc.wanted,
                             "stand-in mixture": ", ".join(f"{a} {w:.0%}" for a, w in sc.mixture)})
    return rows


def check_activities() -> None:
    """Every activity a scenario names exists in lib.body (a clear error otherwise)."""
    for task in (PRETRAINING, *TASKS.values()):
        for sc in task.classes:
            for name in sc.activities:
                if name not in ACTIVITY_NAMES:
                    raise ValueError(f"scenario {sc.name!r} of {task.mirrors} uses activity {name!r}, "
                                     f"which lib.body.activities lacks; known: {list(ACTIVITY_NAMES)}")
