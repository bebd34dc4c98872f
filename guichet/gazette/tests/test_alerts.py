"""Saved searches: new matching texts are sent by email or SMS once their issue is published."""

import pytest
from django.urls import reverse

from guichet.gazette import alerts
from guichet.gazette.models import SavedSearch
from guichet.gazette.tests.factories import D, articles, draft, publish


@pytest.fixture
def sent(monkeypatch):
    import guichet.notifications.services as notifications

    calls = []
    monkeypatch.setattr(notifications, "notify", lambda **kwargs: calls.append(kwargs) or [])
    return calls


@pytest.mark.django_db
def test_a_published_match_is_sent_to_the_saved_search(
    editor, sent, django_capture_on_commit_callbacks
):
    alerts.save_search(query="données personnelles", phone="90 12 34 56")
    alerts.save_search(query="route", email="lecteur@example.org")
    law = draft(
        editor,
        ("loi", "2017-28", D(2017, 5, 3)),
        "Loi sur les données personnelles",
        articles("Les données personnelles sont protégées."),
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish(editor, [law], D(2017, 7, 4))
    assert len(sent) == 1
    assert sent[0]["phone"] == "+22790123456"
    assert sent[0]["template"] == "gazette/alert"
    assert sent[0]["context"]["texts"][0]["uri"] == "/akn/ne/act/loi/2017/28"


@pytest.mark.django_db
def test_alert_form_needs_a_way_to_reach_the_reader(client):
    response = client.post(reverse("gazette:alerts"), {"q": "données"})
    assert "Indiquez un courriel ou un numéro de téléphone." in response.text
    response = client.post(reverse("gazette:alerts"), {"q": "données", "phone": "123"})
    assert "numéro du Niger valide" in response.text
    # The alert is an SMS: a fixed line would never receive it.
    response = client.post(reverse("gazette:alerts"), {"q": "données", "phone": "20 72 34 56"})
    assert "ligne fixe" in response.text
    assert SavedSearch.objects.count() == 0
    client.post(reverse("gazette:alerts"), {"q": "données", "email": "a@example.org"})
    saved = SavedSearch.objects.get()
    client.post(reverse("gazette:alert_cancel", args=[saved.token]))
    saved.refresh_from_db()
    assert not saved.active
