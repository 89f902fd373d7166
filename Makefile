# Lan Tỏa — the two commands a newcomer needs:
#   make run    set up, load the demo district, serve at http://127.0.0.1:$(PORT)
#   make test   set up everything the tests need (venv, Chromium, LibreOffice, PostgreSQL) and run all
SHELL := /bin/bash
# Some machines set PYTHONDONTWRITEBYTECODE: then every one of the suite's two dozen Python
# processes compiled the project and rewrote the test modules again (seconds each).
unexport PYTHONDONTWRITEBYTECODE
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
APT_PACKAGES := chromium fonts-liberation2 libreoffice-writer-nogui python3-uno poppler-utils gettext
# pytest with the options every run shares; the suites differ only in what they collect.
PYTEST := $(VENV)/bin/pytest -p no:cacheprovider
# For a session of its own (the demo, the browser): the defaults without pyproject's --ignore.
OWN_SESSION := -o addopts="-p no:schemathesis --strict-markers -q"
# Spread the unit suite over the machine's cores (2 on CI).
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
# The days that break naive date code: last month is in the previous year; the year's last day;
# 29 February; the district level's last day and the first day without it.
PINNED_DATES := 15/01/2027 31/12/2026 29/02/2028 30/06/2025 01/07/2025
# The tests that read today, as the last unit run on SQLite found them.
DATED_LIST := var/dated-tests.txt

.PHONY: run dev test venv dev-venv messages migrate demo static serve system-deps lint typecheck test-unit \
	test-demo test-e2e test-sqlite test-pg test-dates bench pg-start pg-stop clean \
	job-lint job-types job-unit job-demo job-e2e job-pg-unit job-pg-demo

$(VENV)/.installed: requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-dev.lock
	touch $@

venv: $(VENV)/.installed

dev-venv: $(VENV)/.dev-installed

# The compiled catalogues, rebuilt when a translation changes.
CATALOGUES := locale/vi/LC_MESSAGES/django.mo locale_overrides/django/vi/LC_MESSAGES/django.mo
messages: $(CATALOGUES)

%.mo: %.po
	msgfmt --check-format --check-domain -o $@ $<

# `make run` serves the demo as an office would run Lan Tỏa: production mode (Lan Tỏa's own
# Vietnamese error pages, no debug pages, static files served by the app itself, gunicorn), on
# plain HTTP on this machine. `make dev` serves the same data in debug mode with Django's server.
RUN_SECRET := var/run-secret-key
RUN_ENV = LANTOA_DEBUG=0 SECRET_KEY="$$(cat $(RUN_SECRET))" ALLOWED_HOSTS=127.0.0.1,localhost \
	LANTOA_SSL_REDIRECT=0 LANTOA_SECURE_COOKIES=0 LANTOA_HSTS_SECONDS=0

$(RUN_SECRET):
	@mkdir -p var
	@umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

migrate: venv
	$(PY) manage.py migrate -v0

demo: migrate
	$(PY) manage.py seed_demo

static: venv $(RUN_SECRET)
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput -v0

define banner
	@echo ""
	@echo "Lan Tỏa is at http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	@echo "Demo logins, all with password lantoa-demo:"
	@$(PY) manage.py seed_demo --logins
	@echo ""
endef

serve: $(RUN_SECRET)
	$(banner)
	@set -m; $(RUN_ENV) $(PY) manage.py db_worker --no-reload >var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(RUN_ENV) $(VENV)/bin/gunicorn lantoa.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 \
	    --timeout 120 --access-logfile var/access.log --error-logfile -

run: messages demo static serve

dev: messages demo
	$(banner)
	@set -m; $(PY) manage.py db_worker --no-reload >var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# System packages the suite needs on a brand-new Debian machine (as root): Chromium for the
# browser journeys, LibreOffice + poppler to turn documents into PDF and text (python3-uno lets
# each web process keep one LibreOffice warm), gettext for the catalogue. Only what is missing is
# installed.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" != "0" ]; then echo "run as root, or install:$$missing"; exit 1; fi; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $$missing >/dev/null; }; \
	fi

lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: dev-venv
	$(VENV)/bin/mypy lantoa

# --- The suites, each runnable on its own ------------------------------------------------------

# The unit suite, spread over the cores (on PostgreSQL when DATABASE_URL says so).
test-unit: dev-venv messages
	$(PYTEST) -n $(WORKERS)

# The demo district in a session of its own: it is committed into the test database
# (tests/demo/loaded/conftest.py says why).
test-demo: dev-venv messages
	$(PYTEST) $(OWN_SESSION) tests/demo/loaded

test-e2e: dev-venv messages
	$(PYTEST) $(OWN_SESSION) tests/e2e

test-sqlite: test-unit test-demo

pg-start:
	scripts/pg.sh start

pg-stop:
	scripts/pg.sh stop

# The unit suite and the demo on a throwaway PostgreSQL cluster, removed afterwards.
test-pg: dev-venv messages
	scripts/pg.sh start
	status=0; export DATABASE_URL=$$(scripts/pg.sh url); \
	  $(MAKE) --no-print-directory -j2 -O test-unit test-demo || status=$$?; \
	  scripts/pg.sh destroy; exit $$status

# --- make test: every job below, three at a time, each timed -----------------------------------
#
# Today on SQLite: lint, types, the unit suite (noting which tests read today), the demo, the
# browser journeys. On the first pinned day: the unit suite and the demo on PostgreSQL, the
# journeys. On each other pinned day, on SQLite: the tests that read today, the demo, the journeys.

PG_DAY := $(firstword $(PINNED_DATES))
SQLITE_DAYS := $(subst /,-,$(wordlist 2,$(words $(PINNED_DATES)),$(PINNED_DATES)))
DAY_JOBS := $(foreach day,$(SQLITE_DAYS),job-unit@$(day) job-demo@$(day) job-e2e@$(day))
# In the order they start: the longest first, and job-unit before the jobs that need its list.
JOBS := job-unit job-pg-unit job-types job-lint job-pg-demo job-demo job-e2e \
	job-e2e@$(subst /,-,$(PG_DAY)) $(DAY_JOBS)
# (The jobs made from patterns cannot be .PHONY: make skips pattern rules for phony targets.)
# A job's command, timed: "== job-demo@30-06-2025 passed in 31 s".
timed = began=$$(date +%s); if $(1); then echo "== $@ passed in $$(( $$(date +%s) - began )) s"; \
	else echo "== FAILED: $@ after $$(( $$(date +%s) - began )) s"; exit 1; fi
day = $(subst -,/,$*)
PG_URL = $$(scripts/pg.sh url)

job-lint: ; @$(call timed,$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .)
job-types: ; @$(call timed,$(VENV)/bin/mypy lantoa)
job-unit:
	@mkdir -p var
	@$(call timed,LANTOA_RECORD_DATED=$(DATED_LIST) $(PYTEST) -n $(WORKERS))
job-demo: ; @$(call timed,$(PYTEST) $(OWN_SESSION) tests/demo/loaded)
job-e2e: ; @$(call timed,$(PYTEST) $(OWN_SESSION) tests/e2e)
# The server is started inside the job, not as a prerequisite: make queued a prerequisite's
# dependants behind every other job, and the longest job then started last (12 min, not 9).
job-pg-unit:
	@scripts/pg.sh start
	@$(call timed,DATABASE_URL=$(PG_URL) LANTOA_TEST_TODAY=$(PG_DAY) $(PYTEST) -n $(WORKERS))
job-pg-demo:
	@scripts/pg.sh start
	@$(call timed,DATABASE_URL=$(PG_URL) LANTOA_TEST_TODAY=$(PG_DAY) $(PYTEST) $(OWN_SESSION) tests/demo/loaded)
# On another day only the tests that read today run again (all of them without the list).
job-unit@%: job-unit
	@$(call timed,LANTOA_TEST_TODAY=$(day) LANTOA_ONLY_DATED=$(DATED_LIST) $(PYTEST) -n $(WORKERS))
job-demo@%: ; @$(call timed,LANTOA_TEST_TODAY=$(day) $(PYTEST) $(OWN_SESSION) tests/demo/loaded)
# (The accessibility check reads no date: once, today, is enough.)
job-e2e@%: ; @$(call timed,LANTOA_TEST_TODAY=$(day) $(PYTEST) $(OWN_SESSION) tests/e2e \
	--ignore=tests/e2e/test_accessibility.py)

# The pinned days alone (after a `make test` or `make job-unit`, only the tests that read today).
test-dates: dev-venv messages
	$(MAKE) --no-print-directory -j3 -O $(DAY_JOBS) job-e2e@$(subst /,-,$(PG_DAY))

test: system-deps dev-venv messages
	@started=$$(date +%s); trap 'scripts/pg.sh destroy' EXIT; \
	$(MAKE) --no-print-directory -j3 -O $(JOBS); \
	echo "All checks passed in $$(( $$(date +%s) - started )) s."

bench: dev-venv
	$(PY) bench/import_members.py

clean:
	rm -rf $(VENV) var/static
	scripts/pg.sh destroy
