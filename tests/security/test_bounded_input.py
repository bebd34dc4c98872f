"""Numbers and ids from the request are parsed once and bounded (guichet/query_params.py):
unreadable or huge values are a 400/404 or a form error, never a 500 (issue 9)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet import query_params
from guichet.accounts.models import Role

from .agents import agent, signed_in

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize("value", ["abc", HUGE, "-1", "0", "1e3", "٣"])
def test_a_reply_to_mail_id_that_is_not_an_id_is_a_404(value):
    clerk = signed_in(agent(Role.MAIL_CLERK))
    assert clerk.get(f"/courrier/enregistrer/?reponse_a={value}").status_code == 404


@pytest.mark.parametrize("page", [HUGE, "abc", "-5", "0"])
def test_a_gazette_search_page_past_every_page_is_answered(client, page):
    response = client.get(f"/journal-officiel/?q=loi&page={page}")
    assert response.status_code == 200


@pytest.mark.parametrize("year", [HUGE, "-" + HUGE, "30000"])
def test_a_huge_birth_year_in_the_person_search_is_a_form_error(year):
    clerk = signed_in(agent(Role.COURT_CLERK))
    response = clerk.get(
        "/casier/greffe/personnes/",
        {"last_name": "Issoufou", "birth_year": year, "motif": "Vérification"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["birth_year"]


@pytest.mark.parametrize("code", ["a/b", "../etc", "AB CD/"])
def test_a_verification_code_with_a_slash_is_a_form_error(client, code):
    response = client.get("/casier/verifier/", {"code": code})
    assert response.status_code == 200
    assert "que des lettres et des chiffres" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", HUGE, ""])
def test_a_person_to_link_that_is_not_an_id_is_a_404(value):
    clerk = signed_in(agent(Role.COURT_CLERK))
    response = clerk.post(
        "/casier/greffe/demandes/NOPE/", {"action": "link", "person": value}, follow=False
    )
    assert response.status_code == 404


@given(st.text(max_size=30) | st.integers().map(str))
def test_bounded_int_never_raises_and_stays_in_bounds(raw):
    value = query_params.bounded_int(raw, minimum=1, maximum=10**6)
    assert value is None or 1 <= value <= 10**6


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        ("0", None),
        (HUGE, None),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),
        ("1_000", None),
        ("+3", None),
        ("²", None),
        (None, None),
    ],
)
def test_object_id_accepts_only_plain_positive_bigints(raw, expected):
    assert query_params.object_id(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [(None, 1), ("abc", 1), ("3", 3), (HUGE, 10_000)])
def test_page_number_defaults_to_one_and_is_clamped(raw, expected):
    assert query_params.page_number(raw) == expected
