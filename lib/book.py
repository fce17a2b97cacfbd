"""Executed notebooks for readers: the committed ``book/`` folder and the static HTML book (``make book``).

Two products, one module:

* **``book/``** holds every notebook as the last ``make reproduce-full`` executed it, outputs included,
  so that a repository browser shows the full-mode figures and tables without running anything. It is
  written only by :func:`export_executed`, which :mod:`lib.reproduce` calls after each full-mode notebook
  that finished without error (``python -m lib.book export`` re-exports from ``build/notebooks/full/``
  without re-running, taking the current prose of ``notebooks/`` when the code is unchanged). Embedded
  PNGs are re-encoded (at most :data:`MAX_IMAGE_WIDTH` pixels wide, 256 colours when that is smaller) so
  the folder stays under :data:`BOOK_SIZE_LIMIT`; quick-mode and failed runs are refused, so nothing in
  ``book/`` is a CI-size run dressed up as the papers' protocol. The sources in ``notebooks/`` stay
  output-free.

* **The HTML book** (``python -m lib.book build``, ``make book``): Sphinx + MyST-NB with the
  sphinx-book-theme, all installed by ``make setup`` from PyPI, run without executing anything and
  without the network (MathJax comes from the ``jupyter-server-mathjax`` wheel). A landing page with the
  paper -> notebook -> figure map, a page per paper citation, the claims table, a figure gallery and one
  page per notebook, with the parameters cells and long code cells collapsed. Each notebook page comes
  from the best executed copy there is: ``book/`` (full mode), then a complete full run in
  ``build/notebooks/full/``, then a complete quick run in ``build/notebooks/`` (marked as quick mode on
  the page and on the landing page), else the output-free source (marked as not executed). The result
  opens from ``build/book/index.html``. ``python -m lib.book check`` opens every page in headless Chromium
  (:func:`check_in_browser`, also run by ``tests/test_book.py``).
"""

from __future__ import annotations

import argparse
import base64
import copy
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from lib import report
from lib.batch.runner import code_cells
from lib.catalog import CITATION_NOTE, CITATIONS, ITEMS, PAPERS
from lib.paths import REPO_ROOT
from lib.repro import atomic_write

BOOK_DIR = REPO_ROOT / "book"                       # committed: executed full-mode notebooks
SOURCE_DIR = REPO_ROOT / "notebooks"
FULL_RUNS = REPO_ROOT / "build" / "notebooks" / "full"
QUICK_RUNS = REPO_ROOT / "build" / "notebooks"
STAGE_DIR = REPO_ROOT / "build" / "book_src"        # what Sphinx reads (generated, git-ignored)
SITE_DIR = REPO_ROOT / "build" / "book"             # the HTML book
MAX_IMAGE_WIDTH = 1000                              # px: sharp on a laptop screen, small in git
BOOK_SIZE_LIMIT = 25_000_000                        # bytes, for everything in book/
LONG_CELL_LINES = 15                                # code cells longer than this start collapsed
EXPORTED_BY = "python -m lib.reproduce --mode full (lib.book.export_executed)"
COLLAPSED_TAGS = ("parameters", "injected-parameters")
PAPER_OF_DIGIT = {"0": None, "1": "P1", "2": "P2", "3": "P3", "4": "P4"}


# --------------------------------------------------------------------------- reading executed notebooks

def run_state(nb) -> str:
    """``"ok"``, ``"failed"`` or ``"unfinished"`` for a papermill-executed notebook; ``"source"`` when not executed.

    papermill writes ``metadata.papermill`` with ``end_time`` once the run ends and ``exception: true``
    when a cell raised; a notebook still being written has no ``end_time`` yet. An error output in any
    cell also counts as failed (a copy executed by other means).
    """
    meta = nb.metadata.get("papermill")
    has_error = any(out.get("output_type") == "error" for cell in nb.cells for out in cell.get("outputs", []))
    if meta is None:
        executed = any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
        return "failed" if has_error else ("ok" if executed else "source")
    if meta.get("exception") or has_error:
        return "failed"
    return "ok" if meta.get("end_time") else "unfinished"


def run_mode(nb) -> str:
    """The ``mode`` a papermill run used: the injected value, else the parameters cell's default (``quick``)."""
    injected = (nb.metadata.get("papermill") or {}).get("parameters") or {}
    return str(injected.get("mode", "quick"))


def _read(path: Path):
    import nbformat

    return nbformat.read(str(path), as_version=4)


# --------------------------------------------------------------------------- export to book/

def shrink_png(data: str, max_width: int = MAX_IMAGE_WIDTH) -> str:
    """A base64 PNG re-encoded at most ``max_width`` pixels wide, opaque alpha dropped, 256 colours if smaller.

    Figures from the inline backend are 600-1,000 px wide RGBA with a constant alpha; a 256-colour palette
    keeps the lines and text of a plot and makes the file about three times smaller. The original is kept
    when re-encoding does not make it smaller and no resize was needed. Deterministic for a given input.
    """
    from PIL import Image

    raw = base64.b64decode(data)
    image = Image.open(io.BytesIO(raw))
    image.load()
    resized = image.width > max_width
    if resized:
        height = max(1, round(image.height * max_width / image.width))
        image = image.resize((max_width, height), Image.Resampling.LANCZOS)
    if image.mode in ("RGBA", "LA") and image.getextrema()[-1][0] == 255:
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "P"):
        image = image.convert("RGBA")
    candidates = [image]
    if image.mode in ("RGB", "RGBA"):
        method = Image.Quantize.MEDIANCUT if image.mode == "RGB" else Image.Quantize.FASTOCTREE
        candidates.append(image.quantize(256, method=method, dither=Image.Dither.NONE))
    best = None
    for candidate in candidates:
        buffer = io.BytesIO()
        candidate.save(buffer, "PNG", optimize=True)
        if best is None or len(buffer.getvalue()) < len(best):
            best = buffer.getvalue()
    if not resized and len(best) >= len(raw):
        return data
    return base64.b64encode(best).decode("ascii")


def book_copy(nb, stem: str, max_width: int = MAX_IMAGE_WIDTH):
    """The notebook as ``book/`` keeps it: images shrunk, per-cell timing metadata dropped, provenance added.

    Per-cell ``execution``/``papermill`` timestamps change on every run and say nothing a reader needs;
    the notebook-level papermill record (parameters, start, end, duration) stays.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for key in ("execution", "papermill"):
            cell.metadata.pop(key, None)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                data["image/png"] = shrink_png(data["image/png"], max_width)
                out.get("metadata", {}).pop("image/png", None)  # a stored width/height would no longer match
    nb.metadata["companion"] = {
        "mode": run_mode(nb), "source": f"notebooks/{stem}.ipynb", "exported_by": EXPORTED_BY,
        "note": "generated by make reproduce-full; do not edit (edit the source in notebooks/ and re-run)"}
    return nb


def with_current_prose(nb, source_path: str | os.PathLike):
    """(notebook, how): the executed ``nb`` with the markdown of its source notebook, when that is safe.

    Prose is written after a long run has shown its numbers ("Reading the verdicts"), so an export takes the
    source's current markdown — but only when every code cell of the source is still exactly what was run:
    then the text sits beside the outputs it describes. Markdown runs between code cells are replaced as a
    whole (cells may be added or split); outputs, the injected-parameters cell and metadata stay as run.
    ``how``: ``"prose from notebooks/"``, or why the prose was kept as run (no source; code changed since).
    """
    import nbformat

    source_path = Path(source_path)
    if not source_path.exists():
        return nb, "prose as run (no source notebook)"
    source = nbformat.read(str(source_path), as_version=4)
    if code_cells(source.cells) != code_cells(nb.cells):
        return nb, "prose as run (the source's code changed since this run: re-run it to refresh)"

    def runs(cells) -> list[list]:
        """Markdown runs before each code cell, and after the last (len = code cells + 1)."""
        out = [[]]
        for cell in cells:
            if cell.cell_type == "code":
                out.append([])
            else:
                out[-1].append(cell)
        return out

    prose = runs(source.cells)
    merged, i = list(prose[0]), 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        merged.append(cell)
        if "injected-parameters" not in cell.metadata.get("tags", []):
            i += 1
            merged.extend(prose[i])
    nb = copy.deepcopy(nb)
    nb.cells = [copy.deepcopy(c) for c in merged]
    return nb, "prose from notebooks/"


def export_executed(executed: str | os.PathLike, book_dir: str | os.PathLike = BOOK_DIR, *,
                    max_width: int = MAX_IMAGE_WIDTH, source_dir: str | os.PathLike = SOURCE_DIR) -> Path:
    """Write the executed full-mode notebook ``executed`` to ``book_dir/<name>`` (atomically) and return that path.

    The markdown comes from ``source_dir/<name>`` when its code cells are unchanged since the run
    (:func:`with_current_prose`; the copy's ``companion.prose`` metadata says which).
    Raises ``ValueError`` for a quick-mode run, a failed or unfinished one, or a notebook never executed:
    ``book/`` holds complete full-mode runs only.
    """
    import nbformat


    executed = Path(executed)
    nb = _read(executed)
    state, mode = run_state(nb), run_mode(nb)
    if state != "ok":
        raise ValueError(f"{executed}: not exported to book/: the run is {state} (book/ holds complete runs only)")
    if mode != "full":
        raise ValueError(f"{executed}: not exported to book/: it ran in {mode} mode (book/ holds full-mode runs only)")
    nb, prose = with_current_prose(nb, Path(source_dir) / executed.name)
    stored = book_copy(nb, executed.stem, max_width)
    stored.metadata["companion"]["prose"] = prose
    target = Path(book_dir) / executed.name
    with atomic_write(target, "w") as handle:
        nbformat.write(stored, handle)
    return target


def needs_export(executed: Path, book_dir: Path = BOOK_DIR) -> bool:
    """True when ``book_dir`` has no copy of ``executed`` or an older one."""
    target = Path(book_dir) / executed.name
    return not target.exists() or target.stat().st_mtime < executed.stat().st_mtime


def folder_bytes(folder: Path) -> int:
    """Total size of the files under ``folder`` (0 when it does not exist)."""
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()) if Path(folder).is_dir() else 0


def size_warning(book_dir: Path = BOOK_DIR) -> str | None:
    """A message when ``book_dir`` is over :data:`BOOK_SIZE_LIMIT`, else None."""
    size = folder_bytes(book_dir)
    if size <= BOOK_SIZE_LIMIT:
        return None
    return (f"{book_dir} holds {size / 1e6:.1f} MB, over the {BOOK_SIZE_LIMIT / 1e6:.0f} MB limit: lower "
            f"MAX_IMAGE_WIDTH in lib/book.py or the notebooks' figure sizes, then `python -m lib.book export`")


def export_all(src_dir: Path = FULL_RUNS, book_dir: Path = BOOK_DIR, *, force: bool = False,
               only: list[str] | None = None) -> list[tuple[str, str]]:
    """Export every complete full-mode run in ``src_dir`` to ``book_dir``: ``[(name, what happened)]``.

    Only notebooks with a source in ``notebooks/`` are taken (no stray copies); runs that are quick,
    failed or still running are listed with the reason and left out. ``only``: notebook stems (or their
    prefixes, e.g. ``41``) to consider; the others are not touched, even with ``force``.
    """
    report = []
    for executed in sorted(Path(src_dir).glob("[0-9][0-9]_*.ipynb")):
        if only and not any(executed.stem.startswith(prefix) for prefix in only):
            continue
        if not (SOURCE_DIR / executed.name).exists():
            report.append((executed.stem, "skipped: no source in notebooks/"))
            continue
        if not force and not needs_export(executed, book_dir):
            report.append((executed.stem, "up to date"))
            continue
        try:
            export_executed(executed, book_dir)
        except ValueError as exc:
            report.append((executed.stem, f"skipped: {str(exc).split(': ', 2)[-1]}"))
        else:
            prose = _read(Path(book_dir) / executed.name).metadata["companion"]["prose"]
            report.append((executed.stem, f"exported ({prose})"))
    return report


# --------------------------------------------------------------------------- choosing each page's copy

@dataclass
class Page:
    """One notebook of the book and the copy its page shows."""

    stem: str
    path: Path
    kind: str  # "full" | "quick" | "source"
    why: str = ""  # why a better copy was not used (shown on quick/source pages)

    @property
    def paper(self) -> str | None:
        """The notebook's paper, "P1" to "P4" from the stem's first digit; None for the ``0x`` notebooks."""
        return PAPER_OF_DIGIT.get(self.stem[0])


def choose_pages(source_dir: Path = SOURCE_DIR, book_dir: Path = BOOK_DIR, full_runs: Path = FULL_RUNS,
                 quick_runs: Path = QUICK_RUNS) -> list[Page]:
    """For every numbered notebook in ``source_dir``: the best copy to show (see the module docstring)."""
    pages = []
    for source in sorted(Path(source_dir).glob("[0-9][0-9]_*.ipynb")):
        notes = []
        chosen = None
        for folder, kind in ((book_dir, "full"), (full_runs, "full"), (quick_runs, "quick")):
            candidate = Path(folder) / source.name
            if not candidate.exists():
                continue
            nb = _read(candidate)
            state, mode = run_state(nb), run_mode(nb)
            if state == "ok" and mode == kind:
                chosen = Page(source.stem, candidate, kind)
                break
            notes.append(f"the {mode}-mode copy in {_rel(candidate.parent)}/ is {state}")
        page = chosen or Page(source.stem, source, "source")
        page.why = "; ".join(notes)
        pages.append(page)
    return pages


def _rel(path: Path) -> str:
    path = Path(path)
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)


# --------------------------------------------------------------------------- staging the Sphinx project

CONF_PY = '''\
"""Sphinx configuration of the companion's book, written by lib/book.py (edit it there)."""
import sys
sys.path.insert(0, {repo!r})

project = "Multimodal activity-sensing companion"
author = "the companion's contributors"
copyright = "the companion's contributors; the papers belong to their authors"
extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
nb_execution_mode = "off"                  # the book shows executed copies; it never runs a notebook
nb_output_stderr = "show"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
myst_update_mathjax = False                # its MathJax 3/4 settings do not apply to the MathJax 2 used here
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "myst.mathjax"]
html_theme = "sphinx_book_theme"
html_title = "Activity-sensing companion"
html_static_path = ["_static"]
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {{
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "launch_buttons": {{}},
    "navigation_with_keys": False,
}}
# MathJax 2 from the jupyter-server-mathjax wheel, copied into _static/: no CDN at build or read time. That
# wheel ships the combined HTML-CSS configuration and the STIX-Web fonts only (as Jupyter's classic notebook
# used them), hence webFont STIX-Web.
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
mathjax2_config = {{
    "tex2jax": {{"inlineMath": [["\\\\(", "\\\\)"]], "displayMath": [["\\\\[", "\\\\]"]],
                "processEscapes": True}},
    "HTML-CSS": {{"availableFonts": [], "preferredFont": None, "webFont": "STIX-Web", "imageFont": None}},
    "showMathMenu": False,
    "messageStyle": "none",
}}
'''


def _md_cell(text: str):
    import nbformat

    return nbformat.v4.new_markdown_cell(text)


def _run_summary(nb) -> str:
    meta = nb.metadata.get("papermill") or {}
    params = meta.get("parameters") or {}
    bits = [f"`{k} = {v!r}`" for k, v in params.items()]
    if meta.get("end_time"):
        bits.append(f"finished {str(meta['end_time'])[:16].replace('T', ' ')} UTC")
    if meta.get("duration"):
        bits.append(f"ran {_duration(float(meta['duration']))}")
    return ", ".join(bits)


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def banner(page: Page, nb) -> str:
    """The note under a notebook page's title: the paper it recreates and which run the page shows."""
    lines = []
    if page.paper:
        lines.append(f"**Paper {page.paper}**: {CITATIONS[page.paper].markdown()} "
                     f"See [the papers](../papers.md) and [every claim](../claims.md).")
    source = f"Source: `notebooks/{page.stem}.ipynb`."
    if page.kind == "full":
        lines.append(f"Executed by `make reproduce-full` (the papers' protocols): {_run_summary(nb)}. {source}")
        return _admonition("Full-mode run", "note", lines)
    if page.kind == "quick":
        lines.append(f"Executed by `make reproduce` (CI/teaching sizes): {_run_summary(nb)}. Its numbers and figures "
                     "are from the small quick protocol, not the papers' protocol; the full-mode copy replaces this "
                     "page after `make reproduce-full`. " + source)
        title = "Quick-mode run: not the papers' protocol"
    else:
        lines.append("No executed copy of this notebook was found, so the page shows the source without outputs. "
                     f"`make reproduce NB={page.stem}` (quick mode, minutes) or `make reproduce-full` fills it in. "
                     + source)
        title = "Not executed"
    if page.why:
        lines.append(f"(Not used: {page.why}.)")
    return _admonition(title, "warning", lines)


def _admonition(title: str, kind: str, paragraphs: list[str]) -> str:
    return f"```{{admonition}} {title}\n:class: {kind}\n\n" + "\n\n".join(paragraphs) + "\n```"


def staged_notebook(page: Page):
    """The page's notebook ready for MyST-NB: banner under the title, parameters and long code cells collapsed."""
    nb = copy.deepcopy(_read(page.path))
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = list(cell.metadata.get("tags", []))
        long = len(cell.source.splitlines()) > LONG_CELL_LINES
        if (long or any(t in tags for t in COLLAPSED_TAGS)) and "hide-input" not in tags:
            tags.append("hide-input")
        cell.metadata["tags"] = tags
    first_heading = next((i for i, c in enumerate(nb.cells)
                          if c.cell_type == "markdown" and re.search(r"^#\s", c.source, re.M)), None)
    at = 0 if first_heading is None else first_heading + 1
    nb.cells.insert(at, _md_cell(banner(page, nb)))
    return nb


def _item_rows(pages: list[Page]) -> list[str]:
    by_stem = {p.stem: p for p in pages}
    label = {"full": "full-mode run", "quick": "**quick-mode run**", "source": "not executed"}
    rows = ["| paper | figure / table | notebook | page shows |", "|---|---|---|---|"]
    for item in ITEMS:
        page = by_stem.get(item.notebook)
        link = f"[{item.notebook}](notebooks/{item.notebook}.ipynb)" if page else f"`{item.notebook}`"
        shows = label[page.kind] if page else "planned"
        rows.append(f"| [{item.paper}](papers.md#{item.paper.lower()}) | {item.item}: {item.what} | {link} | {shows} |")
    return rows


def _figures_by_paper(figures_dir: Path) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for png in sorted(Path(figures_dir).glob("p[0-9]_*.png")):
        paper = "tour" if png.name.startswith("p0_") else png.name[:2].upper()
        out.setdefault(paper, []).append(png)
    return out


def index_md(pages: list[Page], solutions: list[Path]) -> str:
    """The landing page: what the book is, which runs it shows, the map, and the table of contents."""
    counts = {kind: sum(p.kind == kind for p in pages) for kind in ("full", "quick", "source")}
    quick_note = ""
    if counts["quick"] or counts["source"]:
        quick_note = ("\n```{admonition} Not every page is a full-mode run\n:class: warning\n\n"
                      f"{counts['quick']} page(s) show a **quick-mode** run (CI/teaching sizes; marked on the page) "
                      f"and {counts['source']} page(s) show a notebook that has not been executed. "
                      "`make reproduce-full` and then `make book` give the full-mode book.\n```\n")
    lines = [
        "# Multimodal activity-sensing companion", "",
        "Executable notebooks that recreate, figure by figure and table by table, four papers on multimodal and "
        "cross-modal human-activity sensing, run on documented simulators because the papers' data are private "
        "or licensed. Every number here was produced by a run; a claim that does not reproduce is reported so.", "",
        f"This book shows {counts['full']} of {len(pages)} notebooks as executed by the papers' protocols "
        "(full mode, the committed `book/` folder)." + quick_note, "",
        "## Paper → notebook → figure", "",
        *_item_rows(pages), "",
        "The papers are cited on [Papers](papers.md); every claim with the paper's number, ours and the verdict "
        "is on [Claims](claims.md); the committed full-mode figures are on [Figures](figures.md).", "",
        "```{toctree}\n:caption: The papers\n:maxdepth: 1\n\npapers\nclaims\nfigures\n```", "",
    ]
    groups = {"0": "Tour", "1": "P1 — footsteps from audio + geophone", "2": "P2 — PRIMUS",
              "3": "P3 — survey of cross-modal transfer", "4": "P4 — virtual IMU for complex HAR"}
    for digit, caption in groups.items():
        mine = [p for p in pages if p.stem.startswith(digit)]
        if mine:
            entries = "\n".join(f"notebooks/{p.stem}" for p in mine)
            lines += [f"```{{toctree}}\n:caption: {caption}\n:maxdepth: 1\n\n{entries}\n```", ""]
    if solutions:
        entries = "\n".join(f"solutions/{p.stem}" for p in solutions)
        lines += ["## Exercises", "", "Worked solutions to the notebooks' exercises (from `notebooks/solutions/`).", "",
                  f"```{{toctree}}\n:caption: Exercise solutions\n:maxdepth: 1\n\n{entries}\n```", ""]
    return "\n".join(lines)


def papers_md(pages: list[Page]) -> str:
    """One section per paper: its citation, what the companion recreates, and its notebooks."""
    lines = ["# Papers", "", "Authors, title and venue as printed in each paper's text.", ""]
    stems = {p.stem for p in pages}
    for paper, citation in CITATIONS.items():
        lines += [f"## {paper}", "", f"{PAPERS[paper]}.", "", citation.markdown(), ""]
        for item in ITEMS:
            if item.paper == paper:
                link = (f"[{item.notebook}](notebooks/{item.notebook}.ipynb)" if item.notebook in stems
                        else f"`{item.notebook}`")
                lines.append(f"- {item.item}: {item.what} — {link}")
        lines.append("")
    lines += [CITATION_NOTE, ""]
    return "\n".join(lines)


def claims_md(pages: list[Page], results_dir: Path) -> str:
    """Every claims table of the committed full-mode results, each notebook name linked to its page."""
    stems = {p.stem for p in pages}
    block = report.claims_block(report.load_results(results_dir))
    block = re.sub(r"^\| `([0-9]{2}_[a-z0-9_]+)` \|",
                   lambda m: f"| [`{m[1]}`](notebooks/{m[1]}.ipynb) |" if m[1] in stems else m[0], block, flags=re.M)
    return "\n".join(["# Claims", "",
                      "Every claims table of the committed full-mode runs (`results/*.json`): the claim, the paper's "
                      "number, ours and the verdict. All data are synthetic unless the notebook says otherwise.", "",
                      block, ""])


def figures_md(figures_dir: Path, staged_figures: str = "_figures") -> str:
    """A gallery of the committed full-mode figures, grouped by paper."""
    groups = _figures_by_paper(figures_dir)
    lines = ["# Figures", "",
             "The committed figures of the full-mode runs (`figures/`, each also as PDF there), by paper.", ""]
    if not groups:
        lines.append("No full-mode figures are committed yet (`make reproduce-full` writes them).")
    for paper, pngs in groups.items():
        lines += [f"## {paper}", ""]
        for png in pngs:
            name = png.stem.split("_", 1)[1]
            lines += [f"```{{figure}} {staged_figures}/{png.name}", f":alt: {name}", ":width: 100%", "",
                      f"`{png.name}`", "```", ""]
    return "\n".join(lines)


def mathjax_dir() -> Path:
    """MathJax 2's files as the ``jupyter-server-mathjax`` wheel ships them."""
    import jupyter_server_mathjax

    return Path(jupyter_server_mathjax.__file__).parent / "static"


def stage(stage_dir: Path = STAGE_DIR, *, pages: list[Page] | None = None, solutions_dir: Path | None = None,
          figures_dir: Path = REPO_ROOT / "figures", results_dir: Path = REPO_ROOT / "results") -> list[Page]:
    """Write the Sphinx project into ``stage_dir`` (emptied first) and return the pages it holds."""
    import nbformat

    pages = choose_pages() if pages is None else pages
    solutions_dir = SOURCE_DIR / "solutions" if solutions_dir is None else solutions_dir
    solutions = sorted(Path(solutions_dir).glob("*.ipynb")) if Path(solutions_dir).is_dir() else []
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    (stage_dir / "notebooks").mkdir(parents=True)
    (stage_dir / "conf.py").write_text(CONF_PY.format(repo=str(REPO_ROOT)))
    shutil.copytree(mathjax_dir(), stage_dir / "_static" / "mathjax")
    for page in pages:
        nbformat.write(staged_notebook(page), str(stage_dir / "notebooks" / f"{page.stem}.ipynb"))
    if solutions:
        (stage_dir / "solutions").mkdir()
        for path in solutions:
            shutil.copy2(path, stage_dir / "solutions" / path.name)
    (stage_dir / "_figures").mkdir()
    for pngs in _figures_by_paper(figures_dir).values():
        for png in pngs:
            shutil.copy2(png, stage_dir / "_figures" / png.name)
    (stage_dir / "index.md").write_text(index_md(pages, solutions))
    (stage_dir / "papers.md").write_text(papers_md(pages))
    (stage_dir / "claims.md").write_text(claims_md(pages, results_dir))
    (stage_dir / "figures.md").write_text(figures_md(figures_dir))
    return pages


@dataclass
class Built:
    """What :func:`build` made: the landing page, the notebooks by the kind of copy shown, Sphinx's warnings."""

    index: Path
    kinds: dict[str, list[str]]
    warnings: list[str]


def build(site_dir: Path = SITE_DIR, stage_dir: Path = STAGE_DIR, *, quiet: bool = True, **stage_kwargs) -> Built:
    """Stage the project and run ``sphinx-build -b html`` into ``site_dir`` (emptied first).

    ``site_dir/book.json`` records which copy each notebook page shows and Sphinx's warnings.
    Raises ``RuntimeError`` with Sphinx's output when the build fails. Nothing is executed and nothing is
    downloaded: every theme file and MathJax come from installed wheels.
    """
    pages = stage(stage_dir, **stage_kwargs)
    if site_dir.exists():
        shutil.rmtree(site_dir)
    doctrees = stage_dir.parent / (stage_dir.name + "_doctrees")
    shutil.rmtree(doctrees, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(doctrees), "-j", "1",
               *(["-q"] if quiet else []), str(stage_dir), str(site_dir)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    log = stage_dir.parent / "book_build.log"
    log.write_text(done.stdout + done.stderr)
    if done.returncode != 0 or not (site_dir / "index.html").exists():
        raise RuntimeError(f"sphinx-build failed (exit {done.returncode}); its output is in {log}:\n"
                           + (done.stderr or done.stdout)[-3000:])
    kinds = {kind: [p.stem for p in pages if p.kind == kind] for kind in ("full", "quick", "source")}
    manifest = {"pages": {p.stem: {"kind": p.kind, "from": _rel(p.path), "why": p.why} for p in pages},
                "warnings": [line for line in done.stderr.splitlines() if "WARNING" in line]}
    (site_dir / "book.json").write_text(json.dumps(manifest, indent=1))
    return Built(site_dir / "index.html", kinds, manifest["warnings"])


# --------------------------------------------------------------------------- checking the book in a browser

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMEDRIVER_NAMES = ("chromedriver",)
TRACEBACK_MARKERS = ("Traceback (most recent call last)",)


def find_browser() -> tuple[str | None, str | None, str]:
    """(chromium, chromedriver, why not): the system's headless-capable Chromium and its driver.

    Looked up on ``PATH`` and in ``/usr/bin`` (Debian's ``chromium`` and ``chromium-driver``; ``.ci/run``
    installs them). ``$CHROMIUM``/``$CHROMEDRIVER`` override. No browser or driver is ever downloaded:
    Selenium Manager is bypassed by naming both files.
    """
    def locate(env: str, names: tuple[str, ...]) -> str | None:
        if os.environ.get(env):
            return os.environ[env] if Path(os.environ[env]).is_file() else None
        for name in names:
            found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").is_file() else None)
            if found:
                return found
        return None

    browser, driver = locate("CHROMIUM", CHROMIUM_NAMES), locate("CHROMEDRIVER", CHROMEDRIVER_NAMES)
    missing = [what for what, path in (("chromium", browser), ("chromedriver", driver)) if not path]
    why = (f"no {' and no '.join(missing)} found on PATH or in /usr/bin (Debian: apt-get install chromium "
           "chromium-driver; .ci/run installs them)") if missing else ""
    return browser, driver, why


def site_pages(site_dir: Path = SITE_DIR) -> list[Path]:
    """Every HTML page of the built book (not the theme's static files)."""
    return sorted(p for p in Path(site_dir).rglob("*.html")
                  if not any(part.startswith("_") for part in p.relative_to(site_dir).parts[:-1]))


def _ids_of(path: Path, cache: dict) -> set[str]:
    """The ``id``/``name`` attributes of an HTML file (anchor targets), parsed once per file."""
    if path not in cache:
        from html.parser import HTMLParser

        found: set[str] = set()

        class Collect(HTMLParser):
            def handle_starttag(self, tag, attrs):
                for key, value in attrs:
                    if key in ("id", "name") and value:
                        found.add(value)

        Collect().feed(path.read_text(errors="replace"))
        cache[path] = found
    return cache[path]


_PAGE_PROBE = """
const done = arguments[arguments.length - 1];
const images = Array.from(document.images);
images.forEach(img => { img.loading = 'eager'; });
Promise.all(images.map(img => img.complete ? Promise.resolve() :
    new Promise(r => { img.addEventListener('load', r); img.addEventListener('error', r); })))
  .then(() => {
    const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    done({
      images: images.map(img => ({src: img.currentSrc || img.src, w: img.naturalWidth, h: img.naturalHeight,
                                  shown: visible(img)})),
      links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
      text: document.body ? document.body.innerText : '',
      errors: Array.from(document.querySelectorAll('.output.error, .output.traceback, div.traceback')).length,
      resources: performance.getEntriesByType('resource').map(e => e.name),
      title: document.title,
    });
  });
"""


def check_in_browser(site_dir: Path = SITE_DIR, screenshots: Path | None = REPO_ROOT / "build" / "book_screenshots",
                     *, width: int = 1280, height: int = 1600) -> tuple[list[str], int]:
    """Open every page of the book in headless Chromium: ``(problems, pages checked)``.

    On each page: every ``<img>`` loaded (natural size above zero), every link inside the book leads to a
    file that exists and, with a ``#fragment``, to an element with that id; no Python traceback in the text
    and no error output; nothing was fetched from outside the book (an offline book). One screenshot per
    page goes to ``screenshots`` (``index.png``, ``notebooks__20_primus_world.png``, ...).
    """
    from urllib.parse import unquote, urlsplit

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path, why = find_browser()
    if why:
        raise RuntimeError(why)
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 f"--window-size={width},{height}", "--hide-scrollbars", "--disable-extensions",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update"):
        options.add_argument(flag)
    site_dir = Path(site_dir).resolve()
    if screenshots is not None:
        shutil.rmtree(screenshots, ignore_errors=True)
        Path(screenshots).mkdir(parents=True)
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}
    pages = site_pages(site_dir)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(60)
        for page in pages:
            name = str(page.relative_to(site_dir))
            driver.get(page.as_uri())
            probe = driver.execute_async_script(_PAGE_PROBE)
            for img in probe["images"]:
                if not (img["w"] > 0 and img["h"] > 0):
                    problems.append(f"{name}: image did not load: {img['src'][:120]}")
            for href in probe["links"]:
                parts = urlsplit(href)
                if parts.scheme != "file":
                    continue
                target = Path(unquote(parts.path))
                if not target.is_relative_to(site_dir):
                    problems.append(f"{name}: link leaves the book: {href}")
                elif not target.exists():
                    problems.append(f"{name}: broken link: {target.relative_to(site_dir)}")
                elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _ids_of(target, ids):
                    problems.append(f"{name}: link to a missing anchor: {target.relative_to(site_dir)}#{parts.fragment}")
            for marker in TRACEBACK_MARKERS:
                if marker in probe["text"]:
                    problems.append(f"{name}: shows a Python traceback ({marker!r})")
            if probe["errors"]:
                problems.append(f"{name}: {probe['errors']} error output(s)")
            for url in probe["resources"]:
                if urlsplit(url).scheme not in ("file", "data", "blob", "about"):
                    problems.append(f"{name}: fetched from outside the book: {url[:120]}")
            if screenshots is not None:
                shot = Path(screenshots) / (name.removesuffix(".html").replace(os.sep, "__") + ".png")
                driver.save_screenshot(str(shot))
    finally:
        driver.quit()
    return problems, len(pages)


def main(argv: list[str] | None = None) -> int:
    """Run ``export``, ``build`` or ``check``; return 1 on a book/ size warning or a browser problem, else 0."""
    parser = argparse.ArgumentParser(prog="python -m lib.book", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    exp = sub.add_parser("export", help="copy complete full-mode runs from build/notebooks/full/ into book/")
    exp.add_argument("--from", dest="src", default=str(FULL_RUNS), help="folder of executed notebooks")
    exp.add_argument("--force", action="store_true", help="re-export copies that look up to date")
    exp.add_argument("--only", nargs="+", metavar="NOTEBOOK", help="notebook stems or prefixes (default: all)")
    sub.add_parser("build", help="build the HTML book into build/book/ (make book)")
    sub.add_parser("check", help="open every page of build/book/ in headless Chromium (screenshots in build/)")
    args = parser.parse_args(argv)
    if args.command == "check":
        problems, count = check_in_browser()
        for problem in problems:
            print(problem)
        print(f"{count} page(s) checked in Chromium, {len(problems)} problem(s); screenshots in build/book_screenshots/")
        return 1 if problems else 0
    if args.command == "export":
        report = export_all(Path(args.src), force=args.force, only=args.only)
        for stem, what in report:
            print(f"{stem:<40s} {what}")
        if not report:
            print(f"no executed notebooks in {args.src}")
        print(f"book/: {folder_bytes(BOOK_DIR) / 1e6:.1f} MB")
        warning = size_warning()
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
            return 1
        return 0
    built = build()
    index, kinds, warnings = built.index, built.kinds, built.warnings
    print(f"built {_rel(index)}: {len(kinds['full'])} full-mode, {len(kinds['quick'])} quick-mode, "
          f"{len(kinds['source'])} not executed")
    if kinds["quick"]:
        print(f"  quick-mode pages (marked as such): {', '.join(kinds['quick'])}")
    if kinds["source"]:
        print(f"  not executed (source shown): {', '.join(kinds['source'])}")
    if warnings:
        print(f"  {len(warnings)} Sphinx warning(s), see build/book_build.log")
    print(f"open file://{index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
