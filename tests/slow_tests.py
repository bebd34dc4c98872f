"""The suite's longest tests, started first so that the workers of a parallel run end together.

xdist's load scheduler hands each worker the collection in order, a chunk at a time. Collected in
file order, the longest tests (crawler, permission matrix, browsers in every language, production
stack, restore drills) sat at the end, under `tests/`: the run ended with one worker on a
two-minute test and the other idle. Put first in their kind, longest first, they are shared out
while the short tests fill the gaps (longest processing time first).

The kinds keep the order that makes the database right for each test (pytest-django's, as
Django's): tests that use no database first (they cannot see it), then tests in a rolled-back
transaction, then transactional tests, which empty the tables when they end — only the next
transactional test puts the migrations' reference rows back (serialized rollback). Each worker
runs its chunks in collection order, so this holds on every worker.

Seconds: one test, on a quiet 2-core machine, roughly (the order is what matters). Keys are
node-id prefixes: a module, a test, or a parametrised test; the longest match wins.
`tests/test_suite_hygiene.py` checks that every key still names a test.
"""

SECONDS = {
    "tests/test_production_stack.py": 110,
    "tests/test_browser_accessibility.py::test_citizen_pages_pass_axe_in_every_language": 100,
    "tests/test_restore_drill_s3.py": 70,
    "guichet/talents/tests/test_browser.py::test_a_promotion_from_challenge_to_team": 60,
    "guichet/transit/planner/tests/test_reference.py::test_earliest_arrival_equals_connection_scan": 25,
    "guichet/complaints/tests/test_open311_arguments.py::test_every_phone_the_document_allows": 30,
    "tests/test_restore_drill.py": 35,
    "tests/security/test_crawler.py::test_no_pattern_answers_5xx": 10,
    "tests/security/test_permission_matrix.py::test_each_user_gets_what_the_matrix_declares": 9,
    "tests/test_translation_coverage.py": 20,
    "tests/test_platform.py::test_load_demo": 12,
    "guichet/transit/tests/test_compiled_timetables.py": 12,
    "tests/test_accessibility_markup.py::test_law_pages_show_no_internal_part_identifier": 12,
    "tests/security/test_auth_deploy_checks.py::test_the_settings_module_remembers": 10,
    "guichet/gazette/tests/test_browser.py::test_an_editor_enters_an_amendment": 8,
    "tests/test_browser_accessibility.py::test_agent_pages_fit_a_phone": 8,
    "guichet/audit/tests/test_log.py::test_load_demo_ends_with_a_checkpoint": 8,
    "guichet/complaints/tests/test_open311_schema.py::test_open311_answers_as_documented": 8,
    "guichet/transit/tests/test_timezones.py::test_journey_page_prints_the_feeds_clock": 7,
    "tests/security/test_auth_sms_limits.py::test_without_redis_limits_are_counted": 6,
    "tests/test_embedded_mode.py": 5,
    "tests/security/test_auth_lockout.py": 4,
    "guichet/transit/tests/test_trace_browser.py": 4,
}


def expected_seconds(nodeid: str) -> int:
    """The seconds of the longest key `nodeid` starts with; 0 for the others."""
    best = ""
    for key in SECONDS:
        if nodeid.startswith(key) and len(key) > len(best):
            best = key
    return SECONDS.get(best, 0)


NO_DATABASE, ROLLED_BACK, TRANSACTIONAL = range(3)


def database_kind(item) -> int:
    """How a test uses the database, as pytest-django reads it (class, marker and fixtures)."""
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return ROLLED_BACK if issubclass(cls, TestCase) else TRANSACTIONAL
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return TRANSACTIONAL
    if {"transactional_db", "live_server"} & fixtures:
        return TRANSACTIONAL
    if marker or "db" in fixtures:
        return ROLLED_BACK
    return NO_DATABASE


def longest_first(items: list) -> None:
    """Reorder pytest's items in place: by database kind, and within a kind the tests of SECONDS
    longest first, then the others in collection order (the sort is stable: a module's tests
    keep their order)."""
    items.sort(key=lambda item: (database_kind(item), -expected_seconds(item.nodeid)))
