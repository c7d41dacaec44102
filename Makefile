# Partnerskabsbasen: one Makefile, two commands for a fresh machine.
#   make run   – set up, build the index from content/, serve http://127.0.0.1:8000
#   make test  – set up everything the tests need and run the whole gate (`make check`)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run serve build test check format format-check lint layers types content-check pytest \
        system-deps bench bench-hostile clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.runtime

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

run: $(VENV)/.runtime build serve

build: $(VENV)/.runtime
	$(BIN)/python -m app build

serve: $(VENV)/.runtime
	$(BIN)/python -m app serve --host $(HOST) --port $(PORT)

system-deps:
	scripts/install-system-deps

test: system-deps $(VENV)/.dev node_modules/.installed
	scripts/with-postgres $(MAKE) --no-print-directory check

check: format-check lint layers types content-check pytest

format:
	$(BIN)/ruff format app tests bench scripts

format-check:
	$(BIN)/ruff format --check app tests bench

lint:
	$(BIN)/ruff check app tests bench

layers:
	$(BIN)/lint-imports

types:
	$(BIN)/mypy

content-check:
	$(BIN)/python -m app check --strict

pytest:
	CI=$${CI:-} $(BIN)/python -m pytest -q --cov --cov-report=term

bench: $(VENV)/.dev
	scripts/install-system-deps bench
	$(BIN)/pip install -q --require-hashes -r requirements-bench.lock  # dev + bench, one consistent set
	$(BIN)/python -m bench.run

# Hostile queries (20 random 24-letter words) against ordinary ones, in process and over HTTP,
# and /healthz under that load; writes its section of bench/results.md.
bench-hostile: $(VENV)/.dev
	$(BIN)/python -m bench.hostile

# Soak (not in the gate): a 2-worker server with a content reload every minute under mixed load;
# throughput, p99, errors and RSS per worker over time. `make soak SOAK_MINUTES=30`.
SOAK_MINUTES ?= 10
.PHONY: soak
soak: $(VENV)/.dev
	$(BIN)/python -m bench.soak --minutes $(SOAK_MINUTES)

clean:
	rm -rf $(VENV) node_modules search_index/generations search_index/current

# The fast tests for the inner loop: no browser, PostgreSQL, reload under load or Docker build steps;
# no coverage gate.
.PHONY: quick
quick:
	PB_TEST_DATABASE_URL= CI=$${CI:-} $(BIN)/python -m pytest -q -m "not browser and not postgres" \
		--ignore=tests/browser --ignore=tests/test_reload_under_load.py --ignore=tests/test_dockerfile.py
