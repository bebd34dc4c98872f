"""The test suite itself: what a newcomer can trust (issue 12, "Tests a newcomer can trust")."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.conditions import missing_requirement

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["MEDIA_ROOT", "SIGNING_DIR", "STATIC_ROOT", "VAR_DIR"])
def test_tests_write_files_only_into_a_temporary_folder(name):
    folder = Path(getattr(settings, name)).resolve()
    assert not folder.is_relative_to(ROOT), f"{name} = {folder} is inside the checkout"


def test_hypothesis_tolerates_a_loaded_machine_and_writes_nothing_into_the_checkout():
    current = hypothesis_settings.default
    assert current.deadline is None
    assert HealthCheck.too_slow in current.suppress_health_check
    assert current.database is None


def test_every_test_uses_the_real_urlconf():
    offenders = []
    for path in ROOT.joinpath("guichet").rglob("*.py"):
        if "tests" not in path.parts:
            continue
        if path.name == "urls.py" or re.search(r"ROOT_URLCONF\s*=", path.read_text()):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_missing_data_is_a_skip_for_a_developer(monkeypatch):
    monkeypatch.delenv("GUICHET_REQUIRE_DATA", raising=False)
    with pytest.raises(pytest.skip.Exception):
        missing_requirement("feed absent")


def test_missing_data_is_a_failure_in_ci(monkeypatch):
    monkeypatch.setenv("GUICHET_REQUIRE_DATA", "1")
    with pytest.raises(pytest.fail.Exception, match="feed absent"):
        missing_requirement("feed absent")


def test_every_long_test_the_schedule_names_still_exists():
    """A renamed test would silently lose its place at the front of a parallel run."""
    from tests.slow_tests import SECONDS

    missing = []
    for key in SECONDS:
        path, _, name = key.partition("::")
        source = ROOT.joinpath(path)
        if not source.is_file() or (name and f"def {name.split('[')[0]}" not in source.read_text()):
            missing.append(key)
    assert missing == []


def test_the_longest_tests_start_first_and_the_others_keep_their_order():
    from tests.slow_tests import longest_first

    class Item:
        def __init__(self, nodeid, marker=None, fixtures=()):
            self.nodeid, self.marker, self.fixturenames = nodeid, marker, fixtures

        def get_closest_marker(self, name):
            return self.marker

    rolled_back = pytest.mark.django_db.mark
    transactional = pytest.mark.django_db(transaction=True).mark
    items = [
        Item("guichet/a/tests/test_x.py::test_one", rolled_back),
        Item("tests/security/test_crawler.py::test_no_pattern_answers_5xx_x[judge]", rolled_back),
        Item("guichet/a/tests/test_x.py::test_two", None, ("db",)),
        Item("guichet/b/tests/test_browser.py::test_page", None, ("live_server",)),
        Item(
            "tests/test_browser_accessibility.py::test_citizen_pages_pass_axe_in_every_language"
            "_and_fit_a_phone[js]",
            transactional,
        ),
        Item("guichet/a/tests/test_x.py::test_engine"),
        Item("tests/test_production_stack.py::test_stack"),
    ]
    expected = [items[i].nodeid for i in (6, 5, 1, 0, 2, 4, 3)]
    longest_first(items)
    # No database first, then rolled back, then transactional (which empty the tables): the
    # longest of each kind first, the others in their order.
    assert [item.nodeid for item in items] == expected
