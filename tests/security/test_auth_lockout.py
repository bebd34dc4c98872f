"""Attack suite, issue 9: password guessing on the agents' page and the admin site is locked out."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from guichet.accounts import audit_actions
from guichet.accounts.models import Role, User
from guichet.audit.models import AuditEntry

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("url", "wrong"), [("accounts:agent_login", 80), ("admin:login", "limit")])
def test_eighty_wrong_passwords_then_the_right_one_is_refused(
    client, make_agent, settings, url, wrong
):
    agent = make_agent("cible.x", Role.MAIL_CLERK, "SGG-BC")
    agent.is_staff = True
    agent.save()
    # The admin's login is the same password step: the limit alone is enough to show it locks.
    for attempt in range(80 if wrong == 80 else settings.SIGNIN_FAILURE_LIMIT):
        client.post(reverse(url), {"username": agent.username, "password": f"faux-{attempt}"})
    response = client.post(reverse(url), {"username": agent.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=audit_actions.SIGNIN_LOCKED_OUT).exists()
    assert AuditEntry.objects.filter(action=audit_actions.SIGNIN_FAILED).count() >= 10


def test_one_client_guessing_across_accounts_is_locked_out(client, make_agent, settings):
    settings.SIGNIN_CLIENT_FAILURE_LIMIT = 12  # fewer slow password hashes; the rule is the same
    victim = make_agent("cible.y", Role.MAIL_CLERK, "SGG-BC")
    for index in range(settings.SIGNIN_CLIENT_FAILURE_LIMIT):
        client.post(
            reverse("accounts:agent_login"), {"username": f"inconnu{index}", "password": "x"}
        )
    response = client.post(
        reverse("accounts:agent_login"), {"username": victim.username, "password": PASSWORD}
    )
    assert response.status_code == 429


def test_the_account_is_locked_from_any_other_address(client, make_agent, settings):
    agent = make_agent("cible.z", Role.MAIL_CLERK, "SGG-BC")
    for attempt in range(settings.SIGNIN_FAILURE_LIMIT):
        client.post(
            reverse("accounts:agent_login"),
            {"username": agent.username, "password": f"faux-{attempt}"},
            REMOTE_ADDR="203.0.113.7",
        )
    response = client.post(
        reverse("accounts:agent_login"),
        {"username": agent.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.9",
    )
    assert response.status_code == 429


def test_an_administrator_unlocks_with_the_command_audited(client, make_agent, settings):
    agent = make_agent("cible.w", Role.MAIL_CLERK, "SGG-BC")
    for attempt in range(settings.SIGNIN_FAILURE_LIMIT):
        client.post(
            reverse("accounts:agent_login"),
            {"username": agent.username, "password": f"faux-{attempt}"},
        )
    assert AccessAttempt.objects.exists()
    call_command("unlock_sign_in", username=agent.username, ip="127.0.0.1", reason="appel du 12")
    response = client.post(
        reverse("accounts:agent_login"), {"username": agent.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=agent.pk).last_login is not None
    entry = AuditEntry.objects.get(action=audit_actions.SIGNIN_UNLOCKED)
    assert entry.reason == "appel du 12"


def test_sign_out_and_password_change_are_audited(client, make_agent):
    agent = make_agent("cible.v", Role.MAIL_CLERK, "SGG-BC")
    client.post(reverse("accounts:agent_login"), {"username": agent.username, "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    agent.set_password("un-autre-mot-de-passe-long")
    agent.save()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert audit_actions.SIGNIN_SUCCEEDED in actions
    assert audit_actions.SIGNED_OUT in actions
    assert audit_actions.PASSWORD_CHANGED in actions


def test_a_citizen_wrong_code_is_audited(client):
    import re

    from guichet.notifications.models import Message

    client.post(reverse("accounts:citizen_login"), {"phone": "90123456"})
    body = Message.objects.latest("id").body
    code = re.search(r"\b(\d{6})\b", body).group(1)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    client.post(reverse("accounts:citizen_verify"), {"code": wrong})
    assert AuditEntry.objects.filter(action=audit_actions.CITIZEN_CODE_REFUSED).count() == 1
