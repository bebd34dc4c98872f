# Guichet — thin wrappers. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Tests run on as many workers as there are cores (pytest-xdist), the longest first
# of each kind (tests/slow_tests.py); PYTEST_ARGS="-n 0" runs serially.
PYTEST_ARGS ?= -n auto
# Bytecode is written even where PYTHONDONTWRITEBYTECODE is set (as in CI): otherwise every worker
# recompiles every module and rewrites every test's asserts (collection 18 s -> 10 s per worker).
PYTEST := PYTHONDONTWRITEBYTECODE= $(PY) -m pytest

.PHONY: run prod test suite lint fmt bench messages lock venv-run venv-dev reset-demo clean

# The bootstrap does nothing when .venv already matches the lock file and the interpreter.
venv-run:
	@$(PYTHON) scripts/bootstrap_venv.py run

venv-dev:
	@$(PYTHON) scripts/bootstrap_venv.py dev

# The embedded mode: SQLite under var/, the demo data, and the server (plus a Celery worker and
# beat when REDIS_URL is set). local.env (git-ignored) makes `.venv/bin/python manage.py …` work too.
run: venv-run
	@PORT=$(PORT) $(PY) scripts/embedded.py

# The production layout of docs/deploy.md on this machine (nginx, two gunicorn, PostgreSQL, Redis,
# Celery worker and beat, an S3 store), its smoke test, then serving until Ctrl-C.
prod: venv-dev
	@deploy/run-local.sh

test: venv-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	GUICHET_TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/compile_messages.py --check
	$(PY) scripts/deploy_check.py
	$(PYTEST) $(PYTEST_ARGS)

# The tests alone (CI runs them a second time on PostgreSQL, after `make test` on SQLite).
suite: venv-dev
	$(PYTEST) $(PYTEST_ARGS)

lint: venv-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: venv-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: venv-dev
	$(PY) scripts/compile_messages.py

bench: venv-dev
	$(PY) bench/run_all.py

# Regenerate the lock files from pyproject.toml (after adding or changing a dependency), for
# Python 3.11 to 3.13 on every platform. Versions already locked are kept unless pyproject.toml
# excludes them; `make lock UPGRADE=1` moves everything to the newest allowed versions.
UV_COMPILE = pip compile pyproject.toml --universal --generate-hashes --python-version 3.11 \
	--quiet --no-header --annotation-style line $(if $(UPGRADE),--upgrade)
lock:
	@uv=$$($(PYTHON) scripts/bootstrap_venv.py uv-path) && \
	$$uv $(UV_COMPILE) --extra dev -o requirements/dev.txt && \
	$$uv $(UV_COMPILE) --extra prod -c requirements/dev.txt -o requirements/prod.txt && \
	$$uv $(UV_COMPILE) -c requirements/dev.txt -o requirements/run.txt && \
	echo "uv==$$($$uv --version | cut -d' ' -f2)" | $$uv pip compile - --universal --generate-hashes \
		--quiet --no-header -o requirements/uv.txt && \
	echo "requirements/*.txt updated: commit them with pyproject.toml"

# The demo database, media and keys live under var/: removing it resets the demo.
reset-demo:
	rm -rf var

clean:
	rm -rf $(VENV) var local.env
