"""Following a request from a basic phone: "CASIER CJ-1A2B3C4D" by SMS.

Only the phone that filed the request gets an answer about it: a reference alone reveals
nothing to anyone else (the same reply as for an unknown reference)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.criminal_records.models import BulletinRequest, normalise_reference
from guichet.notifications.channels import sms_command


@sms_command("CASIER")
def request_status(phone: str, text: str) -> str:
    typed = text.strip()
    if not typed:
        return _("Envoyez CASIER suivi de la référence de votre demande (ex. CASIER CJ-1A2B3C4D).")
    reference = normalise_reference(typed)
    item = (
        BulletinRequest.objects.select_related("court")
        .filter(reference=reference, phone=phone)
        .first()
        if reference
        else None
    )
    if item is None:
        # What was typed, cut: the reply must stay one SMS.
        return _("Aucune demande %(ref)s pour ce numéro.") % {"ref": reference or typed[:20]}
    reply = _("Demande %(ref)s (%(court)s) : %(status)s.") % {
        "ref": item.reference,
        "court": item.court.short_name or item.court.name,
        "status": item.get_status_display(),
    }
    bulletin = (
        getattr(item, "bulletin", None) if item.status == BulletinRequest.Status.ISSUED else None
    )
    if bulletin is not None and bulletin.revoked_at:
        reply += " " + _("Extrait révoqué le %(d)s : il ne vaut plus. Voyez le greffe.") % {
            "d": f"{timezone.localdate(bulletin.revoked_at):%d/%m/%Y}"
        }
    elif item.status == BulletinRequest.Status.ISSUED:
        url = settings.SITE_URL + reverse("criminal_records:my_request", args=[item.reference])
        reply += " " + _("Téléchargez l'extrait : %(url)s") % {"url": url}
    elif item.clerk_note:
        reply += f" {item.clerk_note}"
    return reply
