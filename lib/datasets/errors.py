"""The one error every loader in :mod:`lib.datasets` raises for a malformed file.

A :class:`DataFormatError` names the file, says what is wrong with it, and says what to do, e.g.

    DataFormatError: /data/CMU/01/01_01_poses.npz: key 'poses' is missing (keys present: trans, betas).
    Fix: give an AMASS *_poses.npz file (SMPL+H or SMPL-X release).

It subclasses :class:`ValueError`, so code that already catches ``ValueError`` keeps working.
A file that does not exist at all raises :class:`FileNotFoundError` instead (see :func:`require_file`).

Text files (BVH, CSV, the HAPT tables) are all read through :func:`read_text`: UTF-8 with or without a
byte-order mark (Windows editors and Excel write one, and it would otherwise glue itself to the first
header name, ``'\\ufefftake_uid'``). Any other encoding is a :class:`DataFormatError` that names the
line with the first offending byte and gives the ``iconv`` command that converts the file, instead of a
bare ``UnicodeDecodeError`` that names no file. :func:`describe_content` says what a file that fails to
parse actually holds (text, a zip, a ``.npy`` array, a pickle), for messages such as "not a zip/.npz
archive: it holds text".
"""

from __future__ import annotations

import re
from pathlib import Path

#: How every text loader decodes: UTF-8, a leading byte-order mark dropped.
TEXT_ENCODING = "utf-8-sig"


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
    """``path`` as a :class:`Path` if it is an existing, non-empty file.

    Absent (or a folder): :class:`FileNotFoundError` naming ``what``. Empty (0 bytes, as an interrupted
    download or copy leaves it): :class:`DataFormatError`, since no data format of this package is valid
    without content and the format-specific parsers would otherwise report it as something obscurer.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        where = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise FileNotFoundError(f"{what} {path} {where}; check the path (the real data lives outside the repository)")
    if path.stat().st_size == 0:
        raise DataFormatError(path, f"is empty (0 bytes); this {what} should hold data",
                              "an interrupted download or copy leaves empty files; fetch or copy the file again")
    return path


def require_dir(path: str | Path, what: str) -> Path:
    """``path`` as a :class:`Path` if it is an existing folder, else a :class:`FileNotFoundError` naming ``what``."""
    path = Path(path).expanduser()
    if not path.is_dir():
        raise FileNotFoundError(f"{what} {path} is not an existing folder; check the path "
                                "(the real data lives outside the repository)")
    return path


def describe_content(data: bytes) -> str:
    """What the first bytes of a file look like, in words: for messages about a file that is not the
    format its name promises (an ``.npz`` that is a CSV, a ``.npy`` that is a pickle)."""
    if not data:
        return "nothing (the file is empty)"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "a zip archive (the container of .npz files)"
    if data.startswith(b"\x93NUMPY"):
        return "a single NumPy .npy array"
    if data[:1] == b"\x80" and data[1:2] in {bytes([k]) for k in range(2, 6)}:
        return "a Python pickle"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text"
    head = data[:200]
    if b"\x00" not in head:
        text = head.decode("utf-8", errors="replace").splitlines()
        return f"text starting {text[0][:60]!r}" if text else "text"
    return f"binary data starting {data[:8]!r}"


def _not_utf8(path: Path, data: bytes, exc: UnicodeDecodeError) -> DataFormatError:
    """The error for text that does not decode as UTF-8, naming the line and the conversion command."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        source, problem = "utf-16", "is UTF-16 text, not UTF-8"
    elif b"\x00" in data[:8192]:
        return DataFormatError(path, f"is a binary file ({describe_content(data)}), not text",
                               "check that the path points at the text file itself")
    else:
        seen, bad = exc.object, exc.start  # the bytes the decoder saw (after a BOM), and the offending offset
        line_start = seen.rfind(b"\n", 0, bad) + 1
        line_end = seen.find(b"\n", bad)
        line = seen[line_start:line_end if line_end >= 0 else len(seen)].rstrip(b"\r")
        # bytes 0x80-0x9f are printable characters (curly quotes, euro sign) only in Windows-1252
        source = "cp1252" if re.search(rb"[\x80-\x9f]", data) else "latin1"
        shown = line.decode(source, errors="replace")
        line_no = seen.count(b"\n", 0, bad) + 1
        problem = (f"is not UTF-8: line {line_no} has the byte 0x{seen[bad]:02x}, which is not "
                   f"valid UTF-8 (read as {'Windows-1252' if source == 'cp1252' else 'Latin-1'} the line is "
                   f"{shown[:80]!r})")
    name = path.name
    converted = f"{path.stem}.utf8{path.suffix}"
    return DataFormatError(path, problem, f"text files are read as UTF-8 (with or without BOM); convert it, e.g. "
                                          f"`iconv -f {source} -t utf-8 {name} > {converted}` and use {converted} "
                                          "in its place, or save it as UTF-8 in your editor")


def read_text(path: str | Path, what: str) -> str:
    """The content of the text file ``path``, decoded as UTF-8 with or without BOM (:data:`TEXT_ENCODING`).

    what: the kind of file, for the messages ("BVH file", "HAPT label file")
    raises: :class:`FileNotFoundError` if absent; :class:`DataFormatError` if empty, binary, or in another
    encoding (naming the line of the first byte that is not UTF-8 and the ``iconv`` command to convert it)
    """
    path = require_file(path, what)
    data = path.read_bytes()
    try:
        return data.decode(TEXT_ENCODING)
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, data, exc) from None
