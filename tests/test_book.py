"""The executed-notebook folder ``book/`` and the HTML book (``make book``), checked in a real browser.

Unit tests of the export (images shrunk, provenance recorded, quick and failed runs refused), of the page
choice (full, else quick marked as such, else the source marked as not executed) and of the collapsed
cells; then one build of the real book offline into ``build/book/`` and a headless-Chromium pass over
every page of it (images loaded, internal links resolve, no traceback, nothing fetched from outside),
with one screenshot per page in ``build/book_screenshots/``. The browser test is skipped, saying why,
where Debian's ``chromium`` and ``chromium-driver`` are not installed (``.ci/run`` installs them).
"""

from __future__ import annotations

import base64
import io
import os

import nbformat
import pytest
from batch_helpers import results_cell

from lib import book, reproduce
from lib.catalog import CITATIONS, ITEMS
from lib.params import REPO_ROOT


def png(width: int, height: int) -> str:
    """A base64 PNG with a gradient and some lines, like a plot (many colours, opaque alpha)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 7):
        draw.line([(x, 0), (width - x, height)], fill=(x % 256, (3 * x) % 256, 200, 255), width=2)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def executed(path, *, mode="full", exception=False, finished=True, image_width=2400, error=False):
    """Write a notebook shaped like a papermill output: parameters, injected parameters, a figure."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["papermill"] = {"parameters": {"mode": mode, "seed": 0}, "exception": exception,
                                "end_time": "2026-12-07T08:00:00" if finished else None, "duration": 120.0}
    title = nbformat.v4.new_markdown_cell("# 99 · A test notebook\n\nWhat it recreates.")
    params = nbformat.v4.new_code_cell('mode = "quick"  # "quick" | "full"\nseed = 0')
    params.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell(f'# Parameters\nmode = "{mode}"\nseed = 0\n')
    injected.metadata["tags"] = ["injected-parameters"]
    figure = nbformat.v4.new_code_cell("\n".join(f"x{i} = {i}" for i in range(book.LONG_CELL_LINES + 5)))
    figure.metadata["execution"] = {"iopub.status.busy": "2026-12-07T08:00:00"}
    figure.metadata["papermill"] = {"duration": 1.0}
    figure.outputs = [nbformat.v4.new_output("display_data", data={"image/png": png(image_width, 800),
                                                                   "text/plain": "<Figure>"})]
    if error:
        figure.outputs.append(nbformat.v4.new_output("error", ename="ValueError", evalue="x", traceback=[]))
    nb.cells = [title, params, injected, figure]
    nbformat.write(nb, str(path))
    return path


def source(path):
    """An output-free source notebook: a title and a parameters cell."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('mode = "quick"\nseed = 0')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# A source"), params]
    nbformat.write(nb, str(path))
    return path


def image_width(nb) -> int:
    from PIL import Image

    data = next(o.data["image/png"] for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {}))
    return Image.open(io.BytesIO(base64.b64decode(data))).width


# --------------------------------------------------------------------------- book/: the executed copies

def test_export_shrinks_images_records_provenance_and_drops_cell_timings(tmp_path):
    source = executed(tmp_path / "99_test.ipynb")
    before = source.stat().st_size
    target = book.export_executed(source, tmp_path / "book")
    nb = nbformat.read(str(target), as_version=4)
    assert image_width(nb) == book.MAX_IMAGE_WIDTH
    assert target.stat().st_size < before
    assert nb.metadata["companion"]["mode"] == "full" and "do not edit" in nb.metadata["companion"]["note"]
    assert nb.metadata["papermill"]["parameters"] == {"mode": "full", "seed": 0}  # the run's record stays
    assert not any("execution" in c.metadata or "papermill" in c.metadata for c in nb.cells)
    nbformat.validate(nb)


def test_small_images_keep_their_size(tmp_path):
    target = book.export_executed(executed(tmp_path / "99_test.ipynb", image_width=640), tmp_path / "book")
    assert image_width(nbformat.read(str(target), as_version=4)) == 640


@pytest.mark.parametrize("kwargs, why", [({"mode": "quick"}, "quick mode"), ({"exception": True}, "failed"),
                                         ({"error": True}, "failed"), ({"finished": False}, "unfinished")])
def test_export_refuses_quick_failed_and_unfinished_runs(tmp_path, kwargs, why):
    with pytest.raises(ValueError, match=why):
        book.export_executed(executed(tmp_path / "99_test.ipynb", **kwargs), tmp_path / "book")
    assert not (tmp_path / "book" / "99_test.ipynb").exists()


def test_export_takes_the_sources_prose_only_while_its_code_is_what_ran(tmp_path):
    """Markdown written after the run reaches book/ when every code cell is unchanged; not otherwise."""
    run = executed(tmp_path / "99_test.ipynb")
    ran = nbformat.read(str(run), as_version=4)
    src_dir = tmp_path / "notebooks"
    src_dir.mkdir()
    later = nbformat.v4.new_notebook()
    later.cells = [nbformat.v4.new_markdown_cell("# 99 · A test notebook, retitled"),
                   copy_cell(ran.cells[1]), copy_cell(ran.cells[3]),
                   nbformat.v4.new_markdown_cell("**Reading the figure.** Written after the run.")]
    nbformat.write(later, str(src_dir / "99_test.ipynb"))
    nb = nbformat.read(str(book.export_executed(run, tmp_path / "book", source_dir=src_dir)), as_version=4)
    assert nb.metadata["companion"]["prose"] == "prose from notebooks/"
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code", "code", "markdown"]
    assert nb.cells[0].source.endswith("retitled") and "Written after the run" in nb.cells[-1].source
    assert nb.cells[2].metadata["tags"] == ["injected-parameters"] and nb.cells[3].outputs  # outputs as run
    later.cells[2].source += "\nx_new = 1"  # the code changed: the old outputs would not match new prose
    nbformat.write(later, str(src_dir / "99_test.ipynb"))
    nb = nbformat.read(str(book.export_executed(run, tmp_path / "book", source_dir=src_dir)), as_version=4)
    assert "code changed" in nb.metadata["companion"]["prose"] and nb.cells[0].source.startswith("# 99 · A test notebook\n")


def copy_cell(cell):
    """A source-notebook copy of an executed code cell (no outputs, no run metadata)."""
    out = nbformat.v4.new_code_cell(cell.source)
    out.metadata["tags"] = list(cell.metadata.get("tags", []))
    return out


def test_full_mode_runner_copies_each_complete_notebook_into_book(tmp_path, out_dir, monkeypatch, capsys):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell('mode = "quick"  # str\nseed = 0  # int')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("print(mode)"), nbformat.v4.new_code_cell(results_cell("98_tiny"))]
    nbformat.write(nb, str(folder / "98_tiny.ipynb"))
    monkeypatch.setattr(reproduce, "NOTEBOOK_DIR", folder)
    monkeypatch.setattr(reproduce, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(book, "BOOK_DIR", tmp_path / "book")
    monkeypatch.setattr(reproduce, "writes_committed_outputs", lambda: True)  # results go to out_dir, yet export
    assert reproduce.main(["--mode", "full"]) == 0
    out = capsys.readouterr().out
    copy = tmp_path / "book" / "98_tiny.ipynb"
    assert copy.exists() and "-> book/98_tiny.ipynb" in out and "book/: 0.0 MB" in out
    stored = nbformat.read(str(copy), as_version=4)
    assert stored.metadata["companion"]["mode"] == "full" and "full" in stored.cells[-2].outputs[0].text


def test_the_committed_book_folder_holds_complete_full_mode_exports_within_its_size():
    """book/ is written by `make reproduce-full` only: every file a complete full-mode export, 25 MB at most."""
    size = book.folder_bytes(book.BOOK_DIR)
    assert size <= book.BOOK_SIZE_LIMIT, book.size_warning()
    for path in sorted(book.BOOK_DIR.glob("*")):
        if path.name == "README.md":
            continue
        assert path.suffix == ".ipynb" and (REPO_ROOT / "notebooks" / path.name).exists(), f"stray file {path}"
        nb = nbformat.read(str(path), as_version=4)
        assert nb.metadata.get("companion", {}).get("exported_by") == book.EXPORTED_BY, f"{path.name} was not exported"
        assert book.run_mode(nb) == "full" and book.run_state(nb) == "ok", path.name


def test_notebook_sources_stay_output_free_while_book_has_outputs():
    """The two folders split the work: sources without outputs, book/ with them (hygiene checks the sources)."""
    for path in sorted(book.BOOK_DIR.glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        assert any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), path.name


# --------------------------------------------------------------------------- the pages of the HTML book

def test_each_page_shows_the_best_copy_and_says_which(tmp_path):
    sources, full, quick, book_dir = (tmp_path / name for name in ("src", "full", "quick", "book"))
    for folder in (sources, full, quick, book_dir):
        folder.mkdir()
    for stem in ("20_a", "21_b", "22_c", "23_d", "24_e"):
        source(sources / f"{stem}.ipynb")
    executed(book_dir / "20_a.ipynb")                      # full, exported
    executed(full / "21_b.ipynb")                          # full, not yet exported
    executed(quick / "22_c.ipynb", mode="quick")           # quick only
    executed(full / "23_d.ipynb", finished=False)          # full run still going, quick copy done
    executed(quick / "23_d.ipynb", mode="quick")
    executed(quick / "24_e.ipynb", mode="quick", exception=True)  # failed quick run: the source is shown
    pages = {p.stem: p for p in book.choose_pages(sources, book_dir, full, quick)}
    assert {stem: p.kind for stem, p in pages.items()} == {
        "20_a": "full", "21_b": "full", "22_c": "quick", "23_d": "quick", "24_e": "source"}
    assert pages["20_a"].path.parent == book_dir and pages["21_b"].path.parent == full
    assert "unfinished" in pages["23_d"].why and "failed" in pages["24_e"].why

    quick_page = book.staged_notebook(pages["22_c"])
    note = quick_page.cells[1].source  # right under the title
    assert note.startswith("```{admonition} Quick-mode run") and ":class: warning" in note
    assert "not the papers' protocol" in note and "make reproduce-full" in note
    assert "Paper P2" in note and CITATIONS["P2"].title in note
    assert "Not executed" in book.staged_notebook(pages["24_e"]).cells[1].source
    full_page = book.staged_notebook(pages["20_a"])
    assert full_page.cells[1].source.startswith("```{admonition} Full-mode run\n:class: note")
    code = [c for c in full_page.cells if c.cell_type == "code"]
    assert all("hide-input" in c.metadata["tags"] for c in code)  # parameters, injected, and a long cell

    index = book.index_md(list(pages.values()), [])
    assert "1 page(s) show a **quick-mode** run" not in index and "2 page(s) show a **quick-mode** run" in index
    assert "Exercise" not in index


def test_index_links_exercise_solutions_only_when_they_exist(tmp_path):
    solution = tmp_path / "ex1_solution.ipynb"
    index = book.index_md([], [solution])
    assert "solutions/ex1_solution" in index and "Exercise solutions" in index


@pytest.fixture(scope="module")
def built_book():
    """The real book, built once into build/book/ with every HTTP(S) proxy pointed at a closed port, so a
    step that tried to download anything would fail the build."""
    saved = {key: os.environ.get(key) for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")}
    os.environ.update({key: "http://127.0.0.1:9" for key in saved})
    try:
        built = book.build()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return built


def test_make_book_writes_the_landing_page_and_one_page_per_notebook(built_book):
    assert built_book.index == book.SITE_DIR / "index.html" and built_book.index.exists()
    index = built_book.index.read_text()
    assert "Paper → notebook → figure" in index
    for item in ITEMS:
        assert (book.SITE_DIR / "notebooks" / f"{item.notebook}.html").exists(), item.notebook
        assert f"notebooks/{item.notebook}.html" in index
    papers = (book.SITE_DIR / "papers.html").read_text()
    assert all(c.title in papers for c in CITATIONS.values())
    assert "claims" in (book.SITE_DIR / "claims.html").read_text().lower()
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert "\nbook: setup" in makefile and "-m lib.book build" in makefile


def test_every_page_in_headless_chromium(built_book):
    browser, driver, why = book.find_browser()
    if why:
        pytest.skip(f"no browser for the book's browser test: {why}")
    screenshots = REPO_ROOT / "build" / "book_screenshots"
    problems, count = book.check_in_browser(book.SITE_DIR, screenshots)
    assert count == len(book.site_pages(book.SITE_DIR)) > len(ITEMS)
    assert len(list(screenshots.glob("*.png"))) == count
    assert not problems, "\n".join(problems)


def test_export_all_only_touches_the_notebooks_asked_for(tmp_path):
    runs, book_dir = tmp_path / "full", tmp_path / "book"
    runs.mkdir()
    for stem in ("00_tour", "30_survey_taxonomy"):
        executed(runs / f"{stem}.ipynb")
    report = dict(book.export_all(runs, book_dir, force=True, only=["30"]))
    assert list(report) == ["30_survey_taxonomy"] and report["30_survey_taxonomy"].startswith("exported")
    assert sorted(p.name for p in book_dir.glob("*.ipynb")) == ["30_survey_taxonomy.ipynb"]
