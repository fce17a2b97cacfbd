"""Every module of ``lib`` imports on its own in a fresh interpreter: no import loop that only works in
one import order, no module that leans on another having been imported first."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from lib.paths import REPO_ROOT


def lib_modules() -> list[str]:
    """Dotted names of every module under lib/ (packages by their __init__)."""
    names = []
    for path in sorted((REPO_ROOT / "lib").rglob("*.py")):
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        if parts[-1] == "__main__":
            continue  # running it is what `python -m` does; importing it would run the command
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def import_alone(module: str) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300)
    return module, "" if done.returncode == 0 else done.stderr.strip().splitlines()[-1]


def test_every_module_imports_alone_in_a_fresh_interpreter():
    modules = lib_modules()
    assert "lib.paths" in modules and "lib.primus.experiments" in modules and len(modules) > 50
    with ThreadPoolExecutor(max_workers=2) as pool:
        failures = {m: err for m, err in pool.map(import_alone, modules) if err}
    assert not failures, f"modules that do not import on their own: {failures}"


def test_no_module_of_lib_imports_another_inside_a_function():
    """Imports of the project's own modules sit at the top of each module, where the layering is visible
    (a hidden in-function import is how an import loop hides)."""
    import ast

    hidden = []
    for path in sorted((REPO_ROOT / "lib").rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for node in ast.walk(function):
                names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                         else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
                if any(name == "lib" or name.startswith("lib.") for name in names):
                    hidden.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    assert not hidden, f"in-function imports of lib modules (move them to the module's top): {sorted(set(hidden))}"
