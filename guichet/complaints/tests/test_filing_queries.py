"""What one filing costs the database (issue 9, throughput): an upper bound on its queries, so
that a change adding round trips to every complaint fails here rather than in the benchmark."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.audit import actions as audit_actions
from guichet.audit.models import AuditEntry
from guichet.complaints import references, services
from guichet.complaints.models import Complaint
from guichet.notifications.models import Message
from guichet.throttling import create_rate_table

# Real commits: the after-commit work (sequencer, notice) runs as in production.
pytestmark = pytest.mark.django_db(transaction=True)

# Measured: 24 per filing on PostgreSQL (bench/complaints_cpu.py), with the after-commit work
# (sequencing the two audit entries, sending the SMS notice); 26 before the notice's claim became one statement, the sequencer's two
# reads one, and the partner and holidays a per-process memo (process_memo.py); 47 before the
# rate limits left Django's database cache. One more is allowed: the partner's row is read again
# when the two posts are more than PARTNER_MEMO_SECONDS apart (a loaded machine).
MAX_QUERIES = 25


@pytest.fixture
def database_counters(settings):
    """The embedded mode's counters (no Redis): what the benchmark's server runs."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": settings.CACHE_TABLE,
        }
    }
    call_command("createcachetable")
    create_rate_table()


def _post(client, n: int):
    return client.post(
        "/open311/v2/requests.json",
        {
            "api_key": "bench-key",
            "service_code": "transport-taxis",
            "lat": "13.5116",
            "long": "2.1254",
            "description": f"Le bus de la ligne {n} ne passe plus depuis lundi.",
            "phone": f"+2279{n:07d}",
        },
    )


def test_one_open311_filing_stays_within_its_query_budget(client, categories, database_counters):
    services.issue_open311_key("Banc", key="bench-key")
    assert _post(client, 1).status_code == 201  # warm: content types, URLconf
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, 2)
    assert response.status_code == 201
    assert len(queries.captured_queries) <= MAX_QUERIES, "\n".join(
        query["sql"][:120] for query in queries.captured_queries
    )
    # Still the whole filing: two audit entries, sequenced, and the notice sent.
    complaint = Complaint.objects.get(phone="+22790000002")
    assert AuditEntry.objects.filter(sequence__isnull=True).count() == 0
    assert AuditEntry.objects.filter(
        action=audit_actions.Complaints.COMPLAINT_FILED, object_id=str(complaint.pk)
    ).exists()
    notice = Message.objects.get(recipient="+22790000002")
    assert notice.status == Message.Status.DELIVERED and notice.attempts == 1


def test_a_clash_of_random_identifiers_is_drawn_again(categories, niamey, monkeypatch):
    first = services.file_complaint(
        category=categories["autre"],
        description="Première plainte, sa référence sera tirée de nouveau.",
        channel=Complaint.Channel.WEB,
        region=niamey,
    ).complaint
    draws = iter([first.reference, "ABCDEFGHJK"])
    monkeypatch.setattr(references, "new_reference", lambda: next(draws))
    second = services.file_complaint(
        category=categories["autre"],
        description="Seconde plainte : la première référence est déjà prise.",
        channel=Complaint.Channel.WEB,
        region=niamey,
    ).complaint
    assert second.reference == "ABCDEFGHJK"
    assert Complaint.objects.count() == 2
