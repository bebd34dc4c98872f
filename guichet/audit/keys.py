"""The platform's audit key: an Ed25519 key that signs checkpoints, and the entry MAC key derived from it.

Production names a PEM (PKCS#8) private key with `GUICHET_AUDIT_SIGNING_KEY_FILE`, readable by the
application only; development and tests generate one under `var/audit/` (`GUICHET_AUDIT_GENERATED_KEY`,
on when DEBUG or testing). Verifiers also accept the public keys listed in
`GUICHET_AUDIT_PREVIOUS_PUBLIC_KEYS` (base64, after a key rotation).
"""

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_MAC_KEY_LABEL = b"guichet audit entry authentication v1"


@dataclass(frozen=True)
class AuditKey:
    private: Ed25519PrivateKey
    mac_key: bytes

    @property
    def public_bytes(self) -> bytes:
        return public_raw(self.private.public_key())

    @property
    def key_id(self) -> str:
        return key_id(self.public_bytes)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def public_raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: bytes) -> str:
    """Four bytes naming the key, as C2SP signed notes do: SHA-256(origin || 0x0A || 0x01 || key)."""
    origin = settings.AUDIT_LOG_ORIGIN.encode()
    return hashlib.sha256(origin + b"\n\x01" + public).digest()[:4].hex()


def audit_key() -> AuditKey:
    return _load(
        settings.AUDIT_SIGNING_KEY_FILE,
        settings.AUDIT_ALLOW_GENERATED_KEY,
        str(settings.AUDIT_KEY_DIR),
    )


@lru_cache(maxsize=8)
def _load(key_file: str, allow_generated: bool, key_dir: str) -> AuditKey:
    if key_file:
        path = Path(key_file)
    elif allow_generated:
        path = Path(key_dir) / "signing-key.pem"
        if not path.exists():
            _generate(path)
    else:
        raise ImproperlyConfigured(
            "GUICHET_AUDIT_SIGNING_KEY_FILE must name the audit trail's Ed25519 key (PEM) when "
            "GUICHET_DEBUG is off (see docs/deploy.md, « Journal d'audit »)."
        )
    try:
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"Cannot read the audit signing key {path}: {error}") from error
    if not isinstance(private, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"The audit signing key {path} is not an Ed25519 key.")
    seed = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return AuditKey(
        private=private, mac_key=hmac.new(seed, _MAC_KEY_LABEL, hashlib.sha256).digest()
    )


def _generate(path: Path) -> None:
    """Create the development key once, atomically (parallel test workers may race here)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(pem)
    os.chmod(temporary, 0o600)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)


def trusted_public_keys() -> dict[str, Ed25519PublicKey]:
    """key id → public key: the current key and those retired by a rotation."""
    current = audit_key().private.public_key()
    keys = {key_id(public_raw(current)): current}
    for encoded in settings.AUDIT_TRUSTED_PUBLIC_KEYS:
        raw = base64.b64decode(encoded)
        keys[key_id(raw)] = Ed25519PublicKey.from_public_bytes(raw)
    return keys


def verify_signature(key_identifier: str, signature: bytes, message: bytes) -> bool:
    public = trusted_public_keys().get(key_identifier)
    if public is None:
        return False
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return False
    return True
