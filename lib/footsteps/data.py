"""Real recordings for P1: a ``data_root`` folder with ``pairs.csv`` and audio/geophone files.

Layout::

    data_root/
      pairs.csv            header "audio,geophone,label"; one recorded pair per row
      audio/0001.wav ...   any paths relative to data_root; WAV, FLAC or OGG, any sampling rate
      geophone/0001.flac ...

``label`` is 1 (footsteps present) or 0 (none). Each file is mixed to mono, resampled to 16 kHz
(audio) or 4 kHz (geophone) with a polyphase filter (``scipy.signal.resample_poly``) and padded or
cropped on the right to 10 s (paper §3.3) when its duration is within ``tolerance_s`` of 10 s; a
longer or shorter file is an error. Anything wrong (missing column, malformed row, bad label,
unreadable or empty audio, wrong duration, NaN samples, a ``pairs.csv`` that is not UTF-8) raises one
:class:`~lib.datasets.errors.DataFormatError` naming the file or the line of ``pairs.csv`` and the fix; a
missing file raises ``FileNotFoundError``. ``pairs.csv`` is read as UTF-8 with or without BOM (Excel
writes one), through the same :func:`lib.datasets.errors.read_text` as every other loader. Features are
cached like the simulator's.
"""

from __future__ import annotations

import csv
import hashlib
import io
from fractions import Fraction
from pathlib import Path

import numpy as np

from lib.datasets.errors import DataFormatError, read_text, require_file
from lib.footsteps.features import log_mel
from lib.footsteps.sources import AUDIO_RATE, DURATION_S, GEO_RATE
from lib.repro import cached

PAIRS_FILE = "pairs.csv"
COLUMNS = ("audio", "geophone", "label")
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg")
LOADER_VERSION = "1"
LAYOUT_FIX = (f"{PAIRS_FILE} is a UTF-8 CSV with the header '{','.join(COLUMNS)}' and one row per recorded pair: "
              "audio path, geophone path (relative to the data folder), label 1 or 0")


def read_pairs_table(root: str | Path) -> list[tuple[Path, Path, int]]:
    """Rows of ``root/pairs.csv`` as (audio path, geophone path, label), validated."""
    root = Path(root)
    table = root / PAIRS_FILE
    if not table.is_file():
        raise FileNotFoundError(f"{table} is missing; a P1 data folder needs a {PAIRS_FILE} with columns "
                                f"{','.join(COLUMNS)} (one row per recorded audio/geophone pair)")
    reader = csv.reader(io.StringIO(read_text(table, f"P1 {PAIRS_FILE}"), newline=""))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != list(COLUMNS):
        raise DataFormatError(table, f"the header must be exactly '{','.join(COLUMNS)}'; found {header!r}", LAYOUT_FIX)
    rows = []
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 3 or any(not cell.strip() for cell in row):
            raise DataFormatError(table, f"line {line}: expected 3 non-empty fields (audio, geophone, label); got {row!r}",
                                  LAYOUT_FIX)
        audio, geo, label = (cell.strip() for cell in row)
        if label not in ("0", "1"):
            raise DataFormatError(table, f"line {line}: label {label!r} must be 1 (footsteps) or 0 (no footsteps)",
                                  LAYOUT_FIX)
        paths = []
        for rel, what in ((audio, "audio"), (geo, "geophone")):
            path = root / rel
            if path.suffix.lower() not in AUDIO_SUFFIXES:
                raise DataFormatError(table, f"line {line}: {what} file {rel!r} is not WAV/FLAC/OGG "
                                      f"({', '.join(AUDIO_SUFFIXES)})", "convert the recording to one of them")
            if not path.is_file():
                raise FileNotFoundError(f"{path} (the {what} file of {table} line {line}) does not exist; "
                                        "fix the path in pairs.csv (relative to the data folder)")
            paths.append(path)
        rows.append((paths[0], paths[1], int(label)))
    if not rows:
        raise DataFormatError(table, "lists no pairs", "add one row per recorded audio/geophone pair")
    return rows


def read_clip(path: Path, rate: int, tolerance_s: float = 0.5) -> np.ndarray:
    """One file as a mono float32 signal of exactly 10 s at ``rate`` (resampled, padded/cropped within tolerance)."""
    import soundfile as sf
    from scipy.signal import resample_poly

    path = require_file(path, "P1 recording")
    try:
        data, file_rate = sf.read(path, dtype="float32", always_2d=True)
    except Exception as exc:  # noqa: BLE001 - soundfile raises several types for broken files
        raise DataFormatError(path, f"cannot be read as audio ({exc})", "re-export it as WAV, FLAC or OGG") from exc
    if data.shape[0] == 0:
        raise DataFormatError(path, "is empty (0 samples); it should hold a 10-s recording", "re-export the recording")
    if not np.isfinite(data).all():
        raise DataFormatError(path, "contains NaN or infinite samples", "re-export the recording")
    duration = data.shape[0] / file_rate
    if abs(duration - DURATION_S) > tolerance_s:
        raise DataFormatError(path, f"lasts {duration:.3f} s; P1 clips are {DURATION_S:g} s (+-{tolerance_s:g} s is "
                              "padded or cropped)", "cut the recording to 10 s or raise tolerance_s")
    mono = data.mean(axis=1)
    if file_rate != rate:
        ratio = Fraction(rate, file_rate).limit_denominator(10_000)
        mono = resample_poly(mono, ratio.numerator, ratio.denominator).astype(np.float32)
    n = int(round(DURATION_S * rate))
    return mono[:n] if mono.size >= n else np.pad(mono, (0, n - mono.size))


def _table_digest(rows) -> str:
    h = hashlib.sha256()
    for audio, geo, label in rows:
        for p in (audio, geo):
            st = p.stat()
            h.update(f"{p}|{st.st_size}|{st.st_mtime_ns}".encode())
        h.update(str(label).encode())
    return h.hexdigest()[:16]


def load_pairs_folder(root: str | Path, tolerance_s: float = 0.5, cache_dir=None) -> dict:
    """Features of a real P1 folder: {"audio", "geophone": (n, 999, 50) float32, "label": (n,), "kind": (n,)}.

    Same keys as :func:`lib.footsteps.features.scene_features`, so splits and training do not care
    where the data came from. Cached on disk (keyed by file names, sizes and modification times).
    """
    rows = read_pairs_table(root)
    labels = np.array([r[2] for r in rows], np.int64)
    if not ((labels == 1).any() and (labels == 0).any()):
        raise DataFormatError(Path(root) / PAIRS_FILE, f"needs both positive (1) and negative (0) pairs; found only "
                              f"label {labels[0]}", "add recordings of the other class")

    def compute() -> dict:
        audio = np.stack([read_clip(a, AUDIO_RATE, tolerance_s) for a, _, _ in rows])
        geo = np.stack([read_clip(g, GEO_RATE, tolerance_s) for _, g, _ in rows])
        return {"audio": log_mel(audio, AUDIO_RATE), "geophone": log_mel(geo, GEO_RATE), "label": labels,
                "kind": np.array(["real"] * len(rows), dtype="U16")}

    params = {"root": str(Path(root).resolve()), "digest": _table_digest(rows), "tolerance_s": tolerance_s}
    return cached("p1_real_features", params, LOADER_VERSION, compute, cache_dir=cache_dir)
