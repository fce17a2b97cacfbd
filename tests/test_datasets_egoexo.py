"""EgoExo4D-style triplet folders: round trip, the P2 corpus contract, and malformed folders."""

from __future__ import annotations

import numpy as np
import pytest

from lib.datasets.egoexo import load_egoexo, save_egoexo
from lib.datasets.errors import DataFormatError

N = 8


def triplets(n=N, seed=0):
    rng = np.random.default_rng(seed)
    imu = rng.normal(size=(n, 6, 250)).astype(np.float32)
    video = rng.normal(size=(n, 512)).astype(np.float32)
    text = rng.normal(size=(n, 512)).astype(np.float16)
    meta = {"take_uid": [f"take{i // 3}" for i in range(n)], "start_s": np.arange(n) * 5.0,
            "end_s": np.arange(n) * 5.0 + 5.0, "narration": ["picks up the knife, slowly – café"] * n,
            "label": [i % 8 for i in range(n)], "split": ["train"] * (n - 2) + ["val", "test"]}
    return imu, video, text, meta


def test_round_trip_gives_the_p2_corpus_dict(tmp_path):
    imu, video, text, meta = triplets()
    root = save_egoexo(tmp_path / "egoexo", imu, video, text, meta)
    corpus = load_egoexo(root)
    np.testing.assert_array_equal(corpus["imu"], imu)
    np.testing.assert_array_equal(corpus["video"], video)
    assert corpus["text"].dtype == np.float16
    assert corpus["take_uid"].tolist()[:4] == ["take0", "take0", "take0", "take1"]
    assert corpus["narration"][0] == "picks up the knife, slowly – café"  # comma and UTF-8 survive the CSV
    assert corpus["label"].tolist() == list(range(8)) and corpus["split"][-1] == "test"
    from lib.primus.data import check_corpus

    assert check_corpus(corpus) == N
    mapped = load_egoexo(root, mmap=True)
    assert isinstance(mapped["imu"], np.memmap)


def test_optional_columns_and_other_window_lengths(tmp_path):
    imu, video, text, meta = triplets()
    meta = {k: meta[k] for k in ("take_uid", "start_s", "end_s")}
    root = save_egoexo(tmp_path / "e", imu[:, :, :128], video, text, meta)
    corpus = load_egoexo(root, length=None)
    assert corpus["imu"].shape == (N, 6, 128) and "label" not in corpus
    with pytest.raises(DataFormatError, match="expected \\(N, 6, 250\\)"):
        load_egoexo(root)


@pytest.mark.parametrize("file,edit,match", [
    ("imu.npy", lambda p: np.save(p, np.zeros((N, 3, 250), np.float32)), "imu.npy: has shape \\(8, 3, 250\\)"),
    ("video.npy", lambda p: np.save(p, np.zeros((N - 1, 512), np.float32)), "expected \\(8, D\\)"),
    ("text.npy", lambda p: np.save(p, np.zeros((N, 512), np.int64)), "dtype int64"),
    ("video.npy", lambda p: np.save(p, np.full((N, 512), np.nan, np.float32)), "8 row\\(s\\) contain NaN"),
    ("imu.npy", lambda p: p.write_bytes(p.read_bytes()[:2000]), "truncated or corrupt"),
    ("meta.csv", lambda p: p.write_text("take_uid,start_s\nx,0\n"), "\\['end_s'\\] missing"),
    ("meta.csv", lambda p: p.write_text(p.read_text().rsplit("\n", 2)[0] + "\n"), "has 7 rows but imu.npy has 8"),
    ("meta.csv", lambda p: p.write_text(p.read_text().replace(",train", ",training")), "'split' has value"),
    ("meta.csv", lambda p: p.write_text(p.read_text().replace(",5.0,", ",zero,", 1)), "non-numeric"),
])
def test_malformed_folders_name_the_file_and_the_problem(tmp_path, file, edit, match):
    root = save_egoexo(tmp_path / "e", *triplets())
    edit(root / file)
    with pytest.raises(DataFormatError, match=match) as err:
        load_egoexo(root)
    assert file in str(err.value)


def test_missing_files_and_bad_meta_arguments(tmp_path):
    root = save_egoexo(tmp_path / "e", *triplets())
    (root / "text.npy").unlink()
    with pytest.raises(FileNotFoundError, match="text.npy"):
        load_egoexo(root)
    with pytest.raises(FileNotFoundError, match="folder"):
        load_egoexo(tmp_path / "absent")
    imu, video, text, meta = triplets()
    with pytest.raises(ValueError, match="take_uid"):
        save_egoexo(tmp_path / "f", imu, video, text, {"start_s": meta["start_s"], "end_s": meta["end_s"]})
