"""Labelled sets of IMU windows, (N, 60, 36), and what experiments do to them (subsets, sensor drops).

A :class:`WindowSet` is what every model in :mod:`lib.virtual_har.models` trains and tests on:

x:       (N, T, C) float32 windows, T = 60 frames at 60 Hz, C = 12 per sensor (3 acc + 9 rotation)
y:       (N,) int64 class index into ``classes``
groups:  (N,) int64 subject id (splits keep subjects apart)
sensors: names of the sensors whose 12 features make up C, in order
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

FEATURES_PER_SENSOR = 12  # 3 acceleration + 9 rotation-matrix entries (§4.1)


@dataclass(frozen=True)
class WindowSet:
    """Labelled windows: ``x`` (N, T, 12·S) float32 (T frames at 60 Hz; per sensor 3 accelerations in m/s² and
    9 rotation-matrix entries), ``y`` (N,) class indices into ``classes``, ``groups`` (N,) the person of each
    window (splits are by person), ``sensors`` the S sensor names in feature order."""

    x: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    classes: tuple
    sensors: tuple = ("left_wrist", "right_thigh", "head")

    def __post_init__(self) -> None:
        x = np.asarray(self.x, dtype=np.float32)
        y = np.asarray(self.y, dtype=np.int64)
        groups = np.asarray(self.groups, dtype=np.int64)
        if x.ndim != 3 or x.shape[2] != FEATURES_PER_SENSOR * len(self.sensors):
            raise ValueError(f"WindowSet.x must be (N, T, {FEATURES_PER_SENSOR * len(self.sensors)}) for {len(self.sensors)} sensors "
                             f"of {FEATURES_PER_SENSOR} features; got {x.shape}")
        if y.shape != (len(x),) or groups.shape != (len(x),):
            raise ValueError(f"WindowSet.y and .groups must have shape ({len(x)},); got {y.shape} and {groups.shape}")
        if len(y) and (y.min() < 0 or y.max() >= len(self.classes)):
            raise ValueError(f"WindowSet.y has labels outside 0..{len(self.classes) - 1} ({list(self.classes)})")
        if not np.isfinite(x).all():
            raise ValueError("WindowSet.x contains NaN or inf values")
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "classes", tuple(self.classes))
        object.__setattr__(self, "sensors", tuple(self.sensors))

    def __len__(self) -> int:
        return len(self.y)

    @property
    def n_classes(self) -> int:
        """Number of classes K (present or not)."""
        return len(self.classes)

    def counts(self) -> np.ndarray:
        """(K,) windows per class."""
        return np.bincount(self.y, minlength=self.n_classes)

    def subset(self, index: np.ndarray) -> "WindowSet":
        """The windows at ``index`` (integer indices or a boolean mask of length N)."""
        index = np.asarray(index)
        return replace(self, x=self.x[index], y=self.y[index], groups=self.groups[index])

    def without_sensor(self, sensor: str) -> "WindowSet":
        """The same windows with ``sensor``'s 12 features removed (C -> C - 12)."""
        if sensor not in self.sensors:
            raise ValueError(f"without_sensor({sensor!r}): not one of this set's sensors {list(self.sensors)}")
        s = self.sensors.index(sensor)
        keep = np.r_[0:s * FEATURES_PER_SENSOR, (s + 1) * FEATURES_PER_SENSOR:self.x.shape[2]]
        return replace(self, x=self.x[:, :, keep], sensors=tuple(n for n in self.sensors if n != sensor))

    def stratified_sample(self, n: int, rng: np.random.Generator) -> "WindowSet":
        """About ``n`` windows with the class proportions kept (at least one per present class)."""
        if n >= len(self):
            return self
        picks = []
        for k in np.unique(self.y):
            idx = np.flatnonzero(self.y == k)
            take = max(1, int(round(n * len(idx) / len(self))))
            picks.append(rng.choice(idx, size=min(take, len(idx)), replace=False))
        return self.subset(np.sort(np.concatenate(picks)))


def subject_split(groups: np.ndarray, test_fraction: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Subjects (unique values of ``groups``) shuffled and split; returns (train subjects, test subjects).

    §4.1 splits train:test 7:3; we split by subject so no person appears on both sides (windows of
    one clip overlap by 50 % and would otherwise leak).
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction={test_fraction} must lie strictly between 0 and 1 (the paper uses 0.3)")
    subjects = np.unique(groups)
    if len(subjects) < 2:
        raise ValueError(f"a subject split needs at least 2 subjects; got {len(subjects)}")
    order = rng.permutation(subjects)
    n_test = min(len(subjects) - 1, max(1, int(round(test_fraction * len(subjects)))))
    return np.sort(order[n_test:]), np.sort(order[:n_test])
