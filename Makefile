# Two commands for a newcomer: `make run` and `make test`. Everything they
# need is installed from this project's own files into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEPS := $(VENV)/.deps-runtime
DEV_DEPS := $(VENV)/.deps-dev

.DEFAULT_GOAL := help
.PHONY: help run test lint format migrate demo bench bench-smoke load clean

help:
	@echo "make run    set up and start web, Celery worker and beat (SQLite, no broker server)"
	@echo "make test   set up and run lint, migration check and the whole test suite"
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

var:
	@mkdir -p var/broker/queue var/broker/control var/broker/processed

migrate: $(DEPS) | var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo_data

run: migrate | var
	$(PY) manage.py setup_local --load-demo
	$(BIN)/honcho -f Procfile.dev start

test: $(DEV_DEPS) | var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(DEV_DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_DEPS)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
