"""Search a jurist trusts: references in citation form, article numbers in both notations, legal
word families, typos. Same results on SQLite and PostgreSQL (the suite runs on both)."""

import pytest

from guichet.gazette import search
from guichet.gazette.content import PartInput
from guichet.gazette.morphology import stem
from guichet.gazette.search import Filters
from guichet.gazette.tests.factories import D, articles, draft, editor_account, publish

FAMILIES = [
    ["notifiée", "notifié", "notification", "notifier", "NOTIFIEE"],
    ["modifiée", "modifié", "modification", "modifier"],
    ["publiée", "publié", "publication", "publier"],
    ["abrogée", "abrogé", "abrogation", "abroge"],
    ["tenu", "tenus", "tenue"],
    ["vaut", "valent", "valoir"],
    ["données", "donnees", "donnée"],
    ["application", "appliqué", "appliquer"],
    # simplemma gives « licencié » its own lemma (the adjective): the dismissed employee is the
    # verb's participle in labour law (« le salarié licencié »).
    ["licencié", "licenciée", "licenciés", "licenciées", "licencier", "licencierai", "licencient"],
]
APART = [("publication", "publique"), ("public", "publier"), ("contraction", "contrat")]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f[0])
def test_a_legal_word_family_meets_on_one_token(family):
    # Before this change: modifiée/modification, notifiée/notification, publiée/publié split,
    # tenu/tenus and vaut/valent apart.
    assert len({stem(word) for word in family}) == 1, {w: stem(w) for w in family}


@pytest.mark.parametrize(("one", "other"), APART)
def test_words_of_different_families_stay_apart(one, other):
    # Before this change « publication » and « publique » were both « publiqu ».
    assert stem(one) != stem(other)


@pytest.fixture(scope="module")
def journal(module_rows):
    """Published once for the module: the searches below only read it."""
    return module_rows(_publish_journal)


def _publish_journal():
    editor = editor_account()
    law = draft(
        editor,
        ("loi", "2017-28", D(2017, 5, 3)),
        "relative à la protection des données à caractère personnel",
        articles("Les données sont protégées.", "La décision est notifiée au demandeur."),
    )
    citing = [
        draft(
            editor,
            ("decret", f"2018-{n}/PRN/MJ", D(2018, 1, n)),
            f"portant application de la loi n° 2017-28 du 3 mai 2017 (texte {n})",
            articles(f"Le présent décret applique la loi n° 2017-28 du 3 mai 2017, point {n}."),
        )
        for n in range(1, 6)
    ]
    decree = draft(
        editor,
        ("decret", "2015-1177/PRN/MJ", D(2015, 10, 23)),
        "portant organisation des services",
        articles("Les services sont organisés."),
    )
    code = draft(
        editor,
        ("loi", "2019-33", D(2019, 7, 3)),
        "portant code des relations avec l'administration",
        [
            PartInput(kind="article", num="L. 211-1", text="Toute décision est motivée."),
            PartInput(
                kind="article",
                num="L. 211-2",
                text="Le silence gardé pendant deux mois vaut acceptation.",
            ),
            PartInput(kind="article", num="R*211-3", text="Un accusé de réception est délivré."),
        ],
    )
    other = draft(
        editor,
        ("ordonnance", "2024-16", D(2024, 3, 1)),
        "modifiant la loi n° 2019-33 et son article L. 211-2",
        articles("L'article L. 211-2 de la loi n° 2019-33 du 3 juillet 2019 est modifié."),
    )
    publish(editor, [law, decree, code, *citing], D(2019, 8, 1))
    publish(editor, [other], D(2024, 3, 10))
    return {"law": law, "decree": decree, "code": code, "other": other}


def first(query):
    found = search.search(query, Filters(), using="default")
    return found, (found.hits[0] if found.hits else None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("Loi n° 2017-28", "law"),
        ("loi 2017-28 du 3 mai 2017", "law"),
        ("LOI N° 2017-28 DU 3 MAI 2017", "law"),
        ("décret n°2015-1177/PRN/MJ", "decree"),
        ("Décret n° 2015-1177 du 23 octobre 2015", "decree"),
        ("ordonnance 2024-16", "other"),
        ("loi n° 2017-28 données", "law"),
    ],
)
def test_a_text_s_own_reference_ranks_it_first(journal, query, key):
    # Before this change « Loi n° 2017-28 » gave five texts citing it, not the law itself.
    found, hit = first(query)
    assert hit is not None and hit.work_id == journal[key].pk, [h.number for h in found.hits]


@pytest.mark.django_db
def test_the_texts_citing_a_reference_come_after_it(journal):
    found = search.search("loi n° 2017-28 données", Filters(), using="default")
    assert found.hits[0].work_id == journal["law"].pk
    found = search.search("application loi n° 2017-28", Filters(), using="default")
    assert found.hits[0].work_id == journal["law"].pk
    assert len(found.hits) == 6


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["article L. 211-2", "article L211-2", "L211-2", "L. 211-2", "art. L 211-2 silence"]
)
def test_an_article_number_in_either_notation_ranks_that_article_first(journal, query):
    # Before this change « article L. 211-2 » found only the ordinance citing it.
    _found, hit = first(query)
    assert hit.work_id == journal["code"].pk
    assert hit.anchor == "art_l211-2"
    assert hit.uri.endswith("/akn/ne/act/loi/2019/33#art_l211-2")


@pytest.mark.django_db
def test_a_regulatory_article_with_a_star_is_found(journal):
    _found, hit = first("R*211-3")
    assert (hit.work_id, hit.anchor) == (journal["code"].pk, "art_rx211-3")


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["article L. 112-1 A", "article L112-1 A", "L. 112-1-A"])
def test_a_lettered_article_of_a_code_is_found_apart_from_its_neighbours(query):
    # Code rural: « L. 112-1 A » is an article of its own, between L. 112-1 and L. 112-1 B.
    # Before, it was article L. 112-1 and the word « A »: the article L. 112-1 came first.
    editor = editor_account()
    code = draft(
        editor,
        ("loi", "2010-874", D(2010, 7, 27)),
        "portant code rural",
        [
            PartInput(kind="article", num="L. 112-1", text="Le plan régional est arrêté."),
            PartInput(kind="article", num="L. 112-1 A", text="L'observatoire est institué."),
            PartInput(kind="article", num="L. 112-1 B", text="Le rapport est annuel."),
        ],
    )
    publish(editor, [code], D(2010, 8, 1))
    _found, hit = first(query)
    assert (hit.work_id, hit.anchor) == (code.pk, "art_l112-1a")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("silance gardé deux mois", "silence gardé deux mois"),
        ("acusé de réception", "accusé de réception"),
    ],
)
def test_a_typo_finds_the_text_and_says_what_was_meant(journal, query, suggestion):
    # Before this change both queries found nothing and proposed nothing.
    found, hit = first(query)
    assert hit is not None and hit.work_id == journal["code"].pk
    assert found.suggestion == suggestion


@pytest.mark.django_db
def test_no_suggestion_when_the_query_finds_enough(journal):
    found = search.search("décret", Filters(), using="default")
    assert found.count >= 3 and found.suggestion == ""


@pytest.mark.django_db
def test_a_word_family_is_found_whatever_the_form(journal):
    for query in ("notification décision", "décision notifiée", "DECISION NOTIFIEE"):
        _found, hit = first(query)
        assert hit.work_id == journal["law"].pk, query


def test_licencie_and_licencier_are_one_family():
    from guichet.gazette.morphology import lemma

    assert {lemma(w) for w in ("licencié", "licenciées", "licencier", "licencient")} == {
        "licencier"
    }


@pytest.mark.django_db
def test_texts_indexed_before_the_licencie_family_are_analysed_again(editor):
    import importlib

    from django.apps import apps

    from guichet.gazette.models import SearchEntry, SearchWord

    work = draft(
        editor,
        ("loi", "2021-7", D(2021, 3, 1)),
        "relative au travail",
        articles("Le salarié licencié."),
    )
    publish(editor, [work], D(2021, 4, 1))
    # The index as the stemmer left it before « licencié » joined « licencier ».
    entry = SearchEntry.objects.get(work=work)
    SearchEntry.objects.filter(work=work).update(
        stem_body=entry.stem_body.replace("licenci", "licenc")
    )
    SearchWord.objects.filter(word="licencie").update(token="licenc")
    assert not search.search("licencier", Filters(), using="default").hits
    migration = importlib.import_module("guichet.gazette.migrations.0007_licencie_family")
    migration.reanalyse(apps, None)
    assert [hit.work_id for hit in search.search("licencier", Filters(), using="default").hits] == [
        work.pk
    ]
    assert SearchWord.objects.get(word="licencie").token == "licenci"
