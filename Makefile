# The project's verbs. `make run` and `make test` work on a fresh machine that has
# only python3 and make: each creates .venv and installs what it needs.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

# The address every absolute URL is built on (links, feeds, sitemap, API, emails).
# `make run` and `make serve` answer at their own; behind a proxy, pass the public
# one: make serve SITE_URL=https://news.example.org
run serve: export SITE_URL ?= http://$(HOST):$(PORT)

# Local trials of the production shape: a per-checkout secret, plain HTTP on loopback,
# media from local disk served by the site itself (cms/media_files.py). The allowed
# host is SITE_URL's unless ALLOWED_HOSTS says otherwise.
SERVE_ENV = DJANGO_SETTINGS_MODULE=cms.settings.production \
	SECRET_KEY="$$(cat $(VENV)/secret-key)" \
	SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false

.PHONY: run serve serve-edge test lint format bench bench-scale loadtest clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Stamp files: reinstall only when a requirements file changes.
$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

$(VENV)/secret-key: | $(VENV)/bin/python
	$(PY) -c "import secrets; print(secrets.token_urlsafe(64))" > $@

run: $(VENV)/.runtime-installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo_content
	$(PY) manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# gunicorn, the scheduler that publishes scheduled pages and the task worker that
# carries out purges and index updates (TASK_QUEUE=database); stopping make stops all.
# The worker looks for new tasks every 0.1 s: a publish reaches readers that soon.
WORKER_OPTIONS = --interval 0.1 --no-startup-delay
# deploy/gunicorn.conf.py holds gunicorn's settings: threaded workers, one process
# without REDIS_URL (the caches live in process memory, so one process keeps purges
# consistent), three with Redis sharing the cache; no access log (cms.requests is
# the one request log).

serve: $(VENV)/.runtime-installed $(VENV)/secret-key
	$(SERVE_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(SERVE_ENV) $(PY) manage.py migrate --no-input
	@# With object storage: the bucket and its policy (public images only); idempotent.
	@if [ "$$MEDIA_STORAGE" = s3 ] || [ -n "$$AWS_STORAGE_BUCKET_NAME" ]; then \
		$(SERVE_ENV) $(PY) manage.py configure_media_bucket; fi
	$(SERVE_ENV) $(PY) manage.py run_scheduler & scheduler=$$!; \
	$(SERVE_ENV) $(PY) manage.py db_worker $(WORKER_OPTIONS) & worker=$$!; \
	trap 'kill $$scheduler $$worker 2>/dev/null' EXIT INT TERM; \
	$(SERVE_ENV) $(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py \
		--bind $(HOST):$(PORT)

# Varnish (deploy/varnish/presswagon.vcl) on 127.0.0.1:$(EDGE_PORT) in front of the
# app nodes in APP_NODES ("10.0.0.7:8000 10.0.0.8:8000"; by default `make serve`'s
# own address), then `make serve`, told to purge that Varnish and to build its URLs
# on the edge's address; stopping make stops both. write_backends.py turns
# APP_NODES into backends.vcl in a temporary work directory (also varnishd's:
# `varnishlog -n <it>`). -j none: no jail, so it runs as whoever starts it.
EDGE_PORT ?= 6081
APP_NODES ?= $(HOST):$(PORT)
VARNISHD ?= $(or $(shell command -v varnishd),/usr/sbin/varnishd)
serve-edge: export SITE_URL ?= http://127.0.0.1:$(EDGE_PORT)
serve-edge: export VARNISH_URLS ?= http://127.0.0.1:$(EDGE_PORT)
# Varnish is the app's reverse proxy: readers' addresses come from X-Forwarded-For.
serve-edge: export TRUSTED_PROXIES ?= 127.0.0.1

serve-edge: $(VENV)/.runtime-installed
	@[ -x "$(VARNISHD)" ] || { \
		echo "no varnishd: apt-get install varnish varnish-modules"; exit 1; }
	workdir=$$(mktemp -d -t presswagon-edge-XXXXXX); \
	trap 'kill $$(cat $$workdir/varnishd.pid 2>/dev/null) 2>/dev/null; \
		rm -rf $$workdir' EXIT INT TERM; \
	$(PY) deploy/varnish/write_backends.py --output $$workdir/backends.vcl \
		$(APP_NODES) && \
	$(VARNISHD) -j none -n $$workdir -P $$workdir/varnishd.pid \
		-a 127.0.0.1:$(EDGE_PORT) -f $(CURDIR)/deploy/varnish/presswagon.vcl \
		-p vcl_path=$$workdir:$(CURDIR)/deploy/varnish -s malloc,256m && \
	echo "Varnish on http://127.0.0.1:$(EDGE_PORT) ($$workdir) -> $(APP_NODES)" && \
	$(MAKE) --no-print-directory serve

# The whole suite; browser tests run when Chromium is installed, in a pytest process
# of their own: after other database tests in the same process, Playwright's event
# loop left their serialized-rollback restore with an empty database.
# The validator tests (e2e/test_validators.py) also need Java and npm's packages:
# without them they are skipped with the reason (and fail under CI=true).
test: $(VENV)/.dev-installed
	@if command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory e2e/node_modules/.package-lock.json; \
	fi
	@if [ -x "$(CHROMIUM)" ]; then \
		if ! command -v java >/dev/null || [ ! -d e2e/node_modules/vnu-jar ]; then \
			echo "NOTE: java or e2e/node_modules missing - the validator tests (vnu, axe) are NOT run."; \
			echo "      Install them with: apt-get install default-jre-headless npm; cd e2e && npm ci --ignore-scripts"; \
			echo "      (bash .ci/run does this)"; \
		fi; \
		$(VENV)/bin/pytest --ignore-glob='e2e/*' && $(VENV)/bin/pytest e2e; \
	else \
		echo "NOTE: $(CHROMIUM) not found - the browser (e2e) tests are NOT run."; \
		echo "      Install it with: apt-get install chromium   (bash .ci/run does this)"; \
		$(VENV)/bin/pytest --ignore-glob='e2e/*'; \
	fi

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# npm packages the browser tests and the benchmarks run (e2e/package.json: axe-core
# and vnu; bench/package.json: lighthouse), installed from their lock files into
# the folder beside them. --ignore-scripts: vnu-jar's install script would download
# a Java runtime; Debian's default-jre-headless is the one used.
%/node_modules/.package-lock.json: %/package.json %/package-lock.json
	cd $* && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

bench: $(VENV)/.dev-installed
	@if command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory bench/node_modules/.package-lock.json; \
	fi
	$(PY) bench/run.py

# Large archives (bench/scale.py): 1,000 and 100,000 articles on DATABASE_URL
# (PostgreSQL; REDIS_URL for the page cache), each page's median time at both
# sizes and the ratio, then pages purged per single-article edit with 10,000 pages
# cached. Fails when a ratio passes 1.5x or an edit purges 20 pages or more.
# About 20 minutes: 8 building and indexing 100,000 articles, 12 measuring
# (SCALE_KEEPDB=1 keeps the databases, and the next run only measures).
SCALE_SIZES ?= 1000,100000
bench-scale: $(VENV)/.dev-installed
	$(PY) bench/scale.py --sizes $(SCALE_SIZES) $(if $(SCALE_KEEPDB),--keepdb)

# Load and fault test on a private PostgreSQL + Redis it starts (ports 5441, 6391).
loadtest: $(VENV)/.dev-installed
	$(PY) bench/loadtest.py

clean:
	rm -rf $(VENV) db.sqlite3 media static_collected .pytest_cache .ruff_cache
