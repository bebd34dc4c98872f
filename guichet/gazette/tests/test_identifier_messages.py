"""The FRBR identifier parser's errors were French f-strings (and cobalt's English message for an
unreadable URI), whatever the reader's language. Each is now a template with its values
(`guichet.translatable`), translated where it is shown; `str(error)` stays French."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from guichet.gazette import identifiers
from tests.translatable_checks import LANGUAGES, assert_translated, marked_messages

# Every error the parser raises, by the URI that gives it.
BAD_URIS = {
    "unreadable URI": "/akn/ne",
    "another country": "/akn/fr/act/loi/2017/28",
    "impossible version date": "/akn/ne/act/loi/2017/28/fra@2019-13-45",
    "another language": "/akn/ne/act/loi/2017/28/eng@2017-05-03.xml",
    "unknown component": "/akn/ne/act/loi/2017/28/!annexe9",
}


def _error(case: str) -> identifiers.IdentifierError:
    with pytest.raises(identifiers.IdentifierError) as raised:
        identifiers.parse(BAD_URIS[case])
    return raised.value


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", sorted(BAD_URIS))
def test_every_identifier_error_is_translated(case, language):
    assert_translated(_error(case), language, case)


def test_the_table_holds_every_message_of_the_parser():
    """A message added to identifiers.py without a case above fails here."""
    assert {_error(case).template for case in BAD_URIS} == marked_messages(identifiers)


def test_an_unreadable_identifier_is_said_in_french_then_in_english():
    error = _error("unreadable URI")
    assert str(error) == "Identifiant Akoma Ntoso illisible : « /akn/ne »."
    with translation.override("en"):
        assert error.translated(gettext) == "Unreadable Akoma Ntoso identifier: “/akn/ne”."
