"""A corpus of labelled IMU sequences (clips), cut into windows, and interpolation up-sampling (§2.3).

:class:`SequenceCorpus` keeps every clip's 60 Hz features back to back:

frames:  (F, C) float32, C = 12 per sensor: [acc x, y, z (m/s²), rotation matrix row-major (9)]
bounds:  (M + 1,) int64, clip m is ``frames[bounds[m]:bounds[m + 1]]``
label:   (M,) int64 clip category (index into ``classes``), -1 = removed by the cleaning
subject: (M,) int64 subject id
info:    per-clip extra arrays (M,) (descriptions, cleaning stage, filter statistics, ...)
truth:   (F,) int16 category actually performed at each frame (-1 = none of the classes), known
         only because the data are simulated; used to report how clean the labels are

Windows (§4.1): 60 frames (1 s at 60 Hz), 50 % overlap (step 30), every window labelled with its
clip's category, as motion-level labels are all AMASS and DIP provide. Cutting uses
:func:`lib.datasets.windows.sliding_windows`.

Interpolation up-sampling (§2.3, "to alleviate this problem, interpolation up-sampling is
adopted"): a class with fewer training windows than the target gets extra windows cut at random
*fractional* start times t0 ∈ [0, T − 60) of its clips, each frame linearly interpolated between
the two neighbouring frames, x(t0 + k) = (1 − f)·x[i + k] + f·x[i + k + 1] with i = ⌊t0⌋, f = t0 − i.
New windows thus come from the same recordings and subjects (never from test subjects) at time
offsets the 30-frame grid skips, rather than from averaging two different people's windows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lib.datasets.windows import sliding_windows
from lib.virtual_har.windows import FEATURES_PER_SENSOR, WindowSet

WINDOW = 60  # frames (§4.1)
STEP = 30    # 50 % overlap (§4.1)
UPSAMPLE_TARGETS = ("max", "median", "none")


@dataclass
class SequenceCorpus:
    """A corpus of labelled clips stored back to back: ``frames`` (F, 12·S) float32 features at ``fps`` Hz
    (per sensor 3 accelerations in m/s² and 9 rotation-matrix entries), clip m = ``frames[bounds[m]:bounds[m + 1]]``
    with category ``label[m]`` (-1 = removed by the cleaning) and person ``subject[m]``; ``info`` holds
    per-clip arrays (M,), ``truth`` the performed class of every frame (F,) where the corpus is simulated."""

    frames: np.ndarray
    bounds: np.ndarray
    label: np.ndarray
    subject: np.ndarray
    classes: tuple
    sensors: tuple = ("left_wrist", "right_thigh", "head")
    fps: float = 60.0
    info: dict = field(default_factory=dict)
    truth: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.frames = np.asarray(self.frames, dtype=np.float32)
        self.bounds = np.asarray(self.bounds, dtype=np.int64)
        self.label = np.asarray(self.label, dtype=np.int64)
        self.subject = np.asarray(self.subject, dtype=np.int64)
        self.classes, self.sensors = tuple(self.classes), tuple(self.sensors)
        m = len(self.label)
        if self.frames.ndim != 2 or self.frames.shape[1] != FEATURES_PER_SENSOR * len(self.sensors):
            raise ValueError(f"SequenceCorpus.frames must be (F, {FEATURES_PER_SENSOR * len(self.sensors)}); "
                             f"got {self.frames.shape}")
        if self.bounds.shape != (m + 1,) or self.bounds[0] != 0 or self.bounds[-1] != len(self.frames) \
                or np.any(np.diff(self.bounds) < 0):
            raise ValueError("SequenceCorpus.bounds must rise from 0 to len(frames) with one entry per clip plus one")
        if self.subject.shape != (m,):
            raise ValueError(f"SequenceCorpus.subject must have shape ({m},); got {self.subject.shape}")
        if m and (self.label.max() >= len(self.classes) or self.label.min() < -1):
            raise ValueError(f"SequenceCorpus.label must be -1 (removed) or 0..{len(self.classes) - 1}")
        for key, arr in self.info.items():
            if len(arr) != m:
                raise ValueError(f"SequenceCorpus.info[{key!r}] has {len(arr)} entries for {m} clips")
        if self.truth is not None:
            self.truth = np.asarray(self.truth, dtype=np.int16)
            if self.truth.shape != (len(self.frames),):
                raise ValueError(f"SequenceCorpus.truth must have shape ({len(self.frames)},)")

    # -- access -------------------------------------------------------------------------------
    @property
    def n_clips(self) -> int:
        """Number of clips M, removed ones included."""
        return len(self.label)

    def lengths(self) -> np.ndarray:
        """(M,) frames per clip."""
        return np.diff(self.bounds)

    def clip(self, m: int) -> np.ndarray:
        """(T, C) features of clip ``m``."""
        return self.frames[self.bounds[m]:self.bounds[m + 1]]

    def kept(self) -> np.ndarray:
        """Indices of the clips that carry a category (not removed by the cleaning)."""
        return np.flatnonzero(self.label >= 0)

    def clip_counts(self) -> np.ndarray:
        """(K,) kept clips per class."""
        return np.bincount(self.label[self.label >= 0], minlength=len(self.classes))

    # -- windows --------------------------------------------------------------------------------
    def windows(self, clips: np.ndarray | None = None, length: int = WINDOW, step: int = STEP) -> WindowSet:
        """Windows of the given clips (default: all kept), each labelled with its clip's category."""
        clips = self.kept() if clips is None else np.asarray(clips, dtype=np.int64)
        if np.any(self.label[clips] < 0):
            raise ValueError("windows(): some requested clips were removed by the cleaning (label -1)")
        xs, ys, gs = [], [], []
        for m in clips:
            w = sliding_windows(self.clip(m), length, step)
            xs.append(w)
            ys.append(np.full(len(w), self.label[m]))
            gs.append(np.full(len(w), self.subject[m]))
        c = self.frames.shape[1]
        x = np.concatenate(xs) if xs else np.zeros((0, length, c), np.float32)
        cat = (lambda parts: np.concatenate(parts) if parts else np.zeros(0, np.int64))
        return WindowSet(x, cat(ys), cat(gs), self.classes, self.sensors)

    def window_purity(self, clips: np.ndarray | None = None, length: int = WINDOW, step: int = STEP) -> np.ndarray:
        """(N,) fraction of each window's frames whose performed activity equals the window label."""
        if self.truth is None:
            raise ValueError("this corpus has no frame-level truth (only simulated corpora do)")
        clips = self.kept() if clips is None else np.asarray(clips, dtype=np.int64)
        out = [(sliding_windows(self.truth[self.bounds[m]:self.bounds[m + 1]], length, step) == self.label[m]).mean(1)
               for m in clips]
        return np.concatenate(out) if out else np.zeros(0)

    def clips_of(self, subjects: np.ndarray) -> np.ndarray:
        """Kept clips of the given subjects."""
        return np.flatnonzero((self.label >= 0) & np.isin(self.subject, subjects))

    def subjects(self) -> np.ndarray:
        """The sorted ids of the people with at least one kept clip."""
        return np.unique(self.subject[self.label >= 0])

    # -- caching --------------------------------------------------------------------------------
    def to_arrays(self) -> dict:
        """A dict of numpy arrays for :func:`lib.repro.cached` (fmt="npz")."""
        out = {"frames": self.frames, "bounds": self.bounds, "label": self.label, "subject": self.subject,
               "classes": np.array(self.classes), "sensors": np.array(self.sensors), "fps": np.array(self.fps)}
        if self.truth is not None:
            out["truth"] = self.truth
        out.update({f"info_{k}": np.asarray(v) for k, v in self.info.items()})
        return out

    @classmethod
    def from_arrays(cls, arrays: dict) -> "SequenceCorpus":
        """The corpus :meth:`to_arrays` stored."""
        info = {k[5:]: v for k, v in arrays.items() if k.startswith("info_")}
        return cls(frames=arrays["frames"], bounds=arrays["bounds"], label=arrays["label"], subject=arrays["subject"],
                   classes=tuple(str(c) for c in arrays["classes"]), sensors=tuple(str(s) for s in arrays["sensors"]),
                   fps=float(arrays["fps"]), info=info, truth=arrays.get("truth"))


def interpolated_windows(corpus: SequenceCorpus, clips: np.ndarray, n: int, rng: np.random.Generator,
                         length: int = WINDOW) -> tuple[np.ndarray, np.ndarray]:
    """``n`` windows (n, length, C) at random fractional start times in ``clips`` (chosen ∝ clip length),
    and the clip each came from (n,)."""
    clips = np.asarray(clips, dtype=np.int64)
    room = corpus.lengths()[clips] - length  # a start t0 needs t0 + length - 1 + 1 <= T - 1 for the i+1 neighbour
    ok = room > 0
    if n <= 0:
        return np.zeros((0, length, corpus.frames.shape[1]), np.float32), np.zeros(0, np.int64)
    if not ok.any():
        raise ValueError(f"no clip is longer than {length} frames, so no window can be interpolated")
    clips, room = clips[ok], room[ok]
    pick = rng.choice(len(clips), size=n, p=room / room.sum())
    t0 = rng.uniform(0.0, room[pick])
    i = np.floor(t0).astype(np.int64)
    f = (t0 - i).astype(np.float32)[:, None, None]
    base = corpus.bounds[clips[pick]] + i
    idx = base[:, None] + np.arange(length)[None, :]
    return (1.0 - f) * corpus.frames[idx] + f * corpus.frames[idx + 1], clips[pick]


def upsample(corpus: SequenceCorpus, clips: np.ndarray, rng: np.random.Generator, target: str | int = "max",
             length: int = WINDOW, step: int = STEP) -> WindowSet:
    """Windows of ``clips`` plus interpolated windows so each class reaches ``target`` windows.

    target: "max" (the largest class), "median" (the median class), an int, or "none" (no up-sampling).
    Classes above the target keep all their windows (nothing is thrown away).
    """
    base = corpus.windows(clips, length, step)
    if isinstance(target, str) and target not in UPSAMPLE_TARGETS:
        raise ValueError(f"upsample(target={target!r}) is unknown; use one of {list(UPSAMPLE_TARGETS)} or an int")
    if target == "none":
        return base
    counts = base.counts()
    present = counts[counts > 0]
    goal = {"max": int(present.max()), "median": int(np.median(present))}.get(target, target) if len(present) else 0
    if not isinstance(goal, (int, np.integer)) or goal < 0:
        raise ValueError(f"upsample(target={target!r}) must give a non-negative window count")
    xs, ys, gs = [base.x], [base.y], [base.groups]
    clips = np.asarray(clips, dtype=np.int64)
    for k in np.flatnonzero(counts):
        need = int(goal) - int(counts[k])
        if need <= 0:
            continue
        own = clips[corpus.label[clips] == k]
        x_new, source = interpolated_windows(corpus, own, need, rng, length)
        xs.append(x_new)
        ys.append(np.full(need, k))
        gs.append(corpus.subject[source])
    return WindowSet(np.concatenate(xs), np.concatenate(ys), np.concatenate(gs), corpus.classes, corpus.sensors)
