"""Publishing: the workflow, the freeze, amendments and the text in force on a date."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from guichet.audit.models import AuditEntry
from guichet.gazette import amendments, publication, selectors, services
from guichet.gazette.models import Expression, FrozenError, Issue, Part, Work
from guichet.gazette.tests.factories import D, articles, draft, publish, ready


@pytest.fixture
def law(editor):
    return draft(
        editor,
        ("loi", "2017-28", D(2017, 5, 3)),
        "Loi relative à la protection des données à caractère personnel",
        articles("Objet : protéger les données.", "Définitions anciennes.", "Sanctions."),
    )


@pytest.mark.django_db
def test_a_text_goes_through_each_step_in_order(editor, law):
    with pytest.raises(services.GazetteError, match="Étape impossible"):
        services.advance(law, "sign", actor=editor)
    issue = publication.create_issue(actor=editor, date=D(2017, 5, 15))
    with pytest.raises(services.GazetteError, match="Seul un texte signé"):
        publication.schedule(law, issue, actor=editor)
    ready(editor, law)
    publication.schedule(law, issue, actor=editor)
    publication.publish_issue(issue, actor=editor)
    law.refresh_from_db()
    assert law.status == Work.Status.PUBLISHED
    assert law.published_on == D(2017, 5, 15)
    assert AuditEntry.objects.filter(action="gazette.issue.published").count() == 1


@pytest.mark.django_db
def test_publishing_stores_the_pdf_hash_and_page_numbers(editor, law):
    issue = publish(editor, [law], D(2017, 5, 15))
    import hashlib

    assert hashlib.sha256(issue.pdf.open("rb").read()).hexdigest() == issue.sha256
    entry = law.issue_entry
    assert entry.page_start == issue.first_page + 2  # cover, contents, then the text
    second = draft(editor, ("loi", "2017-29", D(2017, 5, 4)), "Loi suivante")
    later = publish(editor, [second], D(2017, 6, 1))
    assert later.first_page == entry.page_end + 1  # pages run on through the year


@pytest.mark.django_db
def test_a_published_issue_and_its_texts_never_change(editor, law):
    issue = publish(editor, [law], D(2017, 5, 15))
    law.refresh_from_db()
    issue.refresh_from_db()
    law.title = "Autre intitulé"
    with pytest.raises(FrozenError):
        law.save()
    issue.number = 99
    with pytest.raises(FrozenError):
        issue.save()
    part = Part.objects.filter(expression__work=law).first()
    part.text = "Texte falsifié"
    with pytest.raises(FrozenError):
        part.save()
    # Deleting is refused too, by the guard or by the protected links of the issue's contents.
    with pytest.raises((FrozenError, ProtectedError)), transaction.atomic():
        Work.objects.filter(pk=law.pk).delete()
    with pytest.raises((FrozenError, ProtectedError)), transaction.atomic():
        Issue.objects.all().delete()
    # Django deletes inside atomic(savepoint=False): a refusal breaks the surrounding transaction,
    # as it should; the savepoint here keeps the test's own transaction usable.
    with pytest.raises(FrozenError), transaction.atomic():
        Expression.objects.filter(work=law).delete()
    with pytest.raises(services.GazetteError):
        services.update_text(law, actor=editor, title="x", parts=articles("y"))
    with pytest.raises(services.GazetteError, match="déjà publié"):
        publication.publish_issue(issue, actor=editor)
    law.refresh_from_db()
    assert law.title.startswith("Loi relative")


@pytest.mark.django_db
def test_corrections_are_rectificatifs_linked_to_what_they_correct(editor, law):
    publish(editor, [law], D(2017, 5, 15))
    law.refresh_from_db()
    correction = services.create_rectificatif(
        law, actor=editor, signed_on=D(2017, 6, 1), text="À l'article 2, lire « définitions »."
    )
    publish(editor, [correction], D(2017, 6, 5))
    assert [r.subject for r in selectors.links_of(law)["corrected_by"]] == [correction]
    assert law.expressions.get().parts.get(eid="art_2").text == "Définitions anciennes."


@pytest.mark.django_db
def test_amendments_make_versions_and_the_text_in_force_on_any_date(editor, law):
    publish(editor, [law], D(2017, 5, 15))
    amending = draft(
        editor,
        ("loi", "2019-71", D(2019, 12, 12)),
        "Loi modifiant la loi n° 2017-28",
        articles("L'article 2 de la loi n° 2017-28 du 3 mai 2017 est modifié."),
    )
    amendments.add_amendment(
        amending,
        law,
        actor=editor,
        action="replace",
        target_eid="art_2",
        text="Définitions nouvelles.",
    )
    amendments.add_amendment(amending, law, actor=editor, action="repeal", target_eid="art_3")
    amendments.add_amendment(
        amending,
        law,
        actor=editor,
        action="insert",
        target_eid="art_2bis",
        num="2 bis",
        after_eid="art_2",
        text="Article inséré.",
    )
    publish(editor, [amending], D(2019, 12, 20))

    before = selectors.expression_at(law, D(2018, 1, 1))
    after = selectors.expression_at(law, D(2020, 1, 1))
    assert before.date == D(2017, 5, 3)
    assert after.date == D(2019, 12, 20) and after.amended_by == amending
    assert before.parts.get(eid="art_2").text == "Définitions anciennes."
    assert after.parts.get(eid="art_2").text == "Définitions nouvelles."
    assert after.parts.get(eid="art_3").repealed
    assert [p.eid for p in after.parts.order_by("order")] == ["art_1", "art_2", "art_2bis", "art_3"]
    changes = {d.eid: d.status for d in selectors.compare(before, after)}
    assert changes == {"art_1": "same", "art_2": "changed", "art_2bis": "added", "art_3": "removed"}
    assert [r.subject for r in selectors.links_of(law)["amended_by"]] == [amending]


@pytest.mark.django_db
def test_repeal_marks_the_text_repealed_from_its_date(editor, law):
    publish(editor, [law], D(2017, 5, 15))
    new = draft(editor, ("loi", "2022-59", D(2022, 12, 16)), "Loi remplaçant la loi n° 2017-28")
    ready(editor, new)
    # Scheduled texts' links are frozen: the repeal is entered before scheduling.
    services.add_relation(new, "repeals", law, actor=editor)
    issue = publication.create_issue(actor=editor, date=D(2022, 12, 20))
    publication.schedule(new, issue, actor=editor)
    publication.publish_issue(issue, actor=editor)
    assert selectors.repealed_on(law) == D(2022, 12, 20)
    assert law.searchentry.in_force is False


@pytest.mark.django_db
def test_an_authority_code_must_be_in_use_on_the_day_of_signature(editor):
    with pytest.raises(services.GazetteError, match="n'était pas en usage"):
        draft(editor, ("decret", "2015-10/PCSRD", D(2015, 1, 10)), "Décret anachronique")
    with pytest.raises(services.GazetteError, match="inconnu"):
        draft(editor, ("decret", "2015-10/XYZ", D(2015, 1, 10)), "Décret inconnu")
    work = draft(editor, ("decret", "2010-1/PCSRD", D(2010, 4, 8)), "Décret de transition")
    assert work.authority.code == "PCSRD"


@pytest.mark.django_db
def test_a_number_is_used_once_per_type(editor, law):
    with pytest.raises(services.GazetteError, match="existe déjà"):
        draft(editor, ("loi", "2017-028", D(2017, 5, 3)), "Doublon")
