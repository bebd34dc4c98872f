"""Attack suite, issue 9: no side door around the second factor, the admin site or the lockout."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts import audit_actions
from guichet.accounts.models import Membership, Organisation, RecoveryCode, Role, User
from guichet.audit.models import AuditEntry

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    from guichet.accounts.models import Commune
    from guichet.criminal_records.models import Person

    return Person.objects.create(
        last_name="Issa",
        first_names="Moussa",
        sex="M",
        birth_year=1980,
        birth_commune=Commune.objects.filter(region__code="NE-8").first()
        or Commune.objects.first(),
    )


def _sign_in(client, username, password=PASSWORD, url="accounts:agent_login"):
    return client.post(reverse(url), {"username": username, "password": password})


def _code(device) -> str:
    return f"{totp(device.bin_key):06d}"


def _clerk_with_device(make_agent):
    clerk = make_agent("greffier.x", Role.COURT_CLERK, "TGI-NIAMEY")
    TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    return clerk


def test_password_then_enrolling_a_new_device_does_not_open_the_register(
    client, make_agent, person
):
    clerk = _clerk_with_device(make_agent)
    _sign_in(client, clerk.username)
    page = client.get(reverse("accounts:totp_setup"))
    # The enrolment page sends the agent to the current factor first: no new secret is shown.
    assert page.status_code == 302 and page.url == reverse("accounts:agent_otp")
    assert not TOTPDevice.objects.filter(user=clerk, confirmed=False).exists()
    # Even a device made by hand cannot be confirmed by a session that did not verify a factor.
    rogue = TOTPDevice.objects.create(user=clerk, name="rogue", confirmed=False)
    session = client.session
    session["totp_pending_device"] = rogue.pk
    session.save()
    client.post(reverse("accounts:totp_setup"), {"token": _code(rogue)})
    rogue.refresh_from_db()
    assert not rogue.confirmed
    response = client.get(f"/casier/greffe/personnes/{person.pk}/")
    assert response.status_code != 200


def test_replacing_the_device_needs_the_current_code_and_is_audited(client, make_agent):
    clerk = _clerk_with_device(make_agent)
    old = TOTPDevice.objects.get(user=clerk)
    _sign_in(client, clerk.username)
    assert client.post(reverse("accounts:agent_otp"), {"token": _code(old)}).status_code == 302
    client.get(reverse("accounts:totp_setup"))
    new = TOTPDevice.objects.get(user=clerk, confirmed=False)
    response = client.post(reverse("accounts:totp_setup"), {"token": _code(new)})
    assert response.status_code == 200 and "codes de secours" in response.content.decode()
    assert list(TOTPDevice.objects.filter(user=clerk, confirmed=True)) == [new]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        audit_actions.SIGNIN_SUCCEEDED,
        audit_actions.FACTOR_VERIFIED,
        audit_actions.FACTOR_REMOVED,
        audit_actions.FACTOR_ENROLLED,
        audit_actions.RECOVERY_CODES_ISSUED,
    } <= actions


def test_first_enrolment_verifies_the_session_with_the_new_code(client, make_agent, person):
    clerk = make_agent("greffier.y", Role.COURT_CLERK, "TGI-NIAMEY")
    _sign_in(client, clerk.username)
    assert client.get(f"/casier/greffe/personnes/{person.pk}/").status_code != 200
    client.get(reverse("accounts:totp_setup"))
    device = TOTPDevice.objects.get(user=clerk)
    client.post(reverse("accounts:totp_setup"), {"token": _code(device)})
    assert client.get(f"/casier/greffe/personnes/{person.pk}/").status_code == 200


def test_a_recovery_code_works_once_and_only_its_hash_is_stored(client, make_agent):
    clerk = make_agent("greffier.z", Role.COURT_CLERK, "TGI-NIAMEY")
    _sign_in(client, clerk.username)
    client.get(reverse("accounts:totp_setup"))
    device = TOTPDevice.objects.get(user=clerk)
    codes = client.post(reverse("accounts:totp_setup"), {"token": _code(device)}).context["codes"]
    assert len(codes) == 10
    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in stored)
    client.post(reverse("accounts:logout"))
    _sign_in(client, clerk.username)
    assert client.post(reverse("accounts:agent_otp"), {"token": codes[0]}).status_code == 302
    assert AuditEntry.objects.filter(action=audit_actions.RECOVERY_CODE_USED).count() == 1
    client.post(reverse("accounts:logout"))
    _sign_in(client, clerk.username)
    again = client.post(reverse("accounts:agent_otp"), {"token": codes[0]})
    assert again.status_code == 200 and "Code incorrect" in again.content.decode()


def test_a_platform_administrator_resets_a_lost_factor_audited(make_agent):
    from guichet.accounts.second_factor import reset_second_factor

    clerk = _clerk_with_device(make_agent)
    admin = make_agent("admin.x", Role.PLATFORM_ADMIN, "PRN")
    other = make_agent("greffier.w", Role.COURT_CLERK, "TGI-NIAMEY")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reset_second_factor(clerk, actor=other)
    assert reset_second_factor(clerk, actor=admin) == 1
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    entry = AuditEntry.objects.get(action=audit_actions.FACTOR_RESET)
    assert entry.actor == admin and entry.object_id == str(clerk.pk)


# --- The admin site ------------------------------------------------------------------------------


@pytest.fixture
def staff(db):
    user = User.objects.create_superuser("root.admin", "root@example.ne", PASSWORD)
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code="PRN"),
        role=Role.objects.get(code=Role.PLATFORM_ADMIN),
    )
    return user


def test_a_password_only_admin_login_cannot_read_criminal_record_persons(client, staff, person):
    response = _sign_in(client, staff.username, url="admin:login")
    assert response.status_code == 302 and "/agents/" in response.url
    for path in (
        "/admin/",
        "/admin/criminal_records/person/",
        f"/admin/criminal_records/person/{person.pk}/change/",
        "/admin/criminal_records/conviction/",
    ):
        assert client.get(path).status_code != 200, path


def test_criminal_record_data_is_not_in_the_admin_even_with_the_second_factor(
    client, staff, person
):
    from django.contrib import admin

    from guichet.accounts.admin_site import REFERENCE_MODELS_ONLY

    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    _sign_in(client, staff.username, url="admin:login")
    client.post(reverse("accounts:agent_otp"), {"token": _code(device)})
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/criminal_records/person/").status_code == 404
    assert client.get("/admin/criminal_records/conviction/").status_code == 404
    registered = {
        m._meta.model_name for m in admin.site._registry if m._meta.app_label == "criminal_records"
    }
    assert registered <= REFERENCE_MODELS_ONLY["criminal_records"]


def test_registering_criminal_record_data_in_the_admin_fails():
    from django.contrib import admin
    from django.core.exceptions import ImproperlyConfigured

    from guichet.criminal_records.models import Conviction, Person

    for model in (Person, Conviction):
        with pytest.raises(ImproperlyConfigured):
            admin.site.register(model)


def test_every_admin_change_is_audited(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    _sign_in(client, staff.username, url="admin:login")
    client.post(reverse("accounts:agent_otp"), {"token": _code(device)})
    region = __import__("guichet.accounts.models", fromlist=["Region"]).Region.objects.first()
    response = client.post(
        f"/admin/accounts/region/{region.pk}/change/",
        {"code": region.code, "name": region.name + " (modifiée)"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=audit_actions.ADMIN_OBJECT_CHANGED)
    assert entry.actor == staff and entry.object_id == str(region.pk)


def test_the_enrolment_service_itself_refuses_an_unverified_session(make_agent):
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from guichet.accounts import second_factor

    clerk = _clerk_with_device(make_agent)
    clerk.is_verified = lambda: False
    request = RequestFactory().post("/")
    request.user, request.session = clerk, SessionStore()
    device = second_factor.pending_device(request)
    with pytest.raises(PermissionDenied):
        second_factor.confirm_enrolment(request, device, _code(device))
    device.refresh_from_db()
    assert not device.confirmed


@pytest.mark.django_db
def test_the_admin_login_never_redirects_elsewhere_nor_fails_on_a_strange_next(client, make_agent):
    """Found by the crawler: a signed-in agent opening /admin/login/?next=2024-13-45 got a 500
    (redirect() read the value as a view name); another host must not be reachable either."""
    from django_otp import DEVICE_ID_SESSION_KEY

    agent = make_agent("curious.admin", "platform_admin", "PRN")
    agent.is_staff = agent.is_superuser = True
    agent.save()
    client.force_login(agent)
    device = TOTPDevice.objects.create(user=agent, name="app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    for value in ["2024-13-45", "https://evil.example/", "//evil.example/x"]:
        response = client.get("/admin/login/", {"next": value})
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
