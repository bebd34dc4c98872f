"""What a phone account sees of who consulted a record: only the record it was verified to be,
only once the clerk verified the identity proof; B2 with their reason, B1 (when the parameter
allows it) with the court only, the clerks' look-ups « consulté par le greffe (…) »."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.criminal_records import services, services_requests
from guichet.criminal_records.models import BulletinRequest, RuleParameter


def _consulted(make_agent, person, commune, kind, role, org, reason):
    agent = make_agent(f"c.{role}.{person.pk}", role, org)
    item = services_requests.submit_agent_request(
        user=agent,
        kind=kind,
        reason=reason,
        last_name=person.last_name,
        first_names=person.first_names,
        sex=person.sex,
        birth_date=None,
        birth_year=person.birth_year,
        birth_commune=commune,
        birth_country="",
    )
    item.person = person
    item.save()
    return item


def _own_request(citizen, person, commune, **extra):
    return BulletinRequest.objects.create(
        kind=3,
        court=services.person_court(person),
        requester=citizen,
        reason="perso",
        person=person,
        last_name=person.last_name,
        first_names=person.first_names,
        sex=person.sex,
        birth_year=person.birth_year,
        birth_commune=commune,
        **extra,
    )


def _page(citizen_client) -> str:
    return citizen_client.get(reverse("criminal_records:my_requests")).content.decode()


def test_b1_consultations_show_the_court_never_the_reason_when_allowed(
    citizen, make_agent, make_person, niamey_commune, citizen_client
):
    RuleParameter.objects.create(
        key="show_b1_consultations", value=1, reason="test", effective_from=dt.date(2000, 1, 1)
    )
    person = make_person()
    _consulted(
        make_agent, person, niamey_commune, 1, Role.JUDGE, "TGI-NIAMEY", "Information n° 12/26"
    )
    _own_request(citizen, person, niamey_commune, identity_verified_at=timezone.now())
    page = _page(citizen_client)
    table = page[page.index('id="consultations"') :]
    assert "Tribunal de grande instance hors classe de Niamey" in table
    assert "Information n° 12/26" not in page


def test_only_the_verified_record_is_shown_not_another_linked_one(
    citizen, make_agent, make_person, niamey_commune, citizen_client
):
    """Two requests of one account: one verified for record A, one only linked to record B (a
    relative's record, say). Only A's consultations are shown."""
    mine = make_person()
    other = make_person(first_names="Zeinabou", sex="F", father_name="Bako Ali")
    _consulted(make_agent, mine, niamey_commune, 2, Role.ADMINISTRATION, "MSP-DRH", "Recrutement A")
    _consulted(make_agent, other, niamey_commune, 2, Role.ADMINISTRATION, "MSP-DRH", "Moralité B")
    _own_request(citizen, mine, niamey_commune, identity_verified_at=timezone.now())
    _own_request(citizen, other, niamey_commune)
    page = _page(citizen_client)
    assert "Recrutement A" in page and "Moralité B" not in page


def test_a_rejected_request_proves_nothing(
    citizen, make_agent, make_person, niamey_commune, citizen_client
):
    person = make_person()
    _consulted(make_agent, person, niamey_commune, 2, Role.ADMINISTRATION, "MSP-DRH", "Recrutement")
    _own_request(
        citizen,
        person,
        niamey_commune,
        identity_verified_at=timezone.now(),
        status=BulletinRequest.Status.REJECTED,
    )
    assert "Recrutement" not in _page(citizen_client)


def test_who_consulted_is_named_in_the_citizens_language(
    citizen, make_agent, make_person, niamey_commune, citizen_client
):
    """Before: « Direction des ressources humaines » and « consulté par le greffe de Tribunal de
    grande instance… » in French on the Hausa page (the selector read `name`, not its translation)."""
    from guichet.accounts.models import Organisation

    for code, hausa in (
        ("MSP-DRH", "Sashen kula da ma’aikata"),
        ("TGI-NIAMEY", "Babbar Kotun Niamey"),
    ):
        organisation = Organisation.objects.get(code=code)
        organisation.translations = {"name": {"ha": hausa}}
        organisation.save()
    person = make_person()
    _consulted(make_agent, person, niamey_commune, 2, Role.ADMINISTRATION, "MSP-DRH", "Recrutement")
    clerk = make_agent("c.lookup", Role.COURT_CLERK, "TGI-NIAMEY")
    services.record_view(actor=clerk, target=person, reason="Vérification")
    own = _own_request(citizen, person, niamey_commune, identity_verified_at=timezone.now())
    citizen_client.cookies["django_language"] = "ha"
    table = _page(citizen_client).split('id="consultations"')[1].split("</table>")[0]
    assert "Sashen kula da ma’aikata" in table and "Babbar Kotun Niamey" in table
    assert "Direction des ressources humaines" not in table
    detail = citizen_client.get(reverse("criminal_records:my_request", args=[own.reference]))
    assert "Babbar Kotun Niamey" in detail.content.decode()


def test_the_clerks_look_up_names_the_court_in_correct_french(
    citizen, make_agent, make_person, niamey_commune, citizen_client
):
    """Before: « consulté par le greffe de Tribunal de grande instance… », which no French reader
    writes (« du Tribunal », « de la Cour d'appel »): the article depends on the court's name, so the
    court now follows the phrase in parentheses instead of after « de »."""
    from guichet.accounts.models import Organisation

    court = Organisation.objects.get(code="TGI-NIAMEY").name
    person = make_person()
    clerk = make_agent("c.lookup.fr", Role.COURT_CLERK, "TGI-NIAMEY")
    services.record_view(actor=clerk, target=person, reason="Vérification")
    _own_request(citizen, person, niamey_commune, identity_verified_at=timezone.now())
    table = _page(citizen_client).split('id="consultations"')[1].split("</table>")[0]
    assert f"consulté par le greffe ({court})" in table
    assert "greffe de Tribunal" not in table and "greffe de Cour" not in table
