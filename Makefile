# paperkit: the two quick-start commands, and the checks CI runs.
#   make sample  install paperkit (system packages, .venv) and build the sample paper
#   make test    install paperkit with its test extras and run the whole test suite
#   make lint    ruff and mypy on the package

VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: sample test lint install install-test

sample: install
	$(BIN)/paperkit build cabinet-2018-06

test: install-test
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check paperkit scripts tests benchmarks
	$(BIN)/mypy

install:
	scripts/install-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e .

install-test:
	scripts/install-system-deps.sh --test
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[test]'
