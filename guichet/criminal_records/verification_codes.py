"""Verification codes of issued extracts: built, shown and parsed here only.

A code is 160 random bits written in Crockford's base32 (https://www.crockford.com/base32.html):
32 symbols from 0-9 and A-Z without I, L, O and U, so that no two symbols look alike. It is stored
without separators and shown in eight groups of four (« 7K2M-9QXD-… »). A code typed back is
accepted with any spaces, hyphens or case, and with Crockford's decoding of the look-alikes
(I and L read as 1, O as 0).

Extracts issued before this scheme carry an RFC 4648 base32 code (A-Z, 2-7, 32 symbols), which may
contain I, L or O: `candidates()` tries the code as typed first, so those stay verifiable.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
LENGTH = 32  # 160 bits
GROUP = 4
_LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")
MAX_TYPED_LENGTH = 80


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def grouped(code: str) -> str:
    """« 7K2M-9QXD-… » for reading, printing and dictating."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def candidates(typed: str) -> list[str]:
    """The stored forms a typed code may stand for, most literal first (empty: not a code)."""
    if not typed or len(typed) > MAX_TYPED_LENGTH:
        return []
    compact = _SEPARATORS.sub("", typed).upper()
    if not compact or not compact.isalnum() or len(compact) > 40:
        return []
    forms = [compact]
    crockford = compact.translate(_LOOK_ALIKES)
    if crockford != compact and all(c in ALPHABET for c in crockford):
        forms.append(crockford)
    return forms
