import datetime as dt
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.audit.models import AuditEntry
from guichet.criminal_records import identification, services, services_requests
from guichet.criminal_records.models import BulletinRequest
from tests.pdf_samples import NO_SIGNATURE_IN_EACH_LANGUAGE, unsigned_pdf

OTHER_ROLES = [
    (Role.PLATFORM_ADMIN, "PRN"),
    (Role.MAIL_CLERK, "SGG-BC"),
    (Role.COMPLAINTS_HANDLER, "MSP-DQ"),
    (Role.HEAD_OF_SERVICE, "SGG"),
    (Role.TRANSPORT_AGENT, "MT-DTT"),
    (Role.GAZETTE_EDITOR, "SGG-JO"),
]
# url name → roles allowed
AGENT_PAGES = {
    "criminal_records:clerk_home": {Role.COURT_CLERK},
    "criminal_records:person_search": {Role.COURT_CLERK},
    "criminal_records:person_create": {Role.COURT_CLERK},
    "criminal_records:cards": {Role.COURT_CLERK},
    "criminal_records:penalties_to_qualify": {Role.COURT_CLERK},
    "criminal_records:request_b1": {Role.JUDGE},
    "criminal_records:request_b2": {Role.ADMINISTRATION},
}
ALL_AGENT_ROLES = [
    *OTHER_ROLES,
    (Role.COURT_CLERK, "TGI-NIAMEY"),
    (Role.JUDGE, "TGI-NIAMEY"),
    (Role.ADMINISTRATION, "MSP-DRH"),
]


@pytest.mark.parametrize("name", ["criminal_records:home", "criminal_records:verify"])
def test_public_pages(client, db, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "name", [*AGENT_PAGES, "criminal_records:request_b3", "criminal_records:my_requests"]
)
def test_anonymous_is_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert (response.status_code == 302 and "connexion" in response.url) or "login" in response.url


@pytest.mark.parametrize("role, org", ALL_AGENT_ROLES)
@pytest.mark.parametrize("name", list(AGENT_PAGES))
def test_agent_pages_permission_matrix(signed_in, role, org, name):
    agent = signed_in(f"x.{role}", role, org)
    status = agent.get(reverse(name)).status_code
    assert status == (200 if role in AGENT_PAGES[name] else 403), (role, name)


@pytest.mark.parametrize("name", list(AGENT_PAGES))
def test_citizens_are_refused_agent_pages(citizen_client, name):
    assert citizen_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("role, org", ALL_AGENT_ROLES)
def test_agents_cannot_use_the_citizens_b3_form(signed_in, role, org):
    response = signed_in(f"x.{role}", role, org).get(reverse("criminal_records:request_b3"))
    assert response.status_code == 302  # to the citizen's phone sign-in


@pytest.mark.parametrize("name", ["criminal_records:clerk_home", "criminal_records:request_b1"])
def test_reading_roles_need_two_factor_sign_in(signed_in, name):
    role = Role.COURT_CLERK if "clerk" in name else Role.JUDGE
    agent = signed_in("x.nototp", role, "TGI-NIAMEY", verified=False)
    response = agent.get(reverse(name))
    assert response.status_code == 302 and reverse("accounts:agent_otp") in response.url


def test_person_page_asks_for_a_reason_then_audits_it(signed_in, make_person):
    clerk = signed_in("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    person = make_person()
    url = reverse("criminal_records:person_detail", args=[person.pk])
    response = clerk.get(url)
    assert "Motif de la consultation" in response.content.decode()
    assert not AuditEntry.objects.filter(action="criminal_records.person.viewed").exists()
    response = clerk.get(url, {"motif": "Instruction dossier 45/2026"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="criminal_records.person.viewed")
    assert entry.sensitive_read and entry.reason == "Instruction dossier 45/2026"


def test_bulletin_at_a_past_date_on_the_person_page(signed_in, make_person, convict):
    clerk = signed_in("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    person = make_person()
    convict(person, "2010-03-01", fine=100_000, events=[("paid", "2011-01-01")])
    url = reverse("criminal_records:person_detail", args=[person.pk])
    before = clerk.get(url, {"motif": "m", "date": "2012-01-01"}).context["bulletins"]
    after = clerk.get(url, {"motif": "m", "date": "2017-01-01"}).context["bulletins"]
    assert len(before[2]) == 1 and after[2] == [] and len(after[1]) == 1


def test_clerk_of_another_court_gets_404_on_persons_and_requests(
    signed_in, make_person, make_agent, citizen
):
    person = make_person()  # born in Niamey
    zinder = signed_in("x.zinder", Role.COURT_CLERK, "TGI-ZINDER")
    assert (
        zinder.get(
            reverse("criminal_records:person_detail", args=[person.pk]), {"motif": "x"}
        ).status_code
        == 404
    )
    item = BulletinRequest.objects.create(
        kind=3,
        court=services.person_court(person),
        requester=citizen,
        reason="r",
        last_name="A",
        first_names="B",
        sex="M",
        birth_year=1980,
        birth_commune=person.birth_commune,
    )
    assert (
        zinder.get(reverse("criminal_records:clerk_request", args=[item.reference])).status_code
        == 404
    )
    assert (
        zinder.post(
            reverse("criminal_records:clerk_request", args=[item.reference]), {"action": "payment"}
        ).status_code
        == 404
    )


def test_citizen_request_through_the_form(citizen_client, niamey_commune, png_upload):
    response = citizen_client.post(
        reverse("criminal_records:request_b3"),
        {
            "last_name": "Issoufou",
            "first_names": "Mahamadou",
            "sex": "M",
            "birth_date": "1980-05-12",
            "birth_commune": niamey_commune.pk,
            "payment_method": "fiscal_stamp",
            "payment_reference": "TF-000123",
            "identity_proof_kind": "national_id",
            "identity_document": png_upload(),
        },
    )
    item = BulletinRequest.objects.get()
    assert response.status_code == 302 and item.reference in response.url
    assert item.court.code == "TGI-NIAMEY" and item.kind == 3


# A bulletin n°3 request that forgets the birth commune (the form refuses it).
WITHOUT_BIRTHPLACE = {
    "last_name": "A",
    "first_names": "B",
    "sex": "M",
    "birth_year": 1980,
    "payment_method": "fiscal_stamp",
    "payment_reference": "TF-1",
    "identity_proof_kind": "national_id",
}


def test_citizen_form_explains_a_missing_birthplace(citizen_client, png_upload):
    response = citizen_client.post(
        reverse("criminal_records:request_b3"),
        {**WITHOUT_BIRTHPLACE, "identity_document": png_upload()},
    )
    assert response.status_code == 200
    assert "commune de naissance" in response.content.decode()
    assert not BulletinRequest.objects.exists()


def test_citizen_sees_b2_consultations_but_not_b1(
    citizen, make_agent, make_person, niamey_commune, citizen_client
):
    person = make_person()
    own = BulletinRequest.objects.create(
        kind=3,
        court=services.person_court(person),
        requester=citizen,
        reason="perso",
        person=person,
        last_name="A",
        first_names="B",
        sex="M",
        birth_year=1980,
        birth_commune=niamey_commune,
    )
    for kind, role, org, reason in [
        (2, Role.ADMINISTRATION, "MSP-DRH", "Recrutement infirmier"),
        (1, Role.JUDGE, "TGI-NIAMEY", "Instruction secrète"),
    ]:
        agent = make_agent(f"x.{role}", role, org)
        item = services_requests.submit_agent_request(
            user=agent,
            kind=kind,
            reason=reason,
            last_name="Issoufou",
            first_names="Mahamadou",
            sex="M",
            birth_date=None,
            birth_year=1980,
            birth_commune=niamey_commune,
            birth_country="",
        )
        item.person = person
        item.save()
    own.identity_verified_at = timezone.now()
    own.save()
    page = citizen_client.get(reverse("criminal_records:my_requests")).content.decode()
    assert own.reference in page
    assert "Recrutement infirmier" in page and "Instruction secrète" not in page


def _b2_consulted_person(make_agent, make_person, niamey_commune):
    person = make_person()
    agent = make_agent("x.admin", Role.ADMINISTRATION, "MSP-DRH")
    item = services_requests.submit_agent_request(
        user=agent,
        kind=2,
        reason="Enquête de moralité secrète",
        last_name="Issoufou",
        first_names="Mahamadou",
        sex="M",
        birth_date=None,
        birth_year=1980,
        birth_commune=niamey_commune,
        birth_country="",
    )
    item.person = person
    item.save()
    return person


def test_a_linked_but_unverified_phone_account_sees_no_consultation(
    citizen, make_agent, make_person, niamey_commune, citizen_client, png_upload
):
    """A relative with a copy of the certificate asks « for himself »: the clerk links the request
    to the record (matching), but has not verified the identity document. Before this change the
    phone account then saw the B2 consultation history; it must see nothing."""
    person = _b2_consulted_person(make_agent, make_person, niamey_commune)
    clerk = make_agent("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    item = services_requests.submit_citizen_request(
        user=citizen,
        last_name="Issoufou",
        first_names="Mahamadou",
        sex="M",
        birth_date=dt.date(1980, 5, 12),
        birth_year=None,
        birth_commune=niamey_commune,
        birth_country="",
        father_name="",
        mother_name="",
        payment_method="counter",
        identity_proof_kind="national_id",
        identity_document=png_upload(),
    )
    identification.link_person(actor=clerk, bulletin_request=item, person=person)
    page = citizen_client.get(reverse("criminal_records:my_requests")).content.decode()
    assert "Enquête de moralité secrète" not in page
    identification.verify_identity(actor=clerk, bulletin_request=item)
    page = citizen_client.get(reverse("criminal_records:my_requests")).content.decode()
    assert "Enquête de moralité secrète" in page


def test_clerks_look_ups_are_shown_as_consulted_by_the_court(
    citizen, signed_in, make_person, niamey_commune, citizen_client
):
    person = make_person()
    clerk = signed_in("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    clerk.get(reverse("criminal_records:person_detail", args=[person.pk]), {"motif": "Contrôle"})
    BulletinRequest.objects.create(
        kind=3,
        court=services.person_court(person),
        requester=citizen,
        reason="perso",
        person=person,
        last_name="Issoufou",
        first_names="Mahamadou",
        sex="M",
        birth_year=1980,
        birth_commune=niamey_commune,
        identity_verified_at=timezone.now(),
    )
    page = citizen_client.get(reverse("criminal_records:my_requests")).content.decode()
    assert "consulté par le greffe (Tribunal de grande instance hors classe de Niamey)" in page


def test_the_request_page_states_the_identity_rule(citizen_client, db):
    page = citizen_client.get(reverse("criminal_records:request_b3")).content.decode()
    assert "carte nationale d&#x27;identité" in page and "témoin" in page
    assert 'value="" selected' in page or "— Choisir —" in page  # no default sex


def test_sex_is_required_with_no_default(citizen_client, niamey_commune, png_upload):
    response = citizen_client.post(
        reverse("criminal_records:request_b3"),
        {
            "last_name": "Issoufou",
            "first_names": "Mahamadou",
            "birth_year": 1980,
            "birth_commune": niamey_commune.pk,
            "payment_method": "counter",
            "identity_proof_kind": "national_id",
            "identity_document": png_upload(),
        },
    )
    assert response.status_code == 200 and not BulletinRequest.objects.exists()
    assert "sex" in response.context["form"].errors


def test_a_birth_certificate_alone_is_no_identity_proof(citizen_client, niamey_commune, png_upload):
    response = citizen_client.post(
        reverse("criminal_records:request_b3"),
        {
            "last_name": "Issoufou",
            "first_names": "Mahamadou",
            "sex": "M",
            "birth_year": 1980,
            "birth_commune": niamey_commune.pk,
            "payment_method": "counter",
            "identity_proof_kind": "birth_certificate_witness",
            "birth_certificate": png_upload(),
        },
    )
    assert response.status_code == 200 and not BulletinRequest.objects.exists()
    assert "witness_document" in response.context["form"].errors


def test_citizen_cannot_see_another_persons_request(citizen_client, make_agent, niamey_commune):
    agent = make_agent("x.admin", Role.ADMINISTRATION, "MSP-DRH")
    item = services_requests.submit_agent_request(
        user=agent,
        kind=2,
        reason="r",
        last_name="A",
        first_names="B",
        sex="M",
        birth_date=None,
        birth_year=1980,
        birth_commune=niamey_commune,
        birth_country="",
    )
    assert (
        citizen_client.get(
            reverse("criminal_records:my_request", args=[item.reference])
        ).status_code
        == 404
    )


# --- Verification ---------------------------------------------------------------------------------


def test_verification_by_code_shows_only_type_date_and_name(client, issued):
    response = client.get(reverse("criminal_records:verify_code", args=[issued.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "authentique" in page and "ISSOUFOU Mahamadou" in page and "Bulletin n°2" in page
    assert "emprisonnement" not in page and "Hadiza" not in page  # nothing more


def test_unknown_code(client, db):
    response = client.get(
        reverse("criminal_records:verify_code", args=["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
    )
    assert response.status_code == 404
    assert "Aucun extrait" in response.content.decode()


def test_codes_are_rate_limited(client, db):
    from django.core.cache import cache

    cache.clear()
    url = reverse("criminal_records:verify_code", args=["NOPE"])
    statuses = [client.get(url).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429


def test_uploaded_genuine_pdf_is_authentic(client, issued):
    data = issued.pdf.read()
    response = client.post(
        reverse("criminal_records:verify"),
        {"document": SimpleUploadedFile("b.pdf", data, content_type="application/pdf")},
    )
    page = response.content.decode()
    assert "Document authentique" in page and "ISSOUFOU Mahamadou" in page


def test_uploaded_tampered_pdf_is_detected(client, issued):
    data = bytearray(issued.pdf.read())
    # Flip one byte of the signed content (inside the first byte range, past the header).
    data[400] = (data[400] + 1) % 256
    response = client.post(
        reverse("criminal_records:verify"),
        {"document": SimpleUploadedFile("b.pdf", bytes(data), content_type="application/pdf")},
    )
    page = response.content.decode()
    assert "NON authentique" in page and "ISSOUFOU" not in page


def test_bulletin_download_only_for_its_requester_and_audited(issued, signed_in, citizen_client):
    assert (
        citizen_client.get(reverse("criminal_records:bulletin_pdf", args=[issued.code])).status_code
        == 404
    )
    other = signed_in("x.other", Role.ADMINISTRATION, "MSP-DRH")
    assert (
        other.get(reverse("criminal_records:bulletin_pdf", args=[issued.code])).status_code == 404
    )


def test_citizen_form_keeps_the_identity_document_after_an_error(
    citizen_client, niamey_commune, png_upload
):
    # Issue 14: the bulletin n°3 form dropped its file on any error.
    import re

    fields = WITHOUT_BIRTHPLACE
    first = citizen_client.post(
        reverse("criminal_records:request_b3"),
        {**fields, "identity_document": png_upload("carte.png")},
    )
    assert first.status_code == 200 and "Fichier déjà joint" in first.content.decode()
    token = re.search(r'name="identity_document__kept" value="([^"]+)"', first.content.decode())[1]
    second = citizen_client.post(
        reverse("criminal_records:request_b3"),
        {**fields, "birth_commune": niamey_commune.pk, "identity_document__kept": token},
    )
    assert second.status_code == 302
    assert BulletinRequest.objects.get().identity_document.name


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), NO_SIGNATURE_IN_EACH_LANGUAGE)
def test_why_an_upload_is_not_authentic_is_said_in_the_readers_language(client, language, expected):
    # Before: « Document NOT authentic. » followed by the reason in French.
    client.cookies["django_language"] = language
    response = client.post(
        reverse("criminal_records:verify"),
        {
            "document": SimpleUploadedFile(
                "b.pdf", unsigned_pdf("Extrait"), content_type="application/pdf"
            )
        },
    )
    assert expected in html.unescape(response.content.decode())
