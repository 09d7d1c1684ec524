# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# The test suite talks to real PostgreSQL and Redis; the environment overrides these.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sanjose
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1

.PHONY: run test setup dev-setup lint format messages benchmarks bench-load lighthouse audit clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Browser checks only (axe-core for tests/e2e, Lighthouse): exact versions in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed

dev-setup: $(VENV)/.installed-dev node_modules/.installed

## make run: a fresh machine with Python 3.11 only; SQLite, inline tasks, console email.
run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: lint, then the whole suite against PostgreSQL and Redis on localhost.
test: dev-setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" SANJOSE_TESTING=true \
		$(PY) -m pytest $(PYTEST_ARGS)

## make audit: known vulnerabilities in the installed dependencies (pip-audit, PyPI's data).
audit: dev-setup
	$(PY) -m pip_audit --local --progress-spinner off

lint: dev-setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: dev-setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## make messages: refresh and compile the catalogues (needs GNU gettext).
messages: dev-setup
	$(PY) manage.py makemessages -l es --no-location --ignore=.venv --ignore=static/vendor --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv

## make lighthouse: Lighthouse (mobile) scores of the main pages on a production-like server.
lighthouse: dev-setup
	DATABASE_URL="$(TEST_DATABASE_URL)" $(PY) benchmarks/lighthouse.py --check

benchmarks: dev-setup
	@for script in $(filter-out benchmarks/load.py,$(wildcard benchmarks/*.py)); do echo "== $$script"; \
		DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles

## make bench-load: seed a large event, run gunicorn as production does, measure with wrk.
## Two web instances behind nginx (deploy/nginx.conf): BENCH_ARGS="--instances 2 --balancer nginx"
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sanjose_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
bench-load: dev-setup
	@command -v wrk >/dev/null || (echo "Installing wrk" && apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	@case "$(BENCH_ARGS)" in *--balancer*) command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || \
		(echo "Installing nginx-light" && apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null);; esac
	BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" BENCH_REDIS_URL="$(BENCH_REDIS_URL)" \
		$(PY) benchmarks/load.py $(BENCH_ARGS)
