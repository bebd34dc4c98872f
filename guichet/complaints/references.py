"""Tracking references: what a citizen types or reads out on the phone to follow a complaint.

A reference is a bearer secret (whoever holds it reads the history and may reply, confirm or
reopen), so it is drawn with `secrets`, never derived from a sequence or a date. Ten characters
from a 27-symbol alphabet give 27**10 ≈ 2.1e14 values: guessing one among a million complaints
takes ~1e8 tries on average, far beyond what the per-IP rate limit of the lookup page allows.
The alphabet leaves out letters and digits read or typed alike (0/O, 1/I/L, 5/S, U/V) and is
all upper case, so a reference survives being dictated, handwritten or typed on a keypad.
"""

import secrets

ALPHABET = "ABCDEFGHJKMNPQRTWXYZ2346789"
LENGTH = 10


def new_reference() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_token(length: int = 16) -> str:
    """An opaque token (Open311 tokens, public request ids): same alphabet, longer."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(raw: str) -> str:
    """What the citizen typed → the canonical reference (spaces, dashes and case ignored).

    Returns "" when it cannot be a reference, so callers answer "not found" without a query.
    """
    value = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    if len(value) != LENGTH or any(ch not in ALPHABET for ch in value):
        return ""
    return value


def display(reference: str) -> str:
    """Grouped for reading aloud: ABCDE-FGHJK."""
    return f"{reference[:5]}-{reference[5:]}" if len(reference) == LENGTH else reference
