"""The Akoma Ntoso reader's errors were French f-strings, whatever the reader's language. Each is now
a template with its values (`guichet.translatable`), translated where it is shown; `str(error)`
stays French for the import command and the logs."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from lxml import etree

from guichet.gazette import akn
from guichet.gazette.tests.akncode import build_code
from tests.translatable_checks import LANGUAGES, assert_translated, marked_messages

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"


def _code_with(intruder: str) -> bytes:
    xml = build_code(books=1, titles=1, chapters=1, sections=1, subsections=1, articles=1)[0]
    text = xml.decode()
    position = text.index("<section")
    return (text[:position] + intruder + text[position:]).encode()


def _refused_outside_a_file(eid: str | None):
    """An element built in memory has no line: the message names its eId alone, or nothing."""
    parent = etree.Element(f"{{{AKN}}}chapter")
    element = etree.SubElement(parent, f"{{{AKN}}}hcontainer", **({"eId": eid} if eid else {}))
    akn._refuse(element, parent)


# Every error the reader raises, by what gives it.
BAD_INPUTS = {
    "empty file": lambda: akn.parse(b""),
    "unreadable XML": lambda: akn.parse(b"<akomaNtoso><act>"),
    "not Akoma Ntoso": lambda: akn.parse(b"<html><body/></html>"),
    "not an act": lambda: akn.parse(f'<akomaNtoso xmlns="{AKN}"><judgment/></akomaNtoso>'.encode()),
    "element refused, with eId and line": lambda: akn.parse(
        _code_with(
            '<hcontainer name="annexe" eId="hcontainer_1"><content><p>x</p></content></hcontainer>'
        )
    ),
    "element refused, with its line": lambda: akn.parse(_code_with("<p>Texte égaré</p>")),
    "element refused, with its eId": lambda: _refused_outside_a_file("hcontainer_1"),
    "element refused, nowhere said": lambda: _refused_outside_a_file(None),
}


def _error(case: str) -> akn.AknError:
    with pytest.raises(akn.AknError) as raised:
        BAD_INPUTS[case]()
    return raised.value


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_every_akn_error_is_translated(case, language):
    assert_translated(_error(case), language, case)


def test_the_table_holds_every_message_of_the_reader():
    """A message added to akn.py without a case above fails here."""
    assert {_error(case).template for case in BAD_INPUTS} == marked_messages(akn)


def test_a_refused_element_reads_in_english_with_its_eid_and_line():
    error = _error("element refused, with eId and line")
    with translation.override("en"):
        shown = error.translated(gettext)
    assert shown.startswith(
        "Element <hcontainer> not supported in <chapter> (eId “hcontainer_1”, line "
    )
    assert str(error).startswith(
        "Élément <hcontainer> non pris en charge dans <chapter> (eId « hcontainer_1 », ligne "
    )
