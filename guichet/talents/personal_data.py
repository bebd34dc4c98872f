"""The EIG programme in the platform's retention job and « Mes données » (law n° 2022-59): the
rules are talents/privacy.py's; this module only registers them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts import data_access, retention
from guichet.talents import privacy, selectors
from guichet.talents.services import Actions


def purge_candidates(cutoff, dry_run: bool) -> int:
    if dry_run:
        return privacy.expired_candidates(cutoff).count()
    return privacy.erase_expired(cutoff)


KINDS = [
    retention.RetentionKind(
        code="talents.candidates",
        label=gettext_lazy("Candidatures au programme EIG non retenues"),
        setting="TALENTS_RETENTION_DAYS",
        reason=gettext_lazy(
            "Deux ans après la clôture de l'appel, le temps d'une candidature à la promotion "
            "suivante ; les membres d'une promotion gardent leur trace publique."
        ),
        purge=purge_candidates,
        audit_action=Actions.RETENTION_PURGED,
    )
]


def _flatten(value) -> object:
    if isinstance(value, dict):
        return [f"{key} : {_flatten(item)}" for key, item in value.items()]
    if isinstance(value, list):
        return [_flatten(item) for item in value]
    return value


def collect(user) -> list[data_access.Entry]:
    candidate = selectors.candidate_of(user)
    if candidate is None:
        return []
    data = selectors.personal_data(candidate)
    entries = [data_access.Entry(_("Profil EIG"), list(data["profil"].items()))]
    for application in data["candidatures"]:
        entries.append(
            data_access.Entry(
                _("Candidature %(promotion)s") % {"promotion": application["promotion"]},
                [(key, _flatten(value)) for key, value in application.items()],
            )
        )
    return entries


def erase(user) -> data_access.Erasure:
    outcome = data_access.Erasure()
    candidate = selectors.candidate_of(user)
    if candidate is None:
        return outcome
    try:
        privacy.erase_candidate(candidate, actor=user, reason=_("demande d'effacement"))
    except ValidationError as refused:
        outcome.kept.append((_("Votre candidature au programme EIG"), " ".join(refused.messages)))
    else:
        outcome.erased.append(_("Votre candidature au programme EIG a été effacée."))
    return outcome


SECTION = data_access.AccessSection(
    code="talents",
    title=gettext_lazy("Programme EIG"),
    collect=collect,
    erase=erase,
    order=50,
)
