"""The activity catalogue, as data: generator, label id, posture, locomotion, scenes, speed range,
P4 class and templated narrations.

Narrations follow Ego4D's style (the text side of P2's pretraining): a verb phrase about the camera
wearer "C", e.g. ``"#C C walks briskly along the street."``. Templates carry slots filled per clip:
``{pace}`` (from the speed within the activity's range), ``{scene}``, ``{hand}``, ``{object}``.
``p4_class`` maps activities onto the five classes of P4's real-IMU set (DIP-IMU, P4 §3.2: computer
works, walking, jumping, stretching arms, stretching legs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from lib.body import everyday, locomotion


@dataclass(frozen=True)
class Activity:
    """One activity of the procedural library.

    speed_range: the range ``speed`` is drawn from, in ``speed_unit`` ("m/s", "steps/s" or "tempo",
    a factor on the activity's own rates); family: locomotion | posture | transition | exercise |
    gesture | household | sport | work.
    """

    name: str
    generator: Callable
    family: str
    posture: str
    locomotion: bool
    scenes: tuple
    speed_range: tuple
    speed_unit: str
    narrations: tuple
    objects: tuple = ("",)
    p4_class: str | None = None
    description: str = ""

    @property
    def label(self) -> int:
        """The activity's integer class id: its position in :data:`ACTIVITY_NAMES`."""
        return ACTIVITY_NAMES.index(self.name)


_TEMPO = (0.8, 1.25)

ACTIVITIES: tuple[Activity, ...] = (
    Activity("walking", locomotion.walking, "locomotion", "standing", True,
             ("street", "park", "corridor", "shopping mall", "campus"), (0.7, 1.9), "m/s",
             ("walks {pace} along the {scene}", "walks through the {scene}", "strolls {pace} in the {scene}",
              "takes a walk in the {scene}", "walks forward {pace}"), p4_class="walking",
             description="level walking"),
    Activity("jogging", locomotion.jogging, "locomotion", "standing", True,
             ("park", "street", "running track", "beach"), (1.8, 3.2), "m/s",
             ("jogs {pace} in the {scene}", "goes for a jog along the {scene}", "jogs along the {scene}",
              "runs at an easy pace in the {scene}"), description="easy running"),
    Activity("running", locomotion.running, "locomotion", "standing", True,
             ("running track", "park", "street"), (2.8, 5.5), "m/s",
             ("runs {pace} on the {scene}", "sprints along the {scene}", "runs fast through the {scene}",
              "races down the {scene}"), description="running"),
    Activity("jumping", locomotion.jumping, "sport", "standing", False,
             ("gym", "living room", "playground"), _TEMPO, "tempo",
             ("jumps up and down in the {scene}", "does jumping jacks in the {scene}", "jumps repeatedly",
              "jumps forward in the {scene}", "hops on both feet in the {scene}"), p4_class="jumping",
             description="countermovement jumps, jumping jacks, broad jumps"),
    Activity("hopping", locomotion.hopping, "sport", "standing", False,
             ("playground", "gym", "garden"), _TEMPO, "tempo",
             ("hops on one leg in the {scene}", "hops on the {hand} foot", "balances and hops on one foot"),
             description="one-legged hops"),
    Activity("stairs_up", locomotion.stairs_up, "locomotion", "standing", True,
             ("staircase", "office building", "subway station"), (1.3, 1.9), "steps/s",
             ("climbs up the stairs", "walks up the {scene} stairs", "goes upstairs {pace}",
              "ascends the staircase"), description="climbing stairs"),
    Activity("stairs_down", locomotion.stairs_down, "locomotion", "standing", True,
             ("staircase", "office building", "subway station"), (1.4, 2.0), "steps/s",
             ("walks down the stairs", "goes downstairs {pace}", "descends the {scene} stairs",
              "steps down the staircase"), description="descending stairs"),
    Activity("sitting_down", everyday.sitting_down, "transition", "sitting", False,
             ("living room", "office", "kitchen"), _TEMPO, "tempo",
             ("sits down on the {object}", "takes a seat on the {object}", "lowers onto the {object}"),
             objects=("chair", "sofa", "bench"), description="stand-to-sit transition"),
    Activity("standing_up", everyday.standing_up, "transition", "standing", False,
             ("living room", "office", "kitchen"), _TEMPO, "tempo",
             ("stands up from the {object}", "gets up from the {object}", "rises from the {object}"),
             objects=("chair", "sofa", "bench"), description="sit-to-stand transition"),
    Activity("sitting", everyday.sitting, "posture", "sitting", False,
             ("living room", "office", "waiting room", "kitchen"), _TEMPO, "tempo",
             ("sits on the {object}", "sits and relaxes in the {scene}", "sits reading a book",
              "sits looking at the phone", "sits and talks with someone"), objects=("chair", "sofa", "bench")),
    Activity("standing", everyday.standing, "posture", "standing", False,
             ("street", "kitchen", "office", "bus stop", "living room"), _TEMPO, "tempo",
             ("stands in the {scene}", "stands still and looks around", "stands and checks the phone",
              "stands talking with someone in the {scene}", "waits standing at the {scene}")),
    Activity("lying", everyday.lying, "posture", "lying", False,
             ("bedroom", "living room", "gym"), _TEMPO, "tempo",
             ("lies on the {object}", "lies down and rests", "lies on the back on the {object}",
              "rests lying on the side"), objects=("bed", "sofa", "floor")),
    Activity("stretching_arms", everyday.stretching_arms, "exercise", "standing", False,
             ("gym", "living room", "park"), _TEMPO, "tempo",
             ("stretches the arms over the head", "stretches the {hand} arm across the chest",
              "does arm circles in the {scene}", "raises both arms and stretches", "stretches the shoulders"),
             p4_class="stretching arms"),
    Activity("stretching_legs", everyday.stretching_legs, "exercise", "standing", False,
             ("gym", "living room", "park"), _TEMPO, "tempo",
             ("stretches the legs in the {scene}", "does lunges in the {scene}", "raises the {hand} leg",
              "marches in place", "bends forward to stretch the hamstrings"), p4_class="stretching legs",
             description="leg raises, lunges, stepping, hamstring stretch"),
    Activity("computer_work", everyday.computer_work, "work", "sitting", False,
             ("office", "study room", "library"), _TEMPO, "tempo",
             ("types on the keyboard", "works on the computer in the {scene}", "uses the mouse at the desk",
              "types an email on the laptop", "sits at the desk and works on the {object}"),
             objects=("computer", "laptop"), p4_class="computer works"),
    Activity("clapping", everyday.clapping, "gesture", "standing", False,
             ("concert hall", "living room", "stadium", "classroom"), _TEMPO, "tempo",
             ("claps the hands", "applauds in the {scene}", "claps along to the music", "claps rhythmically")),
    Activity("waving", everyday.waving, "gesture", "standing", False,
             ("street", "park", "station", "garden"), _TEMPO, "tempo",
             ("waves the {hand} hand", "waves at a friend in the {scene}", "waves goodbye",
              "waves both arms over the head")),
    Activity("wiping", everyday.wiping, "household", "standing", False,
             ("kitchen", "living room", "office"), _TEMPO, "tempo",
             ("wipes the {object} with a cloth", "cleans the {object}", "wipes the {object} in the {scene}",
              "scrubs the {object}"), objects=("table", "counter", "window")),
    Activity("boxing", everyday.boxing, "sport", "standing", False,
             ("gym", "boxing ring", "living room"), _TEMPO, "tempo",
             ("throws punches in the {scene}", "shadow boxes", "punches with the {hand} fist",
              "practises jabs and hooks")),
    Activity("cooking", everyday.cooking, "household", "standing", False,
             ("kitchen",), _TEMPO, "tempo",
             ("stirs the pot on the stove", "chops vegetables on the cutting board", "cooks at the counter",
              "pours water into the {object}", "prepares food in the kitchen"), objects=("pot", "pan", "bowl")),
    Activity("playing_instrument", everyday.playing_instrument, "work", "standing", False,
             ("music room", "living room", "stage"), _TEMPO, "tempo",
             ("plays the {object}", "practises the {object} in the {scene}", "strums the guitar",
              "plays a song on the {object}"), objects=("guitar", "drums", "violin", "piano")),
    Activity("dancing", everyday.dancing, "sport", "standing", False,
             ("living room", "dance studio", "party", "club"), _TEMPO, "tempo",
             ("dances to the music", "dances in the {scene}", "moves to the beat", "dances {pace}")),
    Activity("kicking_ball", locomotion.kicking_ball, "sport", "standing", True,
             ("football pitch", "park", "garden"), _TEMPO, "tempo",
             ("kicks the ball", "kicks a football with the {hand} foot", "practises shots on the {scene}",
              "runs up and kicks the ball")),
    Activity("climbing", locomotion.climbing, "sport", "standing", True,
             ("climbing gym", "bouldering wall", "rock face"), _TEMPO, "tempo",
             ("climbs the wall", "reaches for the next hold", "climbs up the {scene}", "pulls up on the holds")),
    Activity("bike_repair", everyday.bike_repair, "work", "kneeling", False,
             ("garage", "street", "workshop"), _TEMPO, "tempo",
             ("repairs the bicycle", "tightens a bolt on the bike with a wrench", "kneels and fixes the {object}",
              "spins the wheel of the bike"), objects=("chain", "wheel", "brake")),
    Activity("cpr", everyday.cpr, "work", "kneeling", False,
             ("training room", "street", "living room"), _TEMPO, "tempo",
             ("performs chest compressions on the mannequin", "does CPR in the {scene}",
              "kneels and compresses the chest", "gives rescue breaths after compressions")),
)

ACTIVITY_NAMES: tuple[str, ...] = tuple(a.name for a in ACTIVITIES)
BY_NAME = {a.name: a for a in ACTIVITIES}
P4_CLASSES = ("computer works", "walking", "jumping", "stretching arms", "stretching legs")


def get_activity(name: str) -> Activity:
    """The :class:`Activity` called ``name``; a clear error lists the known names."""
    if name not in BY_NAME:
        raise ValueError(f"unknown activity {name!r}; choose one of {list(ACTIVITY_NAMES)}")
    return BY_NAME[name]


def pace_word(activity: Activity, speed: float) -> str:
    """Adverb for ``speed`` in ``speed_range``: "slowly" (low 30 %), "briskly" (top 30 %), else "at a steady pace"."""
    lo, hi = activity.speed_range
    x = (speed - lo) / max(hi - lo, 1e-9)
    return "slowly" if x < 0.3 else ("briskly" if x > 0.7 else "at a steady pace")


def narrate(name: str, rng: np.random.Generator, speed: float | None = None, scene: str | None = None,
            style: dict | None = None, who: str = "#C C") -> str:
    """One narration sentence for a clip of activity ``name`` (template and slot words drawn from ``rng``)."""
    act = get_activity(name)
    style = style or {}
    template = act.narrations[int(rng.integers(len(act.narrations)))]
    hand = style.get("hand") or style.get("wave_hand") or style.get("kick_leg") or style.get("hop_leg") or \
        ("right" if rng.random() < 0.8 else "left")
    obj = style.get("instrument") or style.get("wipe_target") or act.objects[int(rng.integers(len(act.objects)))]
    words = {"pace": pace_word(act, speed if speed is not None else float(np.mean(act.speed_range))),
             "scene": scene or act.scenes[int(rng.integers(len(act.scenes)))], "hand": hand, "object": obj}
    return f"{who} {template.format(**words)}."


def activity_table():
    """The catalogue as a DataFrame (name, label, family, posture, locomotion, speed range, P4 class, scenes)."""
    import pandas as pd

    return pd.DataFrame([{"label": a.label, "activity": a.name, "family": a.family, "posture": a.posture,
                          "locomotion": a.locomotion, "speed": f"{a.speed_range[0]}-{a.speed_range[1]} {a.speed_unit}",
                          "p4_class": a.p4_class or "", "scenes": ", ".join(a.scenes),
                          "example narration": a.narrations[0]} for a in ACTIVITIES]).set_index("label")
