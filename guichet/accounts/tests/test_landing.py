"""After signing in, an agent lands on the workspace of their role; `next` still wins (issue 14)."""

import pytest
from django.urls import reverse

from guichet.accounts import selectors
from guichet.accounts.models import Role


def _sign_in(client, username, **extra):
    return client.post(
        reverse("accounts:agent_login") + extra.pop("query", ""),
        {"username": username, "password": "correct-horse-battery", **extra},
    )


def test_a_mail_clerk_lands_on_the_mail_desk(client, make_agent):
    # Failed before: agents landed on the citizens' home page.
    make_agent("bureau", Role.MAIL_CLERK, "SGG-BC")
    response = _sign_in(client, "bureau")
    assert response.status_code == 302 and response.url == reverse("correspondence:home")


def test_next_still_wins(client, make_agent):
    make_agent("bureau", Role.MAIL_CLERK, "SGG-BC")
    response = _sign_in(client, "bureau", next="/courrier/enregistrer/")
    assert response.url == "/courrier/enregistrer/"


def test_an_unsafe_next_falls_back_to_the_workspace(client, make_agent):
    make_agent("bureau", Role.MAIL_CLERK, "SGG-BC")
    response = _sign_in(client, "bureau", next="https://evil.example/")
    assert response.url == reverse("correspondence:home")


@pytest.mark.parametrize(
    "role, unit, url_name",
    [
        (Role.MAIL_CLERK, "SGG-BC", "correspondence:home"),
        (Role.HEAD_OF_SERVICE, "SGG", "correspondence:home"),
        (Role.COURT_CLERK, "TGI-NIAMEY", "criminal_records:clerk_home"),
        (Role.GAZETTE_EDITOR, "SGG-JO", "gazette:editor"),
        (Role.COMPLAINTS_HANDLER, "MSP-DQ", "complaints:agent_list"),
        (Role.PROGRAMME_MANAGER, "ANSI", "talents:manager_home"),
        (Role.TRANSPORT_AGENT, "MT-DTT", "transit:editor"),
    ],
)
def test_each_role_has_its_workspace(make_agent, role, unit, url_name):
    agent = make_agent("agent", role, unit)
    assert selectors.workspace_url(agent) == reverse(url_name)


def test_a_court_clerk_lands_on_the_greffe_after_the_second_factor(client, make_agent):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    clerk = make_agent("greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    device = TOTPDevice.objects.create(user=clerk, name="app", confirmed=True)
    response = _sign_in(client, "greffier")
    assert response.url == reverse("accounts:agent_otp")
    response = client.post(reverse("accounts:agent_otp"), {"token": f"{totp(device.bin_key):06d}"})
    assert response.url == reverse("criminal_records:clerk_home")


def test_citizens_keep_their_landing(citizen):
    assert selectors.workspace_url(citizen) is None
