"""Agents hold roles in units; what a role may see is scoped to its unit and below."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts import selectors
from guichet.accounts.models import Organisation, Role
from guichet.accounts.permissions import role_required


def test_reference_tree_has_the_five_administrations_and_the_regions(organisations):
    for code in ["PRN", "MJ", "SGG", "MSP", "MT"]:
        assert organisations[code].parent is None
    assert organisations["TGI-NIAMEY"].kind == Organisation.Kind.COURT
    assert organisations["TGI-NIAMEY"].ancestors() == [
        organisations["MJ"],
        organisations["CA-NIAMEY"],
    ]
    from guichet.accounts.models import Region

    # Seven regions and the capital district of Niamey: the eight first-level divisions.
    assert Region.objects.count() == 8


def test_role_is_scoped_to_its_unit_and_below(make_agent, organisations):
    agent = make_agent("a.moussa", Role.MAIL_CLERK, "SGG")
    assert selectors.has_role(agent, Role.MAIL_CLERK, organisations["SGG-BC"])
    assert selectors.has_role(agent, Role.MAIL_CLERK, organisations["SGG"])
    assert not selectors.has_role(agent, Role.MAIL_CLERK, organisations["MSP-BC"])
    assert not selectors.has_role(agent, Role.COURT_CLERK)
    visible = set(
        selectors.organisations_with_role(agent, Role.MAIL_CLERK).values_list("code", flat=True)
    )
    assert {"SGG", "SGG-BC", "SGG-JO", "SGG-DAJ"} <= visible
    assert "MSP" not in visible and "MJ" not in visible


def test_head_of_service_is_found_above_a_unit(make_agent, organisations):
    head = make_agent("chef.sgg", Role.HEAD_OF_SERVICE, "SGG")
    make_agent("chef.msp", Role.HEAD_OF_SERVICE, "MSP")
    heads = selectors.agents_with_role(Role.HEAD_OF_SERVICE, organisations["SGG-BC"])
    assert list(heads) == [head]


def test_roles_reading_criminal_records_always_require_two_factor(db):
    role = Role.objects.create(code="inspector", name="Inspecteur", reads_criminal_records=True)
    assert role.requires_2fa
    for code in ["court_clerk", "judge", "administration"]:
        assert Role.objects.get(code=code).requires_2fa


@role_required(Role.COURT_CLERK)
def clerk_view(request):
    return HttpResponse("registre")


def _request(user):
    request = RequestFactory().get("/casier/registre")
    request.user = user
    request.session = {}
    return request


def test_role_required_refuses_other_roles(make_agent):
    from django.core.exceptions import PermissionDenied

    other = make_agent("x.transport", Role.TRANSPORT_AGENT, "MT-DTT")
    other.is_verified = lambda: True
    with pytest.raises(PermissionDenied):
        clerk_view(_request(other))


def test_role_required_asks_for_totp_when_the_role_requires_it(make_agent):
    clerk = make_agent("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    clerk.is_verified = lambda: False
    response = clerk_view(_request(clerk))
    assert response.status_code == 302 and reverse("accounts:agent_otp") in response.url
    clerk.is_verified = lambda: True
    assert clerk_view(_request(clerk)).content == b"registre"


def test_agent_sign_in_goes_through_totp_enrolment_then_verification(client, make_agent):
    clerk = make_agent("y.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    response = client.post(
        reverse("accounts:agent_login"),
        {"username": "y.greffier", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302 and response.url == reverse("accounts:totp_setup")
    client.get(response.url)
    device = TOTPDevice.objects.get(user=clerk)
    from django_otp.oath import totp

    token = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("accounts:totp_setup"), {"token": token})
    assert response.status_code == 200 and "codes de secours" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    response = client.post(
        reverse("accounts:agent_login"),
        {"username": "y.greffier", "password": "correct-horse-battery"},
    )
    assert response.url == reverse("accounts:agent_otp")
    response = client.post(reverse("accounts:agent_otp"), {"token": "000000"})
    assert "Code incorrect" in response.content.decode()


def test_citizens_cannot_use_the_agents_sign_in(client, citizen):
    citizen.set_password("un-mot-de-passe-long")
    citizen.save()
    response = client.post(
        reverse("accounts:agent_login"),
        {"username": citizen.username, "password": "un-mot-de-passe-long"},
    )
    assert response.status_code == 200
    assert "réservé aux agents" in response.content.decode()
