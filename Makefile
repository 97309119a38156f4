# paperkit: the two quick-start commands, and the checks CI runs.
#   make sample  install paperkit (system packages, .venv) and build the sample paper
#   make test    install paperkit with its test extras and run the whole test suite
#   make lint    ruff, mypy and the import layering check (lint-imports) on the package
#   make dist    build the sdist and wheel into dist/ and check them (twine, scripts/check_dist.py)
#   make smoke   install the wheel alone into a fresh venv and use it from an empty folder

VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: sample test lint install install-test dist smoke install-tools

sample: install
	$(BIN)/paperkit build cabinet-2018-06

test: install-test
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check paperkit scripts tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

install:
	scripts/install-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e .

install-test:
	scripts/install-system-deps.sh --test
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[test]'

dist: install-tools
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*
	$(BIN)/python scripts/check_dist.py dist

smoke: dist
	scripts/install-system-deps.sh
	PYTHON=$(PYTHON) scripts/smoke-wheel.sh dist/paperkit-*.whl

install-tools:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q build twine
