"""Signed checkpoints (tree heads) of the audit log, and their copies outside the database.

The text follows the C2SP « tlog-checkpoint » layout (origin, tree size, base64 root hash, then an
extension line holding the time), signed with Ed25519 as a signed note:

    guichet.ne/audit
    1234
    3q2+7w...base64 root...=
    2026-12-01T20:15:00.123456+00:00

    — guichet.ne/audit <base64(key id (4 bytes) || signature (64 bytes))>

Each checkpoint is written to Django's storage under `AUDIT_CHECKPOINT_STORAGE_PATH` (object storage
in production) and, when `GUICHET_AUDIT_CHECKPOINT_DIR` is set, to that directory, which the
operator ships elsewhere (rsync, backup, printed report). `verify_audit` reads them back from both.
"""

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from guichet.audit.keys import AuditKey, verify_signature

SIGNATURE_DASH = "—"  # U+2014, as in C2SP signed notes


@dataclass(frozen=True)
class SignedCheckpoint:
    origin: str
    tree_size: int
    root: bytes
    timestamp: str
    key_id: str
    signature: bytes
    text: str
    source: str = ""

    @property
    def body(self) -> bytes:
        return _body(self.origin, self.tree_size, self.root, self.timestamp)

    def signature_is_valid(self) -> bool:
        return self.origin == settings.AUDIT_LOG_ORIGIN and verify_signature(
            self.key_id, self.signature, self.body
        )

    @property
    def file_name(self) -> str:
        stamp = self.timestamp.replace("-", "").replace(":", "").replace("+0000", "Z")
        return f"checkpoint-{self.tree_size:012d}-{stamp.replace('.', '')}.txt"


def _body(origin: str, tree_size: int, root: bytes, timestamp: str) -> bytes:
    return f"{origin}\n{tree_size}\n{base64.b64encode(root).decode()}\n{timestamp}\n".encode()


def sign(key: AuditKey, tree_size: int, root: bytes, at: dt.datetime) -> SignedCheckpoint:
    origin = settings.AUDIT_LOG_ORIGIN
    timestamp = at.astimezone(dt.UTC).isoformat()
    body = _body(origin, tree_size, root, timestamp)
    signature = key.sign(body)
    stamp = base64.b64encode(bytes.fromhex(key.key_id) + signature).decode()
    text = body.decode() + f"\n{SIGNATURE_DASH} {origin} {stamp}\n"
    return SignedCheckpoint(origin, tree_size, root, timestamp, key.key_id, signature, text)


def parse(text: str, source: str = "") -> SignedCheckpoint:
    """Read a checkpoint's text; ValueError if it is not one."""
    try:
        body, signature_block = text.split("\n\n", 1)
        origin, size, root, timestamp = body.split("\n")
        dash, signer, stamp = signature_block.strip().split(" ")
        raw = base64.b64decode(stamp, validate=True)
        root_bytes = base64.b64decode(root, validate=True)
        tree_size = int(size)
    except (ValueError, binascii.Error) as error:
        raise ValueError(f"not a checkpoint ({error})") from error
    if dash != SIGNATURE_DASH or signer != origin or len(raw) != 68 or len(root_bytes) != 32:
        raise ValueError("not a checkpoint (malformed signature line)")
    if tree_size < 0:
        raise ValueError("not a checkpoint (negative size)")
    return SignedCheckpoint(
        origin, tree_size, root_bytes, timestamp, raw[:4].hex(), raw[4:], text, source
    )


def write_external(checkpoint: SignedCheckpoint) -> list[str]:
    """Write the checkpoint to every configured place outside the database; return where."""
    written = []
    if settings.AUDIT_CHECKPOINT_STORAGE_PATH:
        name = f"{settings.AUDIT_CHECKPOINT_STORAGE_PATH.rstrip('/')}/{checkpoint.file_name}"
        written.append(default_storage.save(name, ContentFile(checkpoint.text.encode())))
    if settings.AUDIT_CHECKPOINT_DIR:
        directory = Path(settings.AUDIT_CHECKPOINT_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / checkpoint.file_name
        if not path.exists():
            with open(path, "x", encoding="utf-8") as out:
                out.write(checkpoint.text)
        written.append(str(path))
    return written


def external_locations() -> list[str]:
    places = []
    if settings.AUDIT_CHECKPOINT_STORAGE_PATH:
        places.append(f"storage:{settings.AUDIT_CHECKPOINT_STORAGE_PATH}")
    if settings.AUDIT_CHECKPOINT_DIR:
        places.append(f"dir:{settings.AUDIT_CHECKPOINT_DIR}")
    return places


def read_external() -> dict[str, list[tuple[str, str]]]:
    """location → [(name, text)] of every checkpoint file found outside the database."""
    found: dict[str, list[tuple[str, str]]] = {}
    if settings.AUDIT_CHECKPOINT_STORAGE_PATH:
        path = settings.AUDIT_CHECKPOINT_STORAGE_PATH.rstrip("/")
        files = []
        try:
            _dirs, names = default_storage.listdir(path)
        except FileNotFoundError:
            names = []
        for name in sorted(names):
            if name.startswith("checkpoint-") and name.endswith(".txt"):
                with default_storage.open(f"{path}/{name}") as handle:
                    files.append((f"{path}/{name}", handle.read().decode("utf-8", "replace")))
        found[f"storage:{path}"] = files
    if settings.AUDIT_CHECKPOINT_DIR:
        directory = Path(settings.AUDIT_CHECKPOINT_DIR)
        found[f"dir:{directory}"] = [
            (str(p), p.read_text(encoding="utf-8", errors="replace"))
            for p in sorted(directory.glob("checkpoint-*.txt"))
        ]
    return found
