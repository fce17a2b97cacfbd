"""Real data for P2: UCI HAPT as an out-of-domain few-shot task, and EgoExo4D-style pretraining triplets.

**UCI HAPT** (``../shared/data/hapt``; loader :mod:`lib.datasets.hapt`): a waist-worn smartphone,
50 Hz — a new device, a new body position and new people, like PRIMUS's REALWORLD row of Table I.
:func:`hapt_task` cuts 5-s windows (250 samples, 50 % overlap, ≥ 80 % of the samples of one activity)
of the six basic activities (walking, upstairs, downstairs, sitting, standing, laying), converts the
accelerometer from g to m/s² (the unit of the simulated head IMU; the encoder's group norm removes a
global gain anyway) and splits by subject with UCI HAR's nine test volunteers. A folder that gives no
such window, or none on one side of the split, is a :class:`~lib.datasets.errors.DataFormatError`
naming the folder and why.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lib.body.imu import GRAVITY
from lib.datasets.errors import DataFormatError
from lib.datasets.hapt import FPS, UCI_HAR_TEST_SUBJECTS, hapt_windows, load_hapt, subject_split

HAPT_BASIC = (1, 2, 3, 4, 5, 6)
HAPT_NAMES = ("walking", "upstairs", "downstairs", "sitting", "standing", "laying")


def hapt_task(root: str | Path, window: int = 250, overlap: float = 0.5, min_purity: float = 0.8) -> dict:
    """Arrays ``{train,test}_{imu,y,subject}`` (imu (N, 6, 250) float32: acc m/s², gyro rad/s; y 0..5)
    and ``classes``; test = UCI HAR's test subjects."""
    recordings = load_hapt(root)
    w = hapt_windows(recordings, length=window, overlap=overlap, min_purity=min_purity)
    keep = np.isin(w.y, HAPT_BASIC)
    if not keep.any():
        labelled = sorted({int(a) for r in recordings for a in np.unique(r.labels) if a})
        raise DataFormatError(root, f"gives no {window}-sample window ({window / FPS:g} s) in which one of the basic "
                              f"activities {dict(zip(HAPT_BASIC, HAPT_NAMES))} covers {min_purity:.0%} of the samples; "
                              f"{len(recordings)} recording(s), the longest {max(r.n_samples for r in recordings)} "
                              f"samples, labelled activity ids {labelled}",
                              "check RawData/labels.txt: segments of activities 1-6 must span at least a window")
    train, test = subject_split(w.user[keep])
    if not (train.any() and test.any()):
        side = "UCI HAR test subject" if not test.any() else "training subject (one not in the test list)"
        raise DataFormatError(root, f"its windows come from users {sorted(set(w.user[keep].tolist()))}, none of them "
                              f"a {side}; the split holds out {list(UCI_HAR_TEST_SUBJECTS)}",
                              "give recordings of both training and test volunteers")
    x = w.x[keep].transpose(0, 2, 1).copy()  # (N, 6, T)
    x[:, :3] *= GRAVITY
    y = np.searchsorted(HAPT_BASIC, w.y[keep])
    users = w.user[keep]
    return {"train_imu": x[train].astype(np.float32), "train_y": y[train], "train_subject": users[train],
            "test_imu": x[test].astype(np.float32), "test_y": y[test], "test_subject": users[test],
            "classes": np.array(HAPT_NAMES)}
