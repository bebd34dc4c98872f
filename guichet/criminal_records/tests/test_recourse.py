"""A decision on recourse (appel, opposition, pourvoi) that reforms a sentence.

Before, only the date, number and finality of a conviction could be rectified: a sentence reduced
on appeal kept printing the first one (3 ans on B3 after the Court of Appeal gave 1 an), and a
sentence made heavier never reached B3. Each test here failed before the fix (no way to record
the decision, so the bulletins kept the first penalties)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.audit.models import AuditEntry
from guichet.criminal_records import rules, services_register
from guichet.criminal_records.models import ConvictionEvent, Penalty

D = dt.date.fromisoformat


def _shown(person, on):
    return tuple(bool(rules.bulletin_entries(person, kind, on=D(on))) for kind in (1, 2, 3))


def _appeal(
    clerk, conviction, day, penalties, *, final=True, reference="CA Niamey, arrêt n° 12", **extra
):
    return services_register.record_recourse_decision(
        actor=clerk,
        conviction=conviction,
        date=D(day),
        reference=reference,
        is_final=final,
        penalties=penalties,
        **extra,
    )


def test_a_sentence_reduced_on_appeal_leaves_b3(make_person, convict, clerk):
    person = make_person()
    first = convict(person, "2012-01-10", prison=1095, final=False)  # 3 ans, appealed
    assert _shown(person, "2012-03-01") == (True, False, False)  # not final: B1 only
    _appeal(clerk, first, "2012-06-04", [{"kind": "prison", "years": 1}])

    assert _shown(person, "2012-03-01") == (True, False, False)  # as it was before the appeal
    assert _shown(person, "2013-01-01") == (True, True, False)  # 1 an: not over two years
    [entry] = rules.bulletin_entries(person, 2, on=D("2013-01-01"))
    assert entry.penalties[0] == "1 an d'emprisonnement"
    assert "peine prononcée sur recours le 04/06/2012 (CA Niamey, arrêt n° 12)" in entry.penalties
    assert not any("3 ans" in line for line in entry.penalties)
    assert Penalty.objects.get(years=3).replaced_by.kind == ConvictionEvent.Kind.RECOURSE


def test_a_sentence_made_heavier_on_appeal_reaches_b3(make_person, convict, clerk):
    person = make_person()
    first = convict(person, "2012-01-10", prison=365, final=False)
    _appeal(clerk, first, "2012-06-04", [{"kind": "prison", "years": 3}])
    assert _shown(person, "2013-01-01") == (True, True, True)
    [entry] = rules.bulletin_entries(person, 3, on=D("2013-01-01"))
    assert entry.penalties[0] == "3 ans d'emprisonnement"


def test_the_sursis_runs_from_the_decision_on_recourse(make_person, convict, clerk):
    # Sursis simple: five years from the decision that pronounced it (loi de 1891 / CPP fr. 735).
    person = make_person()
    first = convict(person, "2010-03-01", prison=365, final=False)
    _appeal(clerk, first, "2011-03-01", [{"kind": "prison", "years": 1, "suspended": True}])
    assert _shown(person, "2016-02-29") == (True, True, False)
    assert _shown(person, "2016-03-01") == (True, False, False)


def test_a_further_recourse_replaces_the_appeal(make_person, convict, clerk):
    person = make_person()
    first = convict(person, "2012-01-10", prison=1095, final=False)
    _appeal(clerk, first, "2012-06-04", [{"kind": "prison", "years": 1}], final=False)
    assert _shown(person, "2012-07-01") == (True, False, False)  # pourvoi pending
    _appeal(
        clerk,
        first,
        "2013-02-01",
        [{"kind": "fine", "amount": 200_000}],
        reference="Cour de cassation, arrêt n° 3",
    )
    [entry] = rules.bulletin_entries(person, 1, on=D("2013-03-01"))
    assert entry.penalties[0] == "amende de 200 000 F CFA"
    assert len(entry.penalties) == 2  # the fine, and which decision pronounced it
    assert "Cour de cassation" in entry.penalties[1]
    first.refresh_from_db()
    assert first.is_final


@pytest.mark.parametrize(
    "day, penalties, reference, message",
    [
        ("2012-06-04", [], "CA", "Retrait par décision"),
        ("2012-06-04", [{"kind": "prison", "years": 1}], " ", "Citez la décision"),
        ("2012-01-09", [{"kind": "prison", "years": 1}], "CA", "postérieure au 10/01/2012"),
        ("2012-01-10", [{"kind": "prison", "years": 1}], "CA", "postérieure au 10/01/2012"),
        ("2999-01-01", [{"kind": "prison", "years": 1}], "CA", "futur"),
        ("2012-06-04", [{"kind": "prison"}], "CA", "durée prononcée"),
    ],
)
def test_a_decision_on_recourse_is_refused_when_incomplete(
    make_person, convict, clerk, day, penalties, reference, message
):
    person = make_person()
    first = convict(person, "2012-01-10", prison=1095, final=False)
    with pytest.raises(ValidationError, match=message):
        _appeal(clerk, first, day, penalties, reference=reference)
    # Nothing half-written: the first sentence is still the one in force, no event was added.
    assert list(first.penalties.values_list("years", "replaced_by")) == [(3, None)]
    assert not first.events.exists()


def test_the_generic_event_form_cannot_record_a_recourse_without_its_penalties(
    make_person, convict, clerk
):
    first = convict(make_person(), "2012-01-10", prison=1095, final=False)
    with pytest.raises(ValidationError, match="avec les peines"):
        services_register.add_event(
            actor=clerk, conviction=first, kind="recourse", date=D("2012-06-04"), reference="CA"
        )


def test_another_courts_clerk_cannot_record_it(make_person, convict, make_agent):
    from django.core.exceptions import PermissionDenied

    from guichet.accounts.models import Role

    other = make_agent("autre.greffier", Role.COURT_CLERK, "TGI-ZINDER")
    first = convict(make_person(), "2012-01-10", prison=1095, final=False)
    with pytest.raises(PermissionDenied):
        _appeal(other, first, "2012-06-04", [{"kind": "prison", "years": 1}])


def test_the_clerk_records_it_from_the_person_page(signed_in, make_person, convict):
    from guichet.accounts.models import Role

    client = signed_in("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    person = make_person()
    first = convict(person, "2012-01-10", prison=1095, final=False)
    url = reverse("criminal_records:recourse_create", args=[first.pk])
    detail = reverse("criminal_records:person_detail", args=[person.pk]) + "?motif=Appel"
    assert url in client.get(detail).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Décision sur recours" in page.content.decode()
    response = client.post(
        url,
        {
            "date": "2012-06-04",
            "reference": "CA Niamey, arrêt n° 12",
            "is_final": "on",
            "prison_years": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(first.penalties.filter(replaced_by__isnull=True).values_list("years")) == [(1,)]
    entry = AuditEntry.objects.filter(action="criminal_records.conviction.event").latest("pk")
    assert entry.data["before"]["penalties"] == ["3 ans d'emprisonnement"]
    assert entry.data["after"]["penalties"] == ["1 an d'emprisonnement"]
    # A form with no penalty is sent back with the reason, nothing written.
    again = client.post(url, {"date": "2012-07-04", "reference": "CA"})
    assert again.status_code == 200 and "Indiquez au moins une peine" in again.content.decode()
    assert first.events.count() == 1


def test_an_unqualified_penalty_replaced_on_recourse_no_longer_blocks(make_person, convict, clerk):
    from guichet.criminal_records import selectors

    first = convict(
        make_person(), "2012-01-10", final=False, penalties=[{"kind": "other", "description": "?"}]
    )
    assert selectors.penalties_to_qualify().count() == 1
    _appeal(clerk, first, "2012-06-04", [{"kind": "prison", "years": 1}])
    assert selectors.penalties_to_qualify().count() == 0


def test_an_opposition_makes_a_judgment_by_default_contradictory(make_person, convict, clerk):
    from guichet.criminal_records.models import Conviction

    person = make_person()
    first = convict(person, "2012-01-10", prison=365, final=False)
    Conviction.objects.filter(pk=first.pk).update(kind=Conviction.Kind.BY_DEFAULT)
    assert rules.bulletin_entries(person, 1, on=D("2012-03-01"))[0].kind == "Par défaut"
    _appeal(clerk, first, "2012-06-04", [{"kind": "prison", "months": 6}], reference="TGI, opp.")
    assert rules.bulletin_entries(person, 1, on=D("2012-03-01"))[0].kind == "Par défaut"
    assert rules.bulletin_entries(person, 2, on=D("2013-01-01"))[0].kind == "Contradictoire"


# The mention on B3 (CPP fr. 1959 art. 777-2°: a sentence of two years or less « si la
# juridiction en a ordonné la mention ») belongs to the sentence: the decision on recourse that
# pronounces the sentence orders it or not. Before, the first decision's mention stayed for ever:
# these tests failed (the service had no such argument, the form no such field).


def test_a_mention_ordered_on_appeal_puts_the_sentence_on_b3(make_person, convict, clerk):
    person = make_person()
    first = convict(person, "2012-01-10", prison=365, final=False)
    _appeal(clerk, first, "2012-06-04", [{"kind": "prison", "years": 1}], b3_mention_ordered=True)
    assert _shown(person, "2013-01-01") == (True, True, True)
    assert _shown(person, "2012-03-01") == (True, False, False)  # before the appeal


def test_a_mention_not_ordered_on_appeal_takes_the_sentence_off_b3(make_person, convict, clerk):
    person = make_person()
    first = convict(person, "2012-01-10", prison=365, b3_ordered=True)
    assert _shown(person, "2012-03-01") == (True, True, True)
    _appeal(clerk, first, "2012-06-04", [{"kind": "prison", "months": 8}], b3_mention_ordered=False)
    # Under appeal on 2012-03-01, so not final then: B1 only, whatever the mention.
    assert _shown(person, "2012-03-01") == (True, False, False)
    assert _shown(person, "2013-01-01") == (True, True, False)
    entry = AuditEntry.objects.filter(action="criminal_records.conviction.event").latest("pk")
    assert entry.data["before"]["b3_mention_ordered"] is True
    assert entry.data["after"]["b3_mention_ordered"] is False


def test_a_recourse_silent_on_the_mention_keeps_the_one_in_force(make_person, convict, clerk):
    person = make_person()
    first = convict(person, "2012-01-10", prison=365, b3_ordered=True)
    _appeal(clerk, first, "2012-06-04", [{"kind": "prison", "months": 8}])
    assert _shown(person, "2013-01-01") == (True, True, True)


def test_the_recourse_form_offers_the_mention_in_force(signed_in, make_person, convict):
    from guichet.accounts.models import Role

    client = signed_in("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    person = make_person()
    first = convict(person, "2012-01-10", prison=365, b3_ordered=True)
    url = reverse("criminal_records:recourse_create", args=[first.pk])
    page = client.get(url).content.decode()
    [checkbox] = re.findall(r'<input type="checkbox" name="b3_mention_ordered"[^>]*>', page)
    assert "checked" in checkbox
    # The clerk unticks it: the Court of Appeal did not order the mention.
    data = {"date": "2012-06-04", "reference": "CA", "is_final": "on", "prison_months": "8"}
    assert client.post(url, data).status_code == 302
    assert _shown(person, "2013-01-01") == (True, True, False)
    event = first.events.get()
    assert event.b3_mention_ordered is False
