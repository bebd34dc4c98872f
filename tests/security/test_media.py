"""Attack suite, issue 9: in DEBUG, /media/ does not serve stored extracts to anyone."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import clear_url_caches


@pytest.fixture
def debug_urls(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    import guichet.urls

    with override_settings(DEBUG=True):
        clear_url_caches()
        importlib.reload(guichet.urls)
        yield
    clear_url_caches()
    importlib.reload(guichet.urls)


@pytest.mark.django_db
def test_anonymous_get_of_a_stored_extract_is_refused_in_debug(client, debug_urls):
    name = default_storage.save("casier/bulletins/2026/B3-extrait.pdf", ContentFile(b"%PDF-1.7 x"))
    with override_settings(DEBUG=True):
        response = client.get(f"/media/{name}")
    assert response.status_code in (403, 404)
    assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))
