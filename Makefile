# Fokus: `make demo` serves the demo, `make test` runs the whole test suite.
# Both create .venv on first use and reuse it after. `make demo` installs only what Fokus
# runs on (requirements.lock); `make test`, `make lint` and `make bench` also install the
# development tools (requirements-dev.lock). Each install is redone when its lock changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
INSTALLED_DEV := $(VENV)/.installed-dev
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: demo test lint bench install install-dev clean

install: $(INSTALLED)

install-dev: $(INSTALLED_DEV)

$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.lock
	$(PIP) --no-deps --no-build-isolation -e .
	touch $@

# Both files in one resolve, so the development tools are installed against the
# runtime pins and never move one of them.
$(INSTALLED_DEV): $(INSTALLED) requirements-dev.lock
	$(PIP) -r requirements.lock -r requirements-dev.lock
	touch $@

demo: $(INSTALLED)
	$(BIN)/fokus demo

# The suite on SQLite (browser tests where Chromium is found), then again on
# PostgreSQL when FOKUS_TEST_DATABASE_URL is set. The PostgreSQL leg leaves out what
# never touches the configured database: the pure core, the docs and catalogue checks,
# and the tests that start `fokus` processes on their own SQLite data dir.
PG_SKIP := --ignore=tests/core --ignore=tests/ops --ignore=tests/cli/test_cli_process.py \
	--ignore=tests/test_docs.py --ignore=tests/test_translations.py

test: $(INSTALLED_DEV)
	$(BIN)/python -m pytest
	if [ -n "$$FOKUS_TEST_DATABASE_URL" ]; then \
		FOKUS_TEST_LEG=postgres $(BIN)/python -m pytest -m "not browser" $(PG_SKIP); \
	fi

lint: $(INSTALLED_DEV)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# The benchmarks use development tools too (bench_lcp.py Playwright, bench_customer_list.py
# time-machine).
bench: $(INSTALLED_DEV)
	status=0; for script in bench/bench_*.py; do $(BIN)/python $$script || status=1; done; \
	exit $$status

clean:
	rm -rf $(VENV) test-results
