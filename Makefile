# The two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
STAMP := $(VENV)/.installed
# Debian packages the app and its tests need: WeasyPrint's Pango, HarfBuzz subsetting
# (without it CJK PDFs take 17 times longer), CJK fonts, gettext, ICU for the stroke
# collation, poppler for PDF checks, Chromium for the browser tests, LibreOffice Writer (no
# GUI) for the check that the report's .docx opens in an office suite.
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-lxgw-wenkai \
	gettext libicu-dev pkg-config poppler-utils chromium postgresql-client libreoffice-writer-nogui
APT_STAMP := var/.apt-installed

PORT ?= 8000
HOST ?= 127.0.0.1
# apt waits this long for another install to release its lock instead of failing at once.
APT_LOCK_WAIT := 900

.PHONY: run dev test install system-packages migrate messages fonts lint bench clean

system-packages: $(APT_STAMP)
# Checked again when this Makefile changes (a package added to the list).
$(APT_STAMP): Makefile
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done; \
	  command -v npm >/dev/null || echo npm); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages: $$missing"; \
	    (apt-get -o DPkg::Lock::Timeout=$(APT_LOCK_WAIT) update -qq || true) && \
	    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=$(APT_LOCK_WAIT) install -y -qq --no-install-recommends $$missing; \
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

# Only the front-end files the pages load, into build/static/vendor/ (config/settings.py
# STATICFILES_DIRS): Bootstrap's CSS built from its Sass sources with only the components
# the pages use (assets/scss/bootstrap.scss) and ECharts with only the dashboard's charts
# (assets/js/echarts.js), both by `npm run build`; Bootstrap's script and htmx copied as
# shipped. The icons are an SVG sprite in static/icons/ (manage.py convert_icons), not the font.
VENDOR := build/static/vendor
VENDOR_STAMP := build/.vendor-installed
$(VENDOR_STAMP): package-lock.json $(wildcard assets/scss/*.scss assets/js/*.js) | $(STAMP)
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/bootstrap/css $(VENDOR)/bootstrap/js $(VENDOR)/echarts $(VENDOR)/htmx
	npm run --silent build
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/js/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	touch $@

install: $(STAMP) $(VENDOR_STAMP)
	$(PYTHON) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules

migrate: install
	$(PYTHON) manage.py migrate --noinput -v0

# A secret key made once for this checkout, kept out of git (var/ is ignored).
var/secret_key:
	@mkdir -p var && umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(64))" > $@

# What `make run` sets unless the environment already does: production settings, served on
# plain HTTP at $(HOST):$(PORT) (no TLS here, so no HTTPS redirect and no Secure-only cookies;
# behind the bureau's TLS gateway leave both at their production defaults).
RUN_ENV = DEBUG=false SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}" SECURE_COOKIES="$${SECURE_COOKIES:-false}" \
	SECURE_HSTS_SECONDS="$${SECURE_HSTS_SECONDS:-0}"

# The product as a bureau runs it: DEBUG off, gunicorn, WhiteNoise serving the collected static
# files, the Celery worker and beat; one Ctrl-C stops all three. PORT=8100 make run for another port.
run: install var/secret_key
	@export $(RUN_ENV); \
	$(PYTHON) manage.py migrate --noinput -v0 && \
	$(PYTHON) manage.py collectstatic --noinput -v0 && \
	{ test -f var/.demo-seeded || { $(PYTHON) manage.py seed_demo --force && touch var/.demo-seeded; }; } && \
	echo "Serving on http://$(HOST):$(PORT)/  (log in as office / $${DEMO_PASSWORD:-demo2026}; Ctrl-C stops everything)" && \
	trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(BIN)/celery -A config worker -l info --concurrency 2 --without-mingle --without-gossip & \
	$(BIN)/celery -A config beat -l info --schedule var/celerybeat-schedule & \
	GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c config/gunicorn.conf.py config.wsgi & \
	wait

# The developer's server: runserver with DEBUG and autoreload, plus the worker and beat.
dev: migrate
	@test -f var/.demo-seeded || ($(PYTHON) manage.py seed_demo && touch var/.demo-seeded)
	@echo "Development server on http://$(HOST):$(PORT)/  (DEBUG on; Ctrl-C stops everything)"
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(BIN)/celery -A config worker -l info --concurrency 2 --without-mingle --without-gossip & \
	$(BIN)/celery -A config beat -l info --schedule var/celerybeat-schedule & \
	$(PYTHON) manage.py runserver $(HOST):$(PORT) & \
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
# The dashboard bench drives the server with wrk (Debian package), installed here when root.
bench: install
	@test -n "$(BENCH)" || { echo "Usage: make bench BENCH=<$$(cd bench && ls *.py | grep -vE '^(common|data|locustfile|measure_page)\.py$$' | sed 's/\.py$$//' | paste -sd'|')>"; exit 2; }
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=$(APT_LOCK_WAIT) install -y -qq --no-install-recommends wrk; } || { echo "Install wrk: sudo apt-get install -y wrk"; exit 1; }
	$(PYTHON) bench/$(BENCH).py

clean:
	rm -rf $(VENV) node_modules build var
