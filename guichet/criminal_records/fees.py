"""The extract's fee paid by mobile money (guichet.payments), or by fiscal stamp, or at the
court's counter. Fiscal stamps of 1 000 + 150 F CFA; 5 000 + 1 500 F CFA for persons born abroad
(demarches.gouv.ne, « Casier judiciaire »; per court: CourtOffice)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from guichet import locks
from guichet.audit.services import record
from guichet.criminal_records.models import BulletinRequest
from guichet.payments import services as payments
from guichet.payments.models import Payment

PURPOSE = "criminal_records.request"


def start_online_payment(*, user, bulletin_request: BulletinRequest) -> Payment:
    """The requester pays the fee of their own request by mobile money."""
    if bulletin_request.requester_id != user.pk:
        raise PermissionDenied
    if bulletin_request.payment_method != BulletinRequest.PaymentMethod.MOBILE_MONEY:
        raise ValidationError(_("Cette demande n'est pas payée par paiement mobile."))
    if bulletin_request.payment_checked:
        raise ValidationError(_("Le paiement de cette demande est déjà enregistré."))
    if bulletin_request.status in (BulletinRequest.Status.ISSUED, BulletinRequest.Status.REJECTED):
        raise ValidationError(_("Cette demande est close."))
    site = settings.SITE_URL
    return payments.start_payment(
        purpose=PURPOSE,
        subject=bulletin_request.reference,
        amount=bulletin_request.fee_amount,
        description=_("Extrait de casier judiciaire %(ref)s") % {"ref": bulletin_request.reference},
        notify_url=site + reverse("payments:notify", args=[settings.PAYMENT_PROVIDER]),
        return_url=reverse("criminal_records:my_request", args=[bulletin_request.reference]),
        phone=bulletin_request.phone,
        actor=user,
    )


def payment_of(bulletin_request: BulletinRequest) -> Payment | None:
    return (
        Payment.objects.filter(purpose=PURPOSE, subject=bulletin_request.reference)
        .exclude(status=Payment.Status.FAILED)
        .first()
    )


@payments.on_paid(PURPOSE)
def fee_paid(payment: Payment) -> None:
    """The provider confirmed the payment (verified callback, amount and currency checked): the
    clerk has nothing left to check for it."""
    item = locks.rows(BulletinRequest.objects.filter(reference=payment.subject)).first()
    if item is None or item.payment_checked:
        return
    if payment.amount != item.fee_amount:
        return  # a fee changed since: the clerk checks by hand
    item.payment_checked = True
    item.payment_reference = payment.operator_reference or payment.reference
    item.save(update_fields=["payment_checked", "payment_reference"])
    record(
        "criminal_records.request.paid_online",
        organisation=item.court,
        target=item,
        data={"payment": payment.reference, "provider": payment.provider},
    )
