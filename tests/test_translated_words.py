"""Dates in words from CLDR, plural forms, and Django's own messages in Hausa and Zarma."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.template import Context, Template
from django.utils import translation

from guichet.dates import date_in_words, datetime_in_words


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "3 mai 2026"), ("ha", "3 Mayu, 2026"), ("dje", "3 Me 2026"), ("en", "May 3, 2026")],
)
def test_dates_in_words_use_the_readers_month_names(language, expected):
    assert date_in_words(datetime.date(2026, 5, 3), language) == expected


def test_french_writes_the_first_of_the_month_1er():
    assert date_in_words(datetime.date(2026, 5, 1), "fr") == "1er mai 2026"


def test_an_aware_time_is_read_on_niamey_clock():
    moment = datetime.datetime(2026, 5, 3, 23, 30, tzinfo=datetime.UTC)
    assert datetime_in_words(moment, "en") == "May 4, 2026, 00:30"


@pytest.mark.django_db
def test_official_journal_issue_titles_have_no_french_month_in_hausa():
    """Before: « Numéro 12 du 3 mai 2026 » in every language."""
    from guichet.gazette.models import Issue

    issue = Issue(year=2026, number=12, date=datetime.date(2026, 5, 3))
    with translation.override("ha"):
        assert str(issue) == "Fitowa 12 ta 3 Mayu, 2026"
    with translation.override("fr"):
        assert str(issue) == "Numéro 12 du 3 mai 2026"


@pytest.mark.parametrize(("count", "expected"), [(1, "1 texte"), (3, "3 textes")])
def test_the_issue_list_counts_texts_with_plural_forms(count, expected):
    """Before: « 1 texte(s) »."""
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} texte{% plural %}{{ n }} textes"
        "{% endblocktranslate %}"
    )
    source = Path("guichet/gazette/templates/gazette/issues.html").read_text("utf-8")
    assert "texte(s)" not in source and "{% plural %}" in source
    with translation.override("fr"):
        assert template.render(Context({"n": count})) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ha", "Rubuta aƙalla haruffa 10 (akwai 3)."),
        ("dje", "Harfu 10 hantum kala (3 no go no)."),
        ("en", "Ensure this value has at least 10 characters (it has 3)."),
    ],
)
def test_djangos_length_error_is_in_the_citizens_language(language, expected):
    """Before: « Assurez-vous que cette valeur comporte au moins 10 caractères » in ha and dje."""
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            MinLengthValidator(10)("abc")
        assert error.value.messages == [expected]


def test_zarma_has_one_plural_form_as_cldr_says():
    singular, plural = "%(n)d jour", "%(n)d jours"  # the msgids of criminal_records.penalties
    with translation.override("dje"):
        assert translation.ngettext(singular, plural, 3) % {"n": 3} == "zaari 3"
        assert translation.ngettext(singular, plural, 1) % {"n": 1} == "zaari 1"
