# Guichet — thin wrappers. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt bench messages check-deploy clean

$(STAMP): pyproject.toml
	$(PYTHON) scripts/bootstrap_venv.py $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	mkdir -p var
	GUICHET_DEBUG=1 $(PY) manage.py migrate --no-input
	GUICHET_DEBUG=1 $(PY) manage.py load_demo
	GUICHET_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	GUICHET_TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/compile_messages.py --check
	GUICHET_DEBUG=0 GUICHET_SMS_GATEWAY=kannel GUICHET_SECRET_KEY=ci-only-$$(printf '%060d' 0)-not-secret-at-all-x GUICHET_ALLOWED_HOSTS=guichet.example.ne \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: $(STAMP)
	$(PY) scripts/compile_messages.py

bench: $(STAMP)
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var
