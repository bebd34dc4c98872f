"""Every tampering with the audit trail listed in docs/deploy.md (« Journal d'audit ») is detected.

Each test builds a log of ten entries with a signed checkpoint written to the database, to Django's
storage and to the shipped directory, then tampers with the database as an intruder with full SQL
access would (triggers disabled, leaf hashes recomputed: the leaf format is public, only the MAC key
and the signing key are secret), and checks that `verify_audit` exits 1 naming the problem.
With the former hash chain, the scenarios marked « passed before » went unnoticed.
"""

import base64
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from guichet.audit import actions, checkpoints, services
from guichet.audit.keys import AuditKey
from guichet.audit.models import AuditCheckpoint, AuditEntry
from guichet.audit.selectors import verify_log
from guichet.audit.testing import rehash, tamper

actions.register("tests.thing.changed")

COLUMNS = (
    "created_at, actor_id, actor_label, organisation_id, action, object_type, object_id, "
    "object_repr, reason, sensitive_read, ip_address, data, mac"
)


@pytest.fixture
def places(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_CHECKPOINT_STORAGE_PATH = "audit/checkpoints"
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "shipped")
    return tmp_path


@pytest.fixture(params=["record", "record_many"])
def log(request, db, places):
    """Ten entries, written one by one (`record`) or in one bulk INSERT (`record_many`, used by
    the archive import): every scenario must be detected for both writers."""
    entries = [
        {"action": "tests.thing.changed", "data": {"n": n}, "reason": f"motif {n}"}
        for n in range(10)
    ]
    if request.param == "record_many":
        services.record_many(entries)
    else:
        for entry in entries:
            services.record(**entry)
    services.publish_checkpoint()
    assert verify_log().intact
    return places


def detected(*fragments: str) -> str:
    """verify_audit exits 1 and names the problem."""
    with pytest.raises(CommandError) as error:
        call_command("verify_audit", "--no-checkpoint")
    assert error.value.returncode == 1
    message = str(error.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def new_uid() -> str:
    return uuid.uuid4().hex


def copy_entry(source_sequence: int, sequence, **changes) -> None:
    """INSERT a row copied from another one, as an intruder forging an entry would."""
    select = ", ".join(
        "%s" if column.strip() in changes else column.strip() for column in COLUMNS.split(",")
    )
    params = [changes[c.strip()] for c in COLUMNS.split(",") if c.strip() in changes]
    tamper(
        f"INSERT INTO audit_auditentry (uid, sequence, leaf_hash, {COLUMNS}) "
        f"SELECT %s, %s, '', {select} FROM audit_auditentry WHERE sequence = %s",
        [new_uid(), sequence, *params, source_sequence],
    )


def move(pairs: dict[int, int]) -> None:
    """Give entries new positions (old → new), through a free range to dodge the unique index."""
    for old in pairs:
        tamper("UPDATE audit_auditentry SET sequence = sequence + 1000 WHERE sequence = %s", [old])
    for old, new in pairs.items():
        tamper("UPDATE audit_auditentry SET sequence = %s WHERE sequence = %s", [new, old + 1000])


def truncate_all() -> None:
    if connection.vendor == "postgresql":
        # The test's own inserts leave deferred foreign-key checks pending, which TRUNCATE refuses.
        tamper("SET CONSTRAINTS ALL IMMEDIATE")
        tamper("TRUNCATE audit_auditentry, audit_auditcheckpoint")
    else:
        tamper("DELETE FROM audit_auditentry")
        tamper("DELETE FROM audit_auditcheckpoint")


# 1 — passed before: « Chaîne d'audit intacte (0 entrées) ».
def test_truncation_of_the_whole_trail_is_detected(log):
    truncate_all()
    detected("couvre 10 entrées, le journal n'en a que 0")


# 2 — passed before.
def test_deletion_of_the_last_entries_is_detected(log):
    tamper("DELETE FROM audit_auditentry WHERE sequence > 7")
    detected("couvre 10 entrées, le journal n'en a que 7")


# 3 — passed before (the database's own checkpoints deleted as well).
def test_tail_deletion_with_the_database_checkpoints_is_detected_from_outside(log):
    tamper("DELETE FROM audit_auditentry WHERE sequence > 7")
    tamper("DELETE FROM audit_auditcheckpoint")
    message = detected("point de contrôle externe", "le journal n'en a que 7")
    assert "shipped" in message and "audit/checkpoints" in message  # both copies tell


# 4 — passed before: edit one entry and recompute every hash after it.
def test_an_edit_with_the_tail_rehashed_is_detected(log):
    tamper("UPDATE audit_auditentry SET reason = 'effacé' WHERE sequence = 6")
    rehash(range(6, 11))
    detected("entrée #6 : contenu modifié", "la racine des 10 premières entrées ne correspond pas")


# 5 — passed before: an entry appended with a correct hash.
def test_a_forged_entry_appended_with_a_correct_leaf_hash_is_detected(log):
    copy_entry(10, 11, reason="accès autorisé", action="criminal_records.bulletin.viewed")
    rehash([11])
    detected("entrée #11 : contenu modifié ou entrée forgée")


# 6 — a forged row left for the sequencer to pick up is never put in the log, and is reported.
def test_a_forged_entry_left_unsequenced_is_refused_by_the_sequencer_and_reported(log):
    copy_entry(10, None, reason="forgée")
    assert services.sequence_pending() == 0
    detected("entrée non séquencée", "forgée")


# 7 — was detected before (hash mismatch); still detected.
def test_an_edited_entry_is_detected(log):
    tamper("UPDATE audit_auditentry SET action = 'tests.thing.hidden' WHERE sequence = 3")
    detected("entrée #3 : contenu modifié", "entrée #3 : empreinte de feuille incorrecte")


# 8 — was detected before (a gap); still detected.
def test_a_deleted_middle_entry_is_detected(log):
    tamper("DELETE FROM audit_auditentry WHERE sequence = 4")
    detected("entrée #4 absente du journal")


# 9 — passed before when the chain was recomputed after the gap was closed.
def test_a_middle_deletion_with_renumbering_and_rehash_is_detected(log):
    tamper("DELETE FROM audit_auditentry WHERE sequence = 4")
    move({n: n - 1 for n in range(5, 11)})
    rehash()
    detected("couvre 10 entrées, le journal n'en a que 9")


# 10 — passed before when every hash after the first moved entry was recomputed.
def test_reordered_entries_are_detected(log):
    move({3: 4, 4: 5, 5: 6, 6: 3})
    rehash()
    detected("la racine des 10 premières entrées ne correspond pas")


# 11 — passed before with the hashes recomputed.
def test_two_swapped_entries_are_detected(log):
    move({2: 7, 7: 2})
    rehash()
    detected("la racine des 10 premières entrées ne correspond pas")


# 12 — passed before with the hashes recomputed.
def test_an_entry_inserted_in_the_middle_is_detected(log):
    move({n: n + 1 for n in range(10, 4, -1)})
    copy_entry(4, 5, reason="inséré")
    rehash()
    detected("entrée #5 : contenu modifié ou entrée forgée", "ne correspond pas")


# 13 — passed before: a valid entry replayed at the end with a fresh hash.
def test_a_duplicated_entry_is_detected(log):
    copy_entry(5, 11)
    rehash([11])
    detected("entrée #11 : contenu modifié ou entrée forgée")


def test_a_duplicate_keeping_the_same_uid_is_refused_by_the_database(log):
    with pytest.raises(DatabaseError), transaction.atomic():
        tamper(
            f"INSERT INTO audit_auditentry (uid, sequence, leaf_hash, {COLUMNS}) "
            f"SELECT uid, 11, leaf_hash, {COLUMNS} FROM audit_auditentry WHERE sequence = 5"
        )


# 14 — passed before with the hashes recomputed.
def test_a_data_field_edited_and_rehashed_is_detected(log):
    entry = AuditEntry.objects.get(sequence=2)
    tamper(
        "UPDATE audit_auditentry SET data = %s WHERE sequence = 2",
        ['{"n": 999}'],
    )
    assert AuditEntry.objects.get(pk=entry.pk).data == {"n": 999}
    rehash([2])
    detected("entrée #2 : contenu modifié", "la racine des 10 premières entrées ne correspond pas")


# 15 — an entry not yet covered by any checkpoint is still protected by its MAC.
def test_an_entry_edited_after_the_last_checkpoint_is_detected(log):
    services.record("tests.thing.changed", reason="après le point de contrôle")
    services.sequence_pending()
    tamper("UPDATE audit_auditentry SET reason = 'autre' WHERE sequence = 11")
    rehash([11])
    detected("entrée #11 : contenu modifié")


# 16 — the shipped copy of a checkpoint deleted.
def test_a_deleted_checkpoint_file_is_detected(log, settings):
    settings.AUDIT_CHECKPOINT_INTERVAL = 0  # the copies are due at once
    for path in (log / "shipped").glob("checkpoint-*.txt"):
        path.unlink()
    detected("absent de dir:", "copie supprimée ou restaurée")


# 17 — the directory and the database rolled back together; the other copy (storage) still holds.
def test_a_rolled_back_checkpoint_directory_with_the_database_is_detected(log):
    for n in range(5):
        services.record("tests.thing.changed", data={"late": n})
    latest = services.publish_checkpoint()
    tamper("DELETE FROM audit_auditentry WHERE sequence > 10")
    tamper("DELETE FROM audit_auditcheckpoint WHERE id = %s", [latest.pk])
    for path in (log / "shipped").glob("checkpoint-000000000015-*.txt"):
        path.unlink()
    detected("couvre 15 entrées, le journal n'en a que 10")


# 18 — every copy on this machine rolled back; the operator's shipped anchor still holds.
def test_a_rollback_of_every_local_copy_is_detected_with_the_shipped_anchor(log, settings):
    for n in range(5):
        services.record("tests.thing.changed", data={"late": n})
    latest = services.publish_checkpoint()
    anchor = log / "kept-elsewhere.txt"
    anchor.write_text(latest.text)
    tamper("DELETE FROM audit_auditentry WHERE sequence > 10")
    tamper("DELETE FROM audit_auditcheckpoint WHERE id = %s", [latest.pk])
    for path in log.rglob("checkpoint-000000000015-*.txt"):
        path.unlink()
    assert verify_log().intact  # nothing left here to tell
    with pytest.raises(CommandError, match="ancre 1 : il couvre 15 entrées"):
        call_command("verify_audit", "--no-checkpoint", "--anchor", str(anchor))


# 19 — a checkpoint whose signature was forged (another key, or altered bytes).
def test_a_checkpoint_with_a_forged_signature_is_detected(log):
    truncate_all()
    services.record("tests.thing.changed", reason="journal réécrit")
    services.sequence_pending()
    rewritten = verify_log()
    intruder = AuditKey(private=Ed25519PrivateKey.generate(), mac_key=b"")
    forged = checkpoints.sign(
        intruder, rewritten.size, rewritten.root, AuditEntry.objects.get().created_at
    )
    for path in log.rglob("checkpoint-*.txt"):
        path.write_text(forged.text)
    detected("signature invalide")


def test_a_checkpoint_with_altered_signature_bytes_is_detected(log):
    (path,) = (log / "shipped").glob("checkpoint-*.txt")
    body, stamp = path.read_text().rstrip("\n").rsplit(" ", 1)
    raw = bytearray(base64.b64decode(stamp))
    raw[-1] ^= 1
    path.write_text(f"{body} {base64.b64encode(bytes(raw)).decode()}\n")
    detected("signature invalide")


# 20 — the database's own checkpoint rewritten to match a rewritten log.
def test_a_rewritten_database_checkpoint_is_detected(log):
    stored = AuditCheckpoint.objects.get()
    tamper("UPDATE audit_auditentry SET reason = 'x' WHERE sequence = 1")
    rehash([1])
    root = verify_log().root
    text = stored.text.replace(
        base64.b64encode(bytes.fromhex(stored.root_hash)).decode(), base64.b64encode(root).decode()
    )
    tamper("UPDATE audit_auditcheckpoint SET text = %s, root_hash = %s", [text, root.hex()])
    detected("signature invalide")


@pytest.mark.postgres
def test_truncate_is_refused_by_the_database_on_postgresql(log):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL guichet.allow_audit_truncate = 'off'")
            cursor.execute("TRUNCATE audit_auditentry CASCADE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE audit_auditcheckpoint")
    assert AuditEntry.objects.count() == 10
