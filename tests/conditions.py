"""What a test does when the data or tool it needs is absent."""

import os

import pytest


def missing_requirement(message: str) -> None:
    """A skip on a developer's machine (a lone clone has no ../shared), a failure in CI, which sets
    GUICHET_REQUIRE_DATA=1, so that nothing is skipped silently there."""
    if os.environ.get("GUICHET_REQUIRE_DATA") == "1":
        pytest.fail(f"{message} (required: GUICHET_REQUIRE_DATA=1)")
    pytest.skip(message)
