PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The uv that `make install` bootstraps; the same version is pinned in the dev group.
UV_VERSION := 0.13.9
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2
# Each xdist worker gets its own test database (test_stride_gw0, ...); tests that
# share something outside it carry an xdist_group mark and stay on one worker.
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadgroup
# CI starts from a fresh test database; elsewhere the test databases are kept between runs.
ifneq ($(CI),true)
PYTEST_PARALLEL += --reuse-db
endif

# uv uses the venv's Python and never downloads one.
export UV_PYTHON_DOWNLOADS := never

.PHONY: install run test drills bench lint browser axe pdf-deps clean demo-code fhir-export messages

# Exactly the versions in uv.lock (runtime and dev group); --locked also fails
# when uv.lock no longer matches pyproject.toml.
$(STAMP): pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv sync --locked
	touch $(STAMP)

install: $(STAMP)

## make run: install, prepare the database, load the demo clinic, serve with worker and scheduler
## (embedded default: the SQLite database starts from the migrations' snapshot, see embedded_db)
# Each step prints the seconds since `make run` started.
RUN_T0 := $(shell date +%s.%N)
elapsed = $$(awk "BEGIN { printf \"%.1f\", $$(date +%s.%N) - $(RUN_T0) }")
# Bytecode is cached for the run's processes (web, its reloader, worker, beat, the
# commands): with PYTHONDONTWRITEBYTECODE each of them compiles every module again.
run: export PYTHONDONTWRITEBYTECODE :=
run:
	@echo "[$(elapsed) s] install: the locked packages and PDF libraries"
	@$(MAKE) --no-print-directory install pdf-deps
	@echo "[$(elapsed) s] database: prepare (migrations newer than the snapshot, if any)"
	@DEBUG=1 $(BIN)/python manage.py embedded_db prepare
	@echo "[$(elapsed) s] demo: load the demo clinic"
	@t=$$(date +%s.%N); DEBUG=1 $(BIN)/python manage.py demo_load && \
	  awk "BEGIN { printf \"demo loaded in %.1f s\\n\", $$(date +%s.%N) - $$t }"
	@echo "[$(elapsed) s] serve: web, worker and scheduler"
	@echo "Stride: http://127.0.0.1:8000  (Ctrl-C stops web, worker and scheduler)"
	PATH="$(CURDIR)/$(BIN):$$PATH" DEBUG=1 $(BIN)/honcho start -f Procfile.dev

## the demo clinic admin's current two-factor code
demo-code: install
	@DEBUG=1 $(BIN)/python manage.py demo_code

## The patient side's Spanish catalogue: collect the marked strings (keeping the translations
## already made), then compile locale/es/LC_MESSAGES/django.mo; commit both files
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l es --ignore=.venv --ignore=tests --ignore=var --ignore=node_modules --no-location
	DEBUG=1 $(BIN)/python manage.py compilemessages -l es --ignore=.venv

## The local clinic (e.g. the demo of `make run`) as FHIR R4 Bulk Data NDJSON in var/fhir/
fhir-export: install
	DEBUG=1 $(BIN)/python manage.py fhir_export --all --out $${STRIDE_VAR_DIR:-var}/fhir

## Debian's Chromium for the browser tests (Playwright cannot download browsers here)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "WARNING: chromium is missing (sudo apt-get install chromium); browser tests will fail." >&2; fi; }

## axe-core for the browser tests' accessibility gate, from the npm registry at its locked version
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/axe/package.json tests/browser/axe/package-lock.json
	npm ci --prefix tests/browser/axe --no-audit --no-fund --silent
	touch $(AXE)

axe: $(AXE)

## Pango for WeasyPrint's PDF letters (the Python package is in uv.lock; these are its system libraries)
pdf-deps:
	@/sbin/ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; \
	  else echo "WARNING: Pango is missing (sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0); PDF letters will fail." >&2; fi; }

## make lint: the static checks (no database needed)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	DEBUG=1 $(BIN)/mypy
	$(BIN)/bandit -ll -q -r clinic patients assessments -c pyproject.toml

## make test: the static checks, then missing migrations, then the suite against PostgreSQL and Redis
test: install browser axe pdf-deps lint
	. .ci/test-env.sh && \
	  $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null && \
	  $(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

## make drills: the outbox drills at scale (real workers, beats, broker, SMTP; faults injected), one line of figures each
drills: install
	. .ci/test-env.sh && DRILL_MESSAGES=$${DRILL_MESSAGES:-10000} \
	  $(BIN)/python -m pytest -s -m drill $(if $(filter true,$(CI)),,--reuse-db) $(PYTEST_ARGS) tests/clinic/messaging/test_drills.py

## make bench: seed a clinic group (BENCH_PATIENTS, default 100000) into DATABASE_URL (default
## stride_bench), serve it with gunicorn as in production, time every page (bench/README.md).
## BENCH_QUICK=1: 200 patients, 1 s per cell, end to end.
bench: install
	$(BIN)/python -m bench

## make dast: sqlmap and wapiti against the app with DEBUG=0 on loopback (not part of make test)
dast: install
	scripts/dast.sh

clean:
	rm -rf $(VENV) var
