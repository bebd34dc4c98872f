import pytest


@pytest.fixture
def editor(make_agent):
    return make_agent("editeur.jo", "gazette_editor", "SGG-JO")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
