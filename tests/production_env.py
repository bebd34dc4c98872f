"""The environment of a Guichet process started by a test in production mode (DEBUG off)."""

import os
from contextlib import contextmanager

from django.db import connection


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without any Guichet, Django, database or Redis variable (so the
    child reads only what the test gives it), never the checkout's local.env, plus `extra`."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GUICHET_", "DJANGO_", "DATABASE_", "REDIS_", "PYTEST_"))
    }
    environment["GUICHET_LOCAL_ENV"] = "/nonexistent"
    environment.update(extra)
    return environment


def postgres_url(database: str) -> str:
    """The URL of `database` on the test run's PostgreSQL server, with the test run's role."""
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{database}"
    )


@contextmanager
def scratch_databases(*names: str):
    """Fresh, empty PostgreSQL databases `names` on the test run's server, dropped (connections
    closed) afterwards; yields their URLs."""
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [postgres_url(name) for name in names]
    finally:
        with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
