# Assay: the two quickstart commands are `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: demo test test-slow bench lint clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

demo: $(STAMP_RUN)
	$(BIN)/assay demo

test: $(STAMP_TEST)
	$(BIN)/python -m pytest -q -n 2

test-slow: $(STAMP_TEST)
	$(BIN)/python -m pytest -q -m slow

bench: $(STAMP_TEST)
	$(BIN)/python bench/qfbv.py
	$(BIN)/python bench/cedar_authz.py
	$(BIN)/python bench/cedar_parse.py
	$(BIN)/python bench/cedar_validate.py
	$(BIN)/python bench/armv8_exec.py
	$(BIN)/python bench/armv8_capstone.py
	$(BIN)/python bench/armv8_symbolic.py

lint: $(STAMP_TEST)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
