"""The arguments of GeoReport v2's POST Service Request, as one table read by the view and
written into the OpenAPI document (schema.py): what the document declares is what the view
checks, so a request valid by the document is filed (or answered 403/404/429 for a key, a code or
a rate) and an invalid one is refused with 400 and a French message naming the field. The one
exception depends on data: an address_id whose commune is not in the attribute[region] given
beside it is a 400 the document cannot state (docs/complaints.md).

Every value is read stripped of surrounding whitespace; a blank optional value is not given. The
patterns use Python's `re` (`\\s` is Unicode whitespace, what `str.strip()` removes) and never let
NUL through (the edge refuses it, guichet.request_text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.complaints.services import MAX_DESCRIPTION, MIN_DESCRIPTION
from guichet.phones import NIGER, NIGER_COUNTRY_CODE

_BLANK = r"\s*"


def _optional(body: str) -> str:
    """Blank, or `body` with whitespace around it."""
    return rf"^\s*(?:{body})?\s*$"


def _given(body: str) -> str:
    return rf"^\s*(?:{body})\s*$"


# Decimal degrees (WGS84), no exponent. The ranges are those of complaints.services._clean_place
# (Niger and a margin around it: latitude 11 to 24.5, longitude -0.5 to 16.5), written as
# digits so that the document can say them: a point outside is refused with 400 either way.
LATITUDE = r"\+?(?:(?:1[1-9]|2[0-3])(?:\.[0-9]+)?|24(?:\.[0-4][0-9]*|\.50*)?)"
LONGITUDE = (
    r"\+?(?:(?:[0-9]|1[0-5])(?:\.[0-9]+)?|16(?:\.[0-4][0-9]*|\.50*)?)"
    r"|-0(?:\.[0-4][0-9]*|\.50*)?"
)


def _with_separators(regex: str) -> str:
    """`regex` (digits, `\\d`, classes, groups, `{n}`) where spaces, dots and dashes may come
    before any digit, as guichet.phones.normalise_phone removes them; `\\d` becomes ASCII."""
    separator = r"[ .-]*"
    out, i = [], 0
    while i < len(regex):
        if regex[i] == "{":  # a group's quantifier, copied as it is
            end = regex.index("}", i) + 1
            out.append(regex[i:end])
            i = end
            continue
        if regex.startswith(r"\d", i):
            atom, i = "[0-9]", i + 2
        elif regex[i] == "[":
            end = regex.index("]", i) + 1
            atom, i = regex[i:end], end
        elif regex[i].isdigit() or regex.startswith(r"\+", i):
            step = 2 if regex[i] == "\\" else 1
            atom, i = regex[i : i + step], i + step
        else:
            out.append(regex[i])
            i += 1
            continue
        quantifier = re.match(r"\{\d+(?:,\d*)?\}", regex[i:])
        if quantifier:
            out.append(f"(?:{separator}{atom}){quantifier.group()}")
            i += quantifier.end()
        else:
            out.append(separator + atom)
    return "".join(out)


def _niger_phone() -> str:
    # The numbers phonenumbers holds valid in Niger (mobile and fixed lines), with or without
    # +227/00227/227, as normalise_phone reads them; other forms it reads (letters, brackets)
    # are refused here.
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(NIGER)
    national = "|".join(
        kind.national_number_pattern for kind in (metadata.mobile, metadata.fixed_line)
    )
    return _with_separators(rf"(?:(?:\+|00)?{NIGER_COUNTRY_CODE})?(?:{national})") + "[ .-]*"


# A subset of what Django's EmailValidator accepts (dot-atom local part, a domain of labels).
EMAIL = (
    r"[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
)
# A subset of what URLValidator(schemes=["http", "https"]) accepts: a host name of at most three
# labels and a top-level domain (253 characters at most), a port, a path of printable ASCII.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
MEDIA_URL = (
    rf"[hH][tT][tT][pP][sS]?://{_LABEL}(?:\.{_LABEL}){{0,2}}\.[A-Za-z]{{2,24}}"
    r"(?::[0-9]{1,5})?(?:[/?#][!-~]*)?"
)
# GeoReport v2: the description is free text; ours is 10 to 4,000 characters (services.py).
DESCRIPTION = rf"[^\s\x00](?:[^\x00]{{{MIN_DESCRIPTION - 2},}}[^\s\x00])"
ANY_TEXT = r"^[^\x00]*$"
NOT_BLANK = r"^\s*[^\s\x00][^\x00]*$"
REGION = "NE-[1-8]"  # ISO 3166-2:NE


_LONGITUDE_MESSAGE = gettext_lazy(
    "%(name)s doit être une longitude décimale au Niger (de -0,5 à 16,5)."
)


@dataclass(frozen=True)
class Argument:
    name: str
    max_length: int
    pattern: str
    message: str  # French, said when the value is not as the pattern wants (%(name)s: its name)

    def schema(self) -> dict:
        return {"type": "string", "maxLength": self.max_length, "pattern": self.pattern}


def _text(name: str, max_length: int) -> Argument:
    return Argument(name, max_length, ANY_TEXT, "")


ARGUMENTS = {
    argument.name: argument
    for argument in (
        Argument(
            "api_key",
            200,
            NOT_BLANK,
            gettext_lazy("api_key manquante : demandez une clé à l'administrateur."),
        ),
        _text("jurisdiction_id", 200),
        Argument("service_code", 200, NOT_BLANK, gettext_lazy("service_code manquant.")),
        Argument(
            "lat",
            40,
            _optional(LATITUDE),
            gettext_lazy("lat doit être une latitude décimale au Niger (de 11 à 24,5)."),
        ),
        Argument(
            "long",
            40,
            _optional(LONGITUDE),
            _LONGITUDE_MESSAGE,
        ),
        Argument(
            "lon",
            40,
            _optional(LONGITUDE),
            _LONGITUDE_MESSAGE,
        ),
        _text("address_string", 255),
        _text("address_id", 20),
        Argument(
            "description",
            MAX_DESCRIPTION,
            _given(DESCRIPTION),
            gettext_lazy("Décrivez le problème en quelques mots (10 caractères au moins)."),
        ),
        Argument(
            "media_url",
            500,
            _optional(MEDIA_URL),
            gettext_lazy("media_url n'est pas une adresse http(s) valide."),
        ),
        Argument(
            "email", 254, _optional(EMAIL), gettext_lazy("email n'est pas une adresse valide.")
        ),
        Argument(
            "phone",
            40,
            _optional(_niger_phone()),
            gettext_lazy("phone n'est pas un numéro du Niger valide (ex. +22790123456)."),
        ),
        _text("device_id", 200),
        _text("account_id", 200),
        _text("first_name", 100),
        _text("last_name", 100),
        Argument(
            "attribute[region]",
            20,
            _optional(REGION),
            gettext_lazy("attribute[region] est le code ISO d'une région (NE-1 à NE-8)."),
        ),
        _text("attribute[hide_identity]", 20),
    )
}
REQUIRED = ["api_key", "service_code", "description"]


# GeoReport v2, POST Service Request: "lat & long both need to be sent even though they are sent
# separately", and a location is "lat & long or address_string or address_id". Ours: `lon`
# stands for `long` (FixMyStreet) when `long` is blank; a point given half is refused.
_NO_POINT = {name: {"type": "string", "pattern": rf"^{_BLANK}$"} for name in ("lat", "long", "lon")}
PLACE_RULE = [
    {
        "required": ["lat", longitude],
        "properties": {
            "lat": {"type": "string", "pattern": _given(LATITUDE)},
            longitude: {"type": "string", "pattern": _given(LONGITUDE)},
        },
    }
    for longitude in ("long", "lon")
] + [
    {
        "required": [name],
        "properties": {name: {"type": "string", "pattern": NOT_BLANK}, **_NO_POINT},
    }
    for name in ("address_string", "address_id")
]


def body_schema() -> dict:
    """The form body as the OpenAPI document declares it."""
    return {
        "type": "object",
        "required": REQUIRED,
        "properties": {name: argument.schema() for name, argument in ARGUMENTS.items()},
        "additionalProperties": False,
        "anyOf": PLACE_RULE,
    }


@dataclass
class Read:
    """The arguments of one request, stripped (blank ones as ""), and what is wrong with them."""

    values: dict
    errors: list

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")


def read(params) -> Read:
    """Check `params` (a QueryDict) against ARGUMENTS and the place rule."""
    errors = []
    unknown = sorted(name for name in params if name not in ARGUMENTS)
    if unknown:
        errors.append(
            _("Argument inconnu : %(names)s (voir /open311/v2/openapi.json).")
            % {"names": ", ".join(unknown)}
        )
    repeated = sorted(name for name, values in params.lists() if len(values) > 1)
    if repeated:
        errors.append(
            _("Argument donné plusieurs fois : %(names)s.") % {"names": ", ".join(repeated)}
        )
    values = {}
    for name, argument in ARGUMENTS.items():
        raw = params.get(name, "")
        if len(raw) > argument.max_length:
            errors.append(
                _("%(name)s est trop long (%(limit)s caractères au plus).")
                % {"name": name, "limit": argument.max_length}
            )
        elif (name in REQUIRED) if name not in params else not re.search(argument.pattern, raw):
            errors.append(str(argument.message) % {"name": name})
        else:
            values[name] = raw.strip()
    read = Read(values, errors)
    if not errors:
        has_lat, has_long = bool(read["lat"]), bool(read["long"] or read["lon"])
        if has_lat != has_long:
            errors.append(_("Donnez lat et long ensemble."))
        elif not (has_lat or read["address_string"] or read["address_id"]):
            errors.append(_("Donnez un lieu : lat et long, address_string ou address_id."))
    return read
