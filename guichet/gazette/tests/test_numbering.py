"""Niger's numbering of texts, as really written, parsed and normalised; bad numbers refused."""

import contextlib
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.gazette import identifiers
from guichet.gazette.numbering import NumberError, looks_like_number, parse


@pytest.mark.parametrize(
    "written,doctype,normalized,authorities,signed_on",
    [
        ("Loi n° 2019-33 du 3 juillet 2019", "loi", "2019-33", (), datetime.date(2019, 7, 3)),
        (
            "décret n°2016-055/PRN du 26 janvier 2016",
            "decret",
            "2016-55",
            ("PRN",),
            datetime.date(2016, 1, 26),
        ),
        ("Décret n° 2020-123/PRN/MJ", "decret", "2020-123", ("PRN", "MJ"), None),
        (
            "ordonnance n° 2010-66 du 21 octobre 2010",
            "ordonnance",
            "2010-66",
            (),
            datetime.date(2010, 10, 21),
        ),
        ("LOI N° 60-24", "loi", "1960-24", (), None),
        ("Décret n° 60-105 P.C.M.", "decret", "1960-105", ("PCM",), None),
        ("Ordonnance n° 93-16", "ordonnance", "1993-16", (), None),
        ("Arrêté n° 086/MISP/D/AR", "arrete", "86/MISP/D/AR", ("MISP", "D", "AR"), None),
        ("Loi n° 2017-28 du 1er mai 2017", "loi", "2017-28", (), datetime.date(2017, 5, 1)),
        (
            "Décret N° 2010-001/PCSRD du 8 avril 2010",
            "decret",
            "2010-1",
            ("PCSRD",),
            datetime.date(2010, 4, 8),
        ),
    ],
)
def test_real_forms_are_parsed(written, doctype, normalized, authorities, signed_on):
    number = parse(written)
    assert number.doctype == doctype
    assert number.normalized == normalized
    assert number.authorities == authorities
    assert number.signed_on == signed_on


def test_the_number_keeps_its_printed_form():
    assert parse("décret n°2016-055/PRN du 26 janvier 2016").display == "2016-055/PRN"
    assert parse("Décret n° 60-105 P.C.M.").display == "60-105/PCM"


@pytest.mark.parametrize(
    "written,message",
    [
        ("Loi n° abc", "Référence non reconnue"),
        ("Loi n° 2019-33 du 31 février 2019", "Date impossible"),
        ("Loi n° 05-12", "ambiguë"),
        ("Loi n° 2019-33 du 3 juillet 2018", "l'un des deux est erroné"),
        ("Loi n° 086/MISP", "« Loi n° 086/MISP » : le numéro doit comporter l'année"),
        ("Décret n° 2020-0", "Numéro d'ordre impossible"),
        ("Loi n° 2090-3", "Année 2090 impossible"),
        ("Circulaire n° 1957-3", "Année 1957 impossible"),
        ("Truc n° 2019-3", "Référence non reconnue"),
        ("Loi n° 2019-33 du 3 brumaire 2019", "Mois inconnu"),
    ],
)
def test_bad_numbers_are_refused_with_a_french_message(written, message):
    with pytest.raises(NumberError, match=message):
        parse(written)


@given(
    doctype=st.sampled_from(["Loi", "Décret", "Ordonnance", "LOI", "décret"]),
    year=st.integers(min_value=1960, max_value=2025),
    sequence=st.integers(min_value=1, max_value=999),
    zeros=st.integers(min_value=0, max_value=2),
    sign=st.sampled_from(["n°", "n° ", "N°", "n ° ", "no "]),
    suffix=st.sampled_from(["", "/PRN", "/PRN/MJ", "/PM"]),
)
def test_any_well_formed_number_round_trips(doctype, year, sequence, zeros, sign, suffix):
    written = f"{doctype} {sign}{year}-{'0' * zeros}{sequence}{suffix}"
    number = parse(written)
    assert number.normalized == f"{year}-{sequence}"
    assert number.authorities == tuple(c for c in suffix.split("/") if c)
    # Printing and parsing again gives the same text.
    assert parse(number.label).normalized == number.normalized


@given(st.text(max_size=40))
def test_arbitrary_input_is_parsed_or_refused_never_crashes(text):
    with contextlib.suppress(NumberError):
        parse(text)


@given(
    year=st.integers(min_value=1960, max_value=2025),
    sequence=st.integers(min_value=1, max_value=999),
    day=st.dates(min_value=datetime.date(1960, 1, 1), max_value=datetime.date(2025, 12, 31)),
)
def test_frbr_uri_is_built_and_parsed_back_in_french(year, sequence, day):
    day = (
        day.replace(year=year)
        if not (day.month == 2 and day.day == 29)
        else day.replace(year=year, day=28)
    )
    number = parse(f"Décret n° {year}-{sequence}/PRN")
    work = identifiers.work_uri(number, day)
    assert work == f"/akn/ne/act/decret/{year}/{sequence}"
    expression = identifiers.expression_uri(work, day)
    assert expression == f"{work}/fra@{day.isoformat()}"
    assert identifiers.parse(expression + ".xml") == (work, day, "xml")


def test_a_number_typed_in_search_is_recognised():
    assert looks_like_number("2019-33") == "2019-33"
    assert looks_like_number("n° 2016-055") == "2016-55"
    assert looks_like_number("93-16") == "1993-16"
    assert looks_like_number("protection des données") is None


def test_the_journal_s_days_are_niamey_s_days(settings):
    from guichet.gazette import numbering

    assert numbering.JOURNAL_TIME_ZONE.key == settings.TIME_ZONE


def test_a_text_signed_after_midnight_in_niamey_is_not_in_the_future():
    # 23:30 UTC on 31 December is 00:30 on 1 January in Niamey: a law of the new year, signed
    # that day. The parser read the server's (UTC) date and refused both the year and the date.
    import time_machine

    from guichet.gazette.numbering import parse_number

    midnight_past = datetime.datetime(2030, 12, 31, 23, 30, tzinfo=datetime.UTC)
    with time_machine.travel(midnight_past, tick=False):
        parsed = parse_number("loi", "2031-1", signed_on=datetime.date(2031, 1, 1))
    assert parsed.year == 2031


def test_the_type_in_a_number_error_is_translated_with_the_message():
    # Before: « Le numéro d'un(e) loi comporte l'année… », and in Hausa the type stayed the
    # French « loi » inside the Hausa sentence.
    from django.utils import translation

    with pytest.raises(NumberError) as refused:
        parse("Ordonnance n° 086/MISP")
    assert str(refused.value) == (
        "« Ordonnance n° 086/MISP » : le numéro doit comporter l'année (ex. 2019-33)."
    )
    with translation.override("en"):
        assert refused.value.translated(translation.gettext) == (
            "“Ordinance no. 086/MISP”: the number must include the year (e.g. 2019-33)."
        )
