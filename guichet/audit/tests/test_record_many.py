"""`record_many`: the bulk writer gives the entries `record` would give, in one INSERT per batch."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from guichet.audit import actions, services
from guichet.audit.models import AuditEntry
from guichet.audit.sealing import content, entry_mac, mac_is_valid
from guichet.audit.selectors import verify_log

actions.register("tests.thing.changed")
actions.register("tests.thing.bulk")


@pytest.fixture(autouse=True)
def checkpoint_places(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_CHECKPOINT_STORAGE_PATH = "audit/checkpoints"
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "shipped")


def entries(count: int, action: str = "tests.thing.bulk") -> list[dict]:
    return [
        {"action": action, "data": {"n": n, "é": "ü"}, "reason": f" motif {n} "}
        for n in range(count)
    ]


@pytest.mark.django_db
def test_many_entries_are_written_by_one_insert():
    # 50 rows: one batch on both databases (Django caps SQLite's at 999 parameters, 16 per row).
    with CaptureQueriesContext(connection) as queries:
        written = services.record_many(entries(50))
    inserts = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1
    assert AuditEntry.objects.filter(action="tests.thing.bulk").count() == 50
    assert all(entry.pk for entry in written)


@pytest.mark.django_db
def test_entries_get_the_same_canonical_content_and_mac_as_record():
    single = services.record("tests.thing.bulk", data={"n": 0, "é": "ü"}, reason=" motif 0 ")
    (bulk,) = services.record_many(entries(1))
    single, bulk = (AuditEntry.objects.get(pk=e.pk) for e in (single, bulk))
    ignored = {"uid", "created_at"}
    assert {k: v for k, v in content(bulk).items() if k not in ignored} == {
        k: v for k, v in content(single).items() if k not in ignored
    }
    assert bulk.reason == "motif 0"
    assert mac_is_valid(bulk) and bulk.mac == entry_mac(bulk)


@pytest.mark.django_db
def test_positions_follow_the_list_and_come_after_earlier_entries(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first = services.record("tests.thing.changed")
        written = services.record_many(entries(5))
    ordered = list(AuditEntry.objects.order_by("sequence").values_list("pk", "data__n"))
    assert ordered == [(first.pk, None)] + [(entry.pk, n) for n, entry in enumerate(written)]
    services.publish_checkpoint()
    assert verify_log().intact


@pytest.mark.django_db
def test_one_unregistered_action_refuses_the_whole_batch():
    batch = [*entries(3), {"action": "tests.thing.unknown"}]
    with pytest.raises(ValueError):
        services.record_many(batch)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_sensitive_read_without_reason_refuses_the_whole_batch():
    batch = [*entries(2), {"action": "tests.thing.bulk", "sensitive_read": True}]
    with pytest.raises(ValueError, match="reason"):
        services.record_many(batch)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_entries_of_a_rolled_back_transaction_never_reach_the_log():
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.record_many(entries(4))
        raise Abort
    assert services.sequence_pending() == 0
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_nothing_to_write_writes_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert services.record_many([]) == []
    assert len(queries) == 0
