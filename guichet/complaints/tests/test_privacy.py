"""Law n° 2022-59: anonymous complaints, and those with a hidden identity, keep no IP address."""

import importlib
from datetime import UTC, datetime

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache

from guichet.audit.models import AuditEntry
from guichet.complaints import privacy, services
from guichet.complaints.models import AddressHashKey, Complaint, DuplicateSubmission
from guichet.complaints.tests.test_views import form_data
from guichet.throttling import RateLimited

pytestmark = pytest.mark.django_db
ADDRESS = "198.51.100.23"


@pytest.fixture(autouse=True)
def _fresh_keys():
    privacy._day_keys.clear()  # the memo of another test's (rolled back) key


def _entries(complaint):
    return AuditEntry.objects.filter(
        object_type="complaints.complaint", object_id=str(complaint.pk)
    )


def _file_on_the_web(client, categories, niamey, **fields):
    response = client.post(
        "/plaintes/deposer/", form_data(categories, niamey, **fields), REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    return Complaint.objects.order_by("-pk").first()


@pytest.mark.parametrize(
    "fields",
    [{}, {"phone": "90 12 34 56", "hide_identity": "on"}],
    ids=["anonymous", "hidden-identity"],
)
def test_an_anonymous_or_hidden_complaint_keeps_no_address(client, categories, niamey, fields):
    complaint = _file_on_the_web(client, categories, niamey, **fields)
    assert complaint.submitted_ip is None
    client.post(
        f"/plaintes/suivi/{complaint.reference}/message/",
        {"text": "C'était vers 10 h."},
        REMOTE_ADDR=ADDRESS,
    )
    entries = list(_entries(complaint))
    assert {e.action for e in entries} >= {
        "complaints.complaint.filed",
        "complaints.complaint.citizen_replied",
    }
    assert all(e.ip_address is None and e.actor_id is None for e in entries)
    assert not AuditEntry.objects.filter(ip_address=ADDRESS).exists()


def test_an_identified_complaint_keeps_its_address(client, categories, niamey):
    complaint = _file_on_the_web(client, categories, niamey, phone="90 12 34 56")
    assert complaint.submitted_ip == ADDRESS
    assert _entries(complaint).get().ip_address == ADDRESS


def test_a_hidden_duplicate_keeps_no_address(file):
    text = "Le guichet de la mairie de Tillabéri est fermé."
    first = file(phone="+22790123456", description=text, hide_identity=True, ip=ADDRESS)
    file(phone="+22790123456", description=text, hide_identity=True, ip=ADDRESS)
    assert DuplicateSubmission.objects.get(complaint=first).submitted_ip is None
    assert not AuditEntry.objects.filter(ip_address=ADDRESS).exists()


def test_the_rate_limit_counts_a_keyed_pseudonym_never_the_address(file):
    file(ip=ADDRESS)
    keys = list(cache._cache.keys())  # the tests' local-memory cache
    assert keys and not any(ADDRESS in key for key in keys)
    assert any(privacy.address_pseudonym(ADDRESS) in key for key in keys)


def test_the_pseudonym_key_changes_every_day_and_past_keys_are_erased():
    with time_machine.travel(datetime(2026, 12, 1, 23, 0, tzinfo=UTC), tick=False):
        monday = privacy.address_pseudonym(ADDRESS)
        assert monday == privacy.address_pseudonym(ADDRESS)
        assert monday != privacy.address_pseudonym("198.51.100.24")
    with time_machine.travel(datetime(2026, 12, 2, 0, 30, tzinfo=UTC), tick=False):
        assert privacy.address_pseudonym(ADDRESS) != monday
        assert list(AddressHashKey.objects.values_list("day", flat=True)) == [
            datetime(2026, 12, 2).date()
        ]
    AddressHashKey.objects.create(day=datetime(2026, 12, 2).date().replace(day=1), secret="x" * 64)
    with time_machine.travel(datetime(2026, 12, 3, 0, 5, tzinfo=UTC), tick=False):
        assert privacy.erase_expired_address_keys() == 2
    assert not AddressHashKey.objects.exists()


def test_the_migration_forgets_the_addresses_kept_before(file):
    anonymous = file()
    hidden = file(phone="+22790123456", hide_identity=True)
    named = file(phone="+22790123457", description="Le bureau de poste de Say est fermé.")
    Complaint.objects.update(submitted_ip=ADDRESS)
    DuplicateSubmission.objects.create(complaint=hidden, channel="web", submitted_ip=ADDRESS)
    migration = importlib.import_module(
        "guichet.complaints.migrations.0003_forget_addresses_of_anonymous_complaints"
    )
    migration.forget_addresses(apps, None)
    kept = dict(Complaint.objects.values_list("pk", "submitted_ip"))
    assert kept == {anonymous.pk: None, hidden.pk: None, named.pk: ADDRESS}
    assert DuplicateSubmission.objects.get().submitted_ip is None


def test_the_ip_limit_still_applies_to_anonymous_complaints(file):
    for n in range(services.IP_LIMIT):
        file(ip=ADDRESS, description=f"Problème numéro {n} au guichet.")
    with pytest.raises(RateLimited):
        file(ip=ADDRESS, description="Encore un autre problème.")
