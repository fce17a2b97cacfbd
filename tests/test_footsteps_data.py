"""P1 real-data folders: pairs.csv + WAV/FLAC/OGG files of any rate; every defect is one clear error."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from lib.footsteps.data import load_pairs_folder, read_clip, read_pairs_table


def _write(path, seconds, rate, fmt=None, seed=0):
    path.parent.mkdir(parents=True, exist_ok=True)
    x = 0.1 * np.random.default_rng(seed).standard_normal(int(seconds * rate))
    sf.write(path, x.astype(np.float32), rate, format=fmt)
    return path


def _folder(root, rows=None):
    rows = rows or [("audio/a0.wav", "geo/g0.flac", 1), ("audio/a1.ogg", "geo/g1.wav", 0)]
    for i, (audio, geo, _) in enumerate(rows):
        _write(root / audio, 10.0, 44_100 if audio.endswith(".wav") else 22_050, seed=i)
        _write(root / geo, 10.0, 8_000 if geo.endswith(".flac") else 1_000, seed=10 + i)
    (root / "pairs.csv").write_text("audio,geophone,label\n" + "".join(f"{a},{g},{l}\n" for a, g, l in rows))
    return root


def test_a_valid_folder_loads_into_paper_features(tmp_path):
    root = _folder(tmp_path / "data")
    feats = load_pairs_folder(root, cache_dir=tmp_path / "cache")
    assert feats["audio"].shape == (2, 999, 50) and feats["geophone"].shape == (2, 999, 50)
    assert feats["label"].tolist() == [1, 0]
    assert np.isfinite(feats["audio"]).all() and np.isfinite(feats["geophone"]).all()


def test_any_rate_is_resampled_and_small_length_errors_are_padded(tmp_path):
    path = _write(tmp_path / "x.wav", 10.2, 48_000)
    assert read_clip(path, 16_000).shape == (160_000,)
    path = _write(tmp_path / "y.flac", 9.8, 2_000)
    assert read_clip(path, 4_000).shape == (40_000,)


def test_missing_table(tmp_path):
    with pytest.raises(FileNotFoundError, match="pairs.csv"):
        read_pairs_table(tmp_path)


@pytest.mark.parametrize("text, match", [
    ("audio,label\nx.wav,1\n", "header"),
    ("audio,geophone,label\naudio/a0.wav,geo/g0.flac\n", "line 2"),
    ("audio,geophone,label\naudio/a0.wav,geo/g0.flac,yes\n", "label 'yes'"),
    ("audio,geophone,label\naudio/a0.mp3,geo/g0.flac,1\n", "not WAV/FLAC/OGG"),
    ("audio,geophone,label\n", "no pairs"),
])
def test_malformed_tables_name_the_line(tmp_path, text, match):
    root = _folder(tmp_path / "data")
    (root / "pairs.csv").write_text(text)
    with pytest.raises(ValueError, match=match):
        read_pairs_table(root)


def test_missing_file_is_named(tmp_path):
    root = _folder(tmp_path / "data")
    (root / "geo" / "g1.wav").unlink()
    with pytest.raises(FileNotFoundError, match="g1.wav"):
        read_pairs_table(root)


def test_unreadable_file_is_named(tmp_path):
    root = _folder(tmp_path / "data")
    (root / "audio" / "a0.wav").write_bytes(b"not audio at all")
    with pytest.raises(ValueError, match="a0.wav.*cannot be read"):
        load_pairs_folder(root, cache_dir=tmp_path / "cache")


def test_wrong_duration_is_named(tmp_path):
    root = _folder(tmp_path / "data")
    _write(root / "geo" / "g0.flac", 3.0, 8_000)
    with pytest.raises(ValueError, match=r"g0.flac: lasts 3.000 s"):
        load_pairs_folder(root, cache_dir=tmp_path / "cache")


def test_nan_samples_are_rejected(tmp_path):
    path = tmp_path / "n.wav"
    x = np.zeros(16_000 * 10, np.float32)
    x[5] = np.nan
    sf.write(path, x, 16_000, subtype="FLOAT")
    with pytest.raises(ValueError, match="NaN"):
        read_clip(path, 16_000)


def test_one_class_only_is_rejected(tmp_path):
    root = _folder(tmp_path / "data", rows=[("audio/a0.wav", "geo/g0.flac", 1)])
    with pytest.raises(ValueError, match="both positive"):
        load_pairs_folder(root, cache_dir=tmp_path / "cache")


def test_notebook_path_without_pairs_csv_is_a_clear_error(tmp_path):
    """What notebooks 10-12 do with ``data_root``: setup's DataLayout check, then load_features."""
    from lib.footsteps.experiments import load_features, make_splits
    from lib.footsteps.spec import DATA_LAYOUT
    from lib.params import ParameterError, setup

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ParameterError, match="pairs.csv"):
        setup("11_footstep_siamese_training", mode="quick", seed=0, data_root=str(empty), device="cpu",
              data_layout=DATA_LAYOUT)
    with pytest.raises(FileNotFoundError, match="pairs.csv"):
        load_features(10, 0, data_root=empty, cache_dir=tmp_path / "cache")
    root = _folder(tmp_path / "data", [(f"audio/a{i}.wav", f"geo/g{i}.wav", i % 2) for i in range(6)])
    feats, key = load_features(10, 0, data_root=root, cache_dir=tmp_path / "cache")
    assert key["source"] == "real" and key["n"] == 6
    splits = make_splits(feats, 500, 100, 100, seed=0)  # shrinks to what the folder holds: 1 / 1 / 1 per class
    assert [len(s) for s in splits.values()] == [2, 2, 2]
