"""A clerk gives its legal nature to a penalty still recorded as « autre mesure » (split from
services.py by topic). The penalty keeps its text; the change is audited with both values."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guichet import locks
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.criminal_records.models import Penalty
from guichet.criminal_records.services import ensure_can_write, person_court

QUALIFYING_FIELDS = ["kind", "subkind", "years", "months", "days"]


@transaction.atomic
def qualify_penalty(*, actor, penalty: Penalty, spec: dict, reason: str, request=None) -> Penalty:
    """`spec`: kind (not « other ») and, as the decision pronounced it, subkind/years/months/days."""
    penalty = locks.rows(Penalty.objects.select_related("conviction__person")).get(pk=penalty.pk)
    ensure_can_write(actor, penalty.conviction.person)
    if penalty.kind != Penalty.Kind.OTHER:
        raise ValidationError(_("Cette peine est déjà qualifiée."))
    if not (reason or "").strip():
        raise ValidationError(_("Citez la décision lue pour qualifier la peine."))
    if (
        spec.get("kind") in (None, "", Penalty.Kind.OTHER)
        or spec["kind"] not in Penalty.Kind.values
    ):
        raise ValidationError(_("Choisissez la nature légale de la peine."))
    before = {name: getattr(penalty, name) for name in QUALIFYING_FIELDS}
    for name in QUALIFYING_FIELDS:
        setattr(penalty, name, spec.get(name) or ("" if name == "subkind" else None))
    penalty.full_clean()
    penalty.save()
    record(
        audit_actions.CriminalRecords.PENALTY_QUALIFIED,
        actor=actor,
        organisation=person_court(penalty.conviction.person),
        target=penalty.conviction,
        reason=reason.strip(),
        request=request,
        data={
            "penalty": penalty.pk,
            "text": penalty.description,
            "before": before,
            "after": {name: getattr(penalty, name) for name in QUALIFYING_FIELDS},
        },
    )
    return penalty
