"""The editor's page: each form sends one value per name, and an amendment typed there is saved."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from guichet.gazette.models import Amendment
from guichet.gazette.tests.factories import D, articles, draft, publish


class _Forms(HTMLParser):
    """The names each <form> of a page submits (buttons only send the one clicked)."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append([])
            self._open = True
        elif self._open and tag in ("input", "select", "textarea") and attrs.get("name"):
            if tag == "input" and attrs.get("type") in ("submit", "button", "image"):
                return
            self.forms[-1].append((attrs["name"], attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = False


@pytest.fixture
def law(editor):
    law = draft(
        editor,
        ("loi", "2017-28", D(2017, 5, 3)),
        "relative à la protection des données",
        articles("Un.", "Deux.", "Trois."),
    )
    publish(editor, [law], D(2017, 7, 4))
    return law


@pytest.mark.django_db
def test_no_form_of_the_editor_page_sends_a_name_twice(client, editor, law):
    # Before this change the amendment form sent "action" twice (hidden "amendment" and the
    # select of the change), the view read the select's and saved nothing.
    amending = draft(editor, ("loi", "2019-71", D(2019, 12, 24)), "modifiant la loi n° 2017-28")
    client.force_login(editor)
    page = client.get(reverse("gazette:editor_text", args=[amending.pk]))
    parser = _Forms()
    parser.feed(page.text)
    assert len(parser.forms) >= 3
    for fields in parser.forms:
        names = [name for name, _value in fields]
        assert len(names) == len(set(names)), names


@pytest.mark.django_db
def test_an_amendment_posted_as_the_page_sends_it_is_saved(client, editor, law):
    amending = draft(editor, ("loi", "2019-71", D(2019, 12, 24)), "modifiant la loi n° 2017-28")
    client.force_login(editor)
    url = reverse("gazette:editor_text", args=[amending.pk])
    response = client.post(
        url,
        {
            "action": "amendment",
            "amendment-target": "Loi n° 2017-28",
            "amendment-change": "replace",
            "amendment-target_eid": "Article 2",
            "amendment-text": "Deux, nouvelle rédaction.",
        },
        follow=True,
    )
    assert "Modification enregistrée." in response.text
    assert Amendment.objects.get().target_eid == "art_2"


@pytest.mark.django_db
def test_an_amendment_with_an_unreadable_article_says_why(client, editor, law):
    amending = draft(editor, ("loi", "2019-71", D(2019, 12, 24)), "modifiant la loi n° 2017-28")
    client.force_login(editor)
    response = client.post(
        reverse("gazette:editor_text", args=[amending.pk]),
        {
            "action": "amendment",
            "amendment-target": "Loi n° 2017-28",
            "amendment-change": "repeal",
            "amendment-target_eid": "n'importe quoi",
        },
    )
    assert response.status_code == 200
    assert "Numéro d&#x27;article illisible" in response.text or "illisible" in response.text
    assert "La modification n" in response.text
    assert not Amendment.objects.exists()
