"""Real data for P2: UCI HAPT as an out-of-domain few-shot task, and EgoExo4D-style pretraining triplets.

**UCI HAPT** (``../shared/data/hapt``; loader :mod:`lib.datasets.hapt`): a waist-worn smartphone,
50 Hz — a new device, a new body position and new people, like PRIMUS's REALWORLD row of Table I.
:func:`hapt_task` cuts 5-s windows (250 samples, 50 % overlap, ≥ 80 % of the samples of one activity)
of the six basic activities (walking, upstairs, downstairs, sitting, standing, laying), converts the
accelerometer from g to m/s² (the unit of the simulated head IMU; the encoder's group norm removes a
global gain anyway) and splits by subject with UCI HAR's nine test volunteers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lib.body.imu import GRAVITY

HAPT_BASIC = (1, 2, 3, 4, 5, 6)
HAPT_NAMES = ("walking", "upstairs", "downstairs", "sitting", "standing", "laying")


def hapt_task(root: str | Path, window: int = 250, overlap: float = 0.5, min_purity: float = 0.8) -> dict:
    """Arrays ``{train,test}_{imu,y,subject}`` (imu (N, 6, 250) float32: acc m/s², gyro rad/s; y 0..5)
    and ``classes``; test = UCI HAR's test subjects."""
    from lib.datasets.hapt import hapt_windows, load_hapt, subject_split

    recordings = load_hapt(root)
    w = hapt_windows(recordings, length=window, overlap=overlap, min_purity=min_purity)
    keep = np.isin(w.y, HAPT_BASIC)
    x = w.x[keep].transpose(0, 2, 1).copy()  # (N, 6, T)
    x[:, :3] *= GRAVITY
    y = np.searchsorted(HAPT_BASIC, w.y[keep])
    users = w.user[keep]
    train, test = subject_split(users)
    return {"train_imu": x[train].astype(np.float32), "train_y": y[train], "train_subject": users[train],
            "test_imu": x[test].astype(np.float32), "test_y": y[test], "test_subject": users[test],
            "classes": np.array(HAPT_NAMES)}
