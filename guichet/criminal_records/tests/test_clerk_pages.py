"""The clerk's desk, page by page: every form renders and does what it says."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.accounts.models import Organisation, Role
from guichet.criminal_records import legacy, services_requests
from guichet.criminal_records.models import (
    BulletinRequest,
    Conviction,
    ConvictionEvent,
    LegacyCard,
    Person,
)
from guichet.criminal_records.tests.conftest import PNG


@pytest.fixture
def clerk(signed_in):
    return signed_in("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")


def test_request_desk_from_candidates_to_signed_bulletin(
    clerk, citizen, make_person, niamey_commune, png_upload
):
    person = make_person(first_names="Mahamadou")
    make_person(last_name="Hamani", first_names="Mariama", sex="F")
    item = services_requests.submit_citizen_request(
        user=citizen,
        last_name="Issoufou",
        first_names="Mamadou",
        sex="M",
        birth_date=None,
        birth_year=1980,
        birth_commune=niamey_commune,
        birth_country="",
        father_name="",
        mother_name="",
        payment_method="fiscal_stamp",
        payment_reference="TF-1",
        identity_proof_kind="national_id",
        identity_document=png_upload(),
    )
    url = reverse("criminal_records:clerk_request", args=[item.reference])
    home = clerk.get(reverse("criminal_records:clerk_home")).content.decode()
    assert item.reference in home
    response = clerk.get(url)
    assert [c.person for c in response.context["candidates"]] == [person]
    clerk.post(url, {"action": "link", "person": person.pk})
    clerk.post(url, {"action": "payment"})
    clerk.post(url, {"action": "verify_identity"})
    response = clerk.post(url, {"action": "issue"}, follow=True)
    item.refresh_from_db()
    assert item.status == BulletinRequest.Status.ISSUED
    assert "Bulletin délivré" in response.content.decode()
    from django.test import Client

    citizen_download = Client()
    citizen_download.force_login(citizen)
    pdf = citizen_download.get(reverse("criminal_records:bulletin_pdf", args=[item.bulletin.code]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_reject_needs_a_reason(clerk, citizen, niamey_commune, png_upload):
    item = services_requests.submit_citizen_request(
        user=citizen,
        last_name="A",
        first_names="B",
        sex="M",
        birth_date=None,
        birth_year=1980,
        birth_commune=niamey_commune,
        birth_country="",
        father_name="",
        mother_name="",
        payment_method="fiscal_stamp",
        payment_reference="TF-1",
        identity_proof_kind="national_id",
        identity_document=png_upload(),
    )
    url = reverse("criminal_records:clerk_request", args=[item.reference])
    response = clerk.post(url, {"action": "reject", "note": ""}, follow=True)
    assert "motif du rejet" in response.content.decode()
    clerk.post(url, {"action": "reject", "note": "Acte illisible"})
    item.refresh_from_db()
    assert item.status == BulletinRequest.Status.REJECTED


def test_search_create_convict_and_add_an_event(clerk, niamey_commune, offences):
    response = clerk.post(
        reverse("criminal_records:person_create"),
        {
            "last_name": "Garba",
            "first_names": "Ousmane",
            "sex": "M",
            "birth_year": 1990,
            "birth_commune": niamey_commune.pk,
            "nationality": "nigérienne",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302
    search = clerk.get(
        reverse("criminal_records:person_search"),
        {"last_name": "Garba", "first_names": "Usman", "motif": "Vérification"},
    )
    assert person in [c.person for c in search.context["results"]]
    response = clerk.post(
        reverse("criminal_records:conviction_create", args=[person.pk]),
        {
            "court": Organisation.objects.get(code="TGI-NIAMEY").pk,
            "decision_date": "2020-02-03",
            "kind": "contradictory",
            "is_final": "on",
            "offences": [offences["vol"].pk],
            "prison_days": 90,
            "card_scan": SimpleUploadedFile("f.pdf", b"%PDF-1.4 fiche", "application/pdf"),
        },
    )
    assert response.status_code == 302
    conviction = Conviction.objects.get()
    assert conviction.card_scan.name.endswith(".pdf")
    clerk.post(
        reverse("criminal_records:event_create", args=[conviction.pk]),
        {"kind": "served", "date": "2020-05-03", "motif": "m"},
    )
    assert ConvictionEvent.objects.get().kind == "served"


def test_conviction_form_refuses_no_penalty(clerk, make_person, offences):
    person = make_person()
    response = clerk.post(
        reverse("criminal_records:conviction_create", args=[person.pk]),
        {
            "court": Organisation.objects.get(code="TGI-NIAMEY").pk,
            "decision_date": "2020-02-03",
            "kind": "contradictory",
            "offences": [offences["vol"].pk],
        },
    )
    assert response.status_code == 200 and "au moins une peine" in response.content.decode()
    assert not Conviction.objects.exists()


def test_merge_through_the_page(clerk, make_person):
    keep, duplicate = make_person(), make_person(first_names="Mamadou")
    clerk.post(
        reverse("criminal_records:person_merge", args=[keep.pk]),
        {"duplicate": duplicate.pk, "motif": "Même acte"},
    )
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep


def test_card_import_and_differences_pages(signed_in, offences):
    header = ",".join(legacy.CARD_COLUMNS)
    row1 = "5,Souley,Abdoulaye,M,1979,,,Niamey III,,,,TGI-NIAMEY,2004-09-10,c,VOL,90,,"
    row2 = "5,Souley,Abdoulahi,M,1979,,,Niamey III,,,,TGI-NIAMEY,2004-09-10,c,VOL,90,,"
    court = Organisation.objects.get(code="TGI-NIAMEY")
    for name, row in (("x.g1", row1), ("x.g2", row2)):
        client = signed_in(name, Role.COURT_CLERK, "TGI-NIAMEY")
        client.post(
            reverse("criminal_records:cards"),
            {"court": court.pk, "file": SimpleUploadedFile("s.csv", f"{header}\n{row}\n".encode())},
        )
    card = LegacyCard.objects.get()
    page = client.get(reverse("criminal_records:card_detail", args=[card.pk])).content.decode()
    assert "Abdoulaye" in page and "Abdoulahi" in page
    client.post(
        reverse("criminal_records:card_detail", args=[card.pk]),
        {
            "action": "scan",
            "scan": SimpleUploadedFile("s.png", PNG, "image/png"),
        },
    )
    client.post(
        reverse("criminal_records:card_detail", args=[card.pk]), {"value_first_names": "Abdoulaye"}
    )
    card.refresh_from_db()
    assert card.status == LegacyCard.Status.RESOLVED and card.scan
    assert card.conviction.card_scan.name == card.scan.name
