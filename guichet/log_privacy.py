"""Logs keep no phone number and no tracking reference (law n° 2022-59 on personal data).

`MaskPersonalData` is a `logging.Filter` attached to every handler of `settings.LOGGING` (the
console, the runserver's request lines, gunicorn's access log when it is on): each record's
message, arguments included, and its traceback leave the filter with

- phone numbers — E.164 (+227 90 12 34 56, as gateways send it: 22790123456, 0022790123456,
  URL-encoded %2B227…) and Niger's 8-digit mobile numbers (90 12 34 56, 90.12.34.56) — as
  « [téléphone] »;
- complaint references (ABCDE-FGHJK, any case), Open311 tokens and public ids (the same alphabet,
  12 to 20 characters), bulletin references (CJ-1A2B3C4D) and bulletin verification codes
  (8 groups of 4 Crockford base32 characters) — as « [référence] ».

A reference is a bearer secret (whoever holds it may act on the complaint) and a phone number
identifies a complainant who asked to stay hidden: neither belongs in a log file kept for weeks
and read by operators. Dates, times, amounts and database ids stay readable (a bare run of digits
is masked only if it is a mobile number's 8 digits starting with 6 to 9, or an international one).

Plain Python, without Django: placed with the utilities in the import-linter layers.
"""

from __future__ import annotations

import logging
import re

PHONE_MASK = "[téléphone]"
REFERENCE_MASK = "[référence]"

# A separator inside a number as people and URLs write it: space, dot, dash, "+" or %20.
_SEP = r"(?:[ .\-+]|%20)?"
_PHONE = re.compile(
    r"(?<![\w%])"
    r"(?:"
    # International: +227…, 00227…, 227… (gateways drop the +), %2B227… (URL-encoded).
    rf"(?:\+|%2B|00)?{_SEP}227{_SEP}\d\d(?:{_SEP}\d\d){{3}}"
    r"|"
    # Any other international number written with its + (a foreign sender relayed).
    rf"(?:\+|%2B)\d{{1,3}}{_SEP}\d{{2,4}}(?:{_SEP}\d{{2,4}}){{1,4}}"
    r"|"
    # Niger's national mobile numbers: 8 digits from 60 to 99, grouped or not.
    rf"[6-9]\d(?:{_SEP}\d\d){{3}}"
    r")"
    r"(?![\w])",
    re.IGNORECASE,
)
# Complaint references and Open311 tokens: guichet.complaints.references.ALPHABET.
_COMPLAINT_ALPHABET = "ABCDEFGHJKMNPQRTWXYZ2346789"
_COMPLAINT_REFERENCE = re.compile(
    rf"(?<![A-Za-z0-9])(?:[{_COMPLAINT_ALPHABET}]{{5}}(?:-|\+|%20| )?[{_COMPLAINT_ALPHABET}]{{5}}"
    rf"|[{_COMPLAINT_ALPHABET}]{{12,20}})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# Bulletin requests (criminal_records.models.new_reference) and verification codes.
_BULLETIN_REFERENCE = re.compile(r"(?<![A-Za-z0-9])CJ-[0-9A-F]{8}(?![A-Za-z0-9])", re.IGNORECASE)
_CROCKFORD = "0-9A-HJKMNP-TV-Z"
_VERIFICATION_CODE = re.compile(
    rf"(?<![A-Za-z0-9])[{_CROCKFORD}]{{4}}(?:-?[{_CROCKFORD}]{{4}}){{7}}(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _is_reference(match: re.Match) -> str:
    text = match.group(0)
    # A word of the same alphabet is rarely a reference: one has at least one digit or is all
    # in one case (as printed or as typed); "Zatamarkha" is a place, "ABCDE-FGHJK" a reference.
    letters = [c for c in text if c.isalpha()]
    if any(c.isdigit() for c in text) or all(c.isupper() for c in letters):
        return REFERENCE_MASK
    if all(c.islower() for c in letters) and "-" in text:
        return REFERENCE_MASK
    return text


def mask(text: str) -> str:
    """`text` with phone numbers and references replaced by their masks."""
    if not text:
        return text
    text = _VERIFICATION_CODE.sub(REFERENCE_MASK, text)
    text = _BULLETIN_REFERENCE.sub(REFERENCE_MASK, text)
    text = _PHONE.sub(PHONE_MASK, text)
    return _COMPLAINT_REFERENCE.sub(_is_reference, text)


class MaskPersonalData(logging.Filter):
    """Masks phone numbers and references in every record that goes through the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: logging reports it itself
            return True
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True
