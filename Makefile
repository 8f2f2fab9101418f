# Two entry points that work on a fresh machine with Python 3.11:
#   make demo   set up what running needs (no dev tool), then extract the figures of the bundled example
#   make test   set up with the dev tools, then lint, type-check, run the tests and, when the shared
#               corpora are at $(SHARED), check the accuracy floors
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: setup setup-dev demo test lint floors bench bench-dask memory lock
setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

setup-dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $@

demo: setup
	$(BIN)/uprooted extract examples/river-flood.txt --published 2024-05-09

lint: setup-dev
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/mypy src

test: lint
	$(BIN)/pytest
	@if [ -d "$(SHARED)/corpus" ]; then $(BIN)/python scripts/check_floors.py --shared $(SHARED); \
	else echo "accuracy floors skipped: no shared corpora at $(SHARED) (make test SHARED=/path/to/shared)"; fi

floors: setup
	$(BIN)/python scripts/check_floors.py --shared $(SHARED)

bench: setup
	$(BIN)/python benchmarks/run.py --shared $(SHARED)

bench-dask: setup-dev
	$(BIN)/python benchmarks/dask_bench.py --shared $(SHARED)

memory: setup
	$(BIN)/python benchmarks/memory.py

lock:
	scripts/lock.sh
