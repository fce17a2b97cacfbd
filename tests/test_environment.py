"""environment.yml and pyproject.toml pin the same versions; the Makefile installs the CPU torch first."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def pins(requirements: list[str]) -> dict[str, str]:
    out = {}
    for req in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", req.strip())
        assert match, f"requirement {req!r} is not pinned with =="
        out[match.group(1).lower()] = match.group(2)
    return out


def test_environment_yml_and_pyproject_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    py_pins = pins(project["dependencies"] + [req for group in extras.values() for req in group])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    env_pins = pins([r for r in pip_section if not r.startswith("-e")])
    assert env_pins == py_pins
    assert "-e ." in pip_section
    assert py_pins["torch"] == "2.13.0"


def test_makefile_installs_the_pinned_cpu_torch_before_the_package():
    makefile = (ROOT / "Makefile").read_text()
    torch_line = makefile.index("pip install --quiet torch==2.13.0")
    assert torch_line < makefile.index('pip install --quiet -e ".[dev,book]"')  # setup brings the book's builder too
