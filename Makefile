# Cleanit — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MONGO_CHECK_URL := mongodb://127.0.0.1:27017/cleanit

.PHONY: run test install install-dev system-deps check-mongo mongo-migrations bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, migrate, load demo data, start web + Celery worker + beat (Ctrl-C stops all).
run: install
	@PORT=$(PORT) exec scripts/run.sh

## make test: system packages (Chromium, Redis), test dependencies, the whole suite, MongoDB checks.
test: install-dev system-deps
	DJANGO_SETTINGS_MODULE=cleanit.settings_test $(PY) -m pytest -n auto --dist loadfile
	$(MAKE) --no-print-directory check-mongo

system-deps:
	@scripts/system-deps.sh

## MongoDB compatibility without a server: system checks and an up-to-date migration tree.
check-mongo: install
	DATABASE_URL=$(MONGO_CHECK_URL) DEBUG=true SECRET_KEY=mongo-check-only-not-a-secret $(PY) manage.py check
	DATABASE_URL=$(MONGO_CHECK_URL) DEBUG=true SECRET_KEY=mongo-check-only-not-a-secret $(PY) manage.py mongo_makemigrations --check --dry-run

## After a model change: regenerate the MongoDB migration tree (the SQLite one is `manage.py makemigrations`).
mongo-migrations: install
	DATABASE_URL=$(MONGO_CHECK_URL) DEBUG=true SECRET_KEY=mongo-check-only-not-a-secret $(PY) manage.py mongo_makemigrations

## make bench: load test with gunicorn + locust, results in docs/benchmarks.md (not part of make test).
bench: install-dev
	$(PY) benchmarks/run.py

clean:
	rm -rf var/broker var/staticfiles var/test-media
