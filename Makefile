# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The address as a browser writes it (an IPv6 host in brackets).
URL_HOST = $(if $(findstring :,$(HOST)),[$(HOST)],$(HOST))
# Two workers (pytest-xdist): the suite, browser tests included, in about five minutes on two cores.
PYTEST_ARGS ?= -n 2

.PHONY: help install run demo serve test lint format check-deploy audit bench bench-scale bench-cache bench-verteiler clean browser-deps screenshots vendor-kern constraints

help:
	@echo "make run    - set up everything, load the demo content, serve on http://$(URL_HOST):$(PORT)"
	@echo "make test   - run the whole test suite"
	@echo "make lint   - ruff check and format check"
	@echo "make screenshots - refresh docs/screenshots/ from a real browser (chromium)"

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_content demo/content.json
	$(PY) manage.py import_content demo/partnerships.json
	$(PY) manage.py load_site_pages demo/site_pages.json
	$(PY) manage.py ensure_admin --url "http://$(URL_HOST):$(PORT)/"

# The server and, beside it, the worker that sends mails (django-tasks); Ctrl+C stops both. Without
# EMAIL_URL or EMAIL_HOST, mails are written as files to tmp/mail/ (EMAIL_FILE_PATH).
serve: install
	@echo "Serving http://$(URL_HOST):$(PORT)/ (admin: http://$(URL_HOST):$(PORT)/admin/); stop with Ctrl+C"
	@if [ -z "$$EMAIL_URL$$EMAIL_HOST" ]; then echo "Mails land as files in $${EMAIL_FILE_PATH:-tmp/mail}/ (set EMAIL_URL to send them)"; fi
	@$(PY) manage.py schedule_digests --verbosity 0 >/dev/null
	@export SITE_URL="$${SITE_URL:-http://$(URL_HOST):$(PORT)}"; \
	  $(PY) manage.py db_worker --verbosity 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(URL_HOST):$(PORT)

run: demo serve

test: install
	-@$(MAKE) --no-print-directory browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# axe-core and the Nu Html Checker for the browser tests (package.json, exact versions, no lock file).
# Soft: without npm the browser checks are skipped with the reason, the rest of the suite still runs.
NODE_STAMP := node_modules/.installed
browser-deps:
	@if [ -f $(NODE_STAMP) ] && [ $(NODE_STAMP) -nt package.json ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  npm install --no-package-lock --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP) \
	  || echo "npm install failed: the axe-core and Nu Html Checker tests will be skipped"; \
	else echo "npm not found: the axe-core and Nu Html Checker tests will be skipped"; fi

screenshots: install browser-deps
	SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest -q -p no:cacheprovider tests/browser/screenshots.py

# Copies the design system from node_modules into static/vendor/kern (see static/vendor/kern/README.md).
vendor-kern: browser-deps
	cp node_modules/@kern-ux/native/dist/kern.min.css static/vendor/kern/kern.min.css
	cp node_modules/@kern-ux/native/LICENSE.md static/vendor/kern/LICENSE.md
	for face in Regular Italic Medium SemiBold Bold; do \
	  cp node_modules/@kern-ux/native/dist/fonts/fira-sans/FiraSans-$$face.woff2 static/vendor/kern/fonts/fira-sans/; done

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: install
	DJANGO_SETTINGS_MODULE=cityhall.settings.prod SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=presse.example.org $(PY) manage.py check --deploy --fail-level WARNING

# Known vulnerabilities in constraints.txt (pip-audit, in a venv of its own so that its dependencies stay out
# of the project's pins). Fails on a vulnerability; warns, and passes, when the service cannot be reached.
AUDIT_VENV ?= .venv-audit
PIP_AUDIT_VERSION ?= 2.10.1
$(AUDIT_VENV)/.installed:
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet "pip-audit==$(PIP_AUDIT_VERSION)"
	@touch $@

audit: $(AUDIT_VENV)/.installed
	$(AUDIT_VENV)/bin/python .ci/audit.py

bench: install
	$(PY) bench/run.py
	$(PY) bench/partnerships.py
	$(PY) bench/search.py
	$(PY) bench/renditions.py

# The figures of "Fast at a city's scale" and the Presseverteiler; they need PostgreSQL (and Redis, wrk).
bench-scale: install
	$(PY) bench/scale.py
bench-cache: install
	$(PY) bench/cache.py
bench-verteiler: install
	$(PY) bench/verteiler.py

clean:
	rm -rf $(VENV) $(AUDIT_VENV) staticfiles .pytest_cache .ruff_cache

# Pins the versions of the current venv (no index or download addresses) for the next install.
constraints: install
	{ echo "# Versions the suite was last run with (make installs with -c constraints.txt). Refresh: make constraints"; \
	  $(PIP) freeze --exclude-editable | grep -v '^cityhall-press'; } > constraints.txt
