"""Signed-in test clients for the attack suite: one per role, a second factor verified when the
role requires it (as the sign-in flow leaves the session)."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import Membership, Organisation, Role, User

# Where each role's test agent works: a unit of the SGG tree for the SGG's services, a court for
# the court roles. Another organisation's data (the Health ministry) must never show up.
HOME_ORGANISATION = {
    Role.PLATFORM_ADMIN: "SGG",
    Role.MAIL_CLERK: "SGG-BC",
    Role.COMPLAINTS_HANDLER: "SGG",
    Role.HEAD_OF_SERVICE: "SGG",
    Role.COURT_CLERK: "TGI-NIAMEY",
    Role.JUDGE: "TGI-NIAMEY",
    Role.ADMINISTRATION: "SGG",
    Role.TRANSPORT_AGENT: "MT-STU",
    Role.GAZETTE_EDITOR: "SGG",
}
OTHER_MINISTRY = "MSP"


def agent(role_code: str, org_code: str | None = None, username: str | None = None) -> User:
    org = Organisation.objects.get(code=org_code or HOME_ORGANISATION.get(role_code, "SGG"))
    user = User.objects.create_user(
        username=username or f"{role_code}-{org.code}".lower(),
        password="correct-horse-battery",
        kind=User.Kind.AGENT,
    )
    Membership.objects.create(user=user, organisation=org, role=Role.objects.get(code=role_code))
    return user


def signed_in(user: User) -> Client:
    """A client signed in as `user`, its second factor verified."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    if user.kind == User.Kind.AGENT:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    client.user = user
    return client
