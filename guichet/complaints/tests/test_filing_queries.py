"""What one filing costs the database (issue 9, throughput): an upper bound on its queries, so
that a change adding round trips to every complaint fails here rather than in the benchmark."""

import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet import after_commit
from guichet.audit import actions as audit_actions
from guichet.audit.models import AuditEntry
from guichet.complaints import references, services
from guichet.complaints.models import Complaint
from guichet.notifications.models import Message
from guichet.throttling import create_rate_table

# Real commits: the after-commit work (sequencer, notice) runs as in production.
pytestmark = pytest.mark.django_db(transaction=True)

# Measured per filing with the after-commit work run inline, as tests do (sequencing the two
# audit entries, sending the SMS notice): 20 on PostgreSQL, 17 on SQLite (no advisory lock, the
# notice's claim in two statements); 23 and 20 before the two audit entries became one INSERT
# (audit.gathered_entries), the partner's and the phone's rate counters one upsert
# (throttling.check_rates) and the category a per-process memo; 24 before the notice's claim
# became one statement, the sequencer's two reads one, and the partner and holidays a
# per-process memo (process_memo.py); 47 before the rate limits left Django's database cache.
MAX_QUERIES = {"postgresql": 20, "sqlite": 17}
# The request itself when its after-commit work goes to the process's thread (production,
# guichet/after_commit.py): the rate counters (one upsert), BEGIN, the fingerprint's lock
# (PostgreSQL only), the duplicate look-up, the case, its event, the complaint, both audit
# entries (one INSERT), the notice, COMMIT.
MAX_REQUEST_QUERIES = {"postgresql": 10, "sqlite": 9}
# The partner's and the category's rows are read again when the two posts are further apart than
# their memo keeps them (a loaded machine): two more statements then.
MEMO_SECONDS = min(services.PARTNER_MEMO_SECONDS, services.CATEGORY_MEMO_SECONDS)


def _budget(table: dict, since: float) -> int:
    return table[connection.vendor] + (2 if time.monotonic() - since >= MEMO_SECONDS else 0)


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
    warmed = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, 2)
    assert response.status_code == 201
    assert len(queries.captured_queries) <= _budget(MAX_QUERIES, warmed), "\n".join(
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


def _audit_inserts(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('INSERT INTO "audit_auditentry"')
    ]


def test_both_audit_entries_of_a_filing_are_one_insert(client, categories, database_counters):
    services.issue_open311_key("Banc", key="bench-key")
    assert _post(client, 1).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, 2).status_code == 201
    assert len(_audit_inserts(queries)) == 1
    complaint = Complaint.objects.get(phone="+22790000002")
    filed = AuditEntry.objects.get(
        action=audit_actions.Complaints.COMPLAINT_FILED, object_id=str(complaint.pk)
    )
    opened = AuditEntry.objects.get(object_type="workflow.case", object_id=str(complaint.case_id))
    # In the order recorded: the case's opening, then the filing; both sequenced once.
    assert opened.pk < filed.pk and opened.sequence + 1 == filed.sequence


@pytest.fixture
def threaded(settings):
    settings.AFTER_COMMIT_IN_THREAD = True
    yield
    assert after_commit.stop_all(timeout=30)


def test_a_filing_leaves_sequencing_and_its_notice_to_the_process_thread(
    client, categories, database_counters, threaded
):
    services.issue_open311_key("Banc", key="bench-key")
    assert _post(client, 1).status_code == 201
    assert after_commit.drain_all(timeout=30)
    warmed = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, 2)
    assert response.status_code == 201
    assert len(queries.captured_queries) <= _budget(MAX_REQUEST_QUERIES, warmed), "\n".join(
        query["sql"][:120] for query in queries.captured_queries
    )
    assert not any('audit_auditentry" SET' in q["sql"] for q in queries.captured_queries)
    assert after_commit.drain_all(timeout=30)
    assert AuditEntry.objects.filter(sequence__isnull=True).count() == 0
    positions = sorted(AuditEntry.objects.values_list("sequence", flat=True))
    assert positions == list(range(1, len(positions) + 1))
    notice = Message.objects.get(recipient="+22790000002")
    assert notice.status == Message.Status.DELIVERED and notice.attempts == 1


def _complaint_reads(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and 'FROM "complaints_complaint"' in query["sql"]
    ]


def test_the_duplicate_look_up_reads_only_the_id_and_a_duplicate_its_row_once(
    client, categories, database_counters
):
    services.issue_open311_key("Banc", key="bench-key")
    assert _post(client, 1).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, 2).status_code == 201
    (look_up,) = _complaint_reads(queries)
    assert look_up.startswith('SELECT "complaints_complaint"."id" AS "pk" FROM')
    if connection.vendor == "postgresql":
        assert look_up.endswith("FOR UPDATE")  # the first complaint stays locked until commit
    # The same submission again: the look-up, then the first complaint's row with its category
    # and organisation in one read; linked, answered 200 with the first id.
    first = Complaint.objects.get(phone="+22790000002")
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, 2)
    assert response.status_code == 200
    assert response.json()[0]["service_request_id"] == first.public_id
    look_up, row = _complaint_reads(queries)
    assert look_up.startswith('SELECT "complaints_complaint"."id" AS "pk" FROM')
    assert '"complaints_category"' in row and '"accounts_organisation"' in row
    first.refresh_from_db()
    assert first.duplicate_count == 1
