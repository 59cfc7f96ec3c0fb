# Oasis Market. `make run` serves the storefront with demo data; `make test` runs every test.
# Without DATABASE_URL both use the embedded PostgreSQL server in .pgdata/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run serve test setup lint format check-deploy bench stop-db clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@ $(VENV)/.requirements

# Database schema, compiled translations and collected static files.
setup: $(VENV)/.requirements
	$(MANAGE) migrate --noinput
	$(MANAGE) compiletranslations
	$(MANAGE) collectstatic --noinput -v0

# runserver, and beside it the every-minute jobs (unpaid orders expire, live sessions end, the outbox and stale
# photos are swept): `manage.py run_schedule`, or Celery's worker and beat when CELERY_BROKER_URL is set.
# marketplace/serve.py stops them when runserver ends.
run: export DEBUG ?= 1
run: setup
	$(MANAGE) seed_demo
	@echo "Oasis Market: http://127.0.0.1:$(PORT)/   back office: http://127.0.0.1:$(PORT)/admin/"
	exec $(BIN)/python -m marketplace.serve --schedule $(MANAGE) runserver 127.0.0.1:$(PORT)

# The production server: gunicorn (WSGI, one worker per core with four threads each) with DEBUG off, after
# the migrations, the compiled translations and the static files collected for production (hashed, compressed
# names that WhiteNoise serves). SECRET_KEY and ALLOWED_HOSTS must be set; HOST and PORT choose where it listens.
# With CELERY_BROKER_URL set, the Celery worker (the outbox's emails) and beat (the every-minute jobs) run beside
# it; marketplace/serve.py stops all of them together.
HOST ?= 127.0.0.1
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
serve: export DEBUG = 0
serve: $(VENV)/.requirements
	$(MANAGE) migrate --noinput
	$(MANAGE) compiletranslations
	$(MANAGE) collectstatic --noinput -v0
	@echo "Oasis Market (production settings): http://$(HOST):$(PORT)/"
	exec $(BIN)/python -m marketplace.serve $(BIN)/gunicorn marketplace.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
	  --worker-class gthread --threads 4 --access-logfile - --graceful-timeout 10

# Tests run with the development settings; tests/marketplace/test_settings.py checks production's. What they need
# from the system (chromium, fonts, gettext, Redis, npm and axe-core) is installed first when missing:
# scripts/test-prerequisites.
test: export DEBUG ?= 1
test: $(VENV)/.requirements-dev
	scripts/test-prerequisites
	$(MANAGE) compiletranslations
	$(BIN)/pytest

# ruff; the import contracts of pyproject.toml (lint-imports); mypy on the services and selectors. mypy loads the
# settings, which need no database for it: the URL below is never connected to.
lint: $(VENV)/.requirements-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 DATABASE_URL=postgres://lint@127.0.0.1:5432/lint $(BIN)/mypy

format: $(VENV)/.requirements-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# `manage.py check --deploy` under production settings (DEBUG off, real-looking secrets).
check-deploy: $(VENV)/.requirements
	DEBUG=0 SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  PAYMENT_WEBHOOK_SECRET="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
	  ALLOWED_HOSTS=oasis.example $(MANAGE) check --deploy --fail-level WARNING

# Load the site with wrk on a 100,000-product catalog; figures as ratios to ceilings measured in the same run
# (pgbench for checkout), a JSON file and a chart (matplotlib, a dev requirement) in test-artifacts/bench/.
bench: $(VENV)/.requirements-dev
	$(BIN)/python tests/bench/run_bench.py

stop-db:
	$(BIN)/python -m marketplace.embedded_db stop

clean: stop-db
	rm -rf $(VENV) .pgdata staticfiles media .pytest_cache .ruff_cache node_modules
