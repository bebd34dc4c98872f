"""« Mes données » for bulletin n°3 requests (law n° 2022-59, issue 10's rules): the requester
sees their own requests, never another person's; erasure deletes the documents of decided
requests at once and explains why the requests and the record are kept."""

import html
import json

import pytest
from django.test import Client

from guichet.accounts.models import User
from guichet.criminal_records.models import BulletinRequest
from guichet.criminal_records.tests.test_services import _citizen_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests_(citizen, png_upload, niamey_commune):
    served = _citizen_request(citizen, png_upload, birth_commune=niamey_commune)
    BulletinRequest.objects.filter(pk=served.pk).update(status=BulletinRequest.Status.REJECTED)
    pending = _citizen_request(citizen, png_upload, birth_commune=niamey_commune)
    other = User.objects.create(
        username="+22796112233", phone_number="+22796112233", kind=User.Kind.CITIZEN
    )
    theirs = _citizen_request(
        other, png_upload, birth_commune=niamey_commune, last_name="Garba", first_names="Aïcha"
    )
    return served, pending, theirs


def _me(user):
    client = Client()
    client.force_login(user)
    return client


def test_my_requests_appear_and_nobody_elses(citizen, requests_):
    served, pending, theirs = requests_
    data = json.loads(_me(citizen).get("/mes-donnees/?format=json").content)
    section = next(s for s in data["sections"] if s["section"] == "criminal_records")
    titles = [element["titre"] for element in section["elements"]]
    assert f"Demande {served.reference}" in titles and f"Demande {pending.reference}" in titles
    assert all(theirs.reference not in title for title in titles)
    assert "Garba" not in json.dumps(data, ensure_ascii=False)


def test_erasure_deletes_decided_requests_documents_and_keeps_the_rest_with_the_reason(
    citizen, requests_
):
    served, pending, theirs = requests_
    page = html.unescape(
        _me(citizen).post("/mes-donnees/effacement/", {"confirm": "on"}).content.decode()
    )
    assert "Pièces d'identité de 1 demande de bulletin effacées." in page
    assert "1 demande de bulletin en cours" in page
    assert "code de procédure pénale" in page
    for item in requests_:
        item.refresh_from_db()
    assert not served.identity_document and served.documents_erased_at is not None
    assert pending.identity_document and theirs.identity_document
