"""The parameter contract of every notebook (DESIGN §3), its validation and the output locations.

A notebook's ``parameters`` cell holds only literals::

    mode = "quick"     # "quick" | "full"
    seed = 0
    data_root = None   # None = simulator; a path = real data in its published layout
    device = "auto"
    epochs = None      # notebook knob: None = the preset of the mode

and the next cell calls :func:`setup` once, which validates everything (one clear error naming the
parameter, the bad value and what is allowed), resolves knobs from the mode presets, seeds every
RNG, chooses the device, applies the figure style and returns a :class:`Run`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    """The real-data folder the notebooks fall back to: ``$COMPANION_SHARED_DATA`` when set, else
    ``../shared/data`` beside the repository (present on developer machines and in CI; never copied in)."""
    override = os.environ.get("COMPANION_SHARED_DATA")
    return Path(override).expanduser().resolve() if override else REPO_ROOT.parent / "shared" / "data"


SHARED_DATA = shared_data_dir()
MODES = ("quick", "full")


class ParameterError(ValueError):
    """A notebook parameter has a bad value; the message names it and what is allowed."""


@dataclass
class Knob:
    """A notebook-specific parameter whose default depends on the mode.

    ``value`` is what the parameters cell (or papermill) gave; ``None`` takes the preset of the mode.
    The type is the presets' type (int, float, str or bool); ``min``/``max``/``choices`` bound it.
    """

    value: Any
    quick: Any
    full: Any
    min: float | None = None
    max: float | None = None
    choices: Sequence[Any] | None = None

    def resolve(self, name: str, mode: str) -> Any:
        value = self.value if self.value is not None else (self.quick if mode == "quick" else self.full)
        kind = type(self.quick)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is int and isinstance(value, float) and value.is_integer():
            value = int(value)
        if type(value) is not kind:
            raise ParameterError(f"parameter {name}={value!r} must be of type {kind.__name__} "
                                 f"(quick preset {self.quick!r}, full preset {self.full!r}); leave it None for the preset")
        if self.choices is not None and value not in self.choices:
            raise ParameterError(f"parameter {name}={value!r} is not allowed; choose one of {list(self.choices)}")
        if self.min is not None and value < self.min:
            raise ParameterError(f"parameter {name}={value!r} is too small; it must be >= {self.min}")
        if self.max is not None and value > self.max:
            raise ParameterError(f"parameter {name}={value!r} is too large; it must be <= {self.max}")
        return value


@dataclass
class DataLayout:
    """What a real-data folder must contain: relative paths (files or folders) and a description."""

    required: Sequence[str]
    description: str

    def check(self, root: Path) -> None:
        missing = [rel for rel in self.required if not (root / rel).exists()]
        if missing:
            raise ParameterError(
                f"data_root={str(root)!r} does not have the expected layout: missing {missing}. "
                f"Expected: {self.description}. Use data_root=None for the built-in simulator.")


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


@dataclass
class Run:
    """The validated parameters of one notebook run plus where it writes.  Knobs are attributes."""

    notebook: str
    mode: str
    seed: int
    data_root: Path | None
    device: Any
    knobs: dict
    fig_dir: Path
    results_dir: Path
    cache_dir: Path
    rng: np.random.Generator
    started: float = field(default_factory=time.perf_counter)

    def __getattr__(self, name: str) -> Any:
        knobs = self.__dict__.get("knobs", {})
        if name in knobs:
            return knobs[name]
        raise AttributeError(f"Run has no parameter {name!r}; known knobs: {sorted(knobs)}")

    @property
    def quick(self) -> bool:
        return self.mode == "quick"

    @property
    def data_source(self) -> str:
        return "simulator" if self.data_root is None else f"real data: {self.data_root.name}"

    def savefig(self, name: str, fig=None, *, synthetic: bool | None = None) -> list[Path]:
        """Save a figure as PNG + PDF into this run's figure dir; synthetic defaults to 'no data_root'."""
        from lib.plots import savefig

        return savefig(name, fig, synthetic=self.data_root is None if synthetic is None else synthetic,
                       out_dir=self.fig_dir)

    def finish(self, values: dict, claims: list | None = None, data: str | None = None, reused_s: float = 0.0):
        """Write ``<results_dir>/<notebook>.json`` and return the claims table as a DataFrame.

        ``reused_s``: seconds of earlier runs' work this run loaded from the cache (e.g. the summed
        training seconds of cached networks), so that the README can state what the results cost."""
        from lib.repro import write_results

        claims = list(claims or [])
        write_results(self.results_dir / f"{self.notebook}.json", notebook=self.notebook, mode=self.mode,
                      seed=self.seed, data=data or self.data_source, values=values, claims=claims,
                      wall_s=time.perf_counter() - self.started, reused_s=reused_s,
                      params={"data_root": None if self.data_root is None else str(self.data_root),
                              "device": str(self.device), **self.knobs})
        return claims_frame(claims)


def claims_frame(claims: list):
    """The claims table: claim · paper · ours · holds (✓ / ✗ / n/a) · note."""
    import pandas as pd

    mark = {"holds": "✓", "does not hold": "✗", "inconclusive": "~ inconclusive", "untestable": "untestable",
            "not tested": "n/a"}
    rows = [{"claim": c.text, "paper": c.paper, "ours": c.ours, "holds": mark[c.verdict], "note": c.note}
            for c in claims]
    return pd.DataFrame(rows, columns=["claim", "paper", "ours", "holds", "note"],
                        index=pd.Index([c.id for c in claims], name="id"))


def setup(notebook: str, *, mode: str = "quick", seed: int = 0, data_root: str | os.PathLike | None = None,
          device: str = "auto", data_layout: DataLayout | None = None, **knobs: Knob) -> Run:
    """Validate the contract parameters and the notebook's knobs; seed; pick the device; style plots.

    Raises :class:`ParameterError` naming the first bad parameter, its value and what is allowed.
    """
    from lib.plots import use_style
    from lib.repro import choose_device, default_cache_dir, seed_everything

    if not isinstance(notebook, str) or not notebook:
        raise ParameterError(f"setup(notebook={notebook!r}): give the notebook's name, e.g. '00_tour'")
    if mode not in MODES:
        raise ParameterError(f"parameter mode={mode!r} is unknown; use one of {list(MODES)}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError(f"parameter seed={seed!r} must be a non-negative integer, e.g. seed=0")
    root: Path | None = None
    if data_root is not None:
        if not isinstance(data_root, (str, os.PathLike)) or str(data_root) == "":
            raise ParameterError(f"parameter data_root={data_root!r} must be None (simulator) or a folder path")
        root = Path(data_root).expanduser()
        if not root.is_absolute():
            root = (Path.cwd() / root).resolve()
        if not root.is_dir():
            expected = f" Expected: {data_layout.description}." if data_layout else ""
            raise ParameterError(f"parameter data_root={str(data_root)!r}: no such folder ({root}).{expected} "
                                 "Use data_root=None for the built-in simulator.")
        if data_layout is None:
            raise ParameterError(f"parameter data_root={str(data_root)!r}: notebook {notebook} has no real-data "
                                 "path; use data_root=None (simulator)")
        data_layout.check(root)
    if not isinstance(device, str):
        raise ParameterError(f"parameter device={device!r} must be a string: 'auto', 'cpu', 'cuda' or 'cuda:N'")
    try:
        dev = choose_device(device)
    except ValueError as exc:
        raise ParameterError(f"parameter {exc}") from None
    resolved = {}
    for name, knob in knobs.items():
        if not isinstance(knob, Knob):
            raise TypeError(f"setup(..., {name}=...) must be a Knob(value, quick=..., full=...); got {knob!r}")
        resolved[name] = knob.resolve(name, mode)

    rng = seed_everything(int(seed))
    use_style()
    fig_dir, results_dir = output_dirs(mode)
    return Run(notebook=notebook, mode=mode, seed=int(seed), data_root=root, device=dev, knobs=resolved,
               fig_dir=fig_dir, results_dir=results_dir, cache_dir=default_cache_dir(), rng=rng)
