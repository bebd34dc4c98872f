"""Writes to the legal parameters of rules.py (split from services.py by topic).

A platform administrator enters a new version of a parameter — a delay, a threshold, or the
switch of a rule not confirmed for Niger — with a reason and an effective date. The date is at the
earliest tomorrow: no version ever applies to a day already past or begun, so every bulletin
« as of » a date already reached stays what it was. Versions are never changed nor deleted.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Role
from guichet.accounts.selectors import has_role
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.criminal_records import rule_parameters
from guichet.criminal_records.models import RuleParameter


def may_change_parameters(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or has_role(user, Role.PLATFORM_ADMIN))
    )


def validate_rule_parameter(
    *, key: str, value: int, effective_from: dt.date | None, reason: str
) -> None:
    """Raise ValidationError (in French) unless this version may be entered."""
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Indiquez le motif : le texte, la décision ou la justification.")}
        )
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError({"value": _("La valeur doit être un nombre entier.")})
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    if effective_from is None or effective_from < tomorrow:
        raise ValidationError(
            {
                "effective_from": _(
                    "Une modification s'applique au plus tôt le lendemain (%(date)s) : les "
                    "bulletins déjà calculés pour une date passée ne doivent pas changer."
                )
                % {"date": f"{tomorrow:%d/%m/%Y}"}
            }
        )
    errors = rule_parameters.validation_errors(
        key, value, rule_parameters.load_parameters(effective_from)
    )
    if errors:
        raise ValidationError({"value": errors})


@transaction.atomic
def set_rule_parameter(
    *,
    actor,
    key: str,
    value: int,
    effective_from: dt.date,
    reason: str,
    request=None,
) -> RuleParameter:
    """Add a version of parameter `key`, in force from `effective_from` (tomorrow at the earliest)."""
    if not may_change_parameters(actor):
        raise PermissionDenied(_("Seul un administrateur de la plateforme modifie les règles."))
    validate_rule_parameter(key=key, value=value, effective_from=effective_from, reason=reason)
    reason = reason.strip()
    before = rule_parameters.load_parameters(effective_from)[key]
    version = RuleParameter.objects.create(
        key=key, value=value, effective_from=effective_from, reason=reason, created_by=actor
    )
    parameter = rule_parameters.PARAMETERS[key]
    record(
        audit_actions.CriminalRecords.RULE_PARAMETER_CHANGED,
        actor=actor,
        target=version,
        reason=reason,
        request=request,
        data={
            "key": key,
            "before": before,
            "after": value,
            "effective_from": effective_from.isoformat(),
            "article": parameter.article,
            "confirmed_for_niger": parameter.confirmed_for_niger,
        },
    )
    return version
