"""Reproducibility plumbing: seeding, device choice, atomic writes, the on-disk cache, results JSON.

Everything that makes "same seed, same machine -> same numbers" true, and "nothing is left
half-written" true, lives here so that notebooks never reimplement it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import pickle
import platform
import random
import shutil
import tempfile
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from lib.paths import default_cache_dir

#: Packages whose versions go into every results JSON.
TRACKED_PACKAGES = ("numpy", "scipy", "torch", "librosa", "scikit-learn", "matplotlib", "seaborn", "pandas")


# --------------------------------------------------------------------------- seeding & device

def seed_everything(seed: int) -> np.random.Generator:
    """Seed ``random``, NumPy's legacy global RNG and torch, and make torch deterministic on CPU.

    Returns a fresh ``np.random.Generator(seed)``: prefer passing it around over global state.
    """
    import torch

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = True
    return np.random.default_rng(seed)


def choose_device(device: str = "auto"):
    """``"auto"`` -> ``cuda`` when available else ``cpu``; otherwise the named device, checked to exist."""
    import torch

    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except RuntimeError as exc:
        raise ValueError(f"device={device!r} is not a torch device; use 'auto', 'cpu', 'cuda' or 'cuda:N'") from exc
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} was asked for but CUDA is not available here; use device='auto' or 'cpu'")
    if dev.type not in ("cpu", "cuda"):
        raise ValueError(f"device={device!r} is not supported; use 'auto', 'cpu', 'cuda' or 'cuda:N'")
    return dev


# --------------------------------------------------------------------------- atomic writes

_UMASK = os.umask(0)
os.umask(_UMASK)

@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb") -> Iterator[io.IOBase]:
    """Open a temporary file next to ``path``; rename it onto ``path`` only if the block succeeds.

    A crash or exception inside the block leaves any previous ``path`` untouched and no partial file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the usual permissions
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# --------------------------------------------------------------------------- the cache

def params_hash(params: dict, version: str) -> str:
    """Stable 16-hex-digit key of a JSON-serialisable parameter dict and a generator version."""
    blob = json.dumps({"params": params, "version": version}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


_SUFFIX = {"npz": ".npz", "pickle": ".pkl", "torch": ".pt"}


def _dump(obj: Any, fmt: str, handle) -> None:
    if fmt == "npz":
        if not isinstance(obj, dict) or not all(isinstance(v, np.ndarray) for v in obj.values()):
            raise TypeError("cached(fmt='npz') needs compute() to return a dict of numpy arrays")
        np.savez(handle, **obj)
    elif fmt == "pickle":
        pickle.dump(obj, handle, protocol=pickle.HIGHEST_PROTOCOL)
    else:
        import torch

        torch.save(obj, handle)


def _load(source: Path | io.BytesIO, fmt: str) -> Any:
    if fmt == "npz":
        with np.load(source, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    if fmt == "pickle":
        if isinstance(source, io.BytesIO):
            return pickle.load(source)
        with open(source, "rb") as handle:
            return pickle.load(handle)
    import torch

    return torch.load(source, map_location="cpu", weights_only=False)


def cached(namespace: str, params: dict, version: str, compute: Callable[..., Any], *,
           fmt: str = "npz", cache_dir: str | os.PathLike | None = None, resumable: bool = False) -> Any:
    """Return ``compute()``'s result, memoised on disk under a hash of ``params`` and ``version``.

    The entry is ``<cache_dir>/<namespace>/<hash>.<ext>`` plus a ``.sha256`` of its bytes; an entry
    whose checksum does not match or that fails to load is treated as corrupt, deleted and rebuilt.
    Bump ``version`` whenever the generator's output changes for the same params.
    A fresh result is returned as read back from the bytes just written, so the first run and every
    later run get identical objects (array layout included: a transposed view computes differently
    in torch than the contiguous array a cache hit gives, and seeded training then diverges).

    ``resumable=True``: ``compute(folder)`` gets ``<cache_dir>/<namespace>/<hash>.checkpoints/`` for
    its checkpoints; an interrupted call leaves it for the next one to resume from, and it is removed
    once the entry exists.
    """
    if fmt not in _SUFFIX:
        raise ValueError(f"cached(fmt={fmt!r}): fmt must be one of {sorted(_SUFFIX)}")
    folder = (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / namespace
    key = params_hash(params, version)
    path = folder / (key + _SUFFIX[fmt])
    digest_path = path.with_name(path.name + ".sha256")
    progress = folder / (key + ".checkpoints")
    obj = _load_verified(path, digest_path, fmt)
    if obj is _MISSING:
        obj = compute(progress) if resumable else compute()
        buffer = io.BytesIO()
        _dump(obj, fmt, buffer)
        blob = buffer.getvalue()
        with atomic_write(path, "wb") as handle:
            handle.write(blob)
        with atomic_write(digest_path, "w") as handle:
            handle.write(hashlib.sha256(blob).hexdigest())
        obj = _load(io.BytesIO(blob), fmt)
    if resumable:
        shutil.rmtree(progress, ignore_errors=True)
    return obj


_MISSING = object()


def _load_verified(path: Path, digest_path: Path, fmt: str) -> Any:
    """The entry at ``path`` if its bytes match ``digest_path`` and load; ``_MISSING`` when absent or corrupt."""
    if not (path.exists() and digest_path.exists()):
        return _MISSING
    blob = path.read_bytes()
    if hashlib.sha256(blob).hexdigest() != digest_path.read_text().strip():
        return _MISSING
    try:
        return _load(path, fmt)
    except Exception:  # noqa: BLE001 - any load failure means a corrupt entry
        return _MISSING


# --------------------------------------------------------------------------- results JSON

@dataclass
class Claim:
    """One row of a notebook's claims table: a paper's statement, its number, ours, and whether it holds.

    ``holds`` is True/False, or None when the claim is not decided. ``verdict`` names the outcome in
    the words of :mod:`lib.verdict` ("holds", "does not hold", "inconclusive", "untestable"); left
    empty it follows ``holds`` (None -> "not tested"). Build claims measured over seeds with
    :meth:`from_verdict`.
    """

    id: str
    text: str
    paper: str
    ours: str
    holds: bool | None
    note: str = ""
    verdict: str = ""

    def __post_init__(self) -> None:
        if self.holds is not None:
            self.holds = bool(self.holds)
        if not self.verdict:
            self.verdict = {True: "holds", False: "does not hold", None: "not tested"}[self.holds]
        expected = {"holds": True, "does not hold": False}.get(self.verdict)
        if self.verdict not in ("holds", "does not hold", "inconclusive", "untestable", "not tested"):
            raise ValueError(f"Claim {self.id}: verdict {self.verdict!r} is not one of holds / does not hold / "
                             "inconclusive / untestable / not tested")
        if expected != self.holds:
            raise ValueError(f"Claim {self.id}: holds={self.holds} contradicts verdict {self.verdict!r}")

    @classmethod
    def from_verdict(cls, id: str, text: str, paper: str, verdict, ours: str = "", note: str = "",
                     unit: str = "", digits: int = 2) -> "Claim":
        """A claim decided by a :class:`lib.verdict.Verdict`; ``ours`` defaults to its numbers."""
        notes = [n for n in (verdict.reason, note) if n]
        return cls(id, text, paper, ours or verdict.describe(unit, digits), verdict.holds,
                   "; ".join(notes), verdict.label)


def package_versions() -> dict[str, str]:
    """Versions of Python and the tracked packages (``"absent"`` for one not installed)."""
    versions = {"python": platform.python_version()}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def _jsonable(value: Any) -> Any:
    """Turn numpy/torch scalars and arrays into plain JSON types; floats rounded to 6 significant digits."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return _jsonable(value.tolist())
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if not np.isfinite(value):
            return None
        return float(f"{value:.6g}")
    if isinstance(value, Path):
        return str(value)
    return value


def write_results(path: str | os.PathLike, *, notebook: str, mode: str, seed: int, data: str,
                  values: dict, claims: list[Claim], wall_s: float, params: dict | None = None,
                  reused_s: float = 0.0) -> Path:
    """Write ``results/<notebook>.json`` atomically, with sorted keys so equal runs give equal bytes.

    Sorting forgets the order a notebook built its dictionaries in: a figure whose legend or panel order
    matters states that order itself when it redraws from the JSON (e.g. ``lib.footsteps.figures``).

    ``wall_s`` (this run's seconds) and ``reused_s`` (seconds that earlier runs spent on work this run
    loaded from the cache, e.g. trained networks; written only when > 0) measure the machine and the
    cache's state rather than the computation; compare two runs with :func:`comparable`.
    """
    record = {
        "notebook": notebook,
        "mode": mode,
        "seed": seed,
        "data": data,
        "params": params or {},
        "versions": package_versions(),
        "wall_s": round(float(wall_s), 1),
        **({"reused_s": round(float(reused_s), 1)} if reused_s > 0 else {}),
        "values": values,
        "claims": [asdict(c) for c in claims],
    }
    text = json.dumps(_jsonable(record), indent=1, sort_keys=True) + "\n"
    path = Path(path)
    with atomic_write(path, "w") as handle:
        handle.write(text)
    return path


def comparable(results: dict) -> dict:
    """A results record without its timing fields, for equality checks between runs."""
    return {k: v for k, v in results.items() if k not in ("wall_s", "reused_s")}
