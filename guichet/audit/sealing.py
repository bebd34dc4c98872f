"""What is authenticated and hashed for an entry: one canonical serialisation, in one place.

- `entry_mac(entry)`: HMAC-SHA256 of the content under the platform's audit key (set by `record`);
- `entry_leaf(entry)`: the RFC 9162 leaf `d(i)` of a sequenced entry: its position, its content
  and its MAC; `entry_leaf_hash(entry)` = SHA-256(0x00 || d(i)).
"""

import hashlib
import hmac
import json

from guichet.audit.keys import audit_key
from guichet.audit.merkle import leaf_hash

LEAF_PREFIX = b"guichet-audit-leaf-v1\n"


def content(entry) -> dict:
    return {
        "uid": str(entry.uid),
        "created_at": entry.created_at.isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "organisation": entry.organisation_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "reason": entry.reason,
        "sensitive_read": entry.sensitive_read,
        "ip_address": entry.ip_address,
        "data": entry.data,
    }


def _canonical(value: dict) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_mac(entry) -> str:
    return hmac.new(audit_key().mac_key, _canonical(content(entry)), hashlib.sha256).hexdigest()


def mac_is_valid(entry) -> bool:
    return hmac.compare_digest(entry_mac(entry), entry.mac or "")


def entry_leaf(entry, sequence: int | None = None) -> bytes:
    position = entry.sequence if sequence is None else sequence
    return LEAF_PREFIX + _canonical({"sequence": position, "mac": entry.mac, **content(entry)})


def entry_leaf_hash(entry, sequence: int | None = None) -> bytes:
    return leaf_hash(entry_leaf(entry, sequence))
