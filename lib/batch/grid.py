"""The grid of a batch: which notebooks, which parameter values, and one :class:`RunSpec` per combination.

Values come from ``-p NAME VALUE [VALUE ...]`` and/or a YAML grid file::

    seed: [0, 1, 2, 3, 4]          # name -> list of values (a scalar is one value)
    mode: quick
    notebooks:                     # optional: per-notebook additions/overrides; these notebooks run too
      00_tour: {epochs: [2, 4]}
      12_footstep_training_size: {n_pairs: [200, 500]}

Precedence: ``-p`` on the command line > the notebook's section > the file's top level.  Every name
is checked against the notebook's ``parameters`` cell before anything runs (papermill itself only
warns about an unknown name; :func:`lib.params.unknown_parameters_message` words it as ``setup`` does
in a plain papermill run) and every value against the parameter's type: the type comment of its
line (``# int | None:``, ``# str:``) where there is one, else the type of the default;
``mode`` and ``seed`` also against the contract (:func:`lib.params.seed_problem`).  The first problem
raises :class:`BatchError`, which the command line turns into one message and exit status 2.

Each run's executed notebook is ``<out>/<notebook>/<slug>.ipynb`` and its ``$COMPANION_OUT_DIR``
(results JSON, figures) is ``<out>/<notebook>/<slug>/``; the slug spells the parameters in sorted
order (``epochs-2_seed-0``), so the same grid always maps to the same folders — which is what lets a
re-run resume.
"""

from __future__ import annotations

import ast
import hashlib
import io
import itertools
import json
import re
import tokenize
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lib.params import MODES, seed_problem, unknown_parameters_message
from lib.paths import REPO_ROOT, output_dirs

NOTEBOOK_DIR = REPO_ROOT / "notebooks"
#: Parameters whose values are replicates of one experiment (aggregated over, not grouped by).
REPLICATE_PARAMS = ("seed",)
_TYPE_NAMES = {"int", "float", "str", "bool", "None", "list", "dict"}
_ANNOTATION = re.compile(r"\s*([A-Za-z]+(?:\s*\|\s*[A-Za-z]+)*)\s*(?::|$)")


class BatchError(ValueError):
    """Bad input to a batch (notebook, parameter, value, grid file, scheduler); exit status 2."""


# --------------------------------------------------------------------------- notebooks

def numbered_notebooks(folder: Path | None = None) -> list[Path]:
    """The companion's notebooks in reading order: ``NN_name.ipynb`` in ``folder`` (default ``notebooks/``)."""
    return sorted(Path(folder or NOTEBOOK_DIR).glob("[0-9][0-9]_*.ipynb"))


def resolve_notebooks(items: list[str], search_dirs: tuple[Path, ...] = (), folder: Path | None = None) -> list[Path]:
    """Paths of the notebooks named by ``items``: an ``.ipynb`` path, or a name/prefix/glob among
    :func:`numbered_notebooks` of ``folder`` (default ``notebooks/``); :class:`BatchError` when one matches none."""
    folder = Path(folder or NOTEBOOK_DIR)
    every = numbered_notebooks(folder)
    chosen: list[Path] = []
    for item in items:
        as_path = Path(item).expanduser()
        direct = [d / as_path for d in (Path.cwd(), *search_dirs)] if not as_path.is_absolute() else [as_path]
        found = next((p.resolve() for p in direct if p.suffix == ".ipynb" and p.is_file()), None)
        matches = [found] if found else []
        if not matches:
            stem = as_path.name.removesuffix(".ipynb")
            matches = [p for p in every if p.match(stem + ".ipynb") or p.stem.startswith(stem)] if stem else []
        if not matches:
            raise BatchError(f"unknown notebook {item!r}: no such .ipynb file and nothing in {folder} matches "
                             f"it; available: {[p.stem for p in every]}")
        chosen += [p for p in matches if p not in chosen]
    stems = [p.stem for p in chosen]
    twins = sorted({s for s in stems if stems.count(s) > 1})
    if twins:
        raise BatchError(f"notebooks {twins} are given twice from different folders; their outputs would collide "
                         f"in <out>/<notebook>/; run them in separate batches with different --out")
    return chosen


@dataclass(frozen=True)
class Parameter:
    """One assignment of a notebook's ``parameters`` cell: its default and the types it accepts."""

    name: str
    default: Any
    types: tuple[str, ...] | None  # e.g. ("int", "None"); None = anything goes
    line: str

    @property
    def type_text(self) -> str:
        """The accepted types as text, e.g. ``int | None``; ``any`` when they are unknown."""
        return " | ".join(self.types) if self.types else "any"

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` fits the types (an int fits float, a whole float int, a bool only bool; no types: True)."""
        if self.types is None:
            return True
        kinds = set(self.types)
        if value is None:
            return "None" in kinds
        if isinstance(value, bool):
            return "bool" in kinds
        if isinstance(value, int):
            return bool(kinds & {"int", "float"})
        if isinstance(value, float):
            return "float" in kinds or ("int" in kinds and value.is_integer())
        return type(value).__name__ in kinds

    def coerce(self, value: Any) -> Any:
        """An int for a float-only parameter becomes a float, a whole float for an int one an int (as Knob does)."""
        kinds = set(self.types or ())
        if isinstance(value, int) and not isinstance(value, bool) and "float" in kinds and "int" not in kinds:
            return float(value)
        if isinstance(value, float) and value.is_integer() and "int" in kinds and "float" not in kinds:
            return int(value)
        return value

    def parse(self, text: str) -> Any:
        """A command-line token as a value: a Python literal (``3``, ``0.5``, ``None``, ``True``), else the string.

        For a parameter that only takes strings the token stays a string (``-p device cuda:0``).
        """
        if self.types and set(self.types) <= {"str", "None"}:
            return None if text == "None" and "None" in self.types else text
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text


def declared_types(comment: str, default: Any) -> tuple[str, ...] | None:
    """Types from a comment that starts ``int | None:`` / ``str`` ; else the default's type; None = any."""
    match = _ANNOTATION.match(comment or "")
    if match:
        names = tuple(name.strip() for name in match.group(1).split("|"))
        if all(name in _TYPE_NAMES for name in names):
            return names
    if default is None:
        return None
    kind = type(default).__name__
    return (kind,) if kind in _TYPE_NAMES else None


def notebook_parameters(path: Path) -> dict[str, Parameter] | None:
    """The assignments of the cell tagged ``parameters`` (None when the notebook has no such cell).

    Parsed with :mod:`ast`/:mod:`tokenize` rather than ``papermill.inspect_notebook``, whose line
    parser drops every line with more than one ``=`` — e.g. ``# ... (CI/teaching, <= 2 min)``.
    """
    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any read error means "not a notebook"
        raise BatchError(f"notebook {path} cannot be read as a Jupyter notebook: {exc}") from None
    cell = next((c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])), None)
    if cell is None:
        return None
    source = cell.source
    try:
        tree = ast.parse(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (SyntaxError, tokenize.TokenError) as exc:
        raise BatchError(f"the parameters cell of {path} is not plain Python ({exc}); it must hold only literals") \
            from None
    comments = {tok.start[0]: tok.string.lstrip("#").strip() for tok in tokens if tok.type == tokenize.COMMENT}
    lines = source.splitlines()
    found: dict[str, Parameter] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value_node, annotation = node.targets[0].id, node.value, ""
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, value_node, annotation = node.target.id, node.value, ast.unparse(node.annotation)
        else:
            continue
        try:
            default = ast.literal_eval(value_node)
            literal = True
        except ValueError:
            default, literal = None, False
        comment = annotation or comments.get(node.end_lineno) or comments.get(node.lineno) or ""
        types = declared_types(comment, default) if literal or annotation else None
        found[name] = Parameter(name, default, types, lines[node.lineno - 1].strip())
    return found


def check_value(notebook: Path, param: Parameter, value: Any) -> None:
    """Raise :class:`BatchError` when ``value`` does not fit ``param`` (its type; the contract's mode/seed)."""
    if not param.accepts(value):
        raise BatchError(f"parameter {param.name}={value!r} ({type(value).__name__}) of notebook {notebook.stem} "
                         f"must be {param.type_text}, as its parameters cell declares: `{param.line}`")
    if param.name == "mode" and isinstance(value, str) and value not in MODES:
        raise BatchError(f"parameter mode={value!r} of notebook {notebook.stem} is unknown; use one of {list(MODES)}")
    problem = seed_problem(param.coerce(value)) if param.name == "seed" else None
    if problem:
        raise BatchError(f"parameter {problem} (notebook {notebook.stem})")


# --------------------------------------------------------------------------- the grid file

def load_grid_file(path: str | Path) -> tuple[dict[str, list], dict[str, dict[str, list]]]:
    """(top-level name -> values, notebook -> {name -> values}) from a YAML grid file."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise BatchError(f"grid file {str(path)!r} does not exist; give a YAML file mapping name -> list of values")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise BatchError(f"grid file {path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise BatchError(f"grid file {path} must be a mapping of parameter name -> list of values; got "
                         f"{type(data).__name__}")
    per_notebook = data.pop("notebooks", None) or {}
    if not isinstance(per_notebook, dict):
        raise BatchError(f"grid file {path}: 'notebooks' must map a notebook name to its own name -> values mapping")
    common = _value_lists(data, f"grid file {path}")
    sections = {}
    for name, section in per_notebook.items():
        if not isinstance(section, dict):
            raise BatchError(f"grid file {path}: notebooks.{name} must be a mapping of parameter name -> values")
        sections[str(name)] = _value_lists(section, f"grid file {path}, notebooks.{name}")
    return common, sections


def _value_lists(mapping: dict, where: str) -> dict[str, list]:
    out = {}
    for name, values in mapping.items():
        values = values if isinstance(values, list) else [values]
        if not values:
            raise BatchError(f"{where}: parameter {name!r} has an empty list of values")
        out[str(name)] = values
    return out


# --------------------------------------------------------------------------- runs

@dataclass
class RunSpec:
    """Everything one task needs to execute one notebook with one parameter combination (plain data)."""

    notebook: str          # the notebook's stem, e.g. "00_tour"
    source: str            # absolute path of the .ipynb
    params: dict           # parameter -> value, in grid order
    slug: str
    output: str            # absolute path of the executed notebook
    out_dir: str | None    # absolute path given to the run as $COMPANION_OUT_DIR; None: the mode's own folders
    cwd: str               # the kernel's working directory (the notebook's folder)
    kernel: str = "python3"
    threads: int | None = None  # OMP/MKL threads of the kernel (None: leave as the environment says)

    @property
    def results_path(self) -> Path:
        """``<out_dir>/results/<notebook>.json``; without ``out_dir`` the mode's results folder
        (:func:`lib.paths.output_dirs`: ``results/`` in full mode, ``build/results/`` in quick mode)."""
        if self.out_dir is None:
            return output_dirs(self.params.get("mode", "quick"))[1] / f"{self.notebook}.json"
        return Path(self.out_dir) / "results" / f"{self.notebook}.json"

    def _hidden(self, suffix: str) -> Path:
        """A hidden work file of this run: in its own ``out_dir``, else beside the executed notebook."""
        if self.out_dir is None:
            return Path(self.output).parent / f".{self.notebook}.{suffix}"
        return Path(self.out_dir) / f".{suffix}"

    @property
    def partial_path(self) -> Path:
        """Where papermill writes while it runs; renamed onto :attr:`output` only when it returns."""
        return self._hidden("executing.ipynb")

    @property
    def spec_path(self) -> Path:
        """The file that hands this spec to the papermill child process (removed when the run returns)."""
        return self._hidden("spec.json")

    @property
    def report_path(self) -> Path:
        """The file where the child process reports how the run went (removed once read)."""
        return self._hidden("report.json")

    def to_dict(self) -> dict:
        """This spec's fields as a plain dict (what goes to :attr:`spec_path` and to Dask workers)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> RunSpec:
        """The spec a :meth:`to_dict` dict describes."""
        return cls(**data)


def slugify(params: dict) -> str:
    """A folder name for a parameter combination: ``epochs-2_seed-0`` (sorted names; hashed when unsafe/long)."""
    if not params:
        return "defaults"
    parts = [f"{name}-{value}" for name, value in sorted(params.items())]
    text = "_".join(parts)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "run"
    if safe != text or len(safe) > 80:
        digest = hashlib.sha256(json.dumps(sorted(params.items()), default=str).encode()).hexdigest()[:8]
        safe = f"{safe[:70]}_{digest}"
    return safe


def build_runs(notebooks: list[Path], cli_values: dict[str, list[str]], common: dict[str, list],
               sections: dict[Path, dict[str, list]], out_root: Path, threads: int | None = None
               ) -> dict[str, list[RunSpec]]:
    """notebook stem -> its runs: the cartesian product of its parameter values, checked against its cell.

    ``cli_values`` are raw command-line tokens (parsed with each notebook's parameter types);
    ``common``/``sections`` (keyed by resolved notebook path) are already-typed values from a grid file.
    """
    plan: dict[str, list[RunSpec]] = {}
    for path in notebooks:
        declared = notebook_parameters(path)
        section = sections.get(path, {})
        names = list(dict.fromkeys([*common, *section, *cli_values]))
        if names and declared is None:
            raise BatchError(f"notebook {path} has no cell tagged 'parameters', so it takes no parameters "
                             f"(asked for {names})")
        declared = declared or {}
        unknown = unknown_parameters_message([n for n in names if n not in declared], list(declared), path.stem)
        if unknown:
            raise BatchError(unknown)
        grid: dict[str, list] = {}
        for name in names:
            param = declared[name]
            if name in cli_values:
                values = [param.parse(token) for token in cli_values[name]]
            else:
                values = section[name] if name in section else common[name]
                values = [None if v == "None" and param.types and "None" in param.types and "str" not in param.types
                          else v for v in values]
            for value in values:
                check_value(path, param, value)
            grid[name] = _unique([param.coerce(value) for value in values])
        folder = out_root / path.stem
        runs = []
        for combo in itertools.product(*grid.values()):
            params = dict(zip(grid, combo))
            slug = slugify(params)
            runs.append(RunSpec(notebook=path.stem, source=str(path), params=params, slug=slug,
                                output=str(folder / f"{slug}.ipynb"), out_dir=str(folder / slug),
                                cwd=str(path.parent), threads=threads))
        plan[path.stem] = runs
    return plan


def _unique(values: list) -> list:
    seen, out = set(), []
    for value in values:
        key = json.dumps(value, sort_keys=True, default=str) + type(value).__name__
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def group_params(runs: list[RunSpec]) -> list[str]:
    """The grid's parameters that define an experiment: every one except the replicates (``seed``)."""
    names = list(runs[0].params) if runs else []
    return [name for name in names if name not in REPLICATE_PARAMS]
