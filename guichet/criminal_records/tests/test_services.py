import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guichet.accounts.models import Organisation, Role
from guichet.audit.models import AuditEntry
from guichet.criminal_records import (
    identification,
    legacy,
    services,
    services_register,
    services_requests,
)
from guichet.criminal_records.models import BulletinRequest, CourtOffice, LegacyCard
from guichet.notifications.models import Message
from guichet.signing import verify_pdf


def _citizen_request(user, upload, **overrides):
    values = {
        "user": user,
        "last_name": "Issoufou",
        "first_names": "Mamadou",
        "sex": "M",
        "birth_date": dt.date(1980, 5, 12),
        "birth_year": None,
        "birth_commune": None,
        "birth_country": "",
        "father_name": "Issoufou Abdou",
        "mother_name": "Hadiza Moussa",
        "payment_method": "mobile_money",
        "payment_reference": "MP240101.1234.A56789",
        "identity_proof_kind": "national_id",
        "identity_document": upload(),
    } | overrides
    return services_requests.submit_citizen_request(**values)


def test_citizen_request_goes_to_the_tgi_of_the_birth_region(
    citizen, niamey_commune, zinder_commune, png_upload
):
    item = _citizen_request(citizen, png_upload, birth_commune=niamey_commune)
    assert item.court.code == "TGI-NIAMEY"
    assert item.fee_amount == 1150
    assert (
        _citizen_request(citizen, png_upload, birth_commune=zinder_commune).court.code
        == "TGI-ZINDER"
    )


def test_born_abroad_goes_to_the_court_of_appeal_of_niamey_with_its_fee(citizen, png_upload):
    item = _citizen_request(citizen, png_upload, birth_country="Côte d'Ivoire")
    assert item.court.code == "CA-NIAMEY"
    assert item.fee_amount == 6500


def test_fee_set_by_the_administrator_per_court(citizen, niamey_commune, png_upload):
    CourtOffice.objects.create(
        court=Organisation.objects.get(code="TGI-NIAMEY"), stamp_amount=2000, extra_amount=300
    )
    assert _citizen_request(citizen, png_upload, birth_commune=niamey_commune).fee_amount == 2300


def test_citizen_request_sends_an_sms_and_is_audited(citizen, niamey_commune, png_upload):
    item = _citizen_request(citizen, png_upload, birth_commune=niamey_commune)
    sms = Message.objects.get(recipient=citizen.phone_number)
    assert item.reference in sms.body
    assert AuditEntry.objects.filter(
        action="criminal_records.request.submitted", object_id=str(item.pk)
    ).exists()


def test_identity_document_must_really_be_an_image_or_pdf(citizen, niamey_commune, png_upload):
    with pytest.raises(ValidationError, match="PDF, JPEG ou PNG"):
        _citizen_request(
            citizen,
            png_upload,
            birth_commune=niamey_commune,
            identity_document=png_upload("cni.png", b"MZ\x90\x00 not an image"),
        )
    assert not BulletinRequest.objects.exists()


def test_agents_cannot_file_a_b3_for_someone(make_agent, niamey_commune, png_upload):
    agent = make_agent("x.admin", Role.ADMINISTRATION, "MSP-DRH")
    with pytest.raises(PermissionDenied):
        _citizen_request(agent, png_upload, birth_commune=niamey_commune)


def test_administration_may_not_ask_for_b1(make_agent, niamey_commune):
    agent = make_agent("x.admin", Role.ADMINISTRATION, "MSP-DRH")
    with pytest.raises(PermissionDenied):
        services_requests.submit_agent_request(
            user=agent,
            kind=1,
            reason="curiosité",
            last_name="A",
            first_names="B",
            sex="M",
            birth_date=None,
            birth_year=1980,
            birth_commune=niamey_commune,
            birth_country="",
        )


def test_agent_request_needs_a_reason(make_agent, niamey_commune):
    agent = make_agent("x.admin", Role.ADMINISTRATION, "MSP-DRH")
    with pytest.raises(ValidationError):
        services_requests.submit_agent_request(
            user=agent,
            kind=2,
            reason="  ",
            last_name="A",
            first_names="B",
            sex="M",
            birth_date=None,
            birth_year=1980,
            birth_commune=niamey_commune,
            birth_country="",
        )


def test_clerk_of_another_court_cannot_write_the_record(make_agent, make_person):
    person = make_person()  # born in Niamey
    zinder = make_agent("x.zinder", Role.COURT_CLERK, "TGI-ZINDER")
    with pytest.raises(PermissionDenied):
        services_register.record_conviction(
            actor=zinder,
            person=person,
            court=Organisation.objects.get(code="TGI-ZINDER"),
            decision_date=dt.date(2020, 1, 1),
            kind="contradictory",
            is_final=True,
            offences=[],
            penalties=[],
        )


def test_issue_signs_a_bulletin_that_verifies(
    citizen, make_agent, make_person, convict, png_upload, niamey_commune
):
    clerk = make_agent("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    person = make_person()
    convict(person, "2010-01-01", offence="meurtre", prison=3650)
    item = _citizen_request(citizen, png_upload, birth_commune=niamey_commune)
    with pytest.raises(ValidationError, match="Rapprochez"):
        services_requests.issue_bulletin(actor=clerk, bulletin_request=item)
    identification.link_person(actor=clerk, bulletin_request=item, person=person)
    with pytest.raises(ValidationError, match="paiement"):
        services_requests.issue_bulletin(actor=clerk, bulletin_request=item)
    services_requests.confirm_payment(actor=clerk, bulletin_request=item)
    with pytest.raises(ValidationError, match="pièce d'identité"):
        services_requests.issue_bulletin(actor=clerk, bulletin_request=item)
    identification.verify_identity(actor=clerk, bulletin_request=item)
    bulletin = services_requests.issue_bulletin(actor=clerk, bulletin_request=item)
    item.refresh_from_db()
    assert item.status == BulletinRequest.Status.ISSUED
    assert len(bulletin.entries) == 1 and bulletin.entries[0]["penalties"] == [
        "10 ans d'emprisonnement"
    ]
    assert len(bulletin.code) >= 32
    result = verify_pdf(bulletin.pdf.read())
    assert result.authentic and result.signer_name == "TGI-NIAMEY"
    assert Message.objects.filter(
        recipient=citizen.phone_number, template="criminal_records/bulletin_issued"
    ).exists()


def test_clerk_of_another_court_cannot_handle_the_request(
    citizen, make_agent, png_upload, niamey_commune, make_person
):
    zinder = make_agent("x.zinder", Role.COURT_CLERK, "TGI-ZINDER")
    item = _citizen_request(citizen, png_upload, birth_commune=niamey_commune)
    with pytest.raises(PermissionDenied):
        services_requests.confirm_payment(actor=zinder, bulletin_request=item)
    with pytest.raises(PermissionDenied):
        identification.link_person(actor=zinder, bulletin_request=item, person=make_person())


def test_identity_check_tells_the_citizen(citizen, make_agent, png_upload, niamey_commune):
    clerk = make_agent("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    item = _citizen_request(citizen, png_upload, birth_commune=niamey_commune)
    services_requests.ask_identity_check(
        actor=clerk, bulletin_request=item, note="Deux fiches proches."
    )
    item.refresh_from_db()
    assert item.status == BulletinRequest.Status.IDENTITY_CHECK
    assert Message.objects.filter(template="criminal_records/identity_check").exists()


def test_correction_keeps_both_values_in_the_audit(make_agent, make_person, convict):
    clerk = make_agent("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    conviction = convict(make_person(), "2010-01-01", prison=100)
    with pytest.raises(ValidationError):
        services_register.add_event(
            actor=clerk, conviction=conviction, kind="correction", date=dt.date(2011, 1, 1)
        )
    services_register.add_event(
        actor=clerk,
        conviction=conviction,
        kind="correction",
        date=dt.date(2011, 1, 1),
        reference="Arrêt CA Niamey n°12/2011",
        corrections={"decision_date": dt.date(2010, 1, 2)},
    )
    conviction.refresh_from_db()
    assert conviction.decision_date == dt.date(2010, 1, 2)
    entry = AuditEntry.objects.get(action="criminal_records.conviction.event")
    assert entry.data["before"] == {"decision_date": "2010-01-01"}
    assert entry.data["after"] == {"decision_date": "2010-01-02"}


def test_merge_moves_convictions_and_keeps_the_duplicate(make_agent, make_person, convict):
    clerk = make_agent("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    keep = make_person()
    duplicate = make_person(first_names="Mamadou", birth_day=None)
    convict(duplicate, "2011-01-01", prison=100)
    services_register.merge_persons(
        actor=clerk, keep=keep, duplicate=duplicate, reason="Même personne : acte n°45"
    )
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert keep.convictions.count() == 1
    keep.refresh_from_db()
    assert "Issoufou Mamadou" in keep.other_spellings
    assert AuditEntry.objects.filter(
        action="criminal_records.person.merged", reason__contains="acte n°45"
    ).exists()


CSV_HEADER = ",".join(legacy.CARD_COLUMNS)


def _csv(*rows):
    return CSV_HEADER + "\n" + "\n".join(rows) + "\n"


ROW_A = "17,Souley,Abdoulaye,M,1979,,,Niamey III,,Souley Hamani,Aichatou Ide,TGI-NIAMEY,2004-09-10,contradictoire,VOL,90,non,"
ROW_B = "17,Souley,Abdoulahi,M,1979,,,Niamey III,,Souley Hamani,Aichatou Ide,TGI-NIAMEY,2004-09-10,contradictoire,VOL,60,non,"
ROW_C = (
    "18,Garba,Ousmane,M,1990,11,30,Niamey II,,,,TGI-NIAMEY,2016-04-12,contradictoire,VOL,,,60000"
)


def test_double_entry_shows_differences_then_resolves(make_agent, offences):
    first = make_agent("x.greffier1", Role.COURT_CLERK, "TGI-NIAMEY")
    second = make_agent("x.greffier2", Role.COURT_CLERK, "TGI-NIAMEY")
    court = Organisation.objects.get(code="TGI-NIAMEY")
    assert legacy.import_cards(actor=first, court=court, csv_text=_csv(ROW_A, ROW_C)) == {
        "keyed": 2,
        "agreed": 0,
        "different": 0,
    }
    counts = legacy.import_cards(actor=second, court=court, csv_text=_csv(ROW_B, ROW_C))
    assert counts == {"keyed": 2, "agreed": 1, "different": 1}
    card = LegacyCard.objects.get(card_number="17")
    assert legacy.card_differences(card) == {
        "first_names": ["Abdoulaye", "Abdoulahi"],
        "prison_days": ["90", "60"],
    }
    with pytest.raises(ValidationError, match="Tranchez"):
        legacy.resolve_card(actor=first, card=card, values={"first_names": "Abdoulaye"})
    legacy.resolve_card(
        actor=first, card=card, values={"first_names": "Abdoulaye", "prison_days": "90"}
    )
    card.refresh_from_db()
    assert card.status == LegacyCard.Status.RESOLVED
    assert card.person.first_names == "Abdoulaye"
    penalty = card.conviction.penalties.get()  # keyed as 90 days: « 3 mois »
    assert (penalty.years, penalty.months, penalty.days) == (None, 3, None)
    agreed = LegacyCard.objects.get(card_number="18")
    legacy.resolve_card(actor=second, card=agreed, values={})
    agreed.refresh_from_db()
    assert agreed.conviction.penalties.get().amount == 60000


def test_a_card_without_sex_is_not_entered_as_male(make_agent, offences):
    first = make_agent("x.greffier1", Role.COURT_CLERK, "TGI-NIAMEY")
    second = make_agent("x.greffier2", Role.COURT_CLERK, "TGI-NIAMEY")
    court = Organisation.objects.get(code="TGI-NIAMEY")
    row = ROW_C.replace("Ousmane,M,", "Ousmane,,")
    legacy.import_cards(actor=first, court=court, csv_text=_csv(row))
    legacy.import_cards(actor=second, court=court, csv_text=_csv(row))
    card = LegacyCard.objects.get(card_number="18")
    with pytest.raises(ValidationError, match="sexe"):
        legacy.resolve_card(actor=first, card=card, values={})
    legacy.resolve_card(actor=first, card=card, values={"sex": "F"})
    card.refresh_from_db()
    assert card.person.sex == "F"


def test_a_clerk_keys_a_card_only_once(make_agent):
    clerk = make_agent("x.greffier1", Role.COURT_CLERK, "TGI-NIAMEY")
    court = Organisation.objects.get(code="TGI-NIAMEY")
    legacy.import_cards(actor=clerk, court=court, csv_text=_csv(ROW_A))
    with pytest.raises(ValidationError, match="autre greffier"):
        legacy.import_cards(actor=clerk, court=court, csv_text=_csv(ROW_A))


def test_import_is_all_or_nothing(make_agent):
    clerk = make_agent("x.greffier1", Role.COURT_CLERK, "TGI-NIAMEY")
    court = Organisation.objects.get(code="TGI-NIAMEY")
    with pytest.raises(ValidationError, match="Ligne 3"):
        legacy.import_cards(actor=clerk, court=court, csv_text=_csv(ROW_A, ",Sans,Numero"))
    assert not LegacyCard.objects.exists()


def test_import_refused_to_another_courts_clerk(make_agent):
    clerk = make_agent("x.zinder", Role.COURT_CLERK, "TGI-ZINDER")
    with pytest.raises(PermissionDenied):
        legacy.import_cards(
            actor=clerk, court=Organisation.objects.get(code="TGI-NIAMEY"), csv_text=_csv(ROW_A)
        )


def test_persons_born_abroad_belong_to_the_court_of_appeal_of_niamey(make_agent):
    appeal_clerk = make_agent("x.ca", Role.COURT_CLERK, "CA-NIAMEY")
    tgi_clerk = make_agent("x.tgi", Role.COURT_CLERK, "TGI-NIAMEY")
    details = {
        "last_name": "Traoré",
        "first_names": "Moussa",
        "sex": "M",
        "birth_year": 1975,
        "birth_country": "Mali",
    }
    with pytest.raises(PermissionDenied):
        services_register.create_person(actor=tgi_clerk, **details)
    person = services_register.create_person(actor=appeal_clerk, **details)
    assert services.person_court(person).code == "CA-NIAMEY"


def test_an_identity_document_photo_is_stored_without_its_gps_exif(citizen, niamey_commune):
    # Test fails before this change: the phone's EXIF (owner, GPS) was stored with the request.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.test_image_metadata import assert_no_metadata, phone_photo

    def photo():
        return SimpleUploadedFile("cni.jpg", phone_photo(), content_type="image/jpeg")

    item = _citizen_request(citizen, photo, birth_commune=niamey_commune)
    with item.identity_document.open("rb") as stored:
        assert_no_metadata(stored.read())
