"""Defects found by checking the app from outside (as a citizen, a clerk, an attacker and a jurist
would), one test each; each failed before its fix."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.accounts.models import Organisation, Role
from guichet.criminal_records import identification, rules, services_register, services_requests
from guichet.criminal_records.models import BulletinRequest, IssuedBulletin, Offence, Person

D = dt.date.fromisoformat


# --- Merges: a record merged into one that was merged in turn ----------------------------------


def test_a_request_linked_to_a_twice_merged_record_reaches_the_convictions(
    clerk, ask, make_person, convict
):
    # A merged into B, then B into C: A's convictions are now on C. Linking a request to A (the
    # number on an old paper file) used to land on B, an empty record: bulletin « NÉANT ».
    first = make_person(first_names="Mahamadou")
    second = make_person(first_names="Mamadou")
    third = make_person(first_names="Mohamed")
    convict(first, "2015-01-01", prison=1000)
    services_register.merge_persons(actor=clerk, keep=second, duplicate=first, reason="acte 1")
    services_register.merge_persons(actor=clerk, keep=third, duplicate=second, reason="acte 2")
    first.refresh_from_db()
    assert first.merged_into == third

    item = ask()
    identification.link_person(actor=clerk, bulletin_request=item, person=first)
    item.refresh_from_db()
    assert item.person == third
    assert len(rules.bulletin_entries(item.person, 3)) == 1


def test_a_chain_of_merges_left_by_older_code_is_followed_when_linking(
    clerk, ask, make_person, convict
):
    first, second, third = (make_person(first_names=n) for n in ("Mahamadou", "Mamadou", "Mohamed"))
    convict(third, "2015-01-01", prison=1000)
    Person.objects.filter(pk=second.pk).update(merged_into=third)
    Person.objects.filter(pk=first.pk).update(merged_into=second)  # as merges left it before
    first.refresh_from_db()
    item = ask()
    identification.link_person(actor=clerk, bulletin_request=item, person=first)
    item.refresh_from_db()
    assert item.person == third


def test_no_bulletin_is_issued_on_a_merged_record(clerk, ask, make_person, convict):
    kept, merged = make_person(), make_person(first_names="Mamadou")
    convict(kept, "2015-01-01", prison=1000)
    item = ask()
    BulletinRequest.objects.filter(pk=item.pk).update(
        person=merged, payment_checked=True, identity_verified_at=timezone.now()
    )
    Person.objects.filter(pk=merged.pk).update(merged_into=kept)
    with pytest.raises(ValidationError, match="fusionnée"):
        services_requests.issue_bulletin(actor=clerk, bulletin_request=item)
    assert not IssuedBulletin.objects.exists()


# --- Minors: « né vers » --------------------------------------------------------------------------


def test_a_person_born_about_a_year_is_judged_on_the_latest_year_of_the_margin(
    make_person, convict
):
    # « né vers 1990, à deux ans près »: perhaps born in 1992, hence perhaps 17 at the offence of
    # 15/06/2010. Judged, like an unknown birth day, in the person's favour (rules.facts): a
    # minor's decision is on B1 only (CPP fr. 1959 art. 775-1° et 777, rule « minor »).
    person = make_person(birth_year=1990, birth_month=None, birth_day=None, birth_year_margin=2)
    convict(person, "2010-09-01", offence_date="2010-06-15", prison=60)
    on = D("2011-01-01")
    assert len(rules.bulletin_entries(person, 1, on=on)) == 1
    assert rules.bulletin_entries(person, 2, on=on) == []
    assert rules.bulletin_entries(person, 3, on=on) == []


def test_the_margin_of_a_person_born_on_29_february_reaches_a_common_year(make_person, convict):
    # 29/02/1992 « à un an près »: perhaps born in 1993, which has no 29 February.
    person = make_person(birth_year=1992, birth_month=2, birth_day=29, birth_year_margin=1)
    assert person.latest_possible_birth() == D("1993-02-28")
    convict(person, "2011-03-01", offence_date="2011-01-15", prison=60)  # 18 or 17
    assert rules.bulletin_entries(person, 2, on=D("2012-01-01")) == []


# --- Birth years a bulletin cannot be computed from -------------------------------------------


@pytest.mark.parametrize("year", [0, 1066, 2099, 12000])
def test_a_birth_year_out_of_any_life_is_refused_in_french(clerk, niamey_commune, year):
    # Year 0 or 12000 made every bulletin of the person a server error (no such date); a birth
    # year to come made every conviction one of a « minor » (age below zero), off B2 and B3.
    with pytest.raises(ValidationError, match="Année de naissance"):
        services_register.create_person(
            actor=clerk,
            last_name="Moussa",
            first_names="Ali",
            sex="M",
            birth_year=year,
            birth_commune=niamey_commune,
        )
    assert not Person.objects.exists()


def test_a_birth_date_to_come_is_refused(clerk, niamey_commune):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="futur"):
        services_register.create_person(
            actor=clerk,
            last_name="Moussa",
            first_names="Ali",
            sex="M",
            birth_year=tomorrow.year,
            birth_month=tomorrow.month,
            birth_day=tomorrow.day,
            birth_commune=niamey_commune,
        )


def test_a_birth_year_to_come_is_refused_on_a_request(ask):
    with pytest.raises(ValidationError, match="Année de naissance"):
        ask(birth_date=None, birth_year=timezone.localdate().year + 1)
    assert not BulletinRequest.objects.exists()


def test_the_person_form_says_what_is_wrong_with_the_year(client, make_agent, niamey_commune):
    from django.test import Client
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    agent = make_agent("x.form", Role.COURT_CLERK, "TGI-NIAMEY")
    browser = Client()
    browser.force_login(agent)
    device = TOTPDevice.objects.create(user=agent, name="t", confirmed=True)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = browser.post(
        reverse("criminal_records:person_create"),
        {
            "last_name": "Moussa",
            "first_names": "Ali",
            "sex": "M",
            "birth_year": "0",
            "birth_commune": niamey_commune.pk,
            "nationality": "nigérienne",
        },
    )
    assert response.status_code == 200
    assert "Année de naissance" in response.content.decode()
    assert not Person.objects.exists()


def test_the_clerk_cannot_complete_a_request_with_a_birth_date_to_come(clerk, ask):
    item = ask()
    with pytest.raises(ValidationError, match="futur"):
        identification.complete_request_identity(
            actor=clerk,
            bulletin_request=item,
            reason="CNI",
            birth_date=timezone.localdate() + dt.timedelta(days=400),
        )
    item.refresh_from_db()
    assert item.birth_date == dt.date(1980, 5, 12)


# --- Dates of a conviction that no decision can have ---------------------------------------------


def _record(clerk, person, offences, **overrides):
    values = {
        "actor": clerk,
        "person": person,
        "court": Organisation.objects.get(code="TGI-NIAMEY"),
        "decision_date": D("2020-01-10"),
        "kind": "contradictory",
        "is_final": True,
        "offences": [offences["vol"]],
        "penalties": [{"kind": "prison", "months": 3}],
    } | overrides
    return services_register.record_conviction(**values)


def test_an_offence_date_typed_a_century_early_is_refused(clerk, make_person, offences):
    # 1908 for 2008: the person (born 1980) was « not yet born », so judged a minor and the
    # decision was kept off B2 and B3.
    person = make_person()
    with pytest.raises(ValidationError, match="naissance"):
        _record(clerk, person, offences, offence_date=D("1908-06-01"))
    assert not person.convictions.exists()


def test_a_decision_before_the_birth_is_refused(clerk, make_person, offences):
    person = make_person()  # born 12/05/1980
    with pytest.raises(ValidationError, match="naissance"):
        _record(clerk, person, offences, decision_date=D("1975-03-01"))
    assert not person.convictions.exists()


def test_facts_after_the_decision_or_to_come_are_refused(clerk, make_person, offences):
    person = make_person()
    with pytest.raises(ValidationError, match="postérieurs à la décision"):
        _record(clerk, person, offences, offence_date=D("2020-02-01"))
    with pytest.raises(ValidationError):
        _record(clerk, person, offences, offence_date=timezone.localdate() + dt.timedelta(1))
    assert not person.convictions.exists()


def test_a_correction_cannot_move_a_decision_into_the_future(clerk, make_person, convict):
    # « 2062 » typed for « 2026 »: the conviction vanished from every bulletin, B1 included, until
    # 2062 (bulletins read the convictions decided on or before their date).
    person = make_person()
    conviction = convict(person, "2015-01-01", prison=1000)
    with pytest.raises(ValidationError, match="futur"):
        services_register.add_event(
            actor=clerk,
            conviction=conviction,
            kind="correction",
            date=D("2020-01-01"),
            reference="Arrêt CA Niamey n° 3/2020",
            corrections={"decision_date": D("2062-01-01")},
        )
    conviction.refresh_from_db()
    assert conviction.decision_date == D("2015-01-01")
    assert len(rules.bulletin_entries(person, 1)) == 1
    assert not conviction.events.exists()


def test_a_correction_cannot_date_the_facts_before_the_birth(clerk, make_person, convict):
    person = make_person()
    conviction = convict(person, "2015-01-01", prison=1000)
    with pytest.raises(ValidationError, match="naissance"):
        services_register.add_event(
            actor=clerk,
            conviction=conviction,
            kind="correction",
            date=D("2020-01-01"),
            reference="Arrêt CA Niamey n° 3/2020",
            corrections={"offence_date": D("1914-06-01")},
        )
    assert len(rules.bulletin_entries(person, 2)) == 1


# --- The offence table: a category cited by convictions is the courts' qualification ----------


def test_the_admin_cannot_requalify_an_offence_that_convictions_cite(
    signed_in, make_person, convict, offences
):
    # Turning « Vol simple » into a contravention took every theft off B2 and B3 — and, with a
    # fine of 50 000 F or less, off B1 — today and « as of » every past date, by an administrator
    # and not a court.
    from django.urls import reverse

    person = make_person()
    convict(person, "2015-01-01", fine=40_000)
    admin_client = signed_in("offence.superuser", Role.PLATFORM_ADMIN, "PRN")
    admin_client.user.is_staff = admin_client.user.is_superuser = True
    admin_client.user.save()
    theft = offences["vol"]
    change = reverse("admin:criminal_records_offence_change", args=[theft.pk])
    admin_client.post(
        change,
        {
            "code": "VOL",
            "label": "Vol simple",
            "category": "contravention",
            "article": "",
            "is_active": "on",
        },
    )
    theft.refresh_from_db()
    assert theft.category == "delit"
    assert len(rules.bulletin_entries(person, 2, on=D("2016-01-01"))) == 1
    # An offence no conviction cites yet can still be corrected.
    unused = Offence.objects.create(code="ESCROQ", label="Escroquerie", category="crime")
    response = admin_client.post(
        reverse("admin:criminal_records_offence_change", args=[unused.pk]),
        {"code": "ESCROQ", "label": "Escroquerie", "category": "delit", "is_active": "on"},
    )
    assert response.status_code == 302
    unused.refresh_from_db()
    assert unused.category == "delit"


# --- The extract's identity: « né vers » --------------------------------------------------------


def test_the_extract_prints_an_approximate_birth_as_approximate(make_person):
    # « Né(e) le 1980 » for a person registered « né vers 1980 » (at two years): the holder's
    # identity card says « vers 1980 », the extract must not state a year as certain.
    import io

    from pypdf import PdfReader

    from guichet.criminal_records.pdf import render_bulletin

    person = make_person(birth_year=1980, birth_month=None, birth_day=None, birth_year_margin=2)
    bulletin = IssuedBulletin(
        kind=3,
        court=Organisation.objects.get(code="TGI-NIAMEY"),
        person=person,
        person_name=person.full_name,
        issued_on=D("2026-12-01"),
    )
    data = render_bulletin(
        bulletin=bulletin,
        person=person,
        office=None,
        entries=[],
        signer_titles=("Le Procureur", "Le Greffier"),
        signature_statement="test",
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "vers 1980" in " ".join(text.split())
