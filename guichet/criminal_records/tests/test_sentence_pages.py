"""A clerk enters a sentence as pronounced, and qualifies the « autre mesure » left by the
migration; both are audited and read by the rules."""

import pytest
from django.urls import reverse

from guichet.accounts.models import Organisation, Role
from guichet.audit.models import AuditEntry
from guichet.criminal_records import rules
from guichet.criminal_records.models import Conviction, Penalty


@pytest.fixture
def clerk(signed_in):
    return signed_in("s.greffier", Role.COURT_CLERK, "TGI-NIAMEY")


def _post_conviction(clerk, person, offences, **penalty_fields):
    return clerk.post(
        reverse("criminal_records:conviction_create", args=[person.pk]),
        {
            "court": Organisation.objects.get(code="TGI-NIAMEY").pk,
            "decision_date": "2020-02-03",
            "kind": "contradictory",
            "is_final": "on",
            "offences": [offences["meurtre"].pk],
            **penalty_fields,
        },
    )


def test_a_clerk_enters_a_life_sentence_and_b3_shows_it(clerk, make_person, offences):
    person = make_person()
    response = _post_conviction(clerk, person, offences, criminal_penalty="life_imprisonment")
    assert response.status_code == 302
    assert Conviction.objects.get().penalties.get().kind == Penalty.Kind.LIFE_IMPRISONMENT
    [entry] = rules.bulletin_entries(person, 3)
    assert entry.penalties == ["réclusion criminelle à perpétuité"]


def test_a_partly_suspended_sentence_with_probation_as_pronounced(clerk, make_person, offences):
    person = make_person()
    response = _post_conviction(
        clerk,
        person,
        offences,
        prison_years=3,
        suspended="on",
        suspension_kind="probation",
        suspended_years=1,
        probation_years=3,
    )
    assert response.status_code == 302
    penalty = Conviction.objects.get().penalties.get()
    assert penalty.text() == (
        "3 ans d'emprisonnement dont 1 an avec sursis et mise à l'épreuve (délai d'épreuve : 3 ans)"
    )


def test_a_term_of_reclusion_needs_its_length(clerk, make_person, offences):
    response = _post_conviction(
        clerk, make_person(), offences, criminal_penalty="criminal_imprisonment"
    )
    assert response.status_code == 200
    assert "durée de la réclusion" in response.content.decode()
    assert not Conviction.objects.exists()


def test_a_clerk_qualifies_a_penalty_the_migration_could_not_read(clerk, make_person, convict):
    person = make_person()
    conviction = convict(person, "2010-03-01", offence="meurtre")
    penalty = Penalty.objects.create(
        conviction=conviction, kind="other", description="RCP (arrêt n° 12 de la Cour d'assises)"
    )
    url = reverse("criminal_records:penalties_to_qualify")
    page = clerk.get(url)
    assert page.status_code == 200 and "RCP (arrêt n° 12" in page.content.decode()
    assert rules.bulletin_entries(person, 3) == []
    response = clerk.post(
        url,
        {"penalty": penalty.pk, "kind": "life_imprisonment", "reason": "Arrêt n° 12 du 01/03/2010"},
    )
    assert response.status_code == 302
    penalty.refresh_from_db()
    assert penalty.kind == Penalty.Kind.LIFE_IMPRISONMENT
    assert penalty.description.startswith("RCP")
    assert len(rules.bulletin_entries(person, 3)) == 1
    entry = AuditEntry.objects.get(action="criminal_records.penalty.qualified")
    assert entry.data["before"]["kind"] == "other" and entry.data["after"]["kind"] == (
        "life_imprisonment"
    )
    assert "Aucune peine à qualifier" in clerk.get(url).content.decode()


def test_another_courts_clerk_neither_sees_nor_qualifies(signed_in, make_person, convict):
    other = signed_in("z.greffier", Role.COURT_CLERK, "TGI-ZINDER")
    conviction = convict(make_person(), "2010-03-01")
    penalty = Penalty.objects.create(conviction=conviction, kind="other", description="RCP")
    url = reverse("criminal_records:penalties_to_qualify")
    assert "RCP" not in other.get(url).content.decode()
    response = other.post(url, {"penalty": penalty.pk, "kind": "death", "reason": "x"})
    assert response.status_code == 404
    penalty.refresh_from_db()
    assert penalty.kind == "other"
