"""The audit log: appends without a lock in the request, a sequencer after commit, signed checkpoints
written outside the database, inclusion proofs, and an action registry checked on every write."""

import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from guichet.audit import actions, checkpoints, services
from guichet.audit.models import AuditCheckpoint, AuditEntry
from guichet.audit.selectors import prove_inclusion, verify_log

actions.register("tests.thing.changed")
actions.register("tests.thing.parallel")


@pytest.fixture(autouse=True)
def checkpoint_places(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_CHECKPOINT_STORAGE_PATH = "audit/checkpoints"
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "shipped")
    return tmp_path


def write_entries(count: int, organisation=None):
    return [
        services.record("tests.thing.changed", organisation=organisation, data={"n": n, "é": "ü"})
        for n in range(count)
    ]


@pytest.mark.django_db
def test_record_inserts_without_a_position_until_the_sequencer_runs():
    entry = services.record("tests.thing.changed", data={"a": 1})
    assert entry.sequence is None and entry.mac and entry.leaf_hash == ""
    assert services.sequence_pending() == 1
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.sequence == 1 and len(entry.leaf_hash) == 64


@pytest.mark.django_db
def test_entries_are_sequenced_in_commit_order_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            first, second = write_entries(2)
    assert list(AuditEntry.objects.order_by("sequence").values_list("pk", "sequence")) == [
        (first.pk, 1),
        (second.pk, 2),
    ]


@pytest.mark.django_db
def test_an_entry_of_a_rolled_back_transaction_never_reaches_the_log():
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.record("tests.thing.changed")
        raise Abort
    assert services.sequence_pending() == 0
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError, match="Unknown audit action"):
        services.record("complaints.complaint.filled")  # typo of complaints.complaint.filed
    assert not AuditEntry.objects.exists()


def test_every_action_used_in_the_code_base_is_registered():
    import ast
    import pathlib

    import guichet

    unregistered = []
    for path in pathlib.Path(guichet.__file__).parent.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "func", None) and getattr(
                node.func, "id", getattr(node.func, "attr", None)
            )
            if name not in {"record", "record_view"}:
                continue
            values = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "action")]
            for value in values:
                if isinstance(value, ast.Constant) and not actions.is_registered(value.value):
                    unregistered.append(f"{path}:{node.lineno} {value.value}")
    assert unregistered == []


def test_action_codes_must_be_dotted_lower_case():
    for bad in ["Complaints.filed", "complaints", "complaints..filed", "complaints.filed ", ""]:
        with pytest.raises(ValueError):
            actions.register(bad)


@pytest.mark.django_db
def test_a_checkpoint_is_signed_stored_and_written_outside_the_database(checkpoint_places):
    write_entries(5)
    checkpoint = services.publish_checkpoint()
    assert checkpoint.tree_size == 5
    signed = checkpoints.parse(checkpoint.text)
    assert signed.signature_is_valid() and signed.root.hex() == checkpoint.root_hash
    shipped = list((checkpoint_places / "shipped").glob("checkpoint-*.txt"))
    stored = list((checkpoint_places / "media" / "audit" / "checkpoints").glob("checkpoint-*.txt"))
    assert [p.read_text() for p in shipped] == [checkpoint.text]
    assert [p.read_text() for p in stored] == [checkpoint.text]


@pytest.mark.django_db
def test_a_checkpoint_builds_on_the_previous_one():
    write_entries(3)
    services.publish_checkpoint()
    write_entries(4)
    second = services.publish_checkpoint()
    report = verify_log()
    assert second.tree_size == 7 and second.root_hash == report.root.hex() and report.intact


@pytest.mark.django_db
def test_a_periodic_checkpoint_is_skipped_when_nothing_changed():
    import datetime as dt

    write_entries(2)
    assert services.publish_checkpoint() is not None
    assert services.publish_checkpoint(min_age=dt.timedelta(seconds=0)) is None


@pytest.mark.django_db
def test_a_changed_signature_does_not_verify():
    write_entries(2)
    text = services.publish_checkpoint().text
    body, stamp = text.rsplit(" ", 1)
    other = "A" if stamp[10] != "A" else "B"
    with pytest.raises(ValueError):
        checkpoints.parse(body + " " + "!!")
    forged = checkpoints.parse(body + " " + stamp[:10] + other + stamp[11:])
    assert not forged.signature_is_valid()


@pytest.mark.django_db
def test_verify_audit_passes_and_publishes_a_checkpoint(capsys):
    write_entries(4)
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "Journal d'audit intact (4 entrées" in out
    assert AuditCheckpoint.objects.get().tree_size == 4


@pytest.mark.django_db
def test_load_demo_ends_with_a_checkpoint_of_the_whole_log(settings):
    settings.DEBUG = True
    call_command("load_demo")
    checkpoint = AuditCheckpoint.objects.order_by("-id").first()
    assert checkpoint.tree_size == AuditEntry.objects.count() > 0
    assert verify_log().intact


@pytest.mark.django_db
def test_audit_checkpoint_command_publishes_only_when_due(capsys):
    write_entries(1)
    call_command("audit_checkpoint")
    call_command("audit_checkpoint", "--if-due")
    assert AuditCheckpoint.objects.count() == 1
    assert "Aucun point de contrôle nécessaire" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_inclusion_proof_shows_an_entry_is_in_the_signed_log(capsys):
    entries = write_entries(11)
    services.publish_checkpoint()
    for entry in entries:
        proof = prove_inclusion(AuditEntry.objects.get(pk=entry.pk))
        assert proof.verifies()
    call_command("audit_prove", str(entries[6].pk))
    shown = json.loads(capsys.readouterr().out)
    assert shown["leaf_index"] == 6 and shown["tree_size"] == 11 and shown["verified"]
    assert len(shown["inclusion_path"]) == 4


@pytest.mark.django_db
def test_an_inclusion_proof_for_another_leaf_does_not_verify():
    entries = write_entries(6)
    services.publish_checkpoint()
    good = prove_inclusion(AuditEntry.objects.get(pk=entries[2].pk))
    other = prove_inclusion(AuditEntry.objects.get(pk=entries[3].pk))
    assert not type(good)(**{**good.__dict__, "leaf_hash": other.leaf_hash}).verifies()


@pytest.mark.django_db
def test_audit_prove_refuses_an_entry_no_checkpoint_covers():
    (entry,) = write_entries(1)
    with pytest.raises(CommandError, match="pas encore couverte"):
        call_command("audit_prove", str(entry.pk))
    with pytest.raises(CommandError, match="Aucune entrée"):
        call_command("audit_prove", "999999")


@pytest.mark.django_db
def test_orm_refuses_edits_and_deletions():
    (entry,) = write_entries(1)
    entry.reason = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(reason="x")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET reason = 'x'",
        "DELETE FROM audit_auditentry",
        "UPDATE audit_auditentry SET sequence = 99, leaf_hash = 'ab'",
        "UPDATE audit_auditcheckpoint SET tree_size = 0",
        "DELETE FROM audit_auditcheckpoint",
    ],
)
def test_the_database_itself_refuses_edits_and_deletions(sql):
    from django.db import DatabaseError

    write_entries(2)
    services.publish_checkpoint()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.mark.django_db
def test_a_sensitive_read_requires_a_reason(make_agent):
    agent = make_agent("j.juge", "judge", "TGI-NIAMEY")
    with pytest.raises(ValueError):
        services.record("criminal_records.bulletin.viewed", actor=agent, sensitive_read=True)
    entry = services.record(
        "criminal_records.bulletin.viewed",
        actor=agent,
        target=agent,
        sensitive_read=True,
        reason="Instruction du dossier 2026/114",
    )
    assert entry.actor_label == "j.juge" and entry.object_type == "accounts.user"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_do_not_fork_or_lose_entries():
    writers, per_writer = 8, 25
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def writer():
        try:
            barrier.wait()
            for n in range(per_writer):
                services.record("tests.thing.parallel", data={"n": n})
        except BaseException as error:  # reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    # Each writer's after-commit sequencer either did the work or left it to the lock's holder,
    # who looks again after releasing it: nothing is left pending, nothing numbered twice.
    sequences = sorted(AuditEntry.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, writers * per_writer + 1))
    assert verify_log().intact
