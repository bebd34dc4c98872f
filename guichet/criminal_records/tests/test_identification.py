"""Linking a request to the register: ambiguity, « Néant » records, identity proof."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.audit.models import AuditEntry
from guichet.criminal_records import identification, services
from guichet.criminal_records.models import Person


def test_two_probable_records_block_linking_until_a_fact_tells_them_apart(clerk, ask, make_person):
    first = make_person(father_name="Abdou Issoufou")
    second = make_person(father_name="Garba Souley")
    item = ask()
    result = identification.candidates_for_request(item)
    assert result.ambiguous and {c.person for c in result.probable} == {first, second}
    with pytest.raises(ValidationError, match="fait qui les distingue"):
        identification.link_person(actor=clerk, bulletin_request=item, person=first)
    identification.complete_request_identity(
        actor=clerk, bulletin_request=item, reason="CNI n° 123", father_name="Garba Souley"
    )
    item.refresh_from_db()
    result = identification.candidates_for_request(item)
    assert not result.ambiguous and result.probable[0].person == second
    identification.link_person(actor=clerk, bulletin_request=item, person=second)
    item.refresh_from_db()
    assert item.person == second
    entry = AuditEntry.objects.get(action="criminal_records.request.identity_completed")
    assert entry.data["after"] == {"father_name": "Garba Souley"}


def test_a_convicted_person_declared_with_another_sex_and_year_is_proposed(ask, make_person):
    convicted = make_person(sex="F", birth_year=1982, birth_month=None, birth_day=None)
    item = ask(sex="M", birth_date=None, birth_year=1980)
    result = identification.candidates_for_request(item)
    assert [c.person for c in result.candidates] == [convicted]


def test_neant_record_needs_a_reason_and_no_probable_record(clerk, ask, make_person):
    item = ask(last_name="Bako", first_names="Zeinabou", sex="F")
    with pytest.raises(ValidationError, match="motif"):
        identification.create_person_from_request(actor=clerk, bulletin_request=item, reason="")
    person = identification.create_person_from_request(
        actor=clerk, bulletin_request=item, reason="Aucune fiche, recherche élargie"
    )
    assert person.last_name == "Bako"
    entry = AuditEntry.objects.get(action="criminal_records.request.person_created")
    assert entry.reason == "Aucune fiche, recherche élargie"
    assert entry.data["candidates_ruled_out"] == []

    make_person()
    other = ask()
    with pytest.raises(ValidationError, match="fiche probable"):
        identification.create_person_from_request(actor=clerk, bulletin_request=other, reason="x")
    assert Person.objects.count() == 2


def test_identity_is_verified_only_with_a_proof_or_a_note(clerk, citizen, niamey_commune):
    from guichet.criminal_records.models import BulletinRequest

    item = BulletinRequest.objects.create(
        kind=3,
        court=services.competent_court(birth_commune=niamey_commune),
        requester=citizen,
        reason="perso",
        last_name="A",
        first_names="B",
        sex="M",
        birth_year=1980,
        birth_commune=niamey_commune,
    )
    with pytest.raises(ValidationError, match="pièce vue au greffe"):
        identification.verify_identity(actor=clerk, bulletin_request=item)
    identification.verify_identity(
        actor=clerk, bulletin_request=item, note="CNI n° 42 vue au guichet"
    )
    item.refresh_from_db()
    assert item.identity_verified_by == clerk


def test_clerk_page_shows_facts_side_by_side_and_the_ambiguity(
    signed_in, ask, make_person, niamey_commune
):
    clerk_client = signed_in("y.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    make_person(father_name="Abdou Issoufou")
    make_person(father_name="Garba Souley")
    item = ask()
    page = clerk_client.get(reverse("criminal_records:clerk_request", args=[item.reference]))
    html = page.content.decode()
    assert 'id="ambiguity"' in html and "Lieu de naissance" in html and "Père" in html
    assert 'id="create-person"' not in html  # probable records exist: no « Néant » offered
    assert "C&#x27;est cette personne" not in html  # no link while ambiguous
