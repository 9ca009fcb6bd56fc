# Set-up is part of every target: a fresh clone needs only `make build` or `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

NODE_DEPS := tests/browser/node_modules/.installed

.PHONY: setup build lint test bench schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(NODE_DEPS): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_DEPS)

setup: $(STAMP)

build: setup
	$(BIN)/masterplan validate
	$(BIN)/masterplan build all

lint: setup
	$(BIN)/ruff check tools tests
	$(BIN)/mypy

test: setup $(NODE_DEPS) lint
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: setup
	$(BIN)/python -m masterplan_kit.bench

schema: setup
	$(BIN)/masterplan schema

clean:
	rm -rf build
