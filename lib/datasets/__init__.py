"""Real-format loaders, one module per format (each docstring names the official source):

* :mod:`lib.datasets.amass`   AMASS ``*_poses.npz`` -> SMPL-24 :class:`~lib.body.clip.MotionClip` (Y-up)
* :mod:`lib.datasets.dip`     DIP-IMU pickles -> IMU orientations/accelerations + SMPL ground truth
* :mod:`lib.datasets.hapt`    UCI HAPT raw smartphone signals, windows, subject-held-out split
* :mod:`lib.datasets.bvh`     CMU BVH -> global joint trajectories, sensor sites, SMPL-24 retargeting
* :mod:`lib.datasets.egoexo`  EgoExo4D-style IMU/video/text triplet folders (P2)
* :mod:`lib.datasets.windows` sliding windows with a label per window

A malformed file raises :class:`DataFormatError` (a ``ValueError``) naming the file and the problem;
a missing file raises ``FileNotFoundError``. Text files are read as UTF-8 with or without BOM through
the one helper :func:`lib.datasets.errors.read_text`; other encodings are a ``DataFormatError`` that
says how to convert the file. ``tests/test_bad_data.py`` holds a malformed-input corpus per loader.
"""

from lib.datasets.errors import DataFormatError

__all__ = ["DataFormatError"]
