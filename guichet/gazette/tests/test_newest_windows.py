"""PostgreSQL, a common query (more matches than COUNT_CAP): its newest matches are read window by
window (`fulltext._newest`) and must be exactly the newest matches of the query over every match,
whatever the edges of the windows are. No other test has that many matches: the windows were
never checked before."""

import datetime
import random

import pytest
from django.db import connection

from guichet.gazette import fulltext

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

WORDS = ["tout", "pair", "sept", "rare", "absent"]
FIRST_DAY = datetime.date(1990, 1, 1)


@pytest.fixture
def small_windows(monkeypatch):
    monkeypatch.setattr(fulltext, "NEWEST_WINDOW", 64)
    monkeypatch.setattr(fulltext, "NEWEST_WINDOW_WALK", 1024)


def _add_texts(cursor, first_id: int, count: int, first_day: datetime.date) -> None:
    """Rows of the search table alone (no FK): three texts a day, so dates are shared; every text
    says « tout », one in two « pair », one in seven « sept », one in fifty « rare »."""
    cursor.execute(
        "INSERT INTO gazette_searchkey (work_id, signed_on, doctype, authority_code, in_force, "
        "document) SELECT i, %s::date + ((i - %s::bigint) / 3)::int, 'loi', '', true, to_tsvector('simple', "
        "'tout' || CASE WHEN i %% 2 = 0 THEN ' pair' ELSE '' END "
        "|| CASE WHEN i %% 7 = 0 THEN ' sept' ELSE '' END "
        "|| CASE WHEN i %% 50 = 0 THEN ' rare' ELSE '' END) "
        "FROM generate_series(%s::bigint, %s::bigint) i",
        [first_day, first_id, first_id, first_id + count - 1],
    )
    cursor.execute("ANALYZE gazette_searchkey")


def _every_match(cursor, word: str, wanted: int) -> list[int]:
    cursor.execute(
        "SELECT k.work_id FROM gazette_searchkey k WHERE k.document @@ to_tsquery('simple', %s) "
        "ORDER BY k.signed_on DESC, k.work_id DESC LIMIT %s",
        [word, wanted],
    )
    return [row[0] for row in cursor.fetchall()]


def _windowed(cursor, word: str, wanted: int) -> list[int]:
    cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
    where = "k.document @@ to_tsquery('simple', %s)"
    return fulltext._newest(cursor, where, [word], wanted)


@pytest.mark.parametrize("planner", ["as it decides", "always by date"])
def test_windows_give_the_newest_matches(small_windows, monkeypatch, planner):
    if planner == "always by date":
        monkeypatch.setattr(fulltext, "_reads_by_date", lambda *arguments: True)
    with connection.cursor() as cursor:
        _add_texts(cursor, 1, 3000, FIRST_DAY)
        for word in WORDS:
            for wanted in (1, 20, 500, 2000):
                assert _windowed(cursor, word, wanted) == _every_match(cursor, word, wanted), (
                    word,
                    wanted,
                )


def test_any_edges_give_the_newest_matches(small_windows, monkeypatch):
    """Edges drawn at random, in any order (texts published between two reads of the date index
    can make an edge as new as the one before it): no text is read twice or skipped."""
    monkeypatch.setattr(fulltext, "_reads_by_date", lambda *arguments: True)
    draw = random.Random(20261204)
    with connection.cursor() as cursor:
        _add_texts(cursor, 1, 3000, FIRST_DAY)
        days = 1000
        for _trial in range(40):
            edges = iter(
                FIRST_DAY + datetime.timedelta(days=draw.randrange(-10, days + 10))
                for _ in range(50)
            )
            monkeypatch.setattr(fulltext, "_edge", lambda cursor, size: next(edges))
            word = draw.choice(WORDS)
            wanted = draw.choice((5, 50, 500, 1500))
            assert _windowed(cursor, word, wanted) == _every_match(cursor, word, wanted)


def test_the_first_window_is_sized_from_the_planners_estimate(small_windows, monkeypatch):
    """A word in 2 % of the texts is read at once (a window holding the page would be most of
    the corpus); a word in every text is read in a window of about the page's size."""
    with connection.cursor() as cursor:
        _add_texts(cursor, 1, 3000, FIRST_DAY)
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        where, rare, common = "k.document @@ to_tsquery('simple', %s)", ["rare"], ["tout"]
        assert fulltext._first_window(cursor, where, rare, 20) > fulltext.NEWEST_WINDOW_WALK
        assert fulltext._first_window(cursor, where, common, 20) == fulltext.NEWEST_WINDOW
        assert 600 <= fulltext._first_window(cursor, where, common, 500) <= 750

        def no_window(cursor, size):
            raise AssertionError("a window was read for a rare word")

        monkeypatch.setattr(fulltext, "_edge", no_window)
        assert _windowed(cursor, "rare", 20) == _every_match(cursor, "rare", 20)


def test_a_table_without_statistics_starts_with_the_default_window(small_windows):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM gazette_searchkey")
        cursor.execute("ANALYZE gazette_searchkey")  # no rows: no estimate to size a window from
        where = "k.document @@ to_tsquery('simple', %s)"
        assert fulltext._first_window(cursor, where, ["tout"], 20) == fulltext.NEWEST_WINDOW
