"""The agents' second factor: enrolment, verification, recovery codes, reset (issue 9).

The rules, in one place:
- a session is "verified" (django-otp's `user.is_verified()`) only by verifying a factor: a code
  of a confirmed authenticator, a recovery code, or — at the very first enrolment, when the
  account has no factor at all — the first code of the new authenticator;
- enrolling a new authenticator when the account already has a factor needs a session verified
  with that factor (or a platform administrator's reset, which removes every factor and is
  audited); enrolment itself never verifies a session that was not;
- every event is audited (guichet.accounts.audit_actions).
"""

import secrets
from base64 import b32encode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet import locks
from guichet.accounts import audit_actions, selectors
from guichet.accounts.models import RecoveryCode, RecoveryCodeDevice, Role, User
from guichet.audit.services import record

PENDING_DEVICE_SESSION_KEY = "totp_pending_device"
# Recovery codes: 10 characters of base32 (50 bits), shown as two groups of five.
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


def has_factor(user: User) -> bool:
    """A confirmed authenticator, or recovery codes not yet spent."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).exists()
    )


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


def may_enrol(request) -> bool:
    """A first enrolment is open; replacing a factor needs a session verified with it."""
    return not has_factor(request.user) or session_verified(request)


def pending_device(request) -> TOTPDevice:
    """The authenticator being enrolled in this session (its secret is shown to this session only).

    Another session's unconfirmed device is discarded: whoever saw its secret must not have it
    confirmed later by the agent.
    """
    device_id = request.session.get(PENDING_DEVICE_SESSION_KEY)
    device = TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=False).first()
    if device is None:
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=request.user, name="TOTP", confirmed=False)
        request.session[PENDING_DEVICE_SESSION_KEY] = device.pk
    return device


def confirm_enrolment(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending authenticator with its first code.

    Returns the new recovery codes (shown once) on success, None if the code is wrong. Raises
    PermissionDenied if the account already has a factor and this session did not verify it.
    """
    user = request.user
    with transaction.atomic():
        # Lock the agent's row: two sessions enrolling at once must not both pass the check.
        locks.rows(User.objects.filter(pk=user.pk)).first()
        first_factor = not has_factor(user)
        if not first_factor and not session_verified(request):
            raise PermissionDenied
        if not device.verify_token(token):
            record(
                audit_actions.FACTOR_REFUSED,
                actor=user,
                target=user,
                request=request,
                data={"device": "totp", "step": "enrolment"},
            )
            return None
        replaced = list(TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk))
        for old in replaced:
            record(
                audit_actions.FACTOR_REMOVED,
                actor=user,
                target=user,
                request=request,
                data={"device": "totp", "device_id": old.pk, "why": "replaced"},
            )
            old.delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(
            audit_actions.FACTOR_ENROLLED,
            actor=user,
            target=user,
            request=request,
            data={"device": "totp", "device_id": device.pk, "first": first_factor},
        )
        codes = _issue_recovery_codes(user, request=request)
    request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
    if first_factor:
        # The first code of the new authenticator is the factor verified here; when a factor
        # existed, the session was already verified by it (checked above).
        otp_login(request, device)
    return codes


def _issue_recovery_codes(user: User, *, request=None) -> list[str]:
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="Codes de secours", confirmed=True)
    codes = []
    for _index in range(settings.RECOVERY_CODES_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=device.hash_code(code)) for code in codes
    )
    record(
        audit_actions.RECOVERY_CODES_ISSUED,
        actor=user,
        target=user,
        request=request,
        data={"count": len(codes)},
    )
    return codes


def regenerate_recovery_codes(request) -> list[str]:
    """New recovery codes (the old ones stop working), for a session verified with a factor."""
    if not session_verified(request):
        raise PermissionDenied
    with transaction.atomic():
        return _issue_recovery_codes(request.user, request=request)


def verify_second_factor(request, token: str) -> bool:
    """Verify a code of the agent's authenticator, or a recovery code; on success the session is
    verified. Guesses are throttled per device by django-otp (exponential back-off)."""
    user = request.user
    token = (token or "").strip()
    is_totp_code = token.isdigit() and len(token) == 6
    devices = (
        list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if is_totp_code
        else list(RecoveryCodeDevice.objects.filter(user=user, confirmed=True))
    )
    with transaction.atomic():
        device = next((d for d in devices if d.verify_token(token)), None)
        if device is None:
            record(
                audit_actions.FACTOR_REFUSED,
                actor=user,
                target=user,
                request=request,
                data={"device": "totp" if is_totp_code else "recovery_code"},
            )
            return False
        if isinstance(device, RecoveryCodeDevice):
            record(
                audit_actions.RECOVERY_CODE_USED,
                actor=user,
                target=user,
                request=request,
                data={"remaining": device.remaining()},
            )
        record(
            audit_actions.FACTOR_VERIFIED,
            actor=user,
            target=user,
            request=request,
            data={"device": "totp" if is_totp_code else "recovery_code"},
        )
    otp_login(request, device)
    return True


def reset_second_factor(agent: User, *, actor: User, request=None) -> int:
    """A platform administrator removes every factor of `agent` (lost phone and lost codes): the
    agent enrols again at the next sign-in. Returns the number of devices removed."""
    if not (actor.is_superuser or selectors.has_any_role(actor, [Role.PLATFORM_ADMIN])):
        raise PermissionDenied
    with transaction.atomic():
        totp = TOTPDevice.objects.filter(user=agent)
        recovery = RecoveryCodeDevice.objects.filter(user=agent)
        removed = totp.count() + recovery.count()
        totp.delete()
        recovery.delete()
        record(
            audit_actions.FACTOR_RESET,
            actor=actor,
            target=agent,
            request=request,
            data={"devices_removed": removed},
        )
    return removed


def secret_for_display(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()
