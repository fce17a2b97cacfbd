"""Where the companion reads and writes: the repository root, the real-data folder, and the figure, results
and cache folders.

The bottom layer of ``lib``: it imports nothing of the package, so every module may import it without a
loop. Environment variables redirect each location (checked on every call, so a test or a batch run may set
them after import):

* ``$COMPANION_SHARED_DATA``: the real-data folder (default ``../shared/data`` beside the repository);
* ``$COMPANION_OUT_DIR``: figures and results of every run (``<dir>/figures``, ``<dir>/results``);
* ``$COMPANION_CACHE_DIR``: the on-disk cache of simulated worlds and trained networks (default
  ``build/cache``).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    """The real-data folder the notebooks fall back to: ``$COMPANION_SHARED_DATA`` when set, else
    ``../shared/data`` beside the repository (present on developer machines and in CI; never copied in)."""
    override = os.environ.get("COMPANION_SHARED_DATA")
    return Path(override).expanduser().resolve() if override else REPO_ROOT.parent / "shared" / "data"


#: The real-data folder as it was when ``lib`` was imported (the notebooks' default ``data_root`` parents).
SHARED_DATA = shared_data_dir()


def output_dirs(mode: str) -> tuple[Path, Path]:
    """(figure dir, results dir): quick -> ``build/figures``, ``build/results``; full -> ``figures/``, ``results/``.

    ``$COMPANION_OUT_DIR`` redirects both (``$COMPANION_OUT_DIR/figures``, ``.../results``), which is
    how batch runs keep parallel runs of one notebook apart.
    """
    override = os.environ.get("COMPANION_OUT_DIR")
    if override:
        base = Path(override)
        return base / "figures", base / "results"
    if mode == "full":
        return REPO_ROOT / "figures", REPO_ROOT / "results"
    return REPO_ROOT / "build" / "figures", REPO_ROOT / "build" / "results"


def default_cache_dir() -> Path:
    """``$COMPANION_CACHE_DIR`` if set, else ``<repo>/build/cache``."""
    return Path(os.environ.get("COMPANION_CACHE_DIR", REPO_ROOT / "build" / "cache"))


__all__ = ["REPO_ROOT", "SHARED_DATA", "shared_data_dir", "output_dirs", "default_cache_dir"]
