PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: install run test bench lint browser clean demo-code

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: migrate, load the demo clinic, serve with worker and scheduler (embedded default)
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py demo_load
	@echo "Stride: http://127.0.0.1:8000  (Ctrl-C stops web, worker and scheduler)"
	PATH="$(CURDIR)/$(BIN):$$PATH" DEBUG=1 $(BIN)/honcho start -f Procfile.dev

## the demo clinic admin's current two-factor code
demo-code: install
	@DEBUG=1 $(BIN)/python manage.py demo_code

## Debian's Chromium for the browser tests (Playwright cannot download browsers here)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "WARNING: chromium is missing (sudo apt-get install chromium); browser tests will fail." >&2; fi; }

## make test: the whole suite against PostgreSQL and Redis (see .ci/test-env.sh)
test: install browser
	. .ci/test-env.sh && $(BIN)/ruff check . && \
	  DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null && \
	  $(BIN)/python -m pytest $(PYTEST_ARGS)

## make bench: page timings on the demo clinic (embedded default unless DATABASE_URL is set)
bench: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 $(BIN)/python manage.py demo_load >/dev/null
	DEBUG=1 $(BIN)/python manage.py bench

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var
