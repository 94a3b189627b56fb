# The front door. `make report` and `make test` set up .venv from the lock
# file on first use, so a fresh clone needs nothing but Python 3.11.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CORPUS ?= data/raw/demo
WORKDIR ?= .
NBVAL_FLAGS := --nbval --nbval-sanitize-with notebooks/sanitize.cfg --nbval-current-env

.PHONY: help setup report prepare test unit nbval lab lint bench notebooks-refresh lock clean

help:            ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (arabic-news)" > /dev/null
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install the pinned environment

# a screenshot of the report's first screen when Debian's chromium is installed
SCREENSHOT := $(if $(shell command -v chromium 2>/dev/null),--screenshot,)

report: $(STAMP)  ## run the whole pipeline on CORPUS (default: the demo corpus) -> reports/report.html
	$(PY) -m analysis run --corpus $(CORPUS) --workdir $(WORKDIR) $(SCREENSHOT)

prepare: $(STAMP)  ## only build data/processed/*.parquet
	$(PY) -m analysis prepare --corpus $(CORPUS) --workdir $(WORKDIR)

test: $(STAMP)  ## ruff, unit + end-to-end tests, then nbval over notebooks/
	$(VENV)/bin/ruff check analysis tests benchmarks tools
	$(PY) -m pytest tests -q
	$(PY) -m analysis prepare --corpus data/raw/demo --workdir . --quiet
	$(PY) -m pytest $(NBVAL_FLAGS) notebooks -q

unit: $(STAMP)  ## unit tests only (fast)
	$(PY) -m pytest tests -q -m "not slow"

nbval: $(STAMP)  ## re-execute the notebooks and compare with their stored outputs
	$(PY) -m analysis prepare --corpus data/raw/demo --workdir . --quiet
	$(PY) -m pytest $(NBVAL_FLAGS) notebooks -q

notebooks-refresh: $(STAMP)  ## re-execute notebooks in place on the demo corpus (stores new outputs on purpose)
	$(PY) -m analysis refresh-notebooks

lab: $(STAMP)  ## open JupyterLab in the same environment
	$(VENV)/bin/jupyter lab notebooks/

lint: $(STAMP)  ## ruff
	$(VENV)/bin/ruff check analysis tests benchmarks tools

bench: $(STAMP)  ## throughput benchmarks on ../shared/corpus (skipped if absent)
	$(PY) -m analysis bench

lock:            ## re-pin requirements.lock + environment.yml from the current .venv
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e ' | grep -vi '^analysis==' > requirements.lock
	$(PY) tools/write_environment_yml.py

clean:           ## remove generated tables and reports (never the corpus)
	rm -rf data/processed/*.parquet data/processed/_cache reports/*
	touch reports/.gitkeep
