# Two commands for a newcomer: `make run` (the app with demo data) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded quick-start: SQLite, Celery eager, development mode.
RUN_ENV := DEBUG=1 TWO_FACTOR_ENFORCED=0 EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend

# The development and test set, pinned with hashes (make lock writes it anew).
LOCK := requirements/dev.lock

.PHONY: run test test-fast lint format migrations-check messages bench bench-scale backup restore screenshots clean lock audit fuzz

$(VENV)/bin/activate:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(LOCK) | $(VENV)/bin/activate
	$(PIP) install --quiet --require-hashes -r $(LOCK)
	$(PIP) install --quiet --no-deps -e .
	@touch $@ $(VENV)/.installed-run

# Pin pyproject.toml's dependencies and the dev extra, with hashes, into $(LOCK).
lock:
	$(PYTHON) -m venv tmp/lock-tools
	tmp/lock-tools/bin/pip install --quiet pip-tools
	tmp/lock-tools/bin/pip-compile --quiet --generate-hashes --extra dev --strip-extras \
	    --no-emit-index-url --no-emit-find-links --output-file $(LOCK) pyproject.toml

# Known vulnerabilities in the locked set; needs a vulnerability database (PyPI / OSV).
audit:
	$(PYTHON) -m venv tmp/audit-tools
	tmp/audit-tools/bin/pip install --quiet pip-audit
	tmp/audit-tools/bin/pip-audit --require-hashes --disable-pip -r $(LOCK)

run: $(VENV)/.installed-run
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py run_reminders --once
	@echo "Terugkeer runs at http://$(HOST):$(PORT)/ — log in as officer / dtv-demo-2026"
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(PY) -m pytest -p no:cacheprovider -n 2 --dist loadgroup --durations=25

test-fast: $(VENV)/.installed-dev
	$(PY) -m pytest -p no:cacheprovider -n 2 -m "not e2e and not faults and not integration"

# The property tests of tests/fuzz with random examples, many more than `make test` tries.
fuzz: $(VENV)/.installed-dev
	HYPOTHESIS_PROFILE=hunt $(PY) -m pytest -p no:cacheprovider -n 2 tests/fuzz

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(VENV)/.installed-dev
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

messages: $(VENV)/.installed-dev
	DEBUG=1 $(PY) manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages -l nl --ignore=.venv

screenshots: $(VENV)/.installed-dev
	DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DEBUG=1 TWO_FACTOR_ENFORCED=0 $(PY) manage.py take_screenshots

bench: $(VENV)/.installed-dev
	$(PY) bench/run.py

# The page costs at 10,000, 100,000 and 1,000,000 cases (a fresh seed of each).
bench-scale: $(VENV)/.installed-dev
	BENCH_SIZES=$${BENCH_SIZES:-10000,100000,1000000} $(PY) bench/run.py

# Needs DATABASE_URL (PostgreSQL); FILE=... optional.
backup:
	bash scripts/backup.sh $(FILE)

restore:
	bash scripts/restore.sh $(FILE)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
