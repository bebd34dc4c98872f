"""The platform's own personal data (law n° 2022-59): sign-in codes and the SMS the platform sent
or received. Their retention kinds and the « Mes données » section « Compte et messages ».

Registered from AccountsConfig.ready(). Notifications sits below accounts in the layers, so its
records are handled here rather than registering themselves.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from guichet.accounts import audit_actions, data_access, retention
from guichet.accounts.models import SignInCode
from guichet.audit.actions import Notifications
from guichet.notifications.models import InboundMessage, Message, UssdSession

SIGN_IN_TEMPLATE = "accounts/sign_in_code"
MASK = "•"
_DIGIT_RUNS = re.compile(r"\d{4,}")


def masked_address(value: str) -> str:
    """« +227••••••56 », « •••@example.ne »: enough to tell one's own number, not to call it."""
    if not value or MASK in value:
        return value
    if "@" in value:
        return MASK * 3 + value[value.index("@") :]
    return value[:4] + MASK * max(len(value) - 6, 0) + value[-2:]


def masked_codes(text: str) -> str:
    """A sign-in SMS as the citizen may see it again: the code itself hidden."""
    return _DIGIT_RUNS.sub(lambda match: MASK * len(match.group()), text)


# --- Retention ------------------------------------------------------------------------------------

UNSENT = (Message.Status.QUEUED, Message.Status.SENDING, Message.Status.FAILED)


def _erase_texts(messages, **also) -> int:
    """Blank the messages' texts. One not sent yet is closed as failed for good first: the retry
    job (notifications.services.requeue) would otherwise send an empty SMS."""
    messages.filter(status__in=UNSENT).update(
        status=Message.Status.FAILED, retryable=False, last_error="retention: text erased"
    )
    return messages.update(body="", subject="", attachments=[], **also)


def purge_sign_in_codes(cutoff, dry_run: bool) -> int:
    expired = SignInCode.objects.filter(created_at__lt=cutoff)
    if dry_run:
        return expired.count()
    deleted, _detail = expired.delete()
    return deleted


def purge_sign_in_sms(cutoff, dry_run: bool) -> int:
    expired = Message.objects.filter(template=SIGN_IN_TEMPLATE, created_at__lt=cutoff).exclude(
        body=""
    )
    return expired.count() if dry_run else _erase_texts(expired)


def purge_messages(cutoff, dry_run: bool) -> int:
    """Outgoing messages lose their text and their recipient's number (masked); the template,
    the parts, the status and the dates stay for the statistics and the costs. Incoming SMS lose
    their text and sender; USSD sessions are deleted."""
    outgoing = Message.objects.filter(created_at__lt=cutoff).exclude(recipient__contains=MASK)
    incoming = InboundMessage.objects.filter(received_at__lt=cutoff).exclude(sender__contains=MASK)
    sessions = UssdSession.objects.filter(updated_at__lt=cutoff)
    if dry_run:
        return outgoing.count() + incoming.count() + sessions.count()
    count = 0
    for message in outgoing.only("pk", "recipient").iterator():
        _erase_texts(
            Message.objects.filter(pk=message.pk), recipient=masked_address(message.recipient)
        )
        count += 1
    for inbound in incoming.only("pk", "sender").iterator():
        InboundMessage.objects.filter(pk=inbound.pk).update(
            sender=masked_address(inbound.sender) or MASK, text=""
        )
        count += 1
    deleted, _detail = sessions.delete()
    return count + deleted


KINDS = [
    retention.RetentionKind(
        code="accounts.sign_in_codes",
        label=gettext_lazy("Demandes de code de connexion (numéro, adresse IP, tentatives)"),
        setting="SIGN_IN_CODES_RETENTION_DAYS",
        reason=gettext_lazy(
            "Un code ne sert que quelques minutes ; l'historique des demandes sert seulement à "
            "détecter les abus (limites de fréquence, enquêtes de sécurité)."
        ),
        purge=purge_sign_in_codes,
        audit_action=audit_actions.RETENTION_PURGED,
    ),
    retention.RetentionKind(
        code="notifications.sign_in_sms",
        label=gettext_lazy("Texte des SMS de code de connexion"),
        setting="SIGN_IN_SMS_RETENTION_DAYS",
        reason=gettext_lazy(
            "Le texte contient le code : il n'a plus d'usage une fois le code expiré ; l'envoi "
            "lui-même (date, statut) reste pour les statistiques."
        ),
        purge=purge_sign_in_sms,
        audit_action=Notifications.RETENTION_PURGED,
    ),
    retention.RetentionKind(
        code="notifications.messages",
        label=gettext_lazy(
            "Texte et destinataire des SMS et courriels envoyés, SMS et sessions USSD reçus"
        ),
        setting="MESSAGES_RETENTION_DAYS",
        reason=gettext_lazy(
            "Preuve d'envoi en cas de contestation d'une notification pendant six mois ; ensuite "
            "seuls le modèle, le nombre de parties et le statut restent (coûts, statistiques)."
        ),
        purge=purge_messages,
        audit_action=Notifications.RETENTION_PURGED,
    ),
]


# --- Right of access and erasure ------------------------------------------------------------------


def _messages_to(phone: str):
    return Message.objects.filter(recipient=phone).order_by("-created_at")


def collect(user) -> list[data_access.Entry]:
    phone = user.phone_number
    entries = [
        data_access.Entry(
            _("Compte"),
            [
                (_("Numéro de téléphone"), phone),
                (_("Langue"), user.preferred_language),
                (_("Compte créé le"), user.date_joined),
                (_("Dernière connexion"), user.last_login),
            ],
        )
    ]
    for code in SignInCode.objects.filter(phone_number=phone):
        entries.append(
            data_access.Entry(
                _("Demande de code de connexion"),
                [
                    (_("Demandé le"), code.created_at),
                    (_("Utilisé le"), code.used_at),
                    (_("Essais refusés"), code.failed_attempts),
                    (_("Adresse IP"), code.requested_from),
                ],
            )
        )
    for message in _messages_to(phone):
        body = masked_codes(message.body) if message.template == SIGN_IN_TEMPLATE else message.body
        entries.append(
            data_access.Entry(
                _("Message envoyé (%(channel)s)") % {"channel": message.get_channel_display()},
                [
                    (_("Le"), message.created_at),
                    (_("Statut"), message.get_status_display()),
                    (_("Texte"), body or _("(effacé : durée de conservation écoulée)")),
                ],
            )
        )
    for inbound in InboundMessage.objects.filter(sender=phone).order_by("-received_at"):
        entries.append(
            data_access.Entry(
                _("SMS reçu de vous"),
                [(_("Le"), inbound.received_at), (_("Texte"), inbound.text)],
            )
        )
    return entries


def erase(user) -> data_access.Erasure:
    phone = user.phone_number
    SignInCode.objects.filter(phone_number=phone).delete()
    texts = _erase_texts(_messages_to(phone).exclude(body=""))
    inbound = InboundMessage.objects.filter(sender=phone).exclude(text="").update(text="")
    UssdSession.objects.filter(phone_number=phone).delete()
    outcome = data_access.Erasure()
    outcome.erased.append(_("Historique de connexion effacé."))
    outcome.erased.append(
        ngettext(
            "Texte de %(count)d message effacé.",
            "Texte de %(count)d messages effacés.",
            texts + inbound,
        )
        % {"count": texts + inbound}
    )
    outcome.kept.append(
        (
            _("Votre compte (numéro de téléphone)"),
            _(
                "Il vous permet de vous connecter et de suivre vos démarches ; les demandes de "
                "bulletin qui y sont liées sont conservées selon le code de procédure pénale."
            ),
        )
    )
    return outcome


SECTION = data_access.AccessSection(
    code="accounts",
    title=gettext_lazy("Compte et messages"),
    collect=collect,
    erase=erase,
    order=10,
)
