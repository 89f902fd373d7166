# Lan Tỏa — the two commands a newcomer needs:
#   make run    set up, load the demo district, serve at http://127.0.0.1:$(PORT)
#   make test   set up everything the tests need (venv, Chromium, LibreOffice, PostgreSQL) and run all
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
APT_PACKAGES := chromium fonts-liberation2 libreoffice-writer-nogui poppler-utils gettext

.PHONY: run test venv messages migrate demo serve system-deps lint typecheck test-sqlite test-pg test-e2e bench pg-start pg-stop clean

$(VENV)/.installed: requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	touch $@

venv: $(VENV)/.installed

messages: venv
	$(PY) manage.py compilemessages --ignore=.venv -v0

migrate: venv
	$(PY) manage.py migrate -v0

demo: migrate
	$(PY) manage.py seed_demo

serve:
	@echo ""
	@echo "Lan Tỏa is at http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	@echo "Demo logins, all with password lantoa-demo:"
	@$(PY) manage.py seed_demo --logins
	@echo ""
	@set -m; $(PY) manage.py db_worker --no-reload >var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

run: messages demo serve

# System packages the suite needs on a brand-new Debian machine (as root): Chromium for the
# browser journeys, LibreOffice + poppler to turn documents into PDF and text, gettext for the
# catalogue. Only what is missing is installed.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" != "0" ]; then echo "run as root, or install:$$missing"; exit 1; fi; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $$missing >/dev/null; }; \
	fi

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy lantoa

test-sqlite: venv messages
	$(VENV)/bin/pytest -p no:cacheprovider

pg-start:
	scripts/pg.sh start

pg-stop:
	scripts/pg.sh stop

test-pg: venv messages
	scripts/pg.sh start
	status=0; DATABASE_URL=$$(scripts/pg.sh url) $(VENV)/bin/pytest -p no:cacheprovider || status=$$?; scripts/pg.sh stop; exit $$status

test-e2e: venv messages
	$(VENV)/bin/pytest -p no:cacheprovider -o addopts="-p no:schemathesis -q" tests/e2e

test: system-deps venv messages lint typecheck test-sqlite test-pg test-e2e
	@echo "All checks passed."

bench: venv
	$(PY) bench/import_members.py

clean:
	rm -rf $(VENV) var/static var/pg-test
