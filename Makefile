# forum_app: `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi
# Links in mail point here (never at the Host a request names).
export PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
TRANSLATIONS := forum_app/translations

.PHONY: setup run run-prod test lint audit scan translations extract update-translations \
        compile-translations migrate-check bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json
	if command -v npm >/dev/null; then npm install --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: browser tests will be skipped"; fi

# The scanner page's QR decoder, from npm, served from static/ (never a CDN).
static/vendor/jsQR.js: node_modules/.installed
	if [ -f node_modules/jsqr/dist/jsQR.js ]; then mkdir -p static/vendor && \
	  cp node_modules/jsqr/dist/jsQR.js $@; fi

# The API reference's viewer (/api/v1/docs), from npm, served from static/ (never a CDN).
SWAGGER_UI := static/vendor/swagger-ui/swagger-ui-bundle.js static/vendor/swagger-ui/swagger-ui.css
static/vendor/swagger-ui/%: node_modules/.installed
	if [ -f node_modules/swagger-ui-dist/$* ]; then mkdir -p static/vendor/swagger-ui && \
	  cp node_modules/swagger-ui-dist/$* $@; fi

setup: $(VENV)/.installed node_modules/.installed static/vendor/jsQR.js $(SWAGGER_UI) compile-translations

compile-translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)

extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --project forum_app -o $(TRANSLATIONS)/messages.pot .

# English is the source language: its catalogue repeats each message.
update-translations: extract
	$(BIN)/pybabel update -N --no-wrap -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)
	$(BIN)/python -c "from babel.messages.pofile import read_po, write_po; \
	p='$(TRANSLATIONS)/en/LC_MESSAGES/messages.po'; c=read_po(open(p,'rb')); \
	[setattr(m, 'string', m.id) for m in c if m.id and not all([m.string] if isinstance(m.string, str) else m.string)]; \
	[m.flags.discard('fuzzy') for m in c if m.id]; write_po(open(p,'wb'), c, width=0)"

translations: update-translations compile-translations

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask run --port $(PORT)

# Production serving, behind nginx (README, "At scale"); set SECRET_KEY and PUBLIC_BASE_URL.
# 4 sync workers for 2 cores. benchmarks/worker_sweep.py under a shared machine's load (7-25)
# favoured gthread 2x4, but on a quiet machine (make bench, 2026-12-02, one run each) sync 4
# served more of every round: registration 193/s against 95, redeem 391 against 156, public
# pages 0.61-0.80 x ceiling A against 0.52-0.62. Measure on the machine at hand.
# --preload loads the app once before the fork (wsgi.py: mappers configured, GC frozen).
WEB_WORKERS ?= 4
WEB_THREADS ?= 1
WEB_BIND ?= 127.0.0.1:8000
run-prod: setup
	FORUM_ENV=production $(BIN)/flask db upgrade
	FORUM_ENV=production $(BIN)/gunicorn --preload \
	  --workers $(WEB_WORKERS) --threads $(WEB_THREADS) --bind $(WEB_BIND) wsgi:app

# Two processes: the machines here have two cores.
PYTEST_ARGS ?= -n 2
test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

# ruff, then the stack of DESIGN.md (pyproject.toml: [tool.importlinter]).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/bandit -q -c pyproject.toml -r forum_app

# The security tools (SECURITY.md): bandit over the code, pip-audit over the installed
# dependencies (it asks PyPI's advisory service: it needs the network, and --strict fails when
# a dependency could not be checked), then wapiti against a throwaway instance, anonymous and
# as each demo role (tools/security_scan.py; SCAN_MINUTES, SCAN_ROLES). wapiti pins its own
# Flask, so it lives in .venv-audit, installed from pyproject's dependency group "audit".
AUDIT_VENV := .venv-audit

$(AUDIT_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet --upgrade pip
	$(AUDIT_VENV)/bin/pip install --quiet --group audit
	touch $@

audit: setup $(AUDIT_VENV)/.installed
	$(BIN)/bandit -q -c pyproject.toml -r forum_app
	$(BIN)/pip-audit --local --skip-editable --strict || \
	  { echo "pip-audit could not check every dependency (see SECURITY.md)"; exit 1; }
	$(MAKE) --no-print-directory scan

# The wapiti scan alone (the part of `make audit` that needs no network).
scan: setup $(AUDIT_VENV)/.installed
	$(BIN)/python tools/security_scan.py

migrate-check: $(VENV)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask db check

# The benchmarks of issue 14 (README, "Benchmarks"), under 10 minutes on 2 cores; with
# DATABASE_URL=postgresql+psycopg://... PostgreSQL too (that database is emptied). wrk is
# Debian's package: installed here when missing and run as root (as .ci/run does), else a
# clear refusal. BENCH names steps: make bench BENCH="wrk_rounds large_data_postgresql".
BENCH ?=
bench: setup
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get install -y -qq --no-install-recommends wrk >/dev/null; } || \
	  { echo "make bench needs wrk: apt-get install wrk (Debian)" >&2; exit 1; }
	$(BIN)/python benchmarks/run_all.py $(BENCH)

clean:
	rm -rf $(VENV) $(AUDIT_VENV) node_modules instance/*.sqlite*
