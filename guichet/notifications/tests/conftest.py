from pathlib import Path

import pytest

from guichet.notifications.channels import isolated_registry

TEST_TEMPLATES = Path(__file__).parent / "templates"


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
