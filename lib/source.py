"""Show the code of a paper's equation in the notebook, from the one place it lives in ``lib``.

The notebooks typeset each paper's key equations (P1 Eq. 2–3, P2's InfoNCE and nearest-neighbour terms,
P4 Eq. 3 and the denoising-autoencoder penalty) and, right below, call :func:`show_source` on the ``lib``
function that implements them: the reader sees the 10–30 lines that run, and there is no second copy
that could drift from the code the experiments use.
"""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path
from typing import Any

from lib.paths import REPO_ROOT


class SourceListing:
    """Source code that a notebook shows as a highlighted Python block (plain text outside Jupyter)."""

    def __init__(self, text: str, origin: str) -> None:
        self.text = text
        self.origin = origin  # "lib/losses.py, lines 40–62"

    def _repr_markdown_(self) -> str:
        return f"`{self.origin}`\n\n```python\n{self.text}\n```"

    def __repr__(self) -> str:
        return f"# {self.origin}\n{self.text}"


def show_source(*objects: Any) -> SourceListing:
    """The source of each function or class in ``objects``, one block, with the file and lines it comes from.

    ``objects``: functions, methods or classes defined in ``lib`` (a built-in has no source and raises
    ``TypeError`` naming it). The notebook cell ends with the call, so Jupyter renders the listing.
    """
    if not objects:
        raise TypeError("show_source() needs at least one function or class, e.g. show_source(contrastive_loss)")
    parts, origins = [], []
    for obj in objects:
        target = inspect.unwrap(obj)
        try:
            lines, first = inspect.getsourcelines(target)
            path = inspect.getsourcefile(target)
        except (TypeError, OSError) as exc:
            raise TypeError(f"show_source: {obj!r} has no Python source to show (give a function or class "
                            "defined in lib)") from exc
        parts.append(textwrap.dedent("".join(lines)).rstrip())
        where = Path(path).resolve()
        where = where.relative_to(REPO_ROOT) if where.is_relative_to(REPO_ROOT) else where
        origins.append(f"{where}, lines {first}–{first + len(lines) - 1}")
    return SourceListing("\n\n\n".join(parts), "; ".join(origins))
