"""SMS encoding and concatenation (3GPP TS 23.038 and TS 23.040).

An SMS carries 140 octets of user data: 160 characters of the GSM 7-bit default alphabet, or 70
UCS-2 code units. A concatenated message spends 6 octets of each part on the user data header
(TS 23.040 §9.2.3.24.1), leaving 153 septets or 67 UCS-2 code units per part.

French mostly fits the GSM alphabet (é è ù à Ç …), but ê, â, ô, ç, œ and the Hausa hooked
letters do not: one of them would switch the whole message to UCS-2 and more than double its cost.
With the `SMS_TRANSLITERATE` setting on (the default) they are replaced by their closest GSM
character; text that cannot be transliterated (Arabic script, emoji…) is sent in UCS-2 unchanged.

Plain Python, no Django import except for reading that one setting.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

GSM7 = "gsm7"
UCS2 = "ucs2"

# TS 23.038 §6.2.1: the default alphabet, in code order 0x00-0x7F (0x1B, the escape to the
# extension table, is not a character and is left out).
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
).replace("\x1b", "")
# TS 23.038 §6.2.1.1: the extension table; each character costs the escape septet plus its own.
GSM_EXTENSION = "\f^{}\\[~]|€"

_BASIC = frozenset(GSM_BASIC)
_EXTENSION = frozenset(GSM_EXTENSION)
_GSM7 = _BASIC | _EXTENSION

SINGLE_GSM7 = 160
PART_GSM7 = 153
SINGLE_UCS2 = 70
PART_UCS2 = 67

# Closest GSM spelling of characters common in French, Hausa and Zarma text and in what word
# processors produce. Anything not listed falls back to its letter without diacritics (NFD).
_TRANSLITERATION = {
    "ç": "c",  # GSM has only the capital Ç; "reÇu" would read worse than "recu".
    "œ": "oe",
    "Œ": "OE",
    "…": "...",
    "’": "'",
    "‘": "'",
    "‚": ",",
    "ʼ": "'",  # Hausa 'y and glottal stop (U+02BC)
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "–": "-",
    "—": "-",
    "‐": "-",
    "−": "-",
    "\u00a0": " ",  # French typography puts (narrow) no-break spaces before : ; ! ?
    "\u202f": " ",
    "\u2009": " ",
    "\t": " ",
    "ɓ": "b",
    "Ɓ": "B",
    "ɗ": "d",
    "Ɗ": "D",
    "ƙ": "k",
    "Ƙ": "K",
    "ƴ": "y",
    "Ƴ": "Y",
    "ŋ": "n",
    "Ŋ": "N",
    "ɲ": "ny",
    "Ɲ": "NY",
    "ɛ": "e",
    "Ɛ": "E",
    "ɔ": "o",
    "Ɔ": "O",
    "•": "-",
    "°": "o",
    "`": "'",
    "´": "'",
}


def gsm_length(char: str) -> int:
    """Septets that one character takes in GSM-7: 1, 2 for the extension table, 0 if absent."""
    if char in _BASIC:
        return 1
    if char in _EXTENSION:
        return 2
    return 0


def is_gsm7(text: str) -> bool:
    return _GSM7.issuperset(text)


# Every notice passes through here (twice: stored, then sent); the same few characters each time.
@lru_cache(maxsize=4096)
def _transliterate_char(char: str) -> str | None:
    if char in _BASIC or char in _EXTENSION:
        return char
    if char in _TRANSLITERATION:
        return _TRANSLITERATION[char]
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
    )
    if stripped and is_gsm7(stripped):
        return stripped
    return None


def transliterate(text: str) -> str | None:
    """The text in the GSM alphabet, or None if some character has no GSM look-alike.

    Characters that GSM-7 holds (é è ù ì ò à Ç ä ö ñ ü …) are kept as they are; the accents
    are removed only from those it lacks (ê → e, â → a, ô → o).
    """
    # NFC first, so that "e" + combining acute becomes the "é" the GSM alphabet has.
    out = []
    for char in unicodedata.normalize("NFC", text):
        replacement = _transliterate_char(char)
        if replacement is None:
            return None
        out.append(replacement)
    return "".join(out)


@dataclass(frozen=True)
class SmsSegments:
    """How a text travels: its encoding, the parts sent, and the text the parts rejoin to."""

    encoding: str
    parts: list[str]
    text: str

    @property
    def count(self) -> int:
        return len(self.parts)

    @property
    def kannel_coding(self) -> int:
        """Kannel's sendsms `coding`: 0 for 7-bit, 2 for UCS-2."""
        return 2 if self.encoding == UCS2 else 0


def _ucs2_units(char: str) -> int:
    """UTF-16 code units: characters outside the BMP take a surrogate pair."""
    return 2 if ord(char) > 0xFFFF else 1


def _split(text: str, cost, single: int, per_part: int) -> list[str]:
    """Cut `text` into parts of at most `per_part` units (one part if it all fits in `single`).

    A character is never cut in two: an extension-table character (escape + septet) or a
    surrogate pair goes whole into the next part when it does not fit in the current one.
    """
    if not text:
        return [""]
    if sum(map(cost, text)) <= single:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        size = cost(char)
        if used + size > per_part:
            parts.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += size
    parts.append("".join(current))
    return parts


def _setting_transliterate() -> bool:
    try:
        from django.conf import settings

        return bool(getattr(settings, "SMS_TRANSLITERATE", True))
    except Exception:  # Django not configured: plain-Python use (benchmarks, scripts).
        return True


def encode_segments(text: str, *, transliterate_text: bool | None = None) -> SmsSegments:
    """Choose GSM-7 or UCS-2 for `text` and split it into the parts that will be sent.

    `transliterate_text` defaults to the `SMS_TRANSLITERATE` setting (on unless set to False).
    """
    text = unicodedata.normalize("NFC", text)
    if transliterate_text is None:
        transliterate_text = _setting_transliterate()
    if not is_gsm7(text) and transliterate_text:
        text = transliterate(text) or text
    if is_gsm7(text):
        return SmsSegments(GSM7, _split(text, gsm_length, SINGLE_GSM7, PART_GSM7), text)
    return SmsSegments(UCS2, _split(text, _ucs2_units, SINGLE_UCS2, PART_UCS2), text)
