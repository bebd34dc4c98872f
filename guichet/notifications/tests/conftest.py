from pathlib import Path

import pytest

from guichet.notifications.channels import isolated_registry

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _readonly_alias_is_the_test_connection():
    """Overrides the root fixture of the same name, which never puts the real "readonly"
    connection back: the next test's set-up then installs Django's "queries forbidden" guards on
    the default connection itself and every query fails. Same aliasing, restored afterwards."""
    from django.db import connections

    original = connections["readonly"]
    connections["readonly"] = connections["default"]
    yield
    connections["readonly"] = original


@pytest.fixture(autouse=True)
def _test_templates(settings):
    """Templates used only by these tests (notifications/tests/…), beside the apps' own."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES]}
    ]
    settings.SMS_GATEWAY = "console"
    settings.INBOUND_TOKEN = "s3cret-token"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def registry():
    """Empty SMS and USSD registries for the test; the apps' registrations come back after."""
    with isolated_registry():
        yield
