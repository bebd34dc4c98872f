"""Alerts: saved searches, and the message each owner receives when a newly published text
matches theirs.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.gazette import search
from guichet.gazette.models import SavedSearch
from guichet.gazette.services import GazetteError


def normalise_phone(value: str) -> str:
    """A Niger mobile number as typed ("90 12 34 56", "+227…") → E.164, or a French error (the
    alert is an SMS: a fixed line is refused)."""
    from django.core.exceptions import ValidationError

    from guichet.phones import normalise_mobile as normalise

    try:
        return normalise(value)
    except ValidationError as error:
        raise GazetteError(error.messages[0]) from None


@transaction.atomic
def save_search(
    *, query: str, doctype: str = "", authority: str = "", email: str = "", phone: str = ""
) -> SavedSearch:
    if not email and not phone:
        raise GazetteError(_("Indiquez un courriel ou un numéro de téléphone."))
    if phone:
        phone = normalise_phone(phone)
    saved = SavedSearch.objects.create(
        query=query.strip(),
        doctype=doctype,
        authority=authority.upper(),
        email=email,
        phone=phone,
        token=secrets.token_urlsafe(24),
    )
    record(audit_actions.Gazette.ALERT_CREATED, target=saved, data={"query": saved.query})
    return saved


@transaction.atomic
def cancel_search(token: str) -> bool:
    updated = SavedSearch.objects.filter(token=token, active=True).update(active=False)
    return bool(updated)


def send_alerts(work_ids: list[int]) -> int:
    """Tell each saved search's owner about the newly published texts it matches."""
    from guichet.notifications.services import notify

    sent = 0
    for saved in SavedSearch.objects.filter(active=True):
        filters = search.Filters(doctype=saved.doctype, authority=saved.authority)
        results = search.search(saved.query, filters, limit=1000, using="default")
        matched = [hit for hit in results.hits if hit.work_id in set(work_ids)]
        if not matched:
            continue
        notify(
            phone=saved.phone or None,
            email=saved.email or None,
            template="gazette/alert",
            context={
                "query": saved.query,
                "texts": [{"label": f"{h.number} — {h.title}", "uri": h.uri} for h in matched],
                "count": len(matched),
                "token": saved.token,
                "site_url": getattr(settings, "SITE_URL", ""),
            },
        )
        sent += 1
    return sent
