"""The defects of issue 10 in the rules, one test each (each failed before its fix).

Written with the fixtures as they were before the fix (penalties created directly), so that the
same file ran against the old code and failed there."""

import datetime as dt

from guichet.criminal_records import rules
from guichet.criminal_records.models import Penalty

D = dt.date.fromisoformat


def _shown(person, on):
    return tuple(bool(rules.bulletin_entries(person, kind, on=D(on))) for kind in (1, 2, 3))


def _with_penalty(convict, person, decided, **penalty):
    conviction = convict(person, decided, offence="meurtre")
    Penalty.objects.create(conviction=conviction, **penalty)
    return conviction


# --- Sentences the law writes: criminal penalties are read by their nature, not by days ---------


def test_a_life_sentence_is_on_every_bulletin(make_person, convict):
    # CP Niger art. 1 and 13 s.: réclusion criminelle à perpétuité, a criminal penalty → B3.
    person = make_person()
    _with_penalty(convict, person, "2010-03-01", kind="life_imprisonment")
    assert _shown(person, "2012-01-01") == (True, True, True)
    [entry] = rules.bulletin_entries(person, 3, on=D("2012-01-01"))
    assert entry.penalties == ["réclusion criminelle à perpétuité"]


def test_a_death_sentence_is_on_every_bulletin(make_person, convict):
    person = make_person()
    _with_penalty(convict, person, "2010-03-01", kind="death")
    assert _shown(person, "2012-01-01") == (True, True, True)
    [entry] = rules.bulletin_entries(person, 3, on=D("2012-01-01"))
    assert entry.penalties == ["peine de mort"]


def test_a_twenty_year_reclusion_is_on_b3_and_never_rehabilitated_by_law(make_person, convict):
    person = make_person()
    conviction = _with_penalty(
        convict, person, "2000-03-01", kind="criminal_imprisonment", years=20
    )
    conviction.events.create(kind="served", date=D("2020-03-01"), reference="levée d'écrou")
    # Forty years later, still on B2 and B3: only a court rehabilitates after a criminal penalty.
    assert _shown(person, "2060-01-01") == (True, True, True)


# --- Defect: an unrecorded contravention blocked rehabilitation and the lapse of a sursis --------


def test_an_unrecorded_contravention_does_not_stop_the_lapse_of_a_sursis(make_person, convict):
    # Loi de 1891 / CPP fr. 1959 art. 735: only a new sentence to prison or heavier for a crime or
    # a délit stops the delay; a contravention kept off every bulletin cannot.
    person = make_person()
    convict(person, "2010-03-01", prison=300, suspended=True)
    convict(person, "2012-01-01", offence="tapage", fine=5_000)
    assert rules.bulletin_entries(person, 2, on=D("2015-03-02")) == []


def test_an_unrecorded_contravention_does_not_stop_rehabilitation(make_person, convict):
    person = make_person()
    convict(person, "2010-03-01", fine=100_000, events=[("paid", "2011-01-01")])
    convict(person, "2013-01-01", offence="tapage", prison=5)
    assert rules.bulletin_entries(person, 2, on=D("2016-01-02")) == []


# --- Defect: an amnestied later conviction blocked the rehabilitation of an earlier one ----------


def test_an_amnestied_later_conviction_does_not_stop_rehabilitation(make_person, convict):
    # The amnesty erases the later conviction (CPP fr. 1959 art. 769): it stops nothing.
    person = make_person()
    convict(person, "2010-03-01", fine=100_000, events=[("paid", "2011-01-01")])
    convict(person, "2013-01-01", prison=60, events=[("amnesty", "2014-01-01")])
    assert rules.bulletin_entries(person, 2, on=D("2016-01-02")) == []
    # Before the amnesty the later sentence did stop it (what B2 said then stays true).
    assert [e.decision_date for e in rules.bulletin_entries(person, 2, on=D("2013-06-01"))] == [
        D("2010-03-01"),
        D("2013-01-01"),
    ]


# --- Defect: any later fine blocked the lapse of a sursis ---------------------------------------


def test_a_later_fine_does_not_stop_the_lapse_of_a_sursis(make_person, convict):
    # « condamnation à l'emprisonnement ou à une peine plus grave pour crime ou délit »: a fine,
    # even for a délit, is not that.
    person = make_person()
    convict(person, "2010-03-01", prison=300, suspended=True)
    convict(person, "2012-01-01", fine=60_000)
    dates = [e.decision_date for e in rules.bulletin_entries(person, 2, on=D("2016-01-01"))]
    assert dates == [D("2012-01-01")]


def test_a_later_recorded_contravention_with_prison_does_not_stop_the_lapse(make_person, convict):
    person = make_person()
    convict(person, "2010-03-01", prison=300, suspended=True)
    convict(person, "2012-01-01", offence="tapage", prison=20)  # recorded (> 10 days), B1 only
    assert rules.bulletin_entries(person, 2, on=D("2016-01-01")) == []


def test_a_later_suspended_prison_sentence_for_a_delit_stops_the_lapse(make_person, convict):
    person = make_person()
    convict(person, "2010-03-01", prison=300, suspended=True)
    convict(person, "2012-01-01", prison=30, suspended=True)
    assert len(rules.bulletin_entries(person, 2, on=D("2015-06-01"))) == 2


# --- Defect: a revoked sursis was printed « avec sursis » on B2/B3 without the revocation --------


def test_a_revoked_sursis_is_printed_with_its_revocation_on_b2_and_b3(make_person, convict):
    person = make_person()
    convict(
        person,
        "2010-03-01",
        prison=1095,
        suspended=True,
        events=[("suspension_revoked", "2011-06-01")],
    )
    for kind in (2, 3):
        [entry] = rules.bulletin_entries(person, kind, on=D("2012-01-01"))
        [penalty] = entry.penalties
        assert "avec sursis" in penalty and "sursis révoqué le 01/06/2011" in penalty, kind


# --- Defect: months were counted as 30 days, so 24 months fell short of two years ----------------


def test_a_suspended_part_longer_than_the_sentence_is_refused_whatever_its_unit(
    make_person, convict
):
    # « 2 ans dont 24 mois et 3 jours avec sursis »: the part exceeds the whole (723 < 730 days
    # when a month was 30 days, so it was accepted and 7 firm days were invented).
    from django.core.exceptions import ValidationError

    conviction = convict(make_person(), "2012-01-01", offence="vol")
    penalty = Penalty(
        conviction=conviction,
        kind="prison",
        years=2,
        suspended=True,
        suspended_months=24,
        suspended_days=3,
    )
    try:
        penalty.full_clean()
    except ValidationError as error:
        assert "suspended_years" in error.message_dict
    else:
        raise AssertionError("a suspended part over the sentence was accepted")


def test_twelve_months_of_a_year_leave_no_firm_day(make_person, convict):
    conviction = convict(make_person(), "2012-01-01", offence="vol")
    penalty = Penalty(
        conviction=conviction, kind="prison", years=1, suspended=True, suspended_months=12
    )
    penalty.full_clean()
    assert penalty.firm_length(revoked=False).days_from(conviction.decision_date) == 0


def test_months_run_from_date_to_date():
    from guichet.criminal_records.penalties import Length, add_months

    assert add_months(D("2024-01-31"), 1) == D("2024-02-29")
    assert add_months(D("2023-01-31"), 1) == D("2023-02-28")
    assert add_months(D("2024-02-29"), 12) == D("2025-02-28")
    assert add_months(D("2010-11-15"), 3) == D("2011-02-15")
    assert Length.pronounced(years=2).days_from(D("2010-03-01")) == 731
    assert Length.pronounced(months=24) == Length.pronounced(years=2) == Length.of_days(730)
    assert Length.of_days(180) == Length.pronounced(months=6)
    assert Length.pronounced(years=1) - Length.pronounced(days=45) == Length(12, -45)
