"""lib.primus.experiments: the world statistics of notebook 20."""

from __future__ import annotations

import numpy as np
import pytest

from lib.primus import experiments as X


def test_within_scenario_similarity_is_one_for_identical_and_zero_for_orthogonal_embeddings():
    """Two scenarios whose segments share one embedding each, orthogonal to the other's: the diagonal
    (self-pairs excluded) is 1, the off-diagonal 0; a corpus without scenario labels gives nothing."""
    labels = np.repeat([0, 1], 5)
    video = np.where(labels[:, None] == 0, [[2.0, 0.0]], [[0.0, 3.0]])
    arrays = {"imu": np.zeros((10, 6, 4)), "video": video, "text": -video, "scenario": labels}
    similarity, within = X.within_scenario_similarity(arrays, n_classes=2, seed=0)
    assert set(similarity) == set(within) == {"video", "text"}
    assert np.allclose(similarity["video"], np.eye(2)) and within == pytest.approx({"video": 1.0, "text": 1.0})
    assert X.within_scenario_similarity({k: v for k, v in arrays.items() if k != "scenario"}, 2, 0) == ({}, {})
