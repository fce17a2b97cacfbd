"""The parameter contract of every notebook, its validation and the output locations.

A notebook's ``parameters`` cell holds only literals::

    mode = "quick"     # "quick" | "full"
    seed = 0
    data_root = None   # None = simulator; a path = real data in its published layout
    device = "auto"
    epochs = None      # notebook knob: None = the preset of the mode

and the next cell calls :func:`setup` once, which validates everything (one clear error naming the
parameter, the bad value and what is allowed), resolves knobs from the mode presets, seeds every
RNG, chooses the device, applies the figure style and returns a :class:`Run`.

Under papermill, :func:`setup` also rejects a name that papermill injected but the ``parameters``
cell does not assign (``-p epchs 2``): papermill itself only logs a warning and runs with the default.

A run's figures wait in ``<fig dir>/.unfinished/<notebook>/`` until :meth:`Run.finish` has written
the results JSON and moves them beside the others, so a failed run leaves the figure and results
folders as they were (its partial figures stay in ``.unfinished/`` to look at, until the next run).
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import math
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from lib.paths import REPO_ROOT, SHARED_DATA, default_cache_dir, output_dirs, shared_data_dir  # noqa: F401 (API)
from lib.plots import savefig, use_style
from lib.repro import choose_device, seed_everything, write_results

MODES = ("quick", "full")
#: Seeds are integers with 0 <= seed < SEED_LIMIT: NumPy's legacy global RNG (``np.random.seed``,
#: which :func:`lib.repro.seed_everything` seeds) takes nothing else.
SEED_LIMIT = 2**32
#: How parameters cells, README and errors state the seed's range (``=`` must stay out of comments).
SEED_RANGE = "0 ≤ seed < 2**32"
#: The first line of the cell papermill injects after the ``parameters`` cell (its default comment).
INJECTED_MARKER = "# Parameters"
#: The folder, inside a figure folder, where unfinished runs keep their figures.
UNFINISHED = ".unfinished"


class ParameterError(ValueError):
    """A notebook parameter has a bad value; the message names it and what is allowed."""


def seed_problem(seed: Any) -> str | None:
    """Why ``seed`` breaks the contract (an int, not a bool, with 0 ≤ seed < 2**32), or None when it is fine.

    Shared by :func:`setup` and the command lines (:mod:`lib.batch`, :mod:`lib.reproduce`), so a bad
    seed is refused with the same words wherever it enters.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        return (f"seed={seed!r} ({type(seed).__name__}) must be an integer with {SEED_RANGE} "
                f"({SEED_LIMIT}), e.g. seed=0")
    if not 0 <= seed < SEED_LIMIT:
        return f"seed={seed!r} is out of range: it must be an integer with {SEED_RANGE} ({SEED_LIMIT}), e.g. seed=0"
    return None


def unknown_parameters_message(unknown: Sequence[str], known: Sequence[str], notebook: str) -> str | None:
    """The error text for names that are not parameters of ``notebook`` (None when ``unknown`` is empty).

    Names each unknown one with its closest parameter (``difflib``) and lists the notebook's
    parameters. Shared by :func:`setup` (names papermill injected) and :mod:`lib.batch` (names on its
    command line or grid file), so both say it the same way.
    """
    if not unknown:
        return None
    named = []
    for name in unknown:
        close = difflib.get_close_matches(name, list(known), n=1)
        named.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    noun = "parameter" if len(unknown) == 1 else "parameters"
    return (f"unknown {noun} {', '.join(named)} for notebook {notebook}; its parameters are: "
            f"{', '.join(known) or 'none'}")


def assigned_names(source: str) -> list[str] | None:
    """The names a parameters-style cell assigns, in order; None when it holds anything but assignments.

    ``x = 1`` and ``x: int = 1`` count; a cell that does not parse or also does something else
    (a call, an import, a magic) is not a parameters cell, hence None.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            names += [t.id for t in node.targets]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names.append(node.target.id)
        else:
            return None
    return list(dict.fromkeys(names))


def _kernel_inputs() -> list[str]:
    """The sources of the cells this IPython kernel ran, oldest first ([] outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return []
    shell = get_ipython()
    if shell is None:
        return []
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    if history is None:
        history = shell.user_ns.get("In", [])
    return [cell if isinstance(cell, str) else "" for cell in history]


def check_injected_parameters(notebook: str, inputs: Sequence[str] | None = None) -> None:
    """Raise :class:`ParameterError` when papermill injected a name the ``parameters`` cell does not assign.

    papermill puts its cell (first line ``# Parameters``) right after the cell tagged ``parameters``
    and runs the cells in order, so in the kernel's input history (``inputs``; default: this
    kernel's ``In``) the latest injected cell follows the parameters cell. A misspelt ``-p epchs 2``
    would otherwise only set an unused variable and the run would go on with the default. Does
    nothing outside a kernel, without an injected cell, or when the cell before it is not a cell of
    plain assignments (cells run by hand out of order: nothing to compare with).
    """
    inputs = list(_kernel_inputs() if inputs is None else inputs)
    where = next((i for i in range(len(inputs) - 1, 0, -1) if inputs[i].lstrip().startswith(INJECTED_MARKER)), None)
    if where is None:
        return
    injected = assigned_names(inputs[where])
    if not injected:
        return
    ran_before = [cell for cell in inputs[1:where] if cell.strip()]
    if not ran_before:
        raise ParameterError(
            f"papermill injected parameters {injected} but notebook {notebook} has no code cell tagged "
            "'parameters' (papermill then puts them first, where the notebook's own assignments overwrite "
            "them); tag the first code cell 'parameters'")
    declared = assigned_names(ran_before[-1])
    if declared is None:
        return
    unknown = [name for name in injected if name not in declared]
    message = unknown_parameters_message(unknown, declared, notebook)
    if message:
        given = "; ".join(_assignment_text(inputs[where], name) for name in unknown)
        raise ParameterError(f"{message}. papermill injected `{given}`, but the parameters cell does not assign "
                             f"{'it' if len(unknown) == 1 else 'them'}, so the run would go on without "
                             f"{'it' if len(unknown) == 1 else 'them'}")


def _assignment_text(source: str, name: str) -> str:
    """The source text of the (last) assignment of ``name`` in ``source``, e.g. ``epchs = 2``."""
    text = name
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            text = ast.get_source_segment(source, node) or name
    return text


@dataclass
class Knob:
    """A notebook-specific parameter whose default depends on the mode.

    ``value`` is what the parameters cell (or papermill) gave; ``None`` takes the preset of the mode.
    The type is the presets' type (int, float, str or bool); ``min``/``max``/``choices`` bound it, and
    the parameter's comment in the parameters cell states the same bounds (``≥ 1``, ``≤ 100``;
    checked by tests/test_notebook_hygiene.py). A float knob must also be finite.
    """

    value: Any
    quick: Any
    full: Any
    min: float | None = None
    max: float | None = None
    choices: Sequence[Any] | None = None

    def resolve(self, name: str, mode: str) -> Any:
        """The given value or the mode's preset, in the presets' type; ParameterError if mistyped or out of bounds."""
        value = self.value if self.value is not None else (self.quick if mode == "quick" else self.full)
        kind = type(self.quick)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is int and isinstance(value, float) and value.is_integer():
            value = int(value)
        if type(value) is not kind:
            raise ParameterError(f"parameter {name}={value!r} must be of type {kind.__name__} "
                                 f"(quick preset {self.quick!r}, full preset {self.full!r}); leave it None for the preset")
        if kind is float and not math.isfinite(value):
            raise ParameterError(f"parameter {name}={value!r} must be a finite number")
        if self.choices is not None and value not in self.choices:
            raise ParameterError(f"parameter {name}={value!r} is not allowed; choose one of {list(self.choices)}")
        if self.min is not None and value < self.min:
            raise ParameterError(f"parameter {name}={value!r} is too small; it must be >= {self.min}")
        if self.max is not None and value > self.max:
            raise ParameterError(f"parameter {name}={value!r} is too large; it must be <= {self.max}")
        return value


@dataclass(frozen=True)
class Preset:
    """The quick and full value of one knob, with the bounds its parameters-cell comment states."""

    quick: Any
    full: Any
    min: float | None = None
    max: float | None = None
    choices: Sequence[Any] | None = None

    def knob(self, value: Any) -> Knob:
        """The :class:`Knob` for the notebook's parameter ``value`` (None -> this preset)."""
        return Knob(value, quick=self.quick, full=self.full, min=self.min, max=self.max, choices=self.choices)


class PresetTable(dict):
    """notebook stem -> {knob name: :class:`Preset`}: a paper package's presets, the one place a mode's values live.

    Each package's ``spec.py`` holds one (``PRESETS``) and every notebook passes its parameters through it::

        run = setup("41_virtual_imu_har", mode=mode, ..., **spec.knobs("41_virtual_imu_har", epochs=epochs, ...))

    ``tests/test_specs.py`` checks that each parameters cell's comments state these presets.
    """

    def knobs(self, notebook: str, **given: Any) -> dict[str, Knob]:
        """The :class:`Knob` s of ``notebook`` for the parameter values ``given`` (None -> the mode's preset).

        Only the names given are returned; an unknown notebook or knob raises ``ValueError`` naming the known ones.
        """
        table = self._table(notebook)
        unknown = sorted(set(given) - set(table))
        if unknown:
            raise ValueError(f"knobs({notebook!r}): unknown knob(s) {unknown}; its knobs are {list(table)}")
        return {name: table[name].knob(value) for name, value in given.items()}

    def preset(self, notebook: str, name: str, mode: str) -> Any:
        """The preset of knob ``name`` of ``notebook`` in ``mode`` ("quick" or "full")."""
        table = self._table(notebook)
        if name not in table:
            raise ValueError(f"preset({notebook!r}, {name!r}): no such knob; its knobs are {list(table)}")
        return table[name].quick if mode == "quick" else table[name].full

    def _table(self, notebook: str) -> dict[str, Preset]:
        if notebook not in self:
            raise ValueError(f"no presets for notebook {notebook!r}; known: {list(self)}")
        return self[notebook]


@dataclass
class DataLayout:
    """What a real-data folder must contain: relative paths (files or folders) and a description."""

    required: Sequence[str]
    description: str

    def check(self, root: Path) -> None:
        """Raise ParameterError, naming the missing paths, unless ``root`` holds every path in ``required``."""
        missing = [rel for rel in self.required if not (root / rel).exists()]
        if missing:
            raise ParameterError(
                f"data_root={str(root)!r} does not have the expected layout: missing {missing}. "
                f"Expected: {self.description}. Use data_root=None for the built-in simulator.")


def unfinished_dir(fig_dir: Path, notebook: str) -> Path:
    """Where a run of ``notebook`` keeps its figures until it finishes: ``<fig_dir>/.unfinished/<notebook>/``."""
    return Path(fig_dir) / UNFINISHED / notebook


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
    timings: dict = field(default_factory=dict)  # section -> wall seconds, filled by timed()

    def __getattr__(self, name: str) -> Any:
        knobs = self.__dict__.get("knobs", {})
        if name in knobs:
            return knobs[name]
        raise AttributeError(f"Run has no parameter {name!r}; known knobs: {sorted(knobs)}")

    @property
    def quick(self) -> bool:
        """Whether this is a quick-mode run."""
        return self.mode == "quick"

    @property
    def data_source(self) -> str:
        """What the run reads, as text: "simulator", or "real data: <data_root folder name>"."""
        return "simulator" if self.data_root is None else f"real data: {self.data_root.name}"

    @property
    def unfinished_dir(self) -> Path:
        """Where this run's figures wait until :meth:`finish` moves them into :attr:`fig_dir`."""
        return unfinished_dir(self.fig_dir, self.notebook)

    @contextlib.contextmanager
    def timed(self, section: str):
        """``with run.timed("Table 2"): ...`` adds the block's wall seconds to ``run.timings[section]``
        (what a notebook reports as its cost per section)."""
        t0 = time.perf_counter()
        yield
        self.timings[section] = self.timings.get(section, 0.0) + time.perf_counter() - t0

    def savefig(self, name: str, fig=None, *, synthetic: bool | None = None) -> list[Path]:
        """Save a figure as PNG + PDF for this run; synthetic defaults to 'no data_root'.

        The files go to :attr:`unfinished_dir` (the paths returned) and reach :attr:`fig_dir` only when
        :meth:`finish` succeeds, so a run that fails half-way changes no figure beside the results."""

        return savefig(name, fig, synthetic=self.data_root is None if synthetic is None else synthetic,
                       out_dir=self.unfinished_dir)

    def finish(self, values: dict, claims: list | None = None, data: str | None = None, reused_s: float = 0.0):
        """Write ``<results_dir>/<notebook>.json``, move the run's figures into the figure dir, and return
        the claims table as a DataFrame.

        ``reused_s``: seconds of earlier runs' work this run loaded from the cache (e.g. the summed
        training seconds of cached networks), so that the README can state what the results cost."""

        claims = list(claims or [])
        write_results(self.results_dir / f"{self.notebook}.json", notebook=self.notebook, mode=self.mode,
                      seed=self.seed, data=data or self.data_source, values=values, claims=claims,
                      wall_s=time.perf_counter() - self.started, reused_s=reused_s,
                      params={"data_root": None if self.data_root is None else str(self.data_root),
                              "device": str(self.device), **self.knobs})
        self._publish_figures()
        return claims_frame(claims)

    def _publish_figures(self) -> None:
        """Move the figures from :attr:`unfinished_dir` into :attr:`fig_dir` (each rename is atomic)."""
        staged = self.unfinished_dir
        if not staged.is_dir():
            return
        self.fig_dir.mkdir(parents=True, exist_ok=True)
        for path in sorted(staged.iterdir()):
            if path.is_file():
                os.replace(path, self.fig_dir / path.name)
        shutil.rmtree(staged, ignore_errors=True)
        try:
            staged.parent.rmdir()  # .unfinished/ itself, when no other notebook's run left figures there
        except OSError:
            pass


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

    Raises :class:`ParameterError` naming the first bad parameter, its value and what is allowed; in a
    papermill run first for a name papermill injected that the parameters cell does not assign
    (:func:`check_injected_parameters`). Clears the figures an earlier unfinished run of this notebook
    left in ``.unfinished/``.
    """

    if not isinstance(notebook, str) or not notebook:
        raise ParameterError(f"setup(notebook={notebook!r}): give the notebook's name, e.g. '00_tour'")
    check_injected_parameters(notebook)
    if not isinstance(mode, str) or mode not in MODES:
        raise ParameterError(f"parameter mode={mode!r} is unknown; use one of {list(MODES)}")
    problem = seed_problem(seed)
    if problem:
        raise ParameterError(f"parameter {problem}")
    root: Path | None = None
    if data_root is not None:
        if not isinstance(data_root, (str, os.PathLike)) or str(data_root) == "":
            raise ParameterError(f"parameter data_root={data_root!r} must be None (simulator) or a folder path")
        root = Path(data_root).expanduser()
        if not root.is_absolute():
            root = (Path.cwd() / root).resolve()
        if root.exists() and not root.is_dir():
            raise ParameterError(f"parameter data_root={str(data_root)!r} is a file ({root}); give the folder "
                                 "that holds the data set, or data_root=None for the built-in simulator")
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
    shutil.rmtree(unfinished_dir(fig_dir, notebook), ignore_errors=True)
    return Run(notebook=notebook, mode=mode, seed=int(seed), data_root=root, device=dev, knobs=resolved,
               fig_dir=fig_dir, results_dir=results_dir, cache_dir=default_cache_dir(), rng=rng)
