"""Citations written in a text are found and proposed as links to known texts."""

import pytest

from guichet.gazette.citations import find_citations
from guichet.gazette.tests.factories import D, articles, draft, publish

PREAMBLE = (
    "Vu la Constitution du 25 novembre 2010 ; Vu la loi n° 2017-28 du 3 mai 2017 relative à la "
    "protection des données ; vu l'article 5 du décret n° 2020-123/PRN/MJ du 12 mars 2020 ; "
    "Vu l’ordonnance n° 93-16 ; vu la loi n° abc ; Vu l'article premier de la loi n° 2019-71"
)


def test_references_are_found_with_their_article():
    found = [
        (c.number.doctype, c.number.normalized, c.target_eid) for c in find_citations(PREAMBLE)
    ]
    assert found == [
        ("loi", "2017-28", ""),
        ("decret", "2020-123", "art_5"),
        ("ordonnance", "1993-16", ""),
        ("loi", "2019-71", "art_1"),
    ]


def test_the_citation_keeps_its_place_in_the_text():
    citation = find_citations(PREAMBLE)[1]
    assert PREAMBLE[citation.start : citation.end].startswith("l'article 5 du décret")


def test_nothing_is_found_in_plain_prose():
    assert find_citations("La Commission veille au respect de la présente loi.") == []


@pytest.mark.django_db
def test_citations_of_known_texts_are_proposed_not_confirmed(editor):
    cited = draft(editor, ("loi", "2017-28", D(2017, 5, 3)), "Loi relative aux données")
    publish(editor, [cited], D(2017, 5, 15))
    citing = draft(
        editor,
        ("decret", "2018-10/PRN", D(2018, 1, 10)),
        "Décret d'application",
        articles("En application de l'article 2 de la loi n° 2017-28 du 3 mai 2017, …"),
    )
    relation = citing.relations_out.get()
    assert (relation.kind, relation.target, relation.target_eid) == ("cites", cited, "art_2")
    assert relation.detected and not relation.confirmed
