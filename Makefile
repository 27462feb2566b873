# Lentera — `make run` to try it, `make test` to test it. `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
INSTALLED := $(VENV)/.installed
# worksteal: a worker that runs out of tests takes half of another's, so both finish together
# (the default hands tests out in chunks, and one worker was left alone with the last ~45 s).
PYTEST_ARGS ?= -n auto --dist worksteal
# The translations, compiled when their catalogue changed (compilemessages compiles them all,
# ~2.5 s each time).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po locale-wagtail/*/LC_MESSAGES/*.po))
SIZE ?= S

.PHONY: help setup run serve worker test ralph e2e lint format lock audit messages frontend bench-data bench bench-load bench-compare bench-browser replica replica-stop clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(INSTALLED): requirements/dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

# The Ralph learning record store that tests/xapi start and send xAPI statements to: its own
# virtualenv, since its pinned dependencies clash with ours (requirements/ralph.in, locked with
# hashes into requirements/ralph.lock by `make lock`).
RALPH_VENV := .venv-ralph
RALPH_INSTALLED := $(RALPH_VENV)/.installed

$(RALPH_INSTALLED): requirements/ralph.lock
	@test -x $(RALPH_VENV)/bin/python || $(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements/ralph.lock
	@touch $@

ralph: $(RALPH_INSTALLED) ## Install the Ralph LRS the xAPI tests start (.venv-ralph)

# The public address (e-mail links, the API's html_url, allauth's site); `make run` serves there.
setup run: export BASE_URL ?= http://127.0.0.1:$(PORT)

setup: $(INSTALLED) ## Create the virtualenv, install locked dependencies, migrate, seed demo content
	$(MANAGE) migrate --no-input
	$(MANAGE) site_identity
	$(MANAGE) compilemessages --ignore='.venv/*' -v 0
	$(MANAGE) collectstatic --no-input -v 0
	$(MANAGE) seed_demo
	@# Build the search index now rather than wait for the worker to work through the queue.
	$(MANAGE) update_index -v 0

run: setup ## Set up, then serve on http://127.0.0.1:$(PORT) with the task worker beside it
	@echo "Lentera: http://127.0.0.1:$(PORT)/  (admin: /admin/)"
	@trap 'kill 0' EXIT; \
	$(MANAGE) db_worker --interval 2 --worker-id run-$(PORT) & \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Compiled modules are cached in __pycache__ even under PYTHONDONTWRITEBYTECODE in the environment:
# without the cache every xdist worker of every run compiles the tests and assertion-rewrites the
# plugins' packages (hypothesis, schemathesis, Faker) again, about 6 s of CPU each.
# CI adds coverage: PYTEST_ARGS="-n auto --cov" make test (the floor is in pyproject.toml).
test: $(INSTALLED) $(RALPH_INSTALLED) $(MO_FILES) ## Run the whole test suite (DATABASE_URL selects the database; SQLite by default)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest $(PYTEST_ARGS)

e2e: $(INSTALLED) $(MO_FILES) ## Run the browser tests (Playwright + Debian's chromium)
	db=$$(mktemp -u --suffix=.sqlite3); \
	LENTERA_TEST_SQLITE_FILE=$$db $(BIN)/pytest -p no:xdist -m e2e tests/e2e $(E2E_ARGS); \
	status=$$?; rm -f $$db $$db-wal $$db-shm; exit $$status

lint: $(INSTALLED) ## Check formatting, lint rules, import directions and migrations
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(MANAGE) makemigrations --check --dry-run

format: $(INSTALLED) ## Format and fix the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The lock files name no package index: each machine's pip configuration chooses its own (a local
# mirror must not leak into the files everyone installs from).
PIP_COMPILE = $(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-trusted-host --no-emit-find-links

lock: $(INSTALLED) ## Re-lock after editing pyproject.toml (base.lock: production, dev.lock: everything)
	$(PIP_COMPILE) -o requirements/base.lock pyproject.toml
	$(PIP_COMPILE) --extra dev -o requirements/dev.lock pyproject.toml
	$(PIP_COMPILE) -o requirements/ralph.lock requirements/ralph.in

audit: $(INSTALLED) ## Check both lock files for known vulnerabilities (pip-audit; says when it cannot)
	@bash .ci/audit

# The built files are committed: `make run` and the tests need neither Node nor npm.
frontend: ## Rebuild static/js/lentera.js and sw.js from frontend/ (needs Node and npm; `make run` does not)
	cd frontend && npm ci --ignore-scripts --no-audit --no-fund && npm test --silent && node build.mjs

messages: $(INSTALLED) ## Extract translatable strings into locale/id
	$(MANAGE) makemessages -l id --ignore='.venv/*' --ignore='staticfiles/*' --ignore='tests/*' --no-obsolete

bench-data: $(INSTALLED) ## Generate the benchmark data set into an empty database (SIZE=tiny|S|M|L, S by default)
	$(MANAGE) generate_scale_data --size $(SIZE)

# The benchmarks run with debug off (lentera.settings.bench) on their own database: a SQLite file
# per size under bench/data/ unless DATABASE_URL names one (PostgreSQL for bench-load).
BENCH_ENV = DJANGO_SETTINGS_MODULE=lentera.settings.bench \
	DATABASE_URL=$${DATABASE_URL:-sqlite:///bench/data/$(SIZE).sqlite3}
BENCH_ARGS ?=

bench: $(INSTALLED) ## Benchmark the key pages at SIZE (tiny|S|M|L, S by default); fails on a broken budget
	@mkdir -p bench/data bench/results
	$(BENCH_ENV) $(MANAGE) migrate --no-input -v 0
	$(BENCH_ENV) $(MANAGE) collectstatic --no-input -v 0
	$(BENCH_ENV) $(MANAGE) bench_pages --size $(SIZE) $(BENCH_ARGS)

# bench-load: two gunicorn servers and the task worker of TASKS_BACKEND on PostgreSQL (with the read
# replica when DATABASE_REPLICA_URL is set, and Redis when REDIS_URL is): the mix, lesson reading
# only, and two completions of one enrollment racing on the two servers (BENCH_ARGS=--help).
LOAD_ENV = DJANGO_SETTINGS_MODULE=lentera.settings.bench
bench-load: $(INSTALLED) ## Learners on two app servers, throughput per server and per CPU second, integrity (DATABASE_URL=postgres://… holding a `make bench-data` set)
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "bench-load runs on PostgreSQL: DATABASE_URL=postgres://…"; exit 2;; esac
	@mkdir -p bench/results
	$(LOAD_ENV) $(MANAGE) migrate --no-input -v 0
	$(LOAD_ENV) $(MANAGE) collectstatic --no-input -v 0
	$(LOAD_ENV) $(MANAGE) bench_load $(BENCH_ARGS)

# COMPARE_ARGS="RUN.json" picks the run; COMPARE_ARGS="--sizes RUN_S.json RUN_M.json" checks growth
# from S to M or L instead (bench.budgets.SIZE_GOALS).
COMPARE_ARGS ?=
bench-compare: $(INSTALLED) ## Compare the newest page benchmark with the baseline by ratios to the bare page and queries (COMPARE_ARGS="--sizes S.json M.json": across sizes)
	$(BIN)/python -m bench.compare $(COMPARE_ARGS)

# Lighthouse comes from npm (bench/lighthouse/package-lock.json, the 12 line: Node 18.16+), the
# browser is Debian's chromium; gunicorn serves the data set as production would (bench.wsgi).
bench-browser: $(INSTALLED) ## Lesson bytes (first/repeat visit), time to text on a 400 kbit/s 800 ms link, Lighthouse mobile (SIZE=tiny|S…); fails on a broken budget
	@mkdir -p bench/data bench/results
	@test -x bench/lighthouse/node_modules/.bin/lighthouse || npm ci --prefix bench/lighthouse --no-audit --no-fund
	$(BENCH_ENV) $(MANAGE) migrate --no-input -v 0
	$(BENCH_ENV) $(MANAGE) compilemessages --ignore='.venv/*' -v 0
	$(BENCH_ENV) $(MANAGE) collectstatic --no-input -v 0
	$(BENCH_ENV) $(MANAGE) bench_browser --size $(SIZE) $(BENCH_ARGS)

# A streaming read replica of the PostgreSQL on 127.0.0.1:5432 (pg_basebackup -R into
# REPLICA_DIR, /tmp/lentera-replica-5433 by default) on REPLICA_PORT (5433): README, "Read replica".
# Idempotent; prints DATABASE_REPLICA_URL for DATABASE_URL's database.
replica: ## Start a streaming read replica of the local PostgreSQL (REPLICA_PORT, 5433) and print DATABASE_REPLICA_URL
	@bash operations/replica.sh start

replica-stop: ## Stop the read replica of `make replica` and delete its folder
	@bash operations/replica.sh stop

# As compilemessages runs it.
%.mo: %.po
	msgfmt --check-format -o $@ $<

clean: ## Remove the virtualenv, local database, media and collected static files
	rm -rf $(VENV) db.sqlite3* media staticfiles
