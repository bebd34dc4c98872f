"""One article-number parser for importers, editor and search: every printed form, one key."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.gazette import articlenum, citations
from guichet.gazette.textparse import parse_text

GOLDEN = [
    # printed, key, canonical display
    ("premier", "1", "1er"),
    ("1er", "1", "1er"),
    ("Première", "1", "1er"),
    ("12", "12", "12"),
    ("12-1", "12-1", "12-1"),
    ("12-1-3", "12-1-3", "12-1-3"),
    ("12 bis", "12bis", "12 bis"),
    ("12 ter", "12ter", "12 ter"),
    ("12 quater", "12quater", "12 quater"),
    ("12-1 quinquies", "12-1quinquies", "12-1 quinquies"),
    ("L. 100-1", "L100-1", "L. 100-1"),
    ("L100-1", "L100-1", "L. 100-1"),
    ("L 100-1", "L100-1", "L. 100-1"),
    ("l.100-1", "L100-1", "L. 100-1"),
    ("R*123-4", "R*123-4", "R* 123-4"),
    ("R. *123-4", "R*123-4", "R* 123-4"),
    ("R. 123-4", "R123-4", "R. 123-4"),
    ("D113-2", "D113-2", "D. 113-2"),
    ("D. 113-2", "D113-2", "D. 113-2"),
    ("LO. 111-3", "LO111-3", "LO. 111-3"),
    ("A. 12", "A12", "A. 12"),
    ("annexe", "annexe", "annexe"),
    ("annexe ii", "annexe II", "annexe II"),
    ("unique", "unique", "unique"),
    ("Article unique", "unique", "unique"),
    ("IV", "IV", "IV"),
    # Real numbers of French codes (legi-data: Code rural, Code de la sécurité sociale, Code du
    # travail) that were refused before: a capital letter for an inserted article, and annexes
    # and tables numbered as articles.
    ("L1 A", "L1A", "L. 1 A"),
    ("L. 112-1 B", "L112-1B", "L. 112-1 B"),
    ("R. 12-1-A", "R12-1A", "R. 12-1 A"),
    ("D. 123-4 A", "D123-4A", "D. 123-4 A"),
    ("Tableau n° 12 bis", "tableau 12 bis", "tableau 12 bis"),
    ("Annexe II : Tableau n° 12", "annexe II tableau 12", "annexe II : Tableau n° 12"),
    (
        "Annexe I à l'art. R. 123-4 (1)",
        "annexe I a l'article R123-4 1",
        "annexe I à l'art. R. 123-4 (1)",
    ),
    ("Annexes à l'article D. 12-1", "annexes a l'article D12-1", "annexes à l'article D. 12-1"),
]


@pytest.mark.parametrize(("printed", "key", "display"), GOLDEN)
def test_every_printed_form_has_its_key_and_canonical_form(printed, key, display):
    number = articlenum.parse(printed)
    assert (number.key, number.display) == (key, display)


@pytest.mark.parametrize(
    "bad", ["", "Z", "2019-33/PRN", "article", "12 bisque", "X*12", "IIII", "12 A", "L. 1 a"]
)
def test_what_is_not_an_article_number_is_refused_in_french(bad):
    with pytest.raises(articlenum.ArticleNumberError, match="Numéro d'article illisible"):
        articlenum.parse(bad)


numbers = st.one_of(
    st.builds(
        articlenum.ArticleNumber,
        prefix=st.sampled_from(["", "L", "R", "D", "A", "LO"]),
        parts=st.lists(st.integers(1, 9999), min_size=1, max_size=4).map(tuple),
        suffix=st.sampled_from(("", *articlenum.SUFFIXES)),
    ),
    st.builds(
        articlenum.ArticleNumber,
        prefix=st.sampled_from(["L", "R", "D", "A", "LO"]),
        parts=st.lists(st.integers(1, 9999), min_size=1, max_size=4).map(tuple),
        letter=st.sampled_from(["A", "B", "C", "Z"]),
    ),
    st.builds(
        articlenum.ArticleNumber,
        prefix=st.sampled_from(["R", "D"]),
        star=st.just(True),
        parts=st.lists(st.integers(1, 9999), min_size=1, max_size=3).map(tuple),
    ),
    st.sampled_from(
        [articlenum.ArticleNumber(special="unique"), articlenum.ArticleNumber(special="annexe")]
    ),
)


def _variants(number: articlenum.ArticleNumber) -> list[str]:
    """Ways texts print the same number: "L. 211-2", "L.211-2", "L 211-2", "L211-2"."""
    if number.special:
        return [number.special, number.special.upper(), f"Article {number.special}"]
    core = "-".join(str(n) for n in number.parts)
    star = "*" if number.star else ""
    suffix = f" {number.suffix}" if number.suffix else ""
    if number.letter:
        p, letter = number.prefix, number.letter
        return [f"{p}. {core} {letter}", f"{p}{core} {letter}", f"{p}.{core}-{letter}"]
    if not number.prefix:
        return [core + suffix, f"Article {core}{suffix}", f"art. {core}{suffix}"]
    p = number.prefix
    return [
        f"{p}. {star}{core}{suffix}",
        f"{p}.{star}{core}{suffix}",
        f"{p} {star}{core}{suffix}",
        f"{p}{star}{core}{suffix}",
        f"{p.lower()}{star}{core}{suffix.upper()}",
    ]


@settings(deadline=None)  # a loaded CI machine must not fail a property on time
@given(numbers)
def test_format_then_parse_gives_the_same_number_in_every_notation(number):
    assert articlenum.parse(number.display) == number
    for printed in _variants(number):
        assert articlenum.parse(printed).key == number.key, printed


def test_l_dot_notation_and_compact_notation_are_the_same_article():
    assert articlenum.key("L. 211-2") == articlenum.key("L211-2") == "L211-2"


TEXT = """LOI N° 2019-33 DU 3 JUILLET 2019
portant code de test.
Article premier : Objet.
Article L100-1 : Le public a droit à une décision.
Article 12 : Douze.
Article 12-1 : Douze tiret un.
Article 12 bis : Douze bis.
Article R*123-4 : Décret en Conseil des ministres.
Article D113-2 : Décret simple.
Art. R. 123-5. — Suite.
Article unique : Seul.
Article L. 1 A : Lettre.
Article L. 12 A compter de ce jour, rien.
"""


def test_the_text_importer_reads_every_form_of_article_number():
    # Before this change: "Article L100-1 : …" became article « L » with text « 100-1 : … »,
    # "Article 12-1" became « 12 » (colliding with article 12), R…, D… and R*… were refused.
    parsed = parse_text(TEXT)
    assert parsed.problems == []
    articles = [(p.num, p.text) for p in parsed.parts if p.kind == "article"]
    assert articles == [
        ("premier", "Objet."),
        ("L100-1", "Le public a droit à une décision."),
        ("12", "Douze."),
        ("12-1", "Douze tiret un."),
        ("12 bis", "Douze bis."),
        ("R*123-4", "Décret en Conseil des ministres."),
        ("D113-2", "Décret simple."),
        ("R. 123-5", "Suite."),
        ("unique", "Seul."),
        ("L. 1 A", "Lettre."),
        ("L. 12", "A compter de ce jour, rien."),  # « A » begins the text: no letter index
    ]


@pytest.mark.django_db
def test_article_eids_keep_every_number_apart(editor):
    from guichet.gazette.tests.factories import D, draft

    work = draft(editor, ("loi", "2019-33", D(2019, 7, 3)), "Code", parse_text(TEXT).parts)
    eids = [p.eid for p in work.expressions.get().parts.order_by("order")]
    assert eids == [
        "art_1",
        "art_l100-1",
        "art_12",
        "art_12-1",
        "art_12bis",
        "art_rx123-4",
        "art_d113-2",
        "art_r123-5",
        "art_unique",
        "art_l1a",
        "art_l12",
    ]


def test_citations_of_code_articles_use_the_same_parser():
    found = citations.find_citations("l'article L. 211-2 de la loi n° 2017-28 du 3 mai 2017")
    assert [c.target_eid for c in found] == ["art_l211-2"]


@pytest.mark.parametrize(
    ("query", "key", "rest"),
    [
        ("article L. 211-2", "L211-2", ""),
        ("L211-2 délai", "L211-2", "délai"),
        ("art. 12 bis", "12bis", ""),
        ("silence R*123-4", "R*123-4", "silence"),
    ],
)
def test_search_finds_the_article_number_in_a_query(query, key, rest):
    number, remainder = articlenum.find_in_query(query)
    assert (number.key, remainder) == (key, rest)


def test_a_text_number_is_not_an_article_number():
    assert articlenum.find_in_query("loi 2017-28 du 3 mai 2017") is None


def test_a_lettered_article_is_another_article_than_the_one_it_follows():
    # Code rural: « L. 1 A » comes before « L. 1 », « L. 1 B » after it; before, « L. 1 A » was
    # refused by the editor and in search became article L. 1 and the word « A ».
    keys = {articlenum.key(n) for n in ("L. 1 A", "L1 A", "L. 1-A")}
    assert keys == {"L1A"}
    assert articlenum.key("L. 1") != "L1A" != articlenum.key("L. 1 B")
    number, rest = articlenum.find_in_query("article L. 1 A")
    assert (number.key, rest) == ("L1A", "")


def test_an_annex_numbered_as_an_article_keeps_what_it_is_the_annex_of():
    first = articlenum.parse("Annexe I à l'art. R. 123-4 (1)")
    second = articlenum.parse("Annexe I à l'article R123-4 (2)")
    assert first.key != second.key and first.eid != second.eid  # two annexes, two eIds
    assert first.key == articlenum.key("annexe I à l'article R. 123-4 (1)")
    assert first.eid == "annexe_i_a_l_article_r123-4_1"
    # In a line of text, what follows « Article annexe » is still the article's text.
    assert parse_text("LOI N° 2019-33\nObjet.\nArticle annexe : Le barème.\n").parts[-1].text == (
        "Le barème."
    )
