# Two commands for a newcomer: `make run` and `make test`. Everything they
# need is installed from this project's own files into .venv.
PYTHON ?= python3
# Both cores (or all) for the suite; `make test PYTEST_ARGS=...` overrides.
PYTEST_ARGS ?= -n auto
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEPS := $(VENV)/.deps-runtime
DEV_DEPS := $(VENV)/.deps-dev
CHROMIUM := var/.chromium

.DEFAULT_GOAL := help
.PHONY: help run test test-quick lint format migrate demo bench bench-smoke load clean var chromium

help:
	@echo "make run    set up and start web, Celery worker and beat (SQLite, no broker server)"
	@echo "make test   set up and run lint, migration check and the whole test suite"
	@echo "make test-quick  the tests not marked slow, on the test database of the last run"
	@echo "make bench  run the benchmarks (not part of make test)"
	@echo "make load   load-test the API under production settings (needs PostgreSQL)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(DEPS): requirements.txt | $(PY)
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(DEV_DEPS): requirements.txt requirements-dev.txt | $(PY)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $(DEPS) $@

# Development commands name their settings module, as every process must
# (README, "Settings modules"); the suite takes its own from pyproject.toml.
run migrate demo: export DJANGO_SETTINGS_MODULE = config.settings.dev

var:
	@mkdir -p var/static var/broker/queue var/broker/control var/broker/processed

migrate: $(DEPS) | var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo_data

run: migrate | var
	$(PY) manage.py setup_local --load-demo
	$(BIN)/honcho -f Procfile.dev start

test: $(DEV_DEPS) $(CHROMIUM) | var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/bandit --quiet --recursive tracker config
	$(BIN)/pytest $(PYTEST_ARGS)

# The local loop: no lint, no browser, worker, subprocess or fuzz tests
# (marker `slow`), and the migrated test database kept between runs
# (`--reuse-db`; `--create-db` once after changing a migration). CI and
# `make test` build the database afresh and run everything.
test-quick: $(DEV_DEPS) | var
	$(BIN)/pytest --reuse-db -m "not slow" $(PYTEST_ARGS)

# The benchmarks (not part of `make test`): one table, every figure in
# bench/results.json, the table copied into docs/performance.md.
bench: $(DEV_DEPS) | var
	$(PY) -m bench --markdown docs/performance.md $(BENCH_ARGS)

# A tiny run on CI so the suite cannot rot; its figures are never quoted.
bench-smoke: $(DEV_DEPS) | var
	$(PY) -m bench --scale 0.002 --repeats 2 --output var/bench-smoke.json

# The load run (not part of `make test`): production settings under
# gunicorn on PostgreSQL (DATABASE_URL, default the tracker_load database,
# created if missing), 64 locust clients for 30 s; fails on any error and
# records its figures in docs/reliability.md.
load: $(DEV_DEPS) | var
	$(PY) -m load.run --markdown docs/reliability.md --markdown docs/performance.md $(LOAD_ARGS)

lint: $(DEV_DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_DEPS)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

# The browser tests drive Debian's chromium. Installed only where it can be
# (root with apt-get); elsewhere the browser tests skip with a message, and
# on CI (TRACKER_REQUIRE_SERVICES=1) a missing chromium fails them.
chromium: $(CHROMIUM)
$(CHROMIUM): | var
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y --no-install-recommends chromium \
		|| (apt-get update && apt-get install -y --no-install-recommends chromium) \
		|| echo "chromium: apt-get install failed; browser tests will skip"; \
	fi
	@if [ -x /usr/bin/chromium ]; then touch $@; else echo "chromium: not installed; browser tests will skip"; fi
