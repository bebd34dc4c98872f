"""Integers and ids read from a request (query string, form field, path), parsed once and bounded.

`int(request.GET["page"])` raises on "abc" and accepts 99999999999999999999, which no database
integer holds (PostgreSQL bigint and SQLite integers stop at 2**63 - 1): both were 500s (issue 9).
Every view that reads a number or an id from the request goes through these functions; a value
that is not a plain decimal number within bounds is treated as absent (or refused by the form
fields below, with a French message).
"""

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _

# The largest value of PostgreSQL's bigint and of an SQLite integer (BigAutoField ids).
MAX_DATABASE_INTEGER = 2**63 - 1
# Past this page, a listing is a crawler's walk, not a reader's: pages are clamped to it.
MAX_PAGE = 10_000
_MAX_DIGITS = len(str(MAX_DATABASE_INTEGER))


def ascii_digits(text: str) -> bool:
    """Whether `text` is one or more ASCII digits 0-9, nothing else. `str.isdigit()` is not
    enough: it accepts superscripts and other scripts' digits (« ² », « ٣ »), which `int()` then
    refuses or reads as another number."""
    return text.isascii() and text.isdigit()


def bounded_int(raw, *, minimum: int = 0, maximum: int = MAX_DATABASE_INTEGER) -> int | None:
    """`raw` as an int if it is a plain decimal number (ASCII digits, an optional leading minus)
    within [minimum, maximum]; None otherwise (missing, text, huge, out of range)."""
    if raw is None:
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text = str(raw).strip()
        negative = text.startswith("-")
        digits = text[1:] if negative else text
        if not ascii_digits(digits):
            return None
        digits = digits.lstrip("0") or "0"
        if len(digits) > _MAX_DIGITS:
            return None
        value = -int(digits) if negative else int(digits)
    return value if minimum <= value <= maximum else None


def object_id(raw) -> int | None:
    """A database id (a positive bigint) or None."""
    return bounded_int(raw, minimum=1)


def object_id_or_404(raw) -> int:
    """A database id, or Http404 — for ids that name the object a view is about."""
    value = object_id(raw)
    if value is None:
        raise Http404
    return value


def page_number(raw, *, maximum: int = MAX_PAGE) -> int:
    """A page number from ?page=: 1 when missing or unreadable, at most `maximum`."""
    text = str(raw).strip() if raw is not None else ""
    if not ascii_digits(text):
        return 1
    text = text.lstrip("0")
    if not text:
        return 1
    # Past `maximum` (however many digits: int() refuses past 4,300) is the last page we serve.
    return maximum if len(text) > len(str(maximum)) else min(int(text), maximum)


class BoundedIntegerField(forms.IntegerField):
    """A form IntegerField that never lets a value past what the database holds reach a query."""

    default_error_messages = {
        "max_value": _("Ce nombre est trop grand (au plus %(limit_value)s)."),
        "min_value": _("Ce nombre est trop petit (au moins %(limit_value)s)."),
    }

    def __init__(self, *, max_value=None, min_value=None, **kwargs):
        if max_value is None:
            max_value = MAX_DATABASE_INTEGER
        if min_value is None:
            min_value = -MAX_DATABASE_INTEGER
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)
