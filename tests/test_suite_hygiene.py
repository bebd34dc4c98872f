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
