"""The lab's body-worn sensors, shared by the simulated world (the real sensors) and the instance-transfer
pipeline (the virtual ones it makes from video pose): where they sit and how their channels are laid out.
"""

from __future__ import annotations

import numpy as np

from lib.body.imu import P4_SITES

#: The real sensors: P4's left wrist (forearm segment) and right thigh.
LAB_SITES = tuple(s for s in P4_SITES if s.name in ("left_wrist", "right_thigh"))


def imu_features(acc: np.ndarray, gyro: np.ndarray) -> np.ndarray:
    """(T, S, 3) specific force (m/s²) + (T, S, 3) angular rate (rad/s) -> (T, 6S) channels."""
    return np.concatenate([acc, gyro], axis=-1).reshape(len(acc), -1)


__all__ = ["LAB_SITES", "imu_features"]
