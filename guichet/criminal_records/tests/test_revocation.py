"""The issuing court revokes an extract that should not stand.

Before, an extract issued on the wrong record, or before a conviction was keyed, verified as
« authentique » for ever: there was no way to withdraw it. Each test failed before the fix."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.audit.models import AuditEntry
from guichet.criminal_records import services_requests
from guichet.criminal_records.models import BulletinRequest
from guichet.notifications.models import Message


@pytest.fixture
def extract(ask, make_person, clerk):
    person = make_person()
    item = ask()
    BulletinRequest.objects.filter(pk=item.pk).update(
        person=person, payment_checked=True, identity_verified_at=timezone.now()
    )
    item.refresh_from_db()
    return services_requests.issue_bulletin(actor=clerk, bulletin_request=item)


def _revoke(clerk, extract, reason="Délivré sur la fiche d'un homonyme"):
    return services_requests.revoke_bulletin(actor=clerk, bulletin=extract, reason=reason)


def test_a_revoked_extract_no_longer_verifies(client, extract, clerk):
    _revoke(clerk, extract)
    page = client.get(reverse("criminal_records:verify_code", args=[extract.code]))
    text = page.content.decode()
    assert page.status_code == 410
    assert "révoqué le" in text and "ne vaut plus" in text
    assert "authentique délivré" not in text
    assert "homonyme" not in text  # the reason stays internal

    api = client.get(reverse("criminal_records:api_verify_code", args=[extract.code]))
    assert api.status_code == 410
    body = api.json()
    assert body["authentic"] is False
    assert body["bulletin"]["revoked_on"] == timezone.localdate().isoformat()
    assert "révoqué" in body["detail"]


def test_its_file_no_longer_verifies_either(client, extract, clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _revoke(clerk, extract)
    data = extract.pdf.open("rb").read()
    response = client.post(
        reverse("criminal_records:api_verify_file"),
        {"document": SimpleUploadedFile("extrait.pdf", data, content_type="application/pdf")},
    )
    body = response.json()
    assert body["intact"] is True  # the signature itself is fine
    assert body["authentic"] is False and "révoqué" in body["problem"]


def test_revocation_is_audited_and_the_citizen_told(extract, clerk):
    before = Message.objects.count()
    _revoke(clerk, extract)
    entry = AuditEntry.objects.filter(action="criminal_records.bulletin.revoked").get()
    assert entry.reason == "Délivré sur la fiche d'un homonyme"
    assert Message.objects.count() == before + 1
    assert "révoqué" in Message.objects.latest("pk").body


@pytest.mark.parametrize("reason, message", [("", "motif"), ("x" * 301, "300")])
def test_a_revocation_needs_a_reason(extract, clerk, reason, message):
    with pytest.raises(ValidationError, match=message):
        _revoke(clerk, extract, reason=reason)
    extract.refresh_from_db()
    assert extract.revoked_at is None


def test_it_is_revoked_once(extract, clerk):
    _revoke(clerk, extract)
    with pytest.raises(ValidationError, match="déjà révoqué"):
        _revoke(clerk, extract)


def test_only_the_issuing_court_revokes(extract, make_agent):
    other = make_agent("autre.greffier", Role.COURT_CLERK, "TGI-ZINDER")
    judge = make_agent("x.juge", Role.JUDGE, "TGI-NIAMEY")
    for actor in (other, judge):
        with pytest.raises(PermissionDenied):
            _revoke(actor, extract)
    extract.refresh_from_db()
    assert extract.revoked_at is None


def test_the_clerk_revokes_from_the_request_page(signed_in, extract):
    client = signed_in("y.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    url = reverse("criminal_records:clerk_request", args=[extract.request.reference])
    assert "Révoquer l'extrait" in client.get(url).content.decode()
    client.post(url, {"action": "revoke", "reason": "Condamnation inscrite après"})
    extract.refresh_from_db()
    assert extract.revocation_reason == "Condamnation inscrite après"
    assert "Extrait révoqué le" in client.get(url).content.decode()


def test_sms_casier_says_the_extract_was_revoked(extract, clerk):
    from guichet.criminal_records.channels import request_status

    item = extract.request
    assert "Téléchargez" in request_status(item.phone, item.reference)
    _revoke(clerk, extract)
    reply = request_status(item.phone, item.reference)
    assert "révoqué" in reply and "Téléchargez" not in reply, reply
