"""Every write about people: citizens' sign-in by SMS code, agents and their roles."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import locks
from guichet.accounts import audit_actions
from guichet.accounts.models import Membership, Organisation, Role, SignInCode, User
from guichet.audit.services import record
from guichet.notifications.services import notify
from guichet.phones import normalise_mobile, normalise_phone
from guichet.throttling import check_rate


def _hash_code(phone_number: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone_number}:{code}".encode(), hashlib.sha256).hexdigest()


def request_sign_in_code(raw_phone: str, *, ip_address: str | None, language: str = "fr") -> str:
    """Send a fresh one-time code by SMS; return the normalised number.

    Rate-limited (RateLimited is raised past a limit) per client across all numbers, per
    (number, client) with a short cool-down, and under a generous ceiling per number — so that a
    stranger asking codes for someone's number cannot block that person's own sign-in. Earlier
    codes for the number stop working, so only the last SMS received is valid.
    """
    phone_number = normalise_mobile(raw_phone)
    client = ip_address or "-"
    if ip_address:
        check_rate("sign-in-ip", ip_address, settings.OTP_REQUESTS_PER_IP_PER_HOUR, 3600)
    check_rate(
        "sign-in-phone-client",
        f"{phone_number}|{client}",
        settings.OTP_REQUESTS_PER_PHONE_AND_CLIENT,
        settings.OTP_PHONE_AND_CLIENT_WINDOW_SECONDS,
    )
    check_rate("sign-in-phone", phone_number, settings.OTP_REQUESTS_PER_PHONE_PER_HOUR, 3600)
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    with transaction.atomic():
        SignInCode.objects.filter(phone_number=phone_number, used_at__isnull=True).update(
            used_at=now
        )
        SignInCode.objects.create(
            phone_number=phone_number,
            code_hash=_hash_code(phone_number, code),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.OTP_CODE_TTL_SECONDS),
            requested_from=ip_address,
        )
        notify(
            phone=phone_number,
            template="accounts/sign_in_code",
            context={"code": code, "minutes": settings.OTP_CODE_TTL_SECONDS // 60},
            language=language,
        )
    return phone_number


class InvalidCode(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def verify_sign_in_code(
    raw_phone: str, code: str, *, ip_address: str | None = None, language: str = "fr"
) -> User:
    """Check a code; on success it is spent and the citizen's account exists (created if new)."""
    phone_number = normalise_mobile(raw_phone)
    code = (code or "").strip().replace(" ", "")
    if ip_address:
        check_rate("sign-in-verify-ip", ip_address, 60, 3600)
    # A wrong guess must be counted even though it ends in an error: decide inside the
    # transaction, raise after it has committed.
    refusal = None
    with transaction.atomic():
        challenge = locks.rows(
            SignInCode.objects.filter(phone_number=phone_number, used_at__isnull=True).order_by(
                "-created_at"
            )
        ).first()
        if challenge is None:
            refusal = _("Aucun code en attente pour ce numéro. Demandez un nouveau code.")
        elif challenge.expires_at <= timezone.now():
            challenge.used_at = timezone.now()
            challenge.save(update_fields=["used_at"])
            refusal = _("Ce code a expiré. Demandez un nouveau code.")
        elif not hmac.compare_digest(challenge.code_hash, _hash_code(phone_number, code)):
            challenge.failed_attempts += 1
            if challenge.failed_attempts >= settings.OTP_MAX_ATTEMPTS:
                challenge.used_at = timezone.now()
            challenge.save(update_fields=["failed_attempts", "used_at"])
            refusal = (
                _("Trop d'essais : ce code n'est plus valable. Demandez-en un nouveau.")
                if challenge.used_at
                else _("Code incorrect. Vérifiez le SMS reçu et réessayez.")
            )
            record(
                audit_actions.CITIZEN_CODE_REFUSED,
                target=User.objects.filter(phone_number=phone_number).first(),
                data={
                    "phone_number": phone_number,
                    "ip_address": ip_address,
                    "failed_attempts": challenge.failed_attempts,
                    "code_voided": challenge.used_at is not None,
                },
            )
        else:
            user = _spend_code_and_sign_in(challenge, phone_number, language)
    if refusal:
        raise InvalidCode(refusal)
    return user


def _spend_code_and_sign_in(challenge: SignInCode, phone_number: str, language: str) -> User:
    challenge.used_at = timezone.now()
    challenge.save(update_fields=["used_at"])
    user, created = User.objects.get_or_create(
        phone_number=phone_number,
        defaults={
            "username": phone_number,
            "kind": User.Kind.CITIZEN,
            "preferred_language": language,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    record(audit_actions.CITIZEN_SIGNED_IN, actor=user, target=user, data={"new_account": created})
    return user


def create_agent(
    *,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone_number: str | None = None,
    actor: User | None = None,
) -> User:
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone_number=normalise_phone(phone_number) if phone_number else None,
            kind=User.Kind.AGENT,
        )
        record(audit_actions.AGENT_CREATED, actor=actor, target=user)
    return user


def grant_role(
    user: User, role_code: str, org_code: str, *, actor: User | None = None
) -> Membership:
    with transaction.atomic():
        organisation = Organisation.objects.get(code=org_code)
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=Role.objects.get(code=role_code)
        )
        if created:
            record(
                audit_actions.ROLE_GRANTED,
                actor=actor,
                organisation=organisation,
                target=user,
                data={"role": role_code, "organisation": org_code},
            )
    return membership
