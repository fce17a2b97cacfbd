"""UCI HAPT raw signals: waist smartphone accelerometer + gyroscope with per-sample activity labels.

Official source: "Smartphone-Based Recognition of Human Activities and Postural Transitions" v2.1,
Reyes-Ortiz, Anguita, Oneto, Parra, Neurocomputing 2016, UCI Machine Learning Repository
(https://archive.ics.uci.edu/dataset/341, CC BY 4.0); same 30 volunteers and protocol as UCI HAR
(Anguita et al. 2013). Layout (the dataset's ``README.txt``)::

    <root>/activity_labels.txt            "1 WALKING" ... "12 LIE_TO_STAND"
    <root>/RawData/acc_expXX_userYY.txt   one sample per row "x y z", 50 Hz, g (gravity included)
    <root>/RawData/gyro_expXX_userYY.txt  same rows, rad/s
    <root>/RawData/labels.txt             "exp user activity start end" per labelled segment

Label rows count signal samples from 1 with inclusive ends (consecutive segments abut, e.g.
250–1232 then 1233–1392); samples outside every segment get label 0 ("unlabelled").

Windows: UCI HAR uses 2.56 s = 128 samples with 50 % overlap (README); P2 uses 5 s = 250 samples.
Split: subject-held-out, with UCI HAR's test subjects :data:`UCI_HAR_TEST_SUBJECTS`.
Text files are read as UTF-8 with or without BOM (:func:`lib.datasets.errors.read_text`); any other
encoding is an error naming the file and the line.
Reading all 61 experiments takes about 2 s; nothing is cached.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from lib.datasets.errors import DataFormatError, read_text, require_dir, require_file
from lib.datasets.windows import make_windows

FPS = 50.0
#: UCI HAR's test volunteers (9 of 30), used as the held-out subjects (UCI HAR's ``test/subject_test.txt``).
UCI_HAR_TEST_SUBJECTS = (2, 4, 9, 10, 12, 13, 18, 20, 24)
#: activity id -> name as in ``activity_labels.txt`` (used when that file is absent).
ACTIVITIES = {1: "WALKING", 2: "WALKING_UPSTAIRS", 3: "WALKING_DOWNSTAIRS", 4: "SITTING", 5: "STANDING",
              6: "LAYING", 7: "STAND_TO_SIT", 8: "SIT_TO_STAND", 9: "SIT_TO_LIE", 10: "LIE_TO_SIT",
              11: "STAND_TO_LIE", 12: "LIE_TO_STAND"}
CHANNELS = ("acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z")
_SIGNAL = re.compile(r"acc_exp(\d+)_user(\d+)\.txt$")
FIX = "give the UCI HAPT folder as published (RawData/acc_expXX_userYY.txt, gyro_..., labels.txt)"


@dataclass
class HAPTRecording:
    """One experiment of one volunteer.

    acc:    (T, 3) acceleration in g, gravity included (phone frame)
    gyro:   (T, 3) angular velocity in rad/s
    labels: (T,) int activity id per sample, 0 = unlabelled
    """

    experiment: int
    user: int
    acc: np.ndarray
    gyro: np.ndarray
    labels: np.ndarray
    fps: float = FPS

    @property
    def signals(self) -> np.ndarray:
        """(T, 6) acc (g) then gyro (rad/s), channel order :data:`CHANNELS`."""
        return np.concatenate([self.acc, self.gyro], axis=1)

    @property
    def n_samples(self) -> int:
        """Number of samples T (at ``fps``, 50 Hz)."""
        return self.acc.shape[0]


@dataclass
class HAPTWindows:
    """Windows from many recordings.

    x: (N, length, 6) float32 acc (g) + gyro (rad/s); y: (N,) activity id; user, experiment, start: (N,) int
    """

    x: np.ndarray
    y: np.ndarray
    user: np.ndarray
    experiment: np.ndarray
    start: np.ndarray

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, mask: np.ndarray) -> "HAPTWindows":
        """The windows that ``mask`` selects (boolean mask or indices over N), every array alike."""
        return HAPTWindows(self.x[mask], self.y[mask], self.user[mask], self.experiment[mask], self.start[mask])


def _read_table(path: Path, columns: int, what: str, dtype=float) -> np.ndarray:
    lines = read_text(path, f"HAPT table ({what})").splitlines()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "input contained no data": handled below
            table = np.loadtxt(lines, dtype=dtype, ndmin=2)
    except ValueError as exc:
        raise DataFormatError(path, f"is not a table of {columns} numbers per row ({exc})",
                              "download the file again; it may be truncated") from None
    if table.shape[0] == 0:
        raise DataFormatError(path, f"is empty; expected {what}", "download the file again")
    if table.shape[1] != columns:
        raise DataFormatError(path, f"has {table.shape[1]} columns; expected {columns} ({what})", FIX)
    if dtype is float and not np.isfinite(table).all():
        rows = np.unique(np.nonzero(~np.isfinite(table))[0])
        raise DataFormatError(path, f"has NaN/inf in {len(rows)} row(s), first at row {int(rows[0]) + 1}",
                              "download the file again")
    return table


def read_activity_labels(root: str | Path) -> dict[int, str]:
    """Activity id -> name from ``<root>/activity_labels.txt`` (falls back to :data:`ACTIVITIES`)."""
    path = Path(root) / "activity_labels.txt"
    if not path.is_file():
        return dict(ACTIVITIES)
    names = {}
    for line_no, line in enumerate(read_text(path, "HAPT activity_labels.txt").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split(None, 1)
        if len(parts) != 2 or not parts[0].isdigit():
            raise DataFormatError(path, f"line {line_no} {line!r} is not 'id NAME'", FIX)
        names[int(parts[0])] = parts[1].strip()
    return names


def read_label_segments(root: str | Path) -> np.ndarray:
    """(M, 5) int rows ``experiment, user, activity, start, end`` from ``RawData/labels.txt`` (1-based, inclusive)."""
    path = require_file(Path(root) / "RawData" / "labels.txt", "HAPT label file")
    seg = _read_table(path, 5, "exp user activity start end", dtype=np.int64)
    bad = (seg[:, 3] < 1) | (seg[:, 4] < seg[:, 3])
    if bad.any():
        row = int(np.argmax(bad))
        raise DataFormatError(path, f"row {row + 1} {seg[row].tolist()} has start < 1 or end < start", FIX)
    return seg


def list_experiments(root: str | Path) -> list[tuple[int, int]]:
    """(experiment, user) pairs that have an acceleration file, sorted."""
    raw = require_dir(Path(root) / "RawData", "HAPT RawData folder")
    pairs = []
    for p in raw.iterdir():
        m = _SIGNAL.match(p.name)
        if m:
            pairs.append((int(m.group(1)), int(m.group(2))))
    if not pairs:
        raise DataFormatError(raw, "has no acc_expXX_userYY.txt files", FIX)
    return sorted(pairs)


def load_recording(root: str | Path, experiment: int, user: int, segments: np.ndarray | None = None) -> HAPTRecording:
    """One experiment: signals and per-sample labels (segments from :func:`read_label_segments` if not given)."""
    raw = Path(root) / "RawData"
    acc_path = require_file(raw / f"acc_exp{experiment:02d}_user{user:02d}.txt", "HAPT accelerometer file")
    gyro_path = require_file(raw / f"gyro_exp{experiment:02d}_user{user:02d}.txt", "HAPT gyroscope file")
    acc = _read_table(acc_path, 3, "x y z acceleration in g")
    gyro = _read_table(gyro_path, 3, "x y z angular velocity in rad/s")
    if len(acc) != len(gyro):
        raise DataFormatError(gyro_path, f"has {len(gyro)} rows but {acc_path.name} has {len(acc)}; "
                              "the two signals must be sample-aligned", "download both files again")
    if segments is None:
        segments = read_label_segments(root)
    labels = np.zeros(len(acc), dtype=np.int64)
    mine = segments[(segments[:, 0] == experiment) & (segments[:, 1] == user)]
    if len(mine) and mine[:, 4].max() > len(acc):
        row = mine[np.argmax(mine[:, 4])]
        raise DataFormatError(raw / "labels.txt", f"segment {row.tolist()} ends at sample {int(row[4])} but "
                              f"{acc_path.name} has only {len(acc)} samples (truncated signal file?)",
                              "download the signal files again")
    for _, _, activity, start, end in mine:
        labels[start - 1:end] = activity
    return HAPTRecording(experiment, user, acc, gyro, labels)


def load_hapt(root: str | Path, users: Iterable[int] | None = None,
              experiments: Iterable[int] | None = None) -> list[HAPTRecording]:
    """All (or the selected) experiments under ``root`` (the folder holding ``RawData/``), sorted by experiment."""
    root = require_dir(root, "HAPT folder")
    segments = read_label_segments(root)
    users = None if users is None else set(int(u) for u in users)
    experiments = None if experiments is None else set(int(e) for e in experiments)
    out = []
    for exp, user in list_experiments(root):
        if (users is None or user in users) and (experiments is None or exp in experiments):
            out.append(load_recording(root, exp, user, segments))
    if not out:
        raise ValueError(f"no HAPT experiment under {root} matches users={users} experiments={experiments}")
    return out


def hapt_windows(recordings: Sequence[HAPTRecording], length: int = 128, step: int | None = None,
                 overlap: float | None = 0.5, rule: str = "majority", min_purity: float = 0.0,
                 drop_unlabelled: bool = True) -> HAPTWindows:
    """Windows over every recording (each cut separately, so no window spans two experiments).

    length 128 + overlap 0.5 = UCI HAR; length 250 = P2's 5 s at 50 Hz. ``step`` overrides ``overlap``.
    rule / min_purity: as :func:`lib.datasets.windows.make_windows`; drop_unlabelled drops label-0 windows.
    """
    if step is not None:
        overlap = None
    xs, ys, us, es, ss = [], [], [], [], []
    for rec in recordings:
        w = make_windows(rec.signals, rec.labels, length, step=step, overlap=overlap, rule=rule,
                         min_purity=min_purity, drop_labels=(0,) if drop_unlabelled else ())
        xs.append(w.x.astype(np.float32))
        ys.append(w.y)
        us.append(np.full(len(w.y), rec.user))
        es.append(np.full(len(w.y), rec.experiment))
        ss.append(w.start)
    if not xs:
        return HAPTWindows(np.empty((0, length, 6), np.float32), *(np.empty(0, np.int64) for _ in range(4)))
    return HAPTWindows(np.concatenate(xs), np.concatenate(ys), np.concatenate(us), np.concatenate(es), np.concatenate(ss))


def subject_split(users: np.ndarray, test_subjects: Iterable[int] = UCI_HAR_TEST_SUBJECTS) -> tuple[np.ndarray, np.ndarray]:
    """Boolean (train, test) masks over ``users``: test = the held-out volunteers."""
    test = np.isin(np.asarray(users), list(test_subjects))
    return ~test, test
