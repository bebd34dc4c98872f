"""Issue 11, search relevance beyond the matches ranked in Python (`search.PYTHON_RANK_LIMIT`,
lowered here to keep the texts few): the index's word forms still put the very form typed first,
then its family; and which of several corrections as near a typo stands for."""

import pytest

from guichet.gazette import search
from guichet.gazette.search import Filters
from guichet.gazette.tests.factories import D, articles, draft, publish


def _journal(editor, texts: list[str]) -> list:
    """One law per text, the first the oldest."""
    works = [
        draft(editor, ("loi", f"2020-{i}", D(2020, 1, i)), f"relative au cas {i}", articles(text))
        for i, text in enumerate(texts, start=1)
    ]
    publish(editor, works, D(2020, 2, 1))
    return works


@pytest.fixture
def few_ranked_in_python(monkeypatch):
    monkeypatch.setattr(search, "PYTHON_RANK_LIMIT", 3)


# Newer texts saying the family's other words again and again: BM25 ranks them first.
_FAMILY = "L'attribution est attribuée : attribuer, attribution, attribuée, attribution."


@pytest.mark.django_db
def test_a_typo_of_a_word_whose_family_has_more_matches_than_python_ranks_finds_the_exact_form(
    editor, few_ranked_in_python
):
    # Before: beyond PYTHON_RANK_LIMIT matches the database ranked them (bm25) and the one text
    # holding « attribuent » came after the others.
    works = _journal(editor, ["Les caisses attribuent la prestation.", *[_FAMILY] * 5])
    found = search.search("attribent", Filters(), using="default")
    assert found.suggestion == "attribuent"
    assert found.hits[0].work_id == works[0].pk


@pytest.mark.django_db
def test_an_inflection_beyond_the_python_limit_ranks_its_family_before_its_stem(
    editor, few_ranked_in_python
):
    # « exceptés » is in no text; « excepté » (its family) in the oldest, « exception » (the
    # same Snowball stem, another word) in the newer ones, again and again.
    works = _journal(
        editor,
        [
            "Les agents, excepté le directeur, sont nommés.",
            *["Par exception, les exceptions sont une exception."] * 5,
        ],
    )
    found = search.search("exceptés", Filters(), using="default")
    assert found.hits[0].work_id == works[0].pk


@pytest.mark.django_db
def test_a_word_in_no_text_and_no_dictionary_is_corrected_even_when_its_stem_matches(editor):
    # « échelonés » (a letter left out of « échelonnés ») shares the stem of « échelon »: the
    # query found the « échelon » texts, proposed nothing, and the « échelonnés » text came last.
    works = _journal(
        editor,
        [
            "Les paiements sont échelonnés sur un an.",
            *["L'échelon et les échelons : chaque échelon compte."] * 4,
        ],
    )
    found = search.search("échelonés", Filters(), using="default")
    assert found.suggestion == "échelonnés"
    assert found.hits[0].work_id == works[0].pk
    assert found.count == 5  # the texts of the stem typed are still found, after


@pytest.mark.django_db
def test_of_corrections_as_near_the_one_keeping_the_accents_typed_is_proposed(editor):
    # « délibèrnt » is one letter from « délibèrent » (one text) and from « délibérant » (two):
    # the commoner was proposed, though the « è » typed says which word was meant.
    works = _journal(
        editor,
        [
            "Les conseils délibèrent en séance.",
            "Le conseil délibérant en séance.",
            "Le bureau délibérant à huis clos.",
        ],
    )
    found = search.search("délibèrnt", Filters(), using="default")
    assert found.suggestion == "délibèrent"
    assert found.hits[0].work_id == works[0].pk


@pytest.mark.django_db
def test_of_corrections_as_near_a_letter_left_out_is_likelier_than_one_too_many(editor):
    # « retirnt » is « retirent » with a letter left out, or « retient » (two texts) with an « r »
    # typed for an « e »: the commoner was proposed.
    works = _journal(
        editor,
        [
            "Les candidats retirent leur dossier.",
            "La caisse retient la cotisation.",
            "Le service retient la somme due.",
        ],
    )
    found = search.search("retirnt", Filters(), using="default")
    assert found.suggestion == "retirent"
    assert found.hits[0].work_id == works[0].pk


@pytest.mark.django_db
def test_a_hyphenated_compound_ranks_the_texts_holding_it_before_those_holding_its_parts(editor):
    # « ci-annexée » is one word: before, the texts saying « ci-dessus » and « annexé » apart,
    # again and again, came first by BM25.
    works = _journal(
        editor,
        [
            "Les tableaux ci-annexés sont approuvés.",
            *["Le plan annexé, cité ci-dessus : annexé au décret, annexé au contrat."] * 3,
        ],
    )
    found = search.search("ci-annexée", Filters(), using="default")
    assert found.hits[0].work_id == works[0].pk


@pytest.mark.django_db
def test_when_the_forms_typed_fill_the_page_they_are_the_page_and_python_ranks_nothing(
    editor, few_ranked_in_python, monkeypatch
):
    # The newest texts say « attribution » again and again; the two oldest say « attribuent »,
    # which fills a page of two: those two, whatever BM25 says of the others.
    works = _journal(
        editor, ["Les caisses attribuent la prestation.", "Elles attribuent.", *[_FAMILY] * 4]
    )
    ranked = []
    monkeypatch.setattr(search.ranking, "order", lambda *args: ranked.append(args) or [])
    found = search.search("attribuent", Filters(), limit=2, using="default")
    assert {hit.work_id for hit in found.hits} == {works[0].pk, works[1].pk}
    assert found.count == 6
    assert not ranked


_LONG = (
    "Sauf exception prévue par le présent code, les agents publics nommés dans un emploi "
    "permanent de l'administration centrale, des services déconcentrés ou des établissements "
    "publics exercent leurs fonctions à temps complet ; une autorisation de travail à temps "
    "partiel peut leur être accordée, sur leur demande et sous réserve des nécessités du "
    "service, pour une durée d'un an renouvelable par tacite reconduction, et par exception "
    "pour six mois."
)


@pytest.mark.django_db
def test_the_rest_of_a_page_the_family_does_not_fill_is_ranked_the_same_on_both_databases(
    editor, few_ranked_in_python
):
    # « exceptés »: its family (« excepté ») is in one text only, so the page ends with texts
    # holding only the stem (« exception »). Before, those came in each database's own order:
    # bm25 on SQLite put the short text first, ts_rank on PostgreSQL (no length in it) the long
    # one saying the word twice, so the two databases showed different pages. Now BM25 in
    # Python ranks them on both: the short text first.
    works = _journal(
        editor,
        [
            "Les agents, excepté le directeur, sont nommés.",
            "Les exceptions sont fixées par décret.",
            _LONG,
            "Une exception.",
        ],
    )
    found = search.search("exceptés", Filters(), using="default")
    assert [hit.work_id for hit in found.hits[:3]] == [works[0].pk, works[3].pk, works[2].pk]
