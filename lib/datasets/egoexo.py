"""EgoExo4D-style IMU–video–text triplets for PRIMUS (P2), in a documented folder layout.

Official source of the real data: Ego-Exo4D, Grauman et al., CVPR 2024, https://ego-exo4d-data.org
(licence agreement required; not redistributable). PRIMUS's preprocessing turns it into one triplet per
atomic-description window (Nokia-Bell-Labs/pretrained-imu-encoders, ``dataset/egoexo4d`` and
``utils/utils.py``): a 5 s window of the Aria glasses' IMU resampled to 50 Hz and zero-padded to 250
samples, shape (6, 250) = acc xyz then gyro xyz; a frozen video embedding of the window (CLIP4Clip,
512-d) and a frozen text embedding of its cleaned narration (CLIP text encoder, 512-d). This module
reads (and writes) such triplets once they have been computed — the raw VRS/video decoding is out of
scope.

Folder layout::

    <root>/imu.npy     (N, 6, 250) float32   acc xyz (m/s², gravity included) + gyro xyz (rad/s), 50 Hz
    <root>/video.npy   (N, Dv) float16/32    video embedding per window (Dv = 512 for CLIP4Clip)
    <root>/text.npy    (N, Dt) float16/32    text embedding per window (Dt = 512 for CLIP)
    <root>/meta.csv    N rows, one per window, columns:
                         take_uid  str      the take (recording) the window comes from      required
                         start_s   float    window start, s from the first IMU sample        required
                         end_s     float    window end, s (end_s - start_s = 5)              required
                         narration str      cleaned atomic description                       optional
                         label     int      class id (e.g. the 8 take scenarios), -1 = none  optional
                         split     str      train / val / test                               optional

Row i of every file describes the same window. ``meta.csv`` is UTF-8 (a BOM is fine; other encodings are
an error that says how to convert). A folder without windows (every take shorter than one window) is an
error naming ``imu.npy``, not an empty corpus. :func:`load_egoexo` returns the dict of arrays that
:mod:`lib.primus.data` takes as a pretraining corpus (``imu``, ``video``, ``text`` + meta columns).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from lib.datasets.errors import DataFormatError, describe_content, read_text, require_dir, require_file
from lib.repro import atomic_write

FPS = 50.0
WINDOW = 250  # 5 s x 50 Hz (PRIMUS's get_imu_frames)
N_CHANNELS = 6
FILES = ("imu.npy", "video.npy", "text.npy", "meta.csv")
REQUIRED_COLUMNS = ("take_uid", "start_s", "end_s")
SPLITS = ("train", "val", "test")
FIX = "write the folder with lib.datasets.egoexo.save_egoexo (layout in the module docstring)"


def _load_npy(path: Path, mmap: bool) -> np.ndarray:
    path = require_file(path, "EgoExo4D-style array")
    with open(path, "rb") as handle:
        head = handle.read(200)
    if not head.startswith(b"\x93NUMPY"):
        raise DataFormatError(path, f"is not a .npy array: it holds {describe_content(head)}", FIX)
    try:
        return np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise DataFormatError(path, f"cannot be read as a .npy array (truncated or corrupt: {exc})", FIX) from None


def _check_finite(path: Path, arr: np.ndarray) -> None:
    rows = np.asarray(arr, dtype=np.float32).reshape(arr.shape[0], int(np.prod(arr.shape[1:])))  # also for 0 rows
    bad = ~np.isfinite(rows).all(axis=1)
    if bad.any():
        raise DataFormatError(path, f"{int(bad.sum())} row(s) contain NaN/inf, first at row {int(np.argmax(bad))}",
                              "recompute those windows or drop them from every file")


def _read_meta(path: Path, n: int) -> dict[str, np.ndarray]:
    reader = csv.DictReader(io.StringIO(read_text(path, "EgoExo4D-style metadata (meta.csv)"), newline=""))
    columns = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise DataFormatError(path, f"column(s) {missing} missing (header: {columns})", FIX)
    rows = []
    for row in reader:
        if None in row or None in row.values():  # DictReader's marks for extra and missing fields
            found = len(columns) + len(row.get(None, ())) - sum(v is None for v in row.values())
            raise DataFormatError(path, f"row {len(rows) + 1} (line {reader.line_num}) has {found} fields; the "
                                  f"header has {len(columns)} ({','.join(columns)})", FIX)
        rows.append(row)
    if len(rows) != n:
        raise DataFormatError(path, f"has {len(rows)} rows but imu.npy has {n} windows; row i must describe window i", FIX)
    meta: dict[str, np.ndarray] = {"take_uid": np.array([r["take_uid"] for r in rows], dtype=str)}
    for col in ("start_s", "end_s"):
        values = np.empty(len(rows))
        for k, r in enumerate(rows):
            try:
                values[k] = float(r[col])
            except ValueError:
                raise DataFormatError(path, f"row {k + 1}: column {col!r} has the non-numeric value "
                                      f"{r[col]!r}; expected a number of seconds", FIX) from None
        if not np.isfinite(values).all():
            k = int(np.argmax(~np.isfinite(values)))
            raise DataFormatError(path, f"row {k + 1}: column {col!r} is {rows[k][col]!r} (NaN/inf); expected a "
                                  "finite number of seconds", FIX)
        meta[col] = values
    if n and (meta["end_s"] <= meta["start_s"]).any():
        row = int(np.argmax(meta["end_s"] <= meta["start_s"]))
        raise DataFormatError(path, f"row {row + 1}: end_s {meta['end_s'][row]} is not after start_s {meta['start_s'][row]}", FIX)
    if "narration" in columns:
        meta["narration"] = np.array([r["narration"] or "" for r in rows], dtype=object)
    if "label" in columns:
        try:
            meta["label"] = np.array([int(r["label"]) if r["label"] not in ("", None) else -1 for r in rows], dtype=np.int64)
        except ValueError:
            raise DataFormatError(path, "column 'label' must hold integers (-1 or empty = no label)", FIX) from None
    if "split" in columns:
        split = np.array([r["split"] for r in rows], dtype=str)
        bad = sorted(set(split.tolist()) - set(SPLITS))
        if bad:
            raise DataFormatError(path, f"column 'split' has value(s) {bad}; use {list(SPLITS)}", FIX)
        meta["split"] = split
    return meta


def load_egoexo(root: str | Path, length: int | None = WINDOW, mmap: bool = False) -> dict[str, np.ndarray]:
    """Read and validate a triplet folder.

    length: expected IMU window length (None = any)
    mmap:   memory-map the .npy files instead of reading them (large corpora)
    returns dict: imu (N, 6, L), video (N, Dv), text (N, Dt), take_uid (N,) str, start_s, end_s (N,)
            float, and narration (N,) object / label (N,) int / split (N,) str when meta.csv has them
    """
    root = require_dir(root, "EgoExo4D-style triplet folder")
    imu = _load_npy(root / "imu.npy", mmap)
    if imu.ndim != 3 or imu.shape[1] != N_CHANNELS or (length is not None and imu.shape[2] != length):
        want = f"(N, {N_CHANNELS}, {length if length is not None else 'L'})"
        raise DataFormatError(root / "imu.npy", f"has shape {imu.shape}; expected {want} (acc xyz + gyro xyz per window)", FIX)
    n = imu.shape[0]
    if n == 0:
        raise DataFormatError(root / "imu.npy", f"holds 0 windows (shape {imu.shape}); a corpus needs at least one",
                              f"each window is {WINDOW / FPS:g} s ({WINDOW} samples at {FPS:g} Hz) of one take, so a "
                              f"take shorter than {WINDOW / FPS:g} s, or one without atomic descriptions, gives none: "
                              "check the takes and the preprocessing that cut the windows")
    out = {"imu": imu}
    for name in ("video", "text"):
        path = root / f"{name}.npy"
        arr = _load_npy(path, mmap)
        if arr.ndim != 2 or arr.shape[0] != n:
            raise DataFormatError(path, f"has shape {arr.shape}; expected ({n}, D): one embedding per IMU window", FIX)
        if not np.issubdtype(arr.dtype, np.floating):
            raise DataFormatError(path, f"has dtype {arr.dtype}; expected float embeddings", FIX)
        out[name] = arr
    for name in ("imu", "video", "text"):
        _check_finite(root / f"{name}.npy", out[name])
    out.update(_read_meta(root / "meta.csv", n))
    return out


def save_egoexo(root: str | Path, imu: np.ndarray, video: np.ndarray, text: np.ndarray, meta: dict) -> Path:
    """Write a triplet folder in the layout above (validated by reading it back). ``meta`` maps column
    name -> (N,) values and must hold at least take_uid, start_s, end_s. Files are written atomically."""
    root = Path(root)
    imu, video, text = np.asarray(imu), np.asarray(video), np.asarray(text)
    n = len(imu)
    missing = [c for c in REQUIRED_COLUMNS if c not in meta]
    if missing:
        raise ValueError(f"meta lacks column(s) {missing}; required: {list(REQUIRED_COLUMNS)}")
    columns = list(meta)
    for c in columns:
        if len(meta[c]) != n:
            raise ValueError(f"meta[{c!r}] has {len(meta[c])} values; expected {n} (one per IMU window)")
    root.mkdir(parents=True, exist_ok=True)
    for name, arr in (("imu", imu.astype(np.float32, copy=False)), ("video", video), ("text", text)):
        with atomic_write(root / f"{name}.npy", "wb") as f:
            np.save(f, arr, allow_pickle=False)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for i in range(n):
        writer.writerow([meta[c][i] for c in columns])
    with atomic_write(root / "meta.csv", "wb") as f:
        f.write(buffer.getvalue().encode("utf-8"))
    load_egoexo(root, length=imu.shape[2] if imu.ndim == 3 else None)
    return root
