"""Shared fixtures: the repository root and the real data folder (``../shared/data``) when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TQDM_DISABLE", "1")

from lib.params import SHARED_DATA  # noqa: E402  (SHARED_DATA honours $COMPANION_SHARED_DATA)


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data``; tests that need it skip with the reason when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (it is present on developer machines and in CI)")
    return SHARED_DATA


@pytest.fixture
def out_dir(tmp_path, monkeypatch) -> Path:
    """Redirect figures and results of ``lib.params.setup`` runs into a temporary folder."""
    monkeypatch.setenv("COMPANION_OUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("COMPANION_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "out"
