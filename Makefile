# Jingmin: `make demo` sets up and serves the demo; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/jingmin
# The demo runs with development settings; production reads its own environment (docs/operations.md).
# Links sent by SMS (var/sms/) point at the address the demo serves.
DEMO_ENV := JINGMIN_DEBUG=1 JINGMIN_HTTPS=0 JINGMIN_PUBLIC_URL=http://127.0.0.1:8000
TEST_ENV := JINGMIN_HTTPS=0

# Test processes per database run; `auto` is one per core.
TEST_WORKERS ?= auto

.PHONY: demo test setup lint typecheck catalog audit-deps test-sqlite test-postgres test-browser serve screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/zh_Hans/LC_MESSAGES/django.mo: locale/zh_Hans/LC_MESSAGES/django.po $(VENV)/.installed
	JINGMIN_DEBUG=1 $(PY) manage.py compile_catalogs

setup: $(VENV)/.installed node_modules/.installed locale/zh_Hans/LC_MESSAGES/django.mo

demo: setup
	$(DEMO_ENV) $(PY) manage.py migrate --no-input -v 0
	$(DEMO_ENV) $(PY) manage.py seed_demo --if-empty
	$(DEMO_ENV) $(PY) manage.py demo_banner --url http://127.0.0.1:8000/
	@# The tasks worker (e-mail, SMS, imports) and the minutely work of jingmin-minutely.timer in
	@# production (the clock sweep's reminders and escalations, the heartbeat, the sealing of audit
	@# rows) run beside the web server and stop with it.
	$(DEMO_ENV) $(PY) manage.py db_worker --queue-name '*' --no-reload --verbosity 0 & worker=$$!; \
	while :; do $(DEMO_ENV) $(PY) manage.py appeals_clock_sweep >/dev/null; \
	  $(DEMO_ENV) $(PY) manage.py tasks_heartbeat >/dev/null; \
	  $(DEMO_ENV) $(PY) manage.py audit_seal >/dev/null; sleep 60; done & clock=$$!; \
	trap 'kill $$worker $$clock 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000 --noreload

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	JINGMIN_DEBUG=1 $(VENV)/bin/mypy .

catalog: setup
	JINGMIN_DEBUG=1 $(PY) manage.py check_catalog
	JINGMIN_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# Known vulnerabilities in the pinned dependencies (pip-audit). It needs the advisory data from the
# network: without it the step prints "SKIPPED: no network" and passes; it never claims a pass for
# what it could not check (docs/reliability.md).
audit-deps: setup
	$(PY) scripts/audit_deps.py

# The suite runs in parallel (pytest-xdist, one test database per process) on each database; the
# browser tests drive Chromium against a live server and run in a step of their own, on both.
test-sqlite: setup
	$(TEST_ENV) $(VENV)/bin/pytest -n $(TEST_WORKERS) -m "not browser"

test-postgres: setup
	$(TEST_ENV) DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -n $(TEST_WORKERS) -m "not browser"

test-browser: setup
	$(TEST_ENV) $(VENV)/bin/pytest -m browser
	$(TEST_ENV) DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -m browser

test: lint typecheck catalog audit-deps test-sqlite test-postgres test-browser

screenshots: setup
	$(DEMO_ENV) $(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) node_modules var
