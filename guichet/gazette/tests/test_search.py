"""French full-text search: stems, accents, phrases, filters, numbers. Runs on SQLite and, with
DATABASE_URL set, on PostgreSQL: the same queries must give the same texts on both."""

import pytest

from guichet.gazette import indexing, publication, search, services
from guichet.gazette.search import Filters, analyse, spellings
from guichet.gazette.tests.factories import D, articles, draft, editor_account, publish, ready


def test_the_analyser_stems_as_written_then_drops_accents():
    assert analyse("abrogation") == analyse("abrogé") == analyse("abroge") == "abrog"
    assert analyse("Les données abrogées") == analyse("LES DONNEES ABROGEES") == "donn abrog"


def test_a_word_typed_without_accents_reaches_the_accented_stem():
    assert spellings("donnees") == spellings("données") == spellings("donnée")
    assert spellings("securite") == spellings("Sécurité")


@pytest.fixture(scope="module")
def corpus(module_rows):
    """Published once for the module: each test's writes are rolled back before the next."""
    return module_rows(_publish_corpus)


def _publish_corpus():
    editor = editor_account()
    texts = [
        draft(
            editor,
            ("loi", "2017-28", D(2017, 5, 3)),
            "Loi relative à la protection des données à caractère personnel",
            articles(
                "Les données à caractère personnel sont protégées.",
                "La Commission nationale veille au respect de la loi.",
            ),
        ),
        draft(
            editor,
            ("decret", "2018-10/PRN/MJ", D(2018, 1, 10)),
            "Décret portant abrogation du décret sur les archives",
            articles("Le décret relatif aux archives est abrogé."),
        ),
        draft(
            editor,
            ("ordonnance", "2010-66", D(2010, 10, 21)),
            "Ordonnance portant code de la route",
            articles("La sécurité routière est une priorité nationale."),
        ),
        draft(
            editor,
            ("arrete", "086/MISP/D/AR", D(2015, 3, 2)),
            "Arrêté portant agrément d'une association",
            articles("L'association est agréée. Les dispositions antérieures sont abrogées."),
        ),
    ]
    publish(editor, texts[:3], D(2018, 2, 1))
    publish(editor, texts[3:], D(2018, 3, 1))
    return {t.number_normalized: t for t in texts}


def numbers(query, type="", **filters):
    found = search.search(query, Filters(doctype=type, **filters), using="default")
    return sorted(h.number for h in found.hits)


@pytest.mark.django_db
def test_stemming_abrogation_finds_abroge_and_abrogees(corpus):
    assert numbers("abrogation") == ["086/MISP/D/AR", "2018-10/PRN/MJ"]
    assert numbers("abrogé") == numbers("abrogation") == numbers("ABROGEES")


@pytest.mark.django_db
def test_accents_are_ignored(corpus):
    assert numbers("donnees") == numbers("données") == ["2017-28"]
    assert numbers("securite routiere") == ["2010-66"]


@pytest.mark.django_db
def test_all_words_are_required_and_phrases_are_exact(corpus):
    assert numbers("données commission") == ["2017-28"]
    assert numbers("données archives") == []
    assert numbers('"caractère personnel"') == ["2017-28"]
    assert numbers('"personnel caractère"') == []


@pytest.mark.django_db
def test_filters_by_type_authority_date_and_status(corpus, editor):
    assert numbers("portant", type="decret") == ["2018-10/PRN/MJ"]
    assert numbers("portant", authority="misp") == ["086/MISP/D/AR"]
    assert numbers("portant", date_from=D(2015, 1, 1), date_to=D(2017, 12, 31)) == ["086/MISP/D/AR"]
    repealing = draft(editor, ("loi", "2022-59", D(2022, 12, 16)), "Loi sur les données")
    ready(editor, repealing)
    services.add_relation(repealing, "repeals", corpus["2017-28"], actor=editor)
    issue = publication.create_issue(actor=editor, date=D(2022, 12, 20))
    publication.schedule(repealing, issue, actor=editor)
    publication.publish_issue(issue, actor=editor)
    assert numbers("données", status="repealed") == ["2017-28"]
    assert numbers("données", status="in_force") == ["2022-59"]


@pytest.mark.django_db
def test_sort_by_date_and_count(corpus):
    results = search.search("portant", sort="date", using="default")
    assert results.count == 3
    assert [h.date for h in results.hits] == sorted((h.date for h in results.hits), reverse=True)


@pytest.mark.django_db
def test_title_matches_rank_first(corpus):
    hits = search.search("abrogation", using="default").hits
    assert hits[0].number == "2018-10/PRN/MJ"  # in its title; the order's only in its body


@pytest.mark.django_db
def test_a_number_goes_straight_to_the_text(corpus):
    results = search.search("2017-28", using="default")
    assert results.exact is not None and results.exact.uri == "/akn/ne/act/loi/2017/28"
    assert search.search("n° 2018-010", using="default").exact.number == "2018-10/PRN/MJ"


@pytest.mark.django_db
def test_snippets_highlight_the_matched_forms(corpus):
    hit = search.search(
        "abrogation", type_filter := Filters(doctype="arrete"), using="default"
    ).hits[0]
    assert type_filter.doctype == "arrete"
    assert "<mark>abrogées</mark>" in hit.snippet


@pytest.mark.django_db
def test_unpublished_texts_are_not_found(corpus, editor):
    draft(editor, ("loi", "2023-1", D(2023, 1, 5)), "Loi clandestine sur les données")
    assert numbers("clandestine") == []
    assert "2023-1" not in numbers("données")


@pytest.mark.django_db
def test_snippet_escapes_html(editor):
    work = draft(
        editor,
        ("loi", "2019-1", D(2019, 1, 2)),
        "Loi <b>test</b>",
        articles("Texte <script>alert(1)</script> abrogé."),
    )
    publish(editor, [work], D(2019, 2, 1))
    # The module's corpus (when an earlier test published it) holds other « abrogé ».
    hits = search.search("abrogé", using="default").hits
    snippet = next(hit.snippet for hit in hits if hit.work_id == work.pk)
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


@pytest.mark.django_db
def test_a_repeal_taking_effect_later_is_applied_on_its_day(corpus, editor):
    from django.core.management import call_command

    repealing = draft(editor, ("loi", "2022-59", D(2022, 12, 16)), "Loi sur les données")
    ready(editor, repealing)
    services.add_relation(
        repealing, "repeals", corpus["2017-28"], actor=editor, effective_on=D(2099, 1, 1)
    )
    issue = publication.create_issue(actor=editor, date=D(2022, 12, 20))
    publication.schedule(repealing, issue, actor=editor)
    publication.publish_issue(issue, actor=editor)
    assert "2017-28" in numbers("données", status="in_force")
    assert indexing.refresh_in_force_status(today=D(2098, 12, 31)) == 0
    assert indexing.refresh_in_force_status(today=D(2099, 1, 1)) == 1
    assert numbers("données", status="repealed") == ["2017-28"]
    call_command("refresh_gazette_status")  # nothing left to do, and the command runs
