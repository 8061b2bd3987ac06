# The two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
STAMP := $(VENV)/.installed
# Debian packages the app and its tests need: WeasyPrint's Pango, HarfBuzz subsetting
# (without it CJK PDFs take 17 times longer), CJK fonts, gettext, ICU for the stroke
# collation, poppler for PDF checks, Chromium for the browser tests.
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-lxgw-wenkai \
	gettext libicu-dev pkg-config poppler-utils chromium
APT_STAMP := var/.apt-installed

.PHONY: run test install system-packages fonts migrate messages lint bench clean

system-packages: $(APT_STAMP)
$(APT_STAMP):
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done; \
	  command -v npm >/dev/null || echo npm); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages: $$missing"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Missing system packages. Run:"; echo "  sudo apt-get install -y $$missing"; echo "then run make again."; exit 1; \
	  fi; \
	fi
	@$(MAKE) --no-print-directory fonts
	@mkdir -p var && touch $@

# 仿宋 for the monthly report's body (GB/T 9704): FandolFang, taken from Debian's
# texlive-lang-chinese without installing it (its full install pulls ~100 TeX packages).
# Root installs it for everyone (/usr/local/share/fonts), others for themselves.
FONT_DIR := $(if $(filter 0,$(shell id -u)),/usr/local/share/fonts/fandol,$(HOME)/.local/share/fonts/fandol)
fonts:
	@fc-list | grep -q FandolFang || { \
	  tmp=$$(mktemp -d) && (cd $$tmp && apt-get download texlive-lang-chinese >/dev/null 2>&1) && \
	  dpkg-deb -x $$tmp/texlive-lang-chinese_*.deb $$tmp/x && mkdir -p $(FONT_DIR) && \
	  cp $$tmp/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf $(FONT_DIR)/ && \
	  rm -rf $$tmp && fc-cache -f $(FONT_DIR) && echo "Installed FandolFang in $(FONT_DIR)"; }

$(STAMP): requirements.txt requirements-dev.txt package.json package-lock.json | $(APT_STAMP)
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP)
	$(PYTHON) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules

migrate: install
	$(PYTHON) manage.py migrate --noinput -v0

# Web server, Celery worker and beat together; one Ctrl-C stops all three.
run: migrate
	@test -f var/.demo-seeded || ($(PYTHON) manage.py seed_demo && touch var/.demo-seeded)
	@echo "Starting on http://127.0.0.1:8000/  (log in as office / $${DEMO_PASSWORD:-demo2026}; Ctrl-C stops everything)"
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(BIN)/celery -A config worker -l info --concurrency 2 --without-mingle --without-gossip & \
	$(BIN)/celery -A config beat -l info --schedule var/celerybeat-schedule & \
	$(PYTHON) manage.py runserver 127.0.0.1:8000 --noreload & \
	wait

test: install
	$(PYTHON) -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Regenerate the zh_Hans catalogue after changing user-facing strings; translations
# come from locale/zh_Hans/<area>.json, and the tests fail on any msgid left empty.
messages: install
	$(PYTHON) manage.py sync_translations

# One benchmark script per topic (bench/README.md): make bench BENCH=ledger
bench: install
	@test -n "$(BENCH)" || { echo "Usage: make bench BENCH=<ledger|dashboard|reminders|report|import_feedback>"; exit 2; }
	$(PYTHON) bench/$(BENCH).py

clean:
	rm -rf $(VENV) node_modules var
