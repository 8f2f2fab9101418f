# Two entry points that work on a fresh machine with Python 3.11:
#   make demo   set up what running needs (no dev tool), then extract the figures of the bundled example
#   make test   set up with the dev tools, then lint, type-check, run the tests and, when the shared
#               corpora are at $(SHARED), check the accuracy floors
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
# The web workspace's browser libraries, from npm (package-lock.json), copied where the package serves them.
VENDOR := src/uprooted/web/static/vendor

.PHONY: setup setup-dev demo test lint floors bench bench-dask memory lock web-assets
setup: $(VENV)/.installed $(VENDOR)/.built

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

web-assets: $(VENDOR)/.built

# Without npm the rest installs and runs; only `uprooted serve` misses its page's libraries.
$(VENDOR)/.built: package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "npm not found: the web workspace's page libraries are not built (apt-get install npm, then make web-assets)"; \
	else \
		npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && \
		rm -rf $(VENDOR) && mkdir -p $(VENDOR)/images && \
		cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/ && \
		cp node_modules/leaflet/dist/images/*.png $(VENDOR)/images/ && \
		cp node_modules/leaflet/LICENSE $(VENDOR)/LICENSE-leaflet && \
		cp node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/ && \
		cp node_modules/topojson-client/LICENSE $(VENDOR)/LICENSE-topojson-client && \
		cp node_modules/world-atlas/countries-110m.json $(VENDOR)/ && \
		cp node_modules/world-atlas/LICENSE $(VENDOR)/LICENSE-world-atlas && \
		touch $@; \
	fi

setup-dev: $(VENV)/.installed-dev $(VENDOR)/.built

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
