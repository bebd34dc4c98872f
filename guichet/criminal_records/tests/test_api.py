import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.accounts.models import Role


def test_verify_code_api(client, issued):
    response = client.get(reverse("criminal_records:api_verify_code", args=[issued.code]))
    assert response.status_code == 200
    assert response.json() == {
        "authentic": True,
        "bulletin": {
            "kind": 2,
            "kind_label": "Bulletin n°2",
            "issued_on": issued.issued_on.isoformat(),
            "court": issued.court.name,
            "person_name": "ISSOUFOU Mahamadou",
            "revoked_on": None,
        },
        "detail": "",
    }


def test_verify_unknown_code_api(client, db):
    response = client.get(reverse("criminal_records:api_verify_code", args=["X" * 32]))
    assert response.status_code == 404 and response.json()["authentic"] is False


def test_verify_file_api_detects_appended_bytes(client, issued):
    data = issued.pdf.read()
    ok = client.post(
        reverse("criminal_records:api_verify_file"), {"document": SimpleUploadedFile("b.pdf", data)}
    )
    assert (
        ok.json()["authentic"] is True
        and ok.json()["bulletin"]["person_name"] == "ISSOUFOU Mahamadou"
    )
    altered = data + b"\n% appended after signing\n"
    bad = client.post(
        reverse("criminal_records:api_verify_file"),
        {"document": SimpleUploadedFile("b.pdf", altered)},
    )
    assert bad.json()["authentic"] is False and bad.json()["bulletin"] is None


def test_verify_api_is_rate_limited(client, db):
    url = reverse("criminal_records:api_verify_code", args=["NOPE"])
    statuses = [client.get(url).status_code for _ in range(31)]
    assert statuses[-1] == 429


def test_my_requests_api_lists_only_mine(client, issued, citizen):
    client.force_login(citizen)
    assert client.get(reverse("criminal_records:api_my_requests")).json() == []


def test_my_requests_api_needs_sign_in(client, db):
    assert client.get(reverse("criminal_records:api_my_requests")).status_code == 403


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Aucun extrait ne correspond à ce code."),
        ("en", "No extract matches this code."),
        ("ha", "Babu takardar da ta dace da wannan lambar."),
        ("dje", "Tiira kulu si saba nda lamba woo."),
    ],
)
def test_an_unknown_code_is_explained_in_the_requesters_language(client, db, language, expected):
    # Before: « Aucun extrait ne correspond à ce code. » in every language.
    client.cookies["django_language"] = language
    response = client.get(reverse("criminal_records:api_verify_code", args=["X" * 32]))
    assert response.status_code == 404
    assert response.json()["detail"].startswith(expected)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Double authentification requise."),
        ("en", "Two-factor authentication required."),
        ("ha", "Ana buƙatar tantancewa sau biyu."),
        ("dje", "Tabbatandiyaŋ hinka ga tilas."),
    ],
)
def test_an_agent_without_second_factor_is_told_so_in_their_language(signed_in, language, expected):
    # Before: « Double authentification requise. » in every language.
    agent = signed_in("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY", verified=False)
    agent.cookies["django_language"] = language
    response = agent.get(reverse("criminal_records:api_my_requests"))
    assert response.status_code == 403
    assert response.json() == {"detail": expected}


def test_the_file_check_says_its_problem_in_the_requesters_language(client, db):
    # Before: `problem` was French in every language.
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text="Extrait")
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("criminal_records:api_verify_file"),
        {"document": SimpleUploadedFile("b.pdf", bytes(pdf.output()))},
    )
    assert response.json()["authentic"] is False
    assert response.json()["problem"] == "This document bears no electronic signature."
