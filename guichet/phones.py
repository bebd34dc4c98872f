"""Phone numbers as citizens type them and gateways send them, normalised to E.164 (+227XXXXXXXX).

One place for every app: sign-in, notifications, complaints, alerts.
"""

from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIGER = "NE"
NIGER_COUNTRY_CODE = 227


# A request often normalises the same number twice (a filing: its contact, then its SMS notice);
# phonenumbers' parsing and validation cost more than the rest of either. Only valid numbers are
# kept (an exception is never cached), a few thousand per process.
@lru_cache(maxsize=4096)
def normalise_phone(raw: str, *, niger_only: bool = True) -> str:
    """E.164 for a number written any usual way: "90 12 34 56", "+227 90 12 34 56",
    "0022790123456", or "22790123456" as gateways send it. Raises ValidationError in French.

    `niger_only=False` accepts any valid number (a gateway may relay a foreign sender).
    """
    value = (raw or "").strip().replace(" ", "").replace(".", "").replace("-", "")
    if value.startswith("00"):
        value = "+" + value[2:]
    elif value.isdigit() and len(value) > 8:
        value = "+" + value
    try:
        number = phonenumbers.parse(value, NIGER)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("Numéro de téléphone illisible. Exemple : 90 12 34 56 ou +227 90 12 34 56."),
            code="unreadable",
        ) from error
    if niger_only and number.country_code != NIGER_COUNTRY_CODE:
        raise ValidationError(
            _("Ce numéro n'est pas un numéro du Niger valide (+227 suivi de 8 chiffres)."),
            code="invalid",
        )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Ce numéro n'est pas un numéro du Niger valide (+227 suivi de 8 chiffres).")
            if number.country_code == NIGER_COUNTRY_CODE
            else _("Numéro de téléphone invalide : %(raw)s") % {"raw": raw},
            code="invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# What can receive an SMS: phonenumbers tells a Niger fixed line (20 XX XX XX) from a mobile.
_RECEIVES_SMS = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


@lru_cache(maxsize=4096)
def normalise_mobile(raw: str) -> str:
    """`normalise_phone` for a number that must receive SMS (sign-in codes, SMS alerts): a fixed
    line, to which the code would never arrive, is refused in French."""
    value = normalise_phone(raw)
    if phonenumbers.number_type(phonenumbers.parse(value)) not in _RECEIVES_SMS:
        raise ValidationError(
            _(
                "Ce numéro est une ligne fixe : il ne peut pas recevoir de SMS. Indiquez un "
                "numéro de mobile, par exemple 90 12 34 56."
            ),
            code="fixed_line",
        )
    return value
