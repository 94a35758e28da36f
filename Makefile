# Fokus: `make demo` serves the demo, `make test` runs the whole test suite.
# Both create .venv with the pinned dependencies on first use and reuse it after.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test lint bench install clean

install: $(INSTALLED)

$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		--no-build-isolation -e .
	touch $@

demo: $(INSTALLED)
	$(BIN)/fokus demo

# The suite on SQLite (browser tests where Chromium is found), then again on
# PostgreSQL when FOKUS_TEST_DATABASE_URL is set.
test: $(INSTALLED)
	$(BIN)/python -m pytest
	if [ -n "$$FOKUS_TEST_DATABASE_URL" ]; then \
		FOKUS_TEST_LEG=postgres $(BIN)/python -m pytest -m "not browser"; \
	fi

lint: $(INSTALLED)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: $(INSTALLED)
	$(BIN)/python bench/bench_core.py

clean:
	rm -rf $(VENV) test-results
