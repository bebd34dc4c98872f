"""Dates printed in words, in the reader's language: « 3 mai 2026 », « 3 Mayu, 2026 »,
« 3 Me 2026 », « May 3, 2026 ». Month and day names come from CLDR through Babel, which knows
Hausa (ha) and Zarma (dje); Django ships neither. One helper for every page, SMS and e-mail:
`date_in_words(value)` in Python, `{{ value|date_in_words }}` and `{{ value|datetime_in_words }}`
in templates (built-in filters, settings.TEMPLATES "builtins")."""

from __future__ import annotations

import datetime

from babel.dates import format_date
from django import template
from django.utils import timezone
from django.utils.translation import get_language

CLDR_LOCALES = {"fr": "fr", "ha": "ha", "dje": "dje", "en": "en"}


def cldr_locale(language: str | None = None) -> str:
    language = (language or get_language() or "fr").lower()
    return CLDR_LOCALES.get(language, CLDR_LOCALES.get(language.split("-")[0], "fr"))


def date_in_words(value: datetime.date | datetime.datetime | None, language: str | None = None):
    """The CLDR long date of `value` (an aware date-time is first put on the site's clock)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    locale = cldr_locale(language)
    text = format_date(value, format="long", locale=locale)
    if locale == "fr" and value.day == 1:
        text = "1er" + text[1:]  # French writes « 1er mai », CLDR « 1 mai »
    return text


def datetime_in_words(value: datetime.datetime | None, language: str | None = None) -> str:
    """« 3 mai 2026, 08:15 » on the site's clock (Africa/Niamey)."""
    if value is None or value == "":
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_in_words(local.date(), language)}, {local:%H:%M}"


register = template.Library()
register.filter("date_in_words", date_in_words)
register.filter("datetime_in_words", datetime_in_words)
