"""P1 log-mel features: the paper's 999 x 50 shape for both rates, the mel axis, the disk cache."""

from __future__ import annotations

import time

import numpy as np
import pytest

from lib.footsteps.features import N_FRAMES, N_MELS, log_mel, scene_features


@pytest.mark.parametrize("rate", [16_000, 4_000])
def test_ten_seconds_give_999_by_50(rate):
    x = np.random.default_rng(0).standard_normal((2, 10 * rate)).astype(np.float32)
    feats = log_mel(x, rate)
    assert feats.shape == (2, N_FRAMES, N_MELS) == (2, 999, 50) and feats.dtype == np.float32
    assert log_mel(x[0], rate).shape == (999, 50)
    assert np.isfinite(feats).all()


def test_a_tone_lands_in_the_right_mel_band_and_time_axis_is_first():
    import librosa

    rate = 16_000
    t = np.arange(10 * rate) / rate
    x = np.where(t < 5, np.sin(2 * np.pi * 1000 * t), 0.0)
    feats = log_mel(x, rate)
    edges = librosa.mel_frequencies(N_MELS + 2, fmin=0, fmax=rate / 2, htk=True)
    band = int(np.argmax(feats[200]))
    assert edges[band] <= 1000 <= edges[band + 2]
    assert feats[200].max() > feats[800].max() + 5  # tone in the first half (frames 0-498), silence after


def test_wrong_length_or_rate_is_a_clear_error():
    with pytest.raises(ValueError, match="samples"):
        log_mel(np.zeros(12_345), 16_000)
    with pytest.raises(ValueError, match="resample"):
        log_mel(np.zeros(80_000), 8_000)


def test_features_are_cached_on_disk(tmp_path):
    started = time.perf_counter()
    first = scene_features(2, 2, seed=0, cache_dir=tmp_path, progress=False)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    second = scene_features(2, 2, seed=0, cache_dir=tmp_path, progress=False)
    warm = time.perf_counter() - started
    assert first["audio"].shape == (4, 999, 50) and first["geophone"].shape == (4, 999, 50)
    assert first["label"].tolist() == [1, 1, 0, 0]
    np.testing.assert_array_equal(first["audio"], second["audio"])
    assert warm * 20 <= cold, f"cache load {warm:.3f} s vs compute {cold:.3f} s"
