"""Issue 11, import speed: the archive imported in bulk, with the same checks and one audit entry
per text, in a number of queries that does not grow with the texts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.audit import actions as audit_actions
from guichet.audit.models import AuditEntry
from guichet.gazette import search
from guichet.gazette.archive_import import ArchiveText, import_archive_texts
from guichet.gazette.content import Counts, PartInput, counts_of
from guichet.gazette.models import Relation, SearchWord, Work
from guichet.gazette.services import GazetteError


def _texts(count: int, start: int = 1) -> list[ArchiveText]:
    texts = []
    for n in range(start, start + count):
        parts = [
            PartInput(kind="article", num="1", text=f"Le cheptel de la commune {n} est recensé."),
            PartInput(
                kind="article", num="2", text="La loi n° 1999-1 du 1er janvier 1999 s'applique."
            ),
        ]
        texts.append(
            ArchiveText(
                doctype="loi",
                number=f"1999-{n}",
                signed_on=datetime.date(1999, 1, 1),
                title=f"relative au recensement {n}",
                parts=parts,
                expected=counts_of(parts),
            )
        )
    return texts


@pytest.mark.django_db
def test_texts_are_published_indexed_linked_and_audited_once_each():
    works = import_archive_texts(actor=None, texts=_texts(20))
    assert Work.objects.filter(status=Work.Status.PUBLISHED).count() == 20
    assert all(w.expressions.get().frozen for w in works)
    imported = AuditEntry.objects.filter(action=audit_actions.Gazette.TEXT_IMPORTED)
    assert imported.count() == 20
    assert {e.object_id for e in imported} == {str(w.pk) for w in works}
    # Each text cites law 1999-1 (in the same batch): confirmed links, not self-links.
    assert Relation.objects.filter(target=works[0], confirmed=True).count() == 19
    hits = search.search("cheptel commune 7", using="default").hits
    assert hits and hits[0].work_id == works[6].pk
    assert SearchWord.objects.get(word="cheptel").frequency == 20


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_texts():
    import_archive_texts(actor=None, texts=_texts(5))  # the authorities, vocabulary… seen once
    with CaptureQueriesContext(connection) as few:
        import_archive_texts(actor=None, texts=_texts(5, start=100))
    # 40 texts: still one audit entry each, but written by one INSERT (record_many).
    with CaptureQueriesContext(connection) as many:
        import_archive_texts(actor=None, texts=_texts(40, start=200))
    from collections import Counter

    assert len(many) == len(few), Counter(q["sql"][:60] for q in many) - Counter(
        q["sql"][:60] for q in few
    )
    assert AuditEntry.objects.filter(action=audit_actions.Gazette.TEXT_IMPORTED).count() == 50


@pytest.mark.django_db
def test_a_count_difference_refuses_the_whole_batch():
    texts = _texts(3)
    texts[1].expected = Counts(articles=3, words=texts[1].expected.words)
    with pytest.raises(GazetteError, match=r"Texte n° 2 .*3 article"):
        import_archive_texts(actor=None, texts=texts)
    assert Work.objects.count() == 0


@pytest.mark.django_db
def test_a_text_already_in_the_journal_refuses_the_batch():
    import_archive_texts(actor=None, texts=_texts(1))
    with pytest.raises(GazetteError, match="existe déjà"):
        import_archive_texts(actor=None, texts=_texts(3))
    assert Work.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_number_is_refused_with_its_position():
    texts = _texts(2)
    texts[1].number = "n'importe quoi"
    with pytest.raises(GazetteError, match="Texte n° 2"):
        import_archive_texts(actor=None, texts=texts)
    assert Work.objects.count() == 0


@pytest.mark.django_db
def test_a_citation_of_an_article_number_as_misprinted_links_to_the_text():
    # The Code de la sécurité sociale prints « article 22quater »: the import stopped there, on an
    # ArticleNumberError from the citation finder (both importers).
    texts = _texts(2)
    texts[1].parts[
        1
    ].text = "L'article 22quater de la loi n° 1999-1 du 1er janvier 1999 s'applique."
    texts[1].expected = counts_of(texts[1].parts)
    works = import_archive_texts(actor=None, texts=texts)
    assert Relation.objects.filter(subject=works[1], target=works[0]).exists()
