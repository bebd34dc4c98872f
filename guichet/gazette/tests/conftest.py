import pytest

from guichet.gazette.tests.factories import editor_account


@pytest.fixture
def editor(db):
    return editor_account()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_typo_index():
    """Each test reads its own vocabulary: a rolled-back test takes its words and their version
    back, and another test may write the same (empty) version over other words."""
    from guichet.gazette import spelling

    spelling.forget_vocabulary()
    yield
    spelling.forget_vocabulary()
