"""How the settings (guichet/settings/storage.py) configure the database connections from the
environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRINT_OPTIONS = (
    "import json; from guichet import settings; "
    "print(json.dumps({alias: settings.DATABASES[alias].get('OPTIONS', {}) "
    "for alias in ('default', 'readonly')}))"
)


def _options(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GUICHET_", "DATABASE_"))}
    clean.update(GUICHET_TESTING="1", **env)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_OPTIONS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


POSTGRES = "postgres://guichet:guichet@127.0.0.1:5432/guichet"


def test_postgresql_prepares_the_statements_run_twice_by_default():
    options = _options(DATABASE_URL=POSTGRES)
    for alias in ("default", "readonly"):
        assert options[alias]["server_side_binding"] is True
        assert options[alias]["prepare_threshold"] == 2


@pytest.mark.parametrize("value", ["off", "OFF", ""])
def test_prepared_statements_can_be_turned_off(value):
    options = _options(DATABASE_URL=POSTGRES, GUICHET_DB_PREPARE_THRESHOLD=value)
    for alias in ("default", "readonly"):
        assert "server_side_binding" not in options[alias]
        assert "prepare_threshold" not in options[alias]


def test_the_threshold_is_read_from_the_environment():
    options = _options(DATABASE_URL=POSTGRES, GUICHET_DB_PREPARE_THRESHOLD="5")
    assert options["default"]["prepare_threshold"] == 5


def test_sqlite_has_no_prepared_statement_options(tmp_path):
    options = _options(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert "prepare_threshold" not in options["default"]


@pytest.mark.parametrize("value", ["yes", "-1", "2.5", "٣"])
def test_a_threshold_that_is_not_a_number_is_refused_with_its_name(value):
    with pytest.raises(subprocess.CalledProcessError) as refused:
        _options(DATABASE_URL=POSTGRES, GUICHET_DB_PREPARE_THRESHOLD=value)
    assert "GUICHET_DB_PREPARE_THRESHOLD must be a whole number or off" in refused.value.stderr
