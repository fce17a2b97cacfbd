"""Exercises for a course: every paper notebook ends in 3-5 exercises, each with a worked solution in
``notebooks/solutions/`` whose ``assert`` s check the outcomes it states; here every solution runs.

The solutions are sized for a class (each exercise ≤ 30 s on 2 CPU cores). They run here, once each, with
papermill in quick mode (seed 0; their outcomes were checked for seeds 0-2 when they were written), and
``make test-notebooks`` keeps them out of its nbval run (``--ignore=notebooks/solutions``), so nothing runs
twice. The runs of one session share a cache folder, as they would share ``build/cache`` on a teacher's
machine: the solutions of notebook 12 reuse the networks those of 11 trained, those of 22-24 the world and
encoders of 21. Each solution also stands on its own (a cold cache only costs time).
"""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
SOLUTION_DIR = NOTEBOOK_DIR / "solutions"
PAPER_NOTEBOOKS = sorted(p for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb") if not p.stem.startswith("0"))
SOLUTIONS = sorted(SOLUTION_DIR.glob("*.ipynb"))
CONTRACT = ("mode", "seed", "data_root", "device")
EXERCISE = re.compile(r"^\*\*Exercise (\d+)\b", re.M)  # "**Exercise 2 · Drop a sensor.**" in a notebook
SOLVED = re.compile(r"^## Exercise (\d+)\b", re.M)  # "## Exercise 2 · Drop a sensor" in its solutions


def solution_of(notebook: Path) -> Path:
    return SOLUTION_DIR / f"{notebook.stem}_solutions.ipynb"


def read(path: Path):
    return nbformat.read(str(path), as_version=4)


def exercises_cell(nb):
    cell = nb.cells[-1]
    return cell if cell.cell_type == "markdown" and cell.source.startswith("## Exercises") else None


def exercise_numbers(text: str, pattern: re.Pattern) -> list[int]:
    return [int(n) for n in pattern.findall(text)]


def test_every_paper_notebook_has_a_solutions_notebook_and_no_stray_ones():
    assert PAPER_NOTEBOOKS, "notebooks/ holds no paper notebook"
    expected = {solution_of(p).name for p in PAPER_NOTEBOOKS}
    present = {p.name for p in SOLUTIONS}
    assert not expected - present, f"paper notebooks without solutions: {sorted(expected - present)}"
    assert not present - expected, f"solutions without a paper notebook: {sorted(present - expected)}"


@pytest.mark.parametrize("notebook", PAPER_NOTEBOOKS, ids=lambda p: p.stem)
def test_each_paper_notebook_ends_with_exercises_that_its_solutions_answer(notebook):
    nb = read(notebook)
    cell = exercises_cell(nb)
    assert cell is not None, f"{notebook.name} must end with a markdown cell '## Exercises'"
    asked = exercise_numbers(cell.source, EXERCISE)
    assert 3 <= len(asked) <= 5 and asked == list(range(1, len(asked) + 1)), \
        f"{notebook.name}: 3-5 exercises numbered 1, 2, ... ('**Exercise N · ...'), found {asked}"
    for word in ("Predict", "Change"):
        assert cell.source.count(word) >= len(asked), f"{notebook.name}: each exercise says what to {word.lower()}"
    assert f"notebooks/solutions/{solution_of(notebook).name}" in cell.source, "the exercises name their solutions"
    solved = exercise_numbers("\n".join(c.source for c in read(solution_of(notebook)).cells if c.cell_type == "markdown"),
                              SOLVED)
    assert solved == asked, f"{solution_of(notebook).name} answers exercises {solved}, the notebook asks {asked}"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_hygiene(solution):
    """The parameter contract of the notebooks (tests/test_notebook_hygiene.py), no stored outputs, and an
    ``assert`` after every exercise, so each stated outcome is checked when the solution runs."""
    nb = read(solution)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(f"# {solution.stem[:2]} · Solutions")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not [i for i, c in enumerate(code) if c.outputs or c.execution_count], "clear the outputs before committing"
    first = code[0]
    assert "parameters" in first.metadata.get("tags", []), "the first code cell must be tagged 'parameters'"
    names = []
    for node in ast.parse(first.source).body:
        assert isinstance(node, ast.Assign), "the parameters cell holds only assignments of literals"
        ast.literal_eval(node.value)
        names += [t.id for t in node.targets]
    assert tuple(names) == CONTRACT, f"the parameters are the contract's {CONTRACT}, got {names}"
    assert all("#" in line for line in first.source.splitlines()), "every parameter needs a comment"
    assert f'setup("{solution.stem}"' in code[1].source, "the cell after the parameters calls lib.params.setup"
    sections = re.split(r"^## Exercise \d+", "\n".join(
        ("# CODE\n" + c.source) if c.cell_type == "code" else c.source for c in nb.cells), flags=re.M)[1:]
    for number, section in enumerate(sections, start=1):
        assert re.search(r"^assert ", section, re.M), f"exercise {number} checks no outcome (no assert)"


@pytest.fixture(scope="session")
def solution_env(tmp_path_factory):
    """One cache and output folder for the session's solution runs (figures and results never reach build/)."""
    base = tmp_path_factory.mktemp("solutions")
    patch = pytest.MonkeyPatch()
    patch.setenv("COMPANION_CACHE_DIR", str(base / "cache"))
    patch.setenv("COMPANION_OUT_DIR", str(base / "out"))
    patch.setenv("TQDM_DISABLE", "1")
    yield base
    patch.undo()


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_runs_in_quick_mode_and_its_outcomes_hold(solution, solution_env):
    import papermill as pm

    out = solution_env / solution.name
    started = time.perf_counter()
    try:
        pm.execute_notebook(str(solution), str(out), parameters={"mode": "quick", "seed": 0}, kernel_name="python3",
                            cwd=str(SOLUTION_DIR), progress_bar=False)
    except pm.PapermillExecutionError as err:
        nb = read(out)
        exercise = "the setup"
        for cell in nb.cells[:err.cell_index + 1]:
            found = SOLVED.search(cell.source) if cell.cell_type == "markdown" else None
            exercise = f"exercise {found.group(1)}" if found else exercise
        pytest.fail(f"{solution.name}, {exercise}: {err.ename}: {err.evalue}", pytrace=False)
    print(f"{solution.stem}: {time.perf_counter() - started:.0f} s")


def test_the_notebook_run_of_make_test_leaves_the_solutions_to_this_file():
    """`make test` runs tests/ (this file: every solution once), then nbval over notebooks/ without solutions/."""
    makefile = (ROOT / "Makefile").read_text()
    nbval = next(line for line in makefile.splitlines() if "--nbval" in line)
    assert "--ignore=notebooks/solutions" in nbval, "nbval would run every solution a second time"
