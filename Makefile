# The companion's commands. `make reproduce` (every notebook, quick mode) and `make test` each set up
# their own virtual environment in .venv on first use (Python 3.11 + pip are all they need).
# `make book` builds the HTML book offline from the executed notebooks; its browser test (in `make test`)
# needs Debian's chromium + chromium-driver and is skipped, saying so, without them.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
NB     ?=
SWEEP  ?=

export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 0
export MPLBACKEND := Agg
export JUPYTER_PREFER_ENV_PATH := 1

.PHONY: setup reproduce reproduce-full figures book test test-unit test-notebooks lab bench readme sweep lint clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0   # the CPU wheel first, so nothing pulls a CUDA build
	$(PY) -m pip install --quiet -e ".[dev,book]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (companion)" >/dev/null
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)                     ## create/update .venv and register its python3 kernel

reproduce: setup                    ## every notebook in quick mode -> build/notebooks, build/figures, build/results
	$(PY) -m lib.reproduce --mode quick $(NB)

reproduce-full: setup               ## the papers' protocols -> figures/, results/, book/ (resumes where it stopped)
	$(PY) -m lib.reproduce --mode full $(NB)
	$(PY) -m lib.report

figures: setup                      ## redraw the committed figures from results/*.json in seconds (after a style change)
	$(PY) -m lib.figures --in-place $(NB)

book: setup                         ## static HTML book from the executed notebooks (book/, else build/notebooks/) -> build/book/index.html
	$(PY) -m lib.book build

test: setup                         ## unit tests (every exercise solution included), then every notebook in quick mode under nbval
	@$(MAKE) --no-print-directory test-unit; unit=$$?; \
	 $(MAKE) --no-print-directory test-notebooks; nb=$$?; \
	 test $$unit -eq 0 -a $$nb -eq 0

test-unit: setup
	TQDM_DISABLE=1 $(PY) -m pytest tests/

test-notebooks: setup
	TQDM_DISABLE=1 $(PY) -m pytest --nbval-lax --nbval-current-env --ignore=notebooks/solutions notebooks/

lab: setup                          ## JupyterLab on the notebooks
	$(VENV)/bin/jupyter lab notebooks/

bench: setup                        ## speed benchmarks -> results/bench.json and a table (then the README)
	$(PY) -m lib.bench
	$(PY) -m lib.report

readme: setup                       ## regenerate the README's tables from results/*.json
	$(PY) -m lib.report

sweep: setup                        ## papermill over a parameter grid, e.g. make sweep SWEEP="notebooks/00_tour.ipynb -p seed 0 1 2"
	$(PY) -m lib.batch $(SWEEP)

lint: setup                         ## byte-compile everything and check notebook hygiene
	$(PY) -m compileall -q lib tests
	TQDM_DISABLE=1 $(PY) -m pytest -q tests/test_notebook_hygiene.py

clean:                              ## remove build outputs (keeps .venv, figures/, results/)
	rm -rf build
