"""The parameters of rules.py: every delay, threshold and switch of a rule, with its source,
its legal bounds and its versions in time.

A value applies from its effective date: `load_parameters(on)` gives the values in force on `on`,
so « bulletin n°2 as of 2019-01-01 » is computed with the 2019 values, whatever an administrator
changes afterwards. A change is a new version (model RuleParameter) entered through
services.set_rule_parameter, effective at the earliest the next day, with a reason and an audit
entry; versions are never edited nor deleted.

Every rule that is not confirmed for Niger has a switch `rule_<code>` (1 = applied, 0 = off),
changed the same way by a platform administrator.

`rules_version(on)` names the set of values in force on a date; the PDF of a bulletin prints it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

# Bump when the code of rules.py changes what a bulletin shows (a rule added, fixed or removed);
# the docs (docs/criminal_records.md, « Historique ») say what each revision changed.
RULESET_REVISION = "2026.12.4"


@dataclass(frozen=True)
class Parameter:
    key: str
    default: int
    article: str
    confirmed_for_niger: bool
    description: str
    minimum: int
    maximum: int


def _switch(code: str, article: str, what: str) -> Parameter:
    return Parameter(
        f"rule_{code}",
        1,
        article,
        False,
        f"1 : la règle « {what} » s'applique ; 0 : désactivée (règle non confirmée pour le Niger).",
        0,
        1,
    )


_NOT_CONFIRMED_FR = "droit français de 1959 — non confirmé pour le Niger"

PARAMETERS: dict[str, Parameter] = {
    p.key: p
    for p in [
        Parameter(
            "contravention_prison_days",
            10,
            "CPP Niger art. 706-719 (demarches.gouv.ne)",
            True,
            "Une contravention n'est inscrite que si l'emprisonnement dépasse ce nombre de jours.",
            1,
            60,
        ),
        Parameter(
            "contravention_fine",
            50_000,
            "CPP Niger art. 706-719 (demarches.gouv.ne)",
            True,
            "… ou si l'amende dépasse ce montant (F CFA).",
            1,
            10_000_000,
        ),
        Parameter(
            "b3_prison_days",
            730,
            "CPP français 1959 art. 777 — non confirmé pour le Niger",
            False,
            "Le bulletin n°3 ne porte l'emprisonnement correctionnel ferme que s'il dépasse cette "
            "durée (jours), sauf mention ordonnée par la juridiction.",
            0,
            3650,
        ),
        Parameter(
            "suspension_probation_years",
            5,
            "Loi du 26 mars 1891 (sursis), CPP français 1959 art. 735 — non confirmé",
            False,
            "Délai après lequel une condamnation avec sursis simple non révoqué est non avenue.",
            1,
            10,
        ),
        Parameter(
            "rehabilitation_fine_years",
            5,
            f"Réhabilitation de plein droit, {_NOT_CONFIRMED_FR}",
            False,
            "Délai après le paiement d'une amende (ou l'exécution d'une autre peine non privative).",
            1,
            20,
        ),
        Parameter(
            "rehabilitation_short_prison_years",
            10,
            f"Réhabilitation de plein droit, {_NOT_CONFIRMED_FR}",
            False,
            "Délai après l'exécution d'un emprisonnement ferme court (voir short_prison_days).",
            1,
            30,
        ),
        Parameter(
            "short_prison_days",
            180,
            f"Réhabilitation de plein droit, {_NOT_CONFIRMED_FR}",
            False,
            "Durée maximale (jours) d'un emprisonnement « court ».",
            1,
            3650,
        ),
        Parameter(
            "rehabilitation_medium_prison_years",
            15,
            f"Réhabilitation de plein droit, {_NOT_CONFIRMED_FR}",
            False,
            "Délai après l'exécution d'un emprisonnement ferme moyen (voir medium_prison_days).",
            1,
            40,
        ),
        Parameter(
            "medium_prison_days",
            730,
            f"Réhabilitation de plein droit, {_NOT_CONFIRMED_FR}",
            False,
            "Au-delà de cette durée (jours), seule la réhabilitation judiciaire est possible.",
            1,
            7300,
        ),
        Parameter(
            "penal_majority_age",
            18,
            "Majorité pénale (Code pénal du Niger ; ord. n° 99-11 sur les mineurs) — article "
            "non confirmé",
            False,
            "Âge en dessous duquel les décisions ne figurent ni au n°2 ni au n°3 (13 à 21 ans).",
            13,
            21,
        ),
        Parameter(
            "non_final_on_b2_b3",
            0,
            "Aucun texte confirmé : présomption d'innocence tant que la décision n'est pas définitive",
            False,
            "1 : une décision non définitive figure aux n°2 et n°3 ; 0 : seulement au n°1.",
            0,
            1,
        ),
        Parameter(
            "show_b1_consultations",
            0,
            "Secret de l'enquête et de l'instruction (CPP art. 11, numérotation non confirmée)",
            False,
            "1 : la personne voit aussi les demandes de bulletin n°1 des autorités judiciaires.",
            0,
            1,
        ),
        # One switch per rule not confirmed for Niger (rules.RULES; a test checks the list).
        _switch("amnesty", "CPP français 1959 art. 769 — non confirmé", "amnistie"),
        _switch("removed_by_decision", "CPP français 1959 art. 769, 778 — non confirmé", "retrait"),
        _switch("minor", "CPP français 1959 art. 775-1°, 777 — non confirmé", "mineurs"),
        _switch(
            "contravention_b2", "CPP français 1959 art. 775 — non confirmé", "contraventions au n°2"
        ),
        _switch("rehabilitated", "Réhabilitation, " + _NOT_CONFIRMED_FR, "réhabilitation"),
        _switch("suspension_lapsed", "CPP français 1959 art. 735, 745 — non confirmé", "sursis"),
        _switch("not_final", "Aucun texte confirmé", "décision non définitive"),
        _switch("b3_serious_only", "CPP français 1959 art. 777 — non confirmé", "contenu du n°3"),
    ]
}


def load_parameters(on: dt.date | None = None) -> dict[str, int]:
    """The values in force on `on` (default: today): each key's latest version whose effective
    date is on or before `on`, else its default."""
    from django.utils import timezone

    from guichet.criminal_records.models import RuleParameter

    on = on or timezone.localdate()
    values = {key: p.default for key, p in PARAMETERS.items()}
    rows = (
        RuleParameter.objects.filter(key__in=values.keys(), effective_from__lte=on)
        .order_by("key", "effective_from", "pk")
        .values_list("key", "value")
    )
    for key, value in rows:
        values[key] = value
    return values


def rules_version(params: dict[str, int]) -> str:
    """« R2026.12-1a2b3c4d »: the revision of rules.py and a digest of the values applied."""
    digest = hashlib.sha256(
        json.dumps(sorted(params.items()), separators=(",", ":")).encode()
    ).hexdigest()
    return f"R{RULESET_REVISION}-{digest[:8]}"


def validation_errors(key: str, value: int, in_force: dict[str, int]) -> list[str]:
    """Why `value` cannot be `key` (empty: acceptable), in French, for the administrator."""
    from django.utils.translation import gettext as _

    parameter = PARAMETERS.get(key)
    if parameter is None:
        return [_("Paramètre inconnu : %(key)s.") % {"key": key}]
    if not parameter.minimum <= value <= parameter.maximum:
        return [
            _("%(key)s doit être compris entre %(min)s et %(max)s (reçu : %(value)s).")
            % {"key": key, "min": parameter.minimum, "max": parameter.maximum, "value": value}
        ]
    values = in_force | {key: value}
    if values["short_prison_days"] > values["medium_prison_days"]:
        return [_("short_prison_days ne peut dépasser medium_prison_days.")]
    if values["rehabilitation_short_prison_years"] > values["rehabilitation_medium_prison_years"]:
        return [
            _(
                "Le délai après un emprisonnement court ne peut dépasser celui après un "
                "emprisonnement moyen."
            )
        ]
    return []
