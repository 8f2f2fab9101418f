# Two entry points that work on a fresh machine with Python 3.11:
#   make demo   set up, then extract the figures of the bundled example article
#   make test   set up, then lint, type-check, run the tests and score the shared corpora
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: setup demo test lint floors bench lock
setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

demo: setup
	$(BIN)/uprooted extract examples/river-flood.txt --published 2024-05-09

lint: setup
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/mypy src

test: lint
	$(BIN)/pytest
	$(BIN)/python scripts/check_floors.py --shared $(SHARED)

floors: setup
	$(BIN)/python scripts/check_floors.py --shared $(SHARED)

bench: setup
	$(BIN)/python benchmarks/run.py --shared $(SHARED)

lock:
	scripts/lock.sh
