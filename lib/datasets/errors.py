"""The one error every loader in :mod:`lib.datasets` raises for a malformed file.

A :class:`DataFormatError` names the file, says what is wrong with it, and says what to do, e.g.

    DataFormatError: /data/CMU/01/01_01_poses.npz: key 'poses' is missing (keys present: trans, betas).
    Fix: give an AMASS *_poses.npz file (SMPL+H or SMPL-X release).

It subclasses :class:`ValueError`, so code that already catches ``ValueError`` keeps working.
A file that does not exist at all raises :class:`FileNotFoundError` instead (see :func:`require_file`).
"""

from __future__ import annotations

from pathlib import Path


class DataFormatError(ValueError):
    """A data file exists but is malformed: missing keys, wrong shapes, NaNs, truncated, bad header.

    path:    the offending file (or folder)
    problem: what is wrong, one sentence
    fix:     what the user can do about it (optional)
    """

    def __init__(self, path: str | Path, problem: str, fix: str | None = None) -> None:
        self.path = Path(path)
        self.problem = problem
        self.fix = fix
        message = f"{self.path}: {problem}"
        if fix:
            message += f". Fix: {fix}"
        super().__init__(message)


def require_file(path: str | Path, what: str) -> Path:
    """``path`` as a :class:`Path` if it is an existing file, else a :class:`FileNotFoundError` naming ``what``."""
    path = Path(path).expanduser()
    if not path.is_file():
        where = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise FileNotFoundError(f"{what} {path} {where}; check the path (the real data lives outside the repository)")
    return path


def require_dir(path: str | Path, what: str) -> Path:
    """``path`` as a :class:`Path` if it is an existing folder, else a :class:`FileNotFoundError` naming ``what``."""
    path = Path(path).expanduser()
    if not path.is_dir():
        raise FileNotFoundError(f"{what} {path} is not an existing folder; check the path "
                                "(the real data lives outside the repository)")
    return path
