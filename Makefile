# Quick start: `make run` serves the portal with demo data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export DEBUG ?= 1

.PHONY: install system-deps messages run web worker beat seed test lint format migrations-check clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

# Debian packages the tools need, installed only when missing: gettext compiles the translations;
# chromium and a CJK font run the browser journeys (Playwright drives Debian's chromium).
SYSTEM_PACKAGES := gettext chromium fonts-wqy-microhei
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

messages: install system-deps
	@$(PY) manage.py compilemessages --ignore=$(VENV) -v0

run: messages
	@$(PY) manage.py check_services
	@$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo
	@echo "Demo accounts (password demo-pass-2026): union_staff union_staff2 employer_admin centre_admin parent parent2 reviewer"
	@echo "Portal: http://127.0.0.1:8000   admin: http://127.0.0.1:8000/admin/"
	$(VENV)/bin/honcho start -f Procfile

web: install
	$(VENV)/bin/gunicorn qianan_tuoyu.wsgi --config qianan_tuoyu/gunicorn.conf.py

worker: install
	$(VENV)/bin/celery -A qianan_tuoyu worker --loglevel INFO

beat: install
	@mkdir -p var
	$(VENV)/bin/celery -A qianan_tuoyu beat --loglevel INFO --schedule var/celerybeat-schedule

seed: install
	$(PY) manage.py seed_demo

# Tests use their own Redis database so a running `make run` is never disturbed.
test: export REDIS_URL ?= redis://127.0.0.1:6379/15
test: messages
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var
