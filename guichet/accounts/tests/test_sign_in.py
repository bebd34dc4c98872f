"""Citizens sign in with a Niger phone number and a one-time code sent by SMS."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from guichet.accounts import services
from guichet.accounts.models import SignInCode, User
from guichet.audit.models import AuditEntry
from guichet.notifications.models import Message
from guichet.throttling import RateLimited

PHONE = "+22790123456"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def last_code_sent_to(phone: str) -> str:
    message = Message.objects.filter(recipient=phone).order_by("-id").first()
    assert message is not None, "no SMS was stored for this number"
    return re.search(r"\b(\d{6})\b", message.body).group(1)


@pytest.mark.parametrize("raw", ["90 12 34 56", "+227 90 12 34 56", "0022790123456", "90123456"])
def test_niger_numbers_are_normalised_to_e164(raw):
    assert services.normalise_phone(raw) == PHONE


@pytest.mark.parametrize("raw", ["", "12", "+33612345678", "hello", "9012345"])
def test_other_numbers_are_refused_in_french(raw):
    with pytest.raises(ValidationError) as error:
        services.normalise_phone(raw)
    assert "Niger" in str(error.value) or "illisible" in str(error.value)


@pytest.mark.django_db
def test_code_signs_in_and_creates_the_citizen_once():
    services.request_sign_in_code("90 12 34 56", ip_address="127.0.0.1")
    user = services.verify_sign_in_code(PHONE, last_code_sent_to(PHONE))
    assert user.is_citizen and user.phone_number == PHONE and not user.has_usable_password()
    services.request_sign_in_code(PHONE, ip_address="127.0.0.1")
    again = services.verify_sign_in_code(PHONE, last_code_sent_to(PHONE))
    assert again.pk == user.pk
    assert User.objects.filter(phone_number=PHONE).count() == 1
    assert AuditEntry.objects.filter(action="accounts.citizen.signed_in").count() == 2


@pytest.mark.django_db
def test_only_a_hash_of_the_code_is_stored():
    services.request_sign_in_code(PHONE, ip_address=None)
    code = last_code_sent_to(PHONE)
    stored = SignInCode.objects.get()
    assert code not in stored.code_hash


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice():
    services.request_sign_in_code(PHONE, ip_address=None)
    code = last_code_sent_to(PHONE)
    services.verify_sign_in_code(PHONE, code)
    with pytest.raises(services.InvalidCode):
        services.verify_sign_in_code(PHONE, code)


@pytest.mark.django_db
def test_an_expired_code_is_refused():
    services.request_sign_in_code(PHONE, ip_address=None)
    code = last_code_sent_to(PHONE)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        with pytest.raises(services.InvalidCode, match="expiré"):
            services.verify_sign_in_code(PHONE, code)


@pytest.mark.django_db
def test_a_new_code_voids_the_previous_one():
    services.request_sign_in_code(PHONE, ip_address=None)
    first = last_code_sent_to(PHONE)
    services.request_sign_in_code(PHONE, ip_address=None)
    second = last_code_sent_to(PHONE)
    if first != second:
        with pytest.raises(services.InvalidCode):
            services.verify_sign_in_code(PHONE, first)
    assert services.verify_sign_in_code(PHONE, second).phone_number == PHONE


@pytest.mark.django_db
def test_five_wrong_guesses_void_the_code():
    services.request_sign_in_code(PHONE, ip_address=None)
    code = last_code_sent_to(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        with pytest.raises(services.InvalidCode):
            services.verify_sign_in_code(PHONE, wrong)
    with pytest.raises(services.InvalidCode):
        services.verify_sign_in_code(PHONE, code)


@pytest.mark.django_db
def test_requests_are_rate_limited_per_number_and_client():
    for _ in range(3):
        services.request_sign_in_code(PHONE, ip_address=None)
    with pytest.raises(RateLimited) as limited:
        services.request_sign_in_code(PHONE, ip_address=None)
    assert limited.value.retry_after <= 600  # a short cool-down, not an hour
    assert SignInCode.objects.count() == 3


@pytest.mark.django_db
def test_requests_are_rate_limited_per_address():
    for index in range(30):
        services.request_sign_in_code(f"+2279{index:07d}", ip_address="10.9.8.7")
    with pytest.raises(RateLimited):
        services.request_sign_in_code("+22796000000", ip_address="10.9.8.7")
    # Another address is not affected.
    services.request_sign_in_code("+22796000000", ip_address="10.9.8.8")


@pytest.mark.django_db
def test_sign_in_pages_end_signed_in(client):
    response = client.post(reverse("accounts:citizen_login"), {"phone": "90 12 34 56"})
    assert response.status_code == 302 and response.url == reverse("accounts:citizen_verify")
    response = client.post(reverse("accounts:citizen_verify"), {"code": last_code_sent_to(PHONE)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).context["user"].phone_number == PHONE


@pytest.mark.django_db
def test_a_wrong_code_shows_a_french_error(client):
    client.post(reverse("accounts:citizen_login"), {"phone": "90123456"})
    code = last_code_sent_to(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:citizen_verify"), {"code": wrong})
    assert response.status_code == 200
    assert "Code incorrect" in response.content.decode()


@pytest.mark.django_db
def test_an_invalid_number_shows_a_french_error(client):
    response = client.post(reverse("accounts:citizen_login"), {"phone": "+33 6 12 34 56 78"})
    assert response.status_code == 200
    assert "numéro du Niger" in response.content.decode()
    assert not SignInCode.objects.exists()


# Niger's numbering plan as phonenumbers' metadata holds it: fixed lines 20 XX XX XX (Niamey 20 72…,
# Maradi 20 41…, Zinder 20 51…); mobiles from 7, 8 and 9. A code sent to a fixed line never arrives.
FIXED_LINES = ["20 72 34 56", "+227 20 41 00 00", "0022720510000", "20202020"]
MOBILES = ["70 12 34 56", "74 12 34 56", "80 12 34 56", "88 12 34 56", "90 12 34 56", "96 12 34 56"]


@pytest.mark.parametrize("raw", FIXED_LINES)
@pytest.mark.django_db
def test_a_fixed_line_is_refused_before_any_code_is_sent(client, raw):
    response = client.post(reverse("accounts:citizen_login"), {"phone": raw})
    assert response.status_code == 200
    assert "ligne fixe" in response.content.decode()
    assert not SignInCode.objects.exists()
    assert not Message.objects.exists()
    with pytest.raises(ValidationError):
        services.request_sign_in_code(raw, ip_address="127.0.0.1")


@pytest.mark.parametrize("raw", MOBILES)
@pytest.mark.django_db
def test_every_mobile_range_gets_its_code(raw):
    phone = services.request_sign_in_code(raw, ip_address="127.0.0.1")
    assert last_code_sent_to(phone)


@pytest.mark.django_db
def test_rate_limit_shows_a_french_error(client):
    for _ in range(5):
        client.post(reverse("accounts:citizen_login"), {"phone": "90123456"})
    response = client.post(reverse("accounts:citizen_login"), {"phone": "90123456"})
    assert response.status_code == 200
    assert "Trop de demandes" in response.content.decode()
