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
# PostgreSQL when FOKUS_TEST_DATABASE_URL is set. The PostgreSQL leg leaves out what
# never touches the configured database: the pure core, the docs and catalogue checks,
# and the tests that start `fokus` processes on their own SQLite data dir.
PG_SKIP := --ignore=tests/core --ignore=tests/ops --ignore=tests/cli/test_cli_process.py \
	--ignore=tests/test_docs.py --ignore=tests/test_translations.py

test: $(INSTALLED)
	$(BIN)/python -m pytest
	if [ -n "$$FOKUS_TEST_DATABASE_URL" ]; then \
		FOKUS_TEST_LEG=postgres $(BIN)/python -m pytest -m "not browser" $(PG_SKIP); \
	fi

lint: $(INSTALLED)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: $(INSTALLED)
	status=0; for script in bench/bench_*.py; do $(BIN)/python $$script || status=1; done; \
	exit $$status

clean:
	rm -rf $(VENV) test-results
