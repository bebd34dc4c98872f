"""throttling.check_rates: several limits counted by one statement in the embedded mode's table."""

import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.throttling import RateLimited, check_rate, check_rates, create_rate_table


@pytest.fixture
def database_counters(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": settings.CACHE_TABLE,
        }
    }
    call_command("createcachetable")
    create_rate_table()


def _fresh() -> str:
    return uuid.uuid4().hex


def _hits(key_part: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT hits FROM guichet_rate_counter WHERE counter_key LIKE %s ORDER BY counter_key",
            [f"%{key_part}%"],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_two_limits_are_counted_by_one_statement(database_counters):
    # The counters' table is not a model: it outlives a test's data, so each test's keys are new.
    p, phone = _fresh(), _fresh()
    with CaptureQueriesContext(connection) as queries:
        check_rates([("t.partner", p, 10, 60), ("t.phone", phone, 10, 3600)])
    counting = [q for q in queries.captured_queries if "guichet_rate_counter" in q["sql"]]
    assert len(counting) == 1
    assert _hits(p) == [1] and _hits(phone) == [1]
    check_rates([("t.partner", p, 10, 60), ("t.phone", phone, 10, 3600)])
    assert _hits(p) == [2] and _hits(phone) == [2]


@pytest.mark.django_db(transaction=True)
def test_every_limit_is_counted_and_the_one_past_its_limit_raises(database_counters):
    p, phone = _fresh(), _fresh()
    check_rate("t.phone", phone, 1, 3600)
    with pytest.raises(RateLimited) as refused:
        check_rates([("t.partner", p, 10, 60), ("t.phone", phone, 1, 3600)])
    assert refused.value.scope == "t.phone"
    assert _hits(p) == [1] and _hits(phone) == [2]


@pytest.mark.django_db
def test_inside_a_transaction_the_counts_are_one_statement_too(database_counters):
    x, y = _fresh(), _fresh()
    with CaptureQueriesContext(connection) as queries:
        check_rates([("t.a", x, 5, 60), ("t.b", y, 5, 60)])
    assert len([q for q in queries.captured_queries if "guichet_rate_counter" in q["sql"]]) == 1
    assert _hits(x) == [1] and _hits(y) == [1]


@pytest.mark.django_db
def test_the_same_counter_twice_in_one_call_is_refused(database_counters):
    with pytest.raises(ValueError):
        check_rates([("t.a", "x", 5, 60), ("t.a", "x", 5, 60)])
