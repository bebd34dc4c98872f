"""PostgreSQL: a query's word forms, when they imply its stems, are asked of the forms index alone
(`fulltext._forms_imply_terms`): the texts found, their count and their order must be those of
both conditions, whatever the spelling of the words in the texts and in the query."""

import pytest

from guichet.gazette import fulltext, search
from guichet.gazette.search import Filters, parse_query
from guichet.gazette.tests.factories import D, articles, draft, publish

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TEXTS = [
    "Le DÉCRET est pris en Conseil des ministres ; les décrets suivants.",
    "Un decret sans accent, puis décréter et décrété.",
    "La mise en œuvre des travaux et l'oeuvre commune.",
    "Le conseil de prud'hommes statue ; les prud’hommes siègent.",
    "Les salariés licenciés et le salarié licencié ; l'employeur.",
    "La notification notifiée, notifié au salarié.",
    "Article L2 et l2 : le code_postal et la zone_a.",
    "Les Décrets d'application et l'ÉCRAN du décret.",
    "Publication publique des actes publiés.",
    "Les salariés de l'entreprise ne sont pas licenciés.",  # both words, not as a phrase
]

QUERIES = [
    "décret",
    "DECRET",
    "décrets",
    "décrété",
    "oeuvre",
    "œuvre",
    "prud'hommes",
    "salariés licenciés",
    "salarié licencié",
    "notifiée",
    "l2",
    "code_postal",
    "publication",
    '"salariés licenciés"',
    "décret conseil",
]


@pytest.fixture
def corpus(editor, monkeypatch):
    # Every query goes through the forms index (more matches than Python ranks alone).
    monkeypatch.setattr(search, "PYTHON_RANK_LIMIT", 0)
    works = [
        draft(editor, ("loi", f"2021-{i}", D(2021, 1, i)), f"relative au sujet {i}", articles(text))
        for i, text in enumerate(TEXTS, start=1)
    ]
    publish(editor, works, D(2021, 2, 1))


def _found(query: str, sort: str) -> tuple[int, list[int]]:
    results = search.search(query, Filters(), sort=sort, using="default")
    return results.count, [hit.work_id for hit in results.hits]


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_the_forms_index_alone_finds_what_both_conditions_find(corpus, monkeypatch, sort):
    alone = {query: _found(query, sort) for query in QUERIES}
    monkeypatch.setattr(fulltext, "_forms_imply_terms", lambda parsed, forms: False)
    both = {query: _found(query, sort) for query in QUERIES}
    assert alone == both
    assert all(count for count, _ids in alone.values())  # each query finds something


@pytest.mark.parametrize(
    ("query", "forms", "implied"),
    [
        ("décret", [{"decret"}], True),
        ("salariés licenciés", [{"salaries"}, {"licencies"}], True),
        ("décret", [{"decret", "decrets", "decreter"}], True),  # a family: the same token
        ("décret", [{"ecran"}], False),  # a form of another stem
        ("décret conseil", [{"decret"}], False),  # a word without its forms
        ('"salariés licenciés"', [{"salaries"}, {"licencies"}], False),  # a phrase: positions
        ("code_postal", [{"code_postal"}], False),  # PostgreSQL's parser splits it
    ],
)
def test_which_forms_imply_the_stems(query, forms, implied):
    assert bool(fulltext._forms_imply_terms(parse_query(query), forms)) is implied
