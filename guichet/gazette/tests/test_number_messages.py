"""The number parsers import no Django, so their errors used to reach editors in French whatever
the language chosen. Each error is now a template with its values, translated where it is shown."""

import datetime

import pytest
from django import forms
from django.utils import translation

from guichet.gazette import articlenum, numbering, services
from guichet.gazette.content import PartInput
from guichet.gazette.forms import article_eid
from tests.translatable_checks import LANGUAGES, assert_translated

FUTURE = datetime.date.today() + datetime.timedelta(days=400)

# Every error the parsers raise, by the input that gives it.
BAD_INPUTS = {
    "unreadable number": lambda: numbering.parse_number("loi", "abc"),
    "sequence number 0": lambda: numbering.parse_number("loi", "2019-0"),
    "year before the Republic": lambda: numbering.parse_number("loi", "1950-3"),
    "two-digit year after 2000": lambda: numbering.parse_number("loi", "05-3"),
    "law without a year": lambda: numbering.parse_number("loi", "33"),
    "signed in the future": lambda: numbering.parse_number("loi", "2019-33", FUTURE),
    "year and date disagree": lambda: numbering.parse_number(
        "loi", "2019-33", datetime.date(2020, 1, 3)
    ),
    "unknown month": lambda: numbering.parse_french_date("3", "brumaire", "2019"),
    "impossible date": lambda: numbering.parse_french_date("31", "février", "2019"),
    "unknown text type": lambda: numbering.parse_doctype("missive"),
    "unrecognised reference": lambda: numbering.parse("Lettre du 3 mars 2019"),
    "unreadable article number": lambda: articlenum.parse("Article L. zz"),
}


def _error(case: str):
    with pytest.raises((numbering.NumberError, articlenum.ArticleNumberError)) as raised:
        BAD_INPUTS[case]()
    return raised.value


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_every_number_error_is_translated(case, language):
    assert_translated(_error(case), language, case)


@pytest.mark.django_db
def test_an_editor_reading_english_gets_the_number_error_in_english(editor):
    with translation.override("en"), pytest.raises(services.GazetteError) as raised:
        services.create_text(
            actor=editor,
            doctype="loi",
            number="abc",
            signed_on=datetime.date(2019, 3, 1),
            title="relative au test",
            parts=[PartInput(kind="article", num="1", text="Un article.")],
        )
    assert str(raised.value).startswith("Unreadable number: “abc”.")


def test_the_article_field_speaks_the_editors_language():
    with translation.override("en"), pytest.raises(forms.ValidationError) as raised:
        article_eid("Article L. zz")
    assert raised.value.messages == ["Unreadable article number: “Article L. zz”."]
