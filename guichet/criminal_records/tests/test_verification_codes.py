"""Verification codes: Crockford base32, grouped for reading, forgiving when typed back."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from guichet.criminal_records import selectors, verification_codes
from guichet.criminal_records.models import IssuedBulletin, new_verification_code


def test_new_codes_are_crockford_base32_without_look_alikes():
    for _ in range(200):
        code = new_verification_code()
        assert len(code) == 32  # 160 bits
        assert set(code) <= set(verification_codes.ALPHABET)
        assert not set(code) & set("ILOU")


def test_codes_are_shown_in_groups_of_four():
    code = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    assert verification_codes.grouped(code) == "0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ"


@given(
    code=st.text(alphabet=verification_codes.ALPHABET, min_size=32, max_size=32),
    separator=st.sampled_from([" ", "-", "  ", " - ", "\u2011", ""]),
    lower=st.booleans(),
)
def test_any_spacing_hyphens_or_case_reads_back_the_same_code(code, separator, lower):
    typed = separator.join(code[i : i + 4] for i in range(0, 32, 4))
    typed = typed.lower() if lower else typed
    assert code in verification_codes.candidates(typed)


def test_look_alikes_are_read_as_crockford_says():
    assert verification_codes.candidates("1O0L-il") == ["1O0LIL", "100111"]


def test_garbage_is_no_code():
    assert verification_codes.candidates("") == []
    assert verification_codes.candidates("../../etc/passwd") == []
    assert verification_codes.candidates("A" * 200) == []


@pytest.fixture
def issued(make_person, make_agent):
    from guichet.accounts.models import Organisation, Role

    clerk = make_agent("code.greffier", Role.COURT_CLERK, "TGI-NIAMEY")

    def make(code):
        return IssuedBulletin.objects.create(
            code=code,
            person=make_person(),
            kind=3,
            court=Organisation.objects.get(code="TGI-NIAMEY"),
            person_name="ISSOUFOU Mahamadou",
            issued_on="2026-01-05",
            issued_by=clerk,
            pdf="casier/bulletins/x.pdf",
            sha256="0" * 64,
        )

    return make


def test_a_genuine_extract_typed_in_groups_of_four_verifies(client, issued):
    bulletin = issued(new_verification_code())
    typed = " ".join(bulletin.code[i : i + 4] for i in range(0, 32, 4)).lower()
    response = client.get(reverse("criminal_records:verify"), {"code": typed}, follow=True)
    assert response.status_code == 200
    assert "authentique" in response.content.decode()
    api = client.get(
        reverse(
            "criminal_records:api_verify_code", args=[verification_codes.grouped(bulletin.code)]
        )
    )
    assert api.status_code == 200 and api.json()["authentic"] is True


def test_codes_issued_before_crockford_still_verify(issued):
    # RFC 4648 base32 (A-Z, 2-7): may hold I, L, O, which Crockford would read as 1 and 0.
    old = "LOIS2345ABCDEFGHIJKLMNOPQRSTUVWX"
    bulletin = issued(old)
    assert selectors.bulletin_by_code(old) == bulletin
    assert selectors.bulletin_by_code(old.lower()) == bulletin
    assert selectors.bulletin_by_code(verification_codes.grouped(old)) == bulletin


def test_a_crockford_code_typed_with_o_for_zero_verifies(issued):
    bulletin = issued("0000111122223333444455556666777A")
    assert selectors.bulletin_by_code("OOOO-IIII-2222-3333-4444-5555-6666-777a") == bulletin


def test_a_typed_code_with_slashes_gets_a_french_error_not_a_500(client):
    response = client.get(reverse("criminal_records:verify"), {"code": "AB/CD"})
    assert response.status_code == 200
    assert "lettres et des chiffres" in response.content.decode()
