# Two commands: `make demo` (set up, then run the demo on the bundled real sample) and
# `make test` (lint, type-check and run the whole test suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml package.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# axe-core for the accessibility tests (npm package, pinned in package-lock.json).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

demo: $(STAMP)
	$(BIN)/cspkit demo --out cspkit-demo --overwrite

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) node_modules/axe-core/axe.min.js
	$(BIN)/pytest -n 2 --dist loadfile

test: lint typecheck pytest

clean:
	rm -rf $(VENV) cspkit-demo
