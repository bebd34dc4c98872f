"""The table of cases: each row is one rule of rules.py, with the article it implements.

A row: (article, the conviction, the date, on B1?, on B2?, on B3?)."""

import datetime as dt

import pytest

from guichet.criminal_records import rules
from guichet.criminal_records.models import RuleParameter

D = dt.date.fromisoformat

CASES = [
    # --- What the record holds (CPP Niger art. 706-719, confirmed) ---
    pytest.param(
        "CPP Niger art. 706-719: délit → recorded",
        {"prison": 60},
        "2012-01-01",
        (True, True, False),
        id="delit-recorded",
    ),
    pytest.param(
        "CPP Niger art. 706-719: contravention, 10 days or less, fine <= 50 000 → not recorded",
        {"offence": "tapage", "prison": 10, "fine": 50_000},
        "2012-01-01",
        (False, False, False),
        id="contravention-under-thresholds",
    ),
    pytest.param(
        "CPP Niger art. 706-719: contravention with more than 10 days of prison → recorded",
        {"offence": "tapage", "prison": 11},
        "2012-01-01",
        (True, False, False),
        id="contravention-prison-over-10-days",
    ),
    pytest.param(
        "CPP Niger art. 706-719: contravention with a fine over 50 000 F → recorded",
        {"offence": "tapage", "fine": 50_001},
        "2012-01-01",
        (True, False, False),
        id="contravention-fine-over-50000",
    ),
    # --- Bulletin n°3 (CPP fr. 1959 art. 777, not confirmed for Niger) ---
    pytest.param(
        "CPP fr. 1959 art. 777: more than two years of firm prison → on B3",
        {"offence": "meurtre", "prison": 732},
        "2012-01-01",
        (True, True, True),
        id="b3-over-two-years",
    ),
    pytest.param(
        "CPP fr. 1959 art. 777: 731 days from 1 March 2010 end on 1 March 2012 (29 February "
        "between): two years exactly, counted « de date à date » → not on B3",
        {"offence": "meurtre", "prison": 731},
        "2012-06-01",
        (True, True, False),
        id="b3-731-days-over-a-leap-day-are-two-years",
    ),
    pytest.param(
        "CPP fr. 1959 art. 777: two years or less, no mention ordered → not on B3",
        {"prison": 730},
        "2012-01-01",
        (True, True, False),
        id="b3-two-years-exactly",
    ),
    pytest.param(
        "CPP fr. 1959 art. 777: two years or less, mention ordered by the court → on B3",
        {"prison": 200, "b3_ordered": True},
        "2012-01-01",
        (True, True, True),
        id="b3-mention-ordered",
    ),
    pytest.param(
        "CPP fr. 1959 art. 777: suspended prison → not on B3",
        {"prison": 1000, "suspended": True},
        "2012-01-01",
        (True, True, False),
        id="b3-suspended",
    ),
    pytest.param(
        "CPP fr. 1959 art. 777: suspension revoked → firm prison, on B3",
        {"prison": 1000, "suspended": True, "events": [("suspension_revoked", "2011-06-01")]},
        "2012-01-01",
        (True, True, True),
        id="b3-suspension-revoked",
    ),
    pytest.param(
        "CPP fr. 1959 art. 777: a fine alone → not on B3",
        {"fine": 500_000},
        "2012-01-01",
        (True, True, False),
        id="b3-fine-only",
    ),
    # --- Bulletin n°2 exclusions (CPP fr. 1959 art. 775, not confirmed) ---
    pytest.param(
        "CPP fr. 1959 art. 775-1°: decision about a minor → B1 only",
        {"prison": 1000, "offence_date": "1996-01-01"},
        "2012-01-01",
        (True, False, False),
        id="minor-at-offence",
    ),
    pytest.param(
        "CPP fr. 1959 art. 775: suspended sentence lapsed after 5 years → B1 only",
        {"prison": 300, "suspended": True},
        "2016-01-02",
        (True, False, False),
        id="suspension-lapsed",
    ),
    pytest.param(
        "CPP fr. 1959 art. 775: suspended sentence within the 5 years → still on B2",
        {"prison": 300, "suspended": True},
        "2014-12-31",
        (True, True, False),
        id="suspension-not-yet-lapsed",
    ),
    pytest.param(
        "Parameter non_final_on_b2_b3 (no text confirmed): a decision not final → B1 only",
        {"prison": 1000, "final": False},
        "2012-01-01",
        (True, False, False),
        id="not-final",
    ),
    # --- Rehabilitation (French law of 1959 mirrored, not confirmed) ---
    pytest.param(
        "Réhabilitation judiciaire (CPP fr. 1959 art. 775/777): B1 only, with its mention",
        {
            "prison": 1000,
            "events": [("served", "2013-01-01"), ("rehabilitation_judicial", "2018-01-01")],
        },
        "2018-06-01",
        (True, False, False),
        id="rehabilitation-judicial",
    ),
    pytest.param(
        "Réhabilitation de plein droit: fine paid + 5 years → B1 only",
        {"fine": 100_000, "events": [("paid", "2011-01-01")]},
        "2016-01-02",
        (True, False, False),
        id="rehabilitation-fine-5-years",
    ),
    pytest.param(
        "Réhabilitation de plein droit: fine paid, 5 years not yet over → on B2",
        {"fine": 100_000, "events": [("paid", "2011-01-01")]},
        "2015-12-31",
        (True, True, False),
        id="rehabilitation-fine-not-yet",
    ),
    pytest.param(
        "Réhabilitation de plein droit: short prison served + 10 years → B1 only",
        {"prison": 90, "events": [("served", "2010-06-01")]},
        "2020-06-01",
        (True, False, False),
        id="rehabilitation-short-prison",
    ),
    pytest.param(
        "Réhabilitation de plein droit: prison over 2 years → never by law, stays on B2/B3",
        {"prison": 1500, "events": [("served", "2014-01-01")]},
        "2045-01-01",
        (True, True, True),
        id="no-legal-rehabilitation-long-prison",
    ),
    pytest.param(
        "Réhabilitation de plein droit: a pardon counts as execution",
        {"prison": 100, "events": [("pardon", "2010-03-01")]},
        "2020-03-02",
        (True, False, False),
        id="pardon-counts-as-execution",
    ),
    # --- Removal (CPP fr. 1959 art. 769, not confirmed) ---
    pytest.param(
        "CPP fr. 1959 art. 769: amnesty → the card is withdrawn from every bulletin",
        {"prison": 1000, "events": [("amnesty", "2011-01-01")]},
        "2012-01-01",
        (False, False, False),
        id="amnesty",
    ),
    pytest.param(
        "CPP fr. 1959 art. 769/778: removal ordered by a court → withdrawn everywhere",
        {"prison": 1000, "events": [("removal", "2011-01-01")]},
        "2012-01-01",
        (False, False, False),
        id="removal",
    ),
]


@pytest.mark.parametrize("article, spec, on, expected", CASES)
def test_rule_table(article, spec, on, expected, make_person, convict):
    person = make_person(birth_year=1980)
    convict(person, "2010-03-01", **spec)
    shown = tuple(bool(rules.bulletin_entries(person, kind, on=D(on))) for kind in (1, 2, 3))
    assert shown == expected, article


def test_a_new_conviction_stops_the_legal_rehabilitation_delay(make_person, convict):
    # Réhabilitation de plein droit requires no new conviction during the delay.
    person = make_person()
    convict(person, "2010-03-01", fine=100_000, events=[("paid", "2011-01-01")])
    convict(person, "2013-01-01", prison=30, suspended=True)
    entries = rules.bulletin_entries(person, 2, on=D("2016-06-01"))
    assert [e.decision_date for e in entries] == [D("2010-03-01"), D("2013-01-01")]


def test_a_new_prison_sentence_during_probation_keeps_the_suspended_sentence(make_person, convict):
    person = make_person()
    convict(person, "2010-03-01", prison=300, suspended=True)
    convict(person, "2012-01-01", prison=30)
    assert len(rules.bulletin_entries(person, 2, on=D("2016-01-01"))) == 2


def test_unknown_birth_day_is_judged_in_the_persons_favour(make_person, convict):
    # Born in 1978, day and month unknown: on 1996-06-01 they may still have been 17.
    person = make_person(birth_year=1978, birth_month=None, birth_day=None)
    convict(person, "1996-09-01", prison=1000, offence_date="1996-06-01")
    assert rules.bulletin_entries(person, 2, on=D("1997-01-01")) == []
    assert len(rules.bulletin_entries(person, 1, on=D("1997-01-01"))) == 1


def test_administrator_parameter_changes_the_rule(make_person, convict):
    person = make_person()
    convict(person, "2010-03-01", prison=400)
    assert rules.bulletin_entries(person, 3, on=D("2012-01-01")) == []
    RuleParameter.objects.create(
        key="b3_prison_days", value=365, reason="test", effective_from=D("2011-01-01")
    )
    assert len(rules.bulletin_entries(person, 3, on=D("2012-01-01"))) == 1
    # Before its effective date, the old value still applies.
    assert rules.bulletin_entries(person, 3, on=D("2010-12-31")) == []


def test_bulletin_contents_at_several_dates(make_person, convict):
    """One life, read on four dates: before, during, after a suspended sentence, then amnesty."""
    person = make_person()
    convict(person, "2005-04-01", prison=1000, events=[("served", "2008-01-01")])
    suspended = convict(person, "2009-02-01", prison=200, suspended=True)
    convict(person, "2015-01-01", offence="vol", fine=200_000, events=[("amnesty", "2020-01-01")])

    def dates(kind, on):
        return [e.decision_date.year for e in rules.bulletin_entries(person, kind, on=D(on))]

    assert dates(1, "2004-12-31") == []
    assert dates(3, "2006-01-01") == [2005]
    assert dates(2, "2010-01-01") == [2005, 2009]
    # Probation of the 2009 sentence ends 2014-02-01 (5 years, no new conviction meanwhile).
    assert dates(2, "2014-02-02") == [2005]
    assert dates(1, "2014-02-02") == [2005, 2009]
    assert dates(2, "2016-01-01") == [2005, 2015]
    # Amnesty of 2020 withdraws the 2015 card from every bulletin, B1 included.
    assert dates(1, "2021-01-01") == [2005, 2009]
    assert suspended.pk in [
        e.conviction_id for e in rules.bulletin_entries(person, 1, on=D("2021-01-01"))
    ]


def test_b1_entries_carry_mentions(make_person, convict):
    person = make_person()
    convict(person, "2010-03-01", fine=100_000, events=[("paid", "2011-01-01")])
    [entry] = rules.bulletin_entries(person, 1, on=D("2017-01-01"))
    assert any("Réhabilité" in m for m in entry.mentions)
    assert any("exécutée" in m for m in entry.mentions)


def test_recipients_follow_the_law():
    # CPP Niger art. 706-719: n°1 judicial authorities, n°2 administrations, n°3 the person only.
    assert rules.may_request(1, role="judge") and not rules.may_request(1, role="administration")
    assert rules.may_request(2, role="administration") and not rules.may_request(2, role="person")
    assert rules.may_request(3, role="person") and not rules.may_request(3, role="administration")


def test_consultations_shown_to_the_person(db):
    assert rules.consultation_visible_to_person(2)
    assert not rules.consultation_visible_to_person(1)
    RuleParameter.objects.create(
        key="show_b1_consultations", value=1, reason="test", effective_from=D("2000-01-01")
    )
    assert rules.consultation_visible_to_person(1)


def test_every_unconfirmed_rule_says_so():
    for rule in rules.RULES:
        if not rule.confirmed_for_niger:
            assert "non confirmé" in rule.article or "Aucun texte" in rule.article, rule.code
    for parameter in rules.PARAMETERS.values():
        if not parameter.confirmed_for_niger:
            assert "confirm" in parameter.article or "Aucun texte" in parameter.article


def test_an_event_after_the_date_never_changes_the_bulletin_as_of_that_date(make_person, convict):
    """« As of D » is computed from what existed on D: later events change nothing."""
    person = make_person()
    first = convict(person, "2010-03-01", prison=300, suspended=True)
    convict(person, "2012-01-01", fine=100_000, events=[("paid", "2012-06-01")])

    def snapshot():
        return [
            [e.as_dict() for e in rules.bulletin_entries(person, kind, on=D("2014-01-01"))]
            for kind in (1, 2, 3)
        ]

    before = snapshot()
    for kind in ("suspension_revoked", "amnesty", "removal", "rehabilitation_judicial"):
        first.events.create(kind=kind, date=D("2014-01-02"), reference="après la date")
    assert snapshot() == before
