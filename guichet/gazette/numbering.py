"""Niger's numbering of official texts, parsed and normalised in one place.

Texts are cited as they are really written in the Journal officiel:

    Loi n° 2019-33 du 3 juillet 2019
    décret n°2016-055/PRN du 26 janvier 2016
    Décret n° 2020-123/PRN/MJ
    ordonnance n° 2010-66 du 21 octobre 2010
    LOI N° 60-24                      (two-digit years: the number's year, 1960)
    Décret n° 60-105 P.C.M.           (dotted authority, separated by a space)
    Ordonnance n° 93-16               (two-digit years are all before 2000)
    Arrêté n° 086/MISP/D/AR           (orders numbered within a service, without a year)

A number is "<year>-<sequence>" followed by the issuing authority's codes ("/PRN/MJ": the President,
on the report of the Minister of Justice), or "<sequence>/<codes>" for orders. The normalised form
drops leading zeros and spaces ("2016-055" → "2016-55") so that one text has one key whatever the
spelling. Plain Python: no Django import, so the bench and the importer can use it anywhere.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from guichet.translatable import TranslatableError, TranslatableLabel, gettext_noop

# French names of months as written in the texts ("1er", "fevrier" without accent in old texts).
MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
MONTH_NAMES = [
    "",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

# The type of text as written → its code (also the FRBR subtype in /akn/ne/act/<code>/…).
DOCTYPES = {
    "loi organique": "loi-organique",
    "loi constitutionnelle": "loi-constitutionnelle",
    "loi": "loi",
    "ordonnance": "ordonnance",
    "decret": "decret",
    "arrete interministeriel": "arrete",
    "arrete": "arrete",
    "decision": "decision",
    "circulaire": "circulaire",
    "avis": "avis",
    "deliberation": "deliberation",
}


DOCTYPE_LABELS = {
    "loi-organique": gettext_noop("Loi organique"),
    "loi-constitutionnelle": gettext_noop("Loi constitutionnelle"),
    "loi": gettext_noop("Loi"),
    "ordonnance": gettext_noop("Ordonnance"),
    "decret": gettext_noop("Décret"),
    "arrete": gettext_noop("Arrêté"),
    "decision": gettext_noop("Décision"),
    "circulaire": gettext_noop("Circulaire"),
    "avis": gettext_noop("Avis"),
    "deliberation": gettext_noop("Délibération"),
    # Corrections are texts of their own, numbered by the Journal ("2019-R1"), never parsed.
    "rectificatif": gettext_noop("Rectificatif"),
}
# Types whose numbers carry a year ("2019-33"); orders and decisions may be numbered in a service.
YEARLESS_ALLOWED = {"arrete", "decision", "circulaire", "avis", "deliberation"}

# Independence: the oldest texts of the Republic. Earlier numbers are refused as mistyped.
FIRST_YEAR = 1958
# The Journal's dates are Niger's days: a text signed just after midnight in Niamey is signed
# "today" there while the server's clock (UTC) is still on the day before. settings.TIME_ZONE is
# the same zone (a test keeps them equal); this module stays free of Django.
JOURNAL_TIME_ZONE = ZoneInfo("Africa/Niamey")
MAX_SEQUENCE = 99999

_DOCTYPE_RE = "|".join(sorted((re.escape(k) for k in DOCTYPES), key=len, reverse=True)).replace(
    r"\ ", r"\s+"
)
# "n°", "N°", "no", "n º", "n°:" … and the bare form "Loi 2019-33".
_NUMBER_SIGN = r"(?:n\s*[°ºo]\.?\s*:?\s*|numero\s+)?"
_DATE_RE = r"(?P<day>1er|\d{1,2})\s+(?P<month>[a-z]+)\s+(?P<dyear>\d{4})"
_HEAD_RE = re.compile(
    rf"^\s*(?P<doctype>{_DOCTYPE_RE})\s+{_NUMBER_SIGN}(?P<number>[0-9][0-9A-Za-z./ -]*?)"
    rf"(?:\s*,?\s+du\s+{_DATE_RE})?\s*[.,;:]?\s*$",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(
    r"^(?:(?P<year>\d{2}|\d{4})\s*-\s*)?(?P<seq>\d{1,5})"
    r"(?P<suffix>(?:\s*/\s*[A-Za-z][A-Za-z0-9.]*)*(?:\s+(?:[A-Z]\.?){2,}[A-Z]?\.?)?)$"
)


class NumberError(TranslatableError):
    """A number that cannot be a text of Niger; the message is for the person who typed it (French,
    translated by the Django side: `error.translated(gettext)`)."""


@dataclass(frozen=True)
class TextNumber:
    doctype: str  # "loi", "decret", …
    year: int | None  # the number's year (two-digit years expanded), None for "086/MISP/D/AR"
    sequence: int
    authorities: tuple[str, ...] = field(default=())  # ("PRN", "MJ"), ("MISP", "D", "AR")
    signed_on: datetime.date | None = None
    written: str = ""  # the number as it was written, e.g. "2016-055/PRN"
    base: str = ""  # year and sequence as written: "2016-055", "60-24", "086"

    @property
    def normalized(self) -> str:
        """ "2016-55" or "86/MISP/D/AR": the key a text is found by, whatever its spelling."""
        if self.year is None:
            return "/".join([str(self.sequence), *self.authorities])
        return f"{self.year}-{self.sequence}"

    @property
    def display(self) -> str:
        """The number as the Journal prints it today: "2020-123/PRN/MJ"."""
        base = self.base or (
            f"{self.year}-{self.sequence}" if self.year is not None else str(self.sequence)
        )
        return "/".join([base, *self.authorities])

    @property
    def label(self) -> str:
        """ "Loi n° 2019-33 du 3 juillet 2019"."""
        text = f"{DOCTYPE_LABELS[self.doctype]} n° {self.display}"
        if self.signed_on:
            text += f" du {format_date(self.signed_on)}"
        return text


def fold_character(character: str) -> str:
    """One character folded: its compatibility decomposition without combining marks, lower case."""
    decomposed = unicodedata.normalize("NFKD", character)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class _FoldTable(dict):
    """character code → its folded characters, filled as characters are met (str.translate's map)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = fold_character(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower case without accents: "Arrêté" → "arrete". Character by character through a table
    (`str.translate`): the same as decomposing the whole text, ten times faster on a long one."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_TABLE)


def format_date(value: datetime.date) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTH_NAMES[value.month]} {value.year}"


def parse_french_date(day: str, month: str, year: str) -> datetime.date:
    month_number = MONTHS.get(fold(month))
    if month_number is None:
        raise NumberError(gettext_noop("Mois inconnu : « %(month)s »."), month=month)
    try:
        return datetime.date(int(year), month_number, 1 if day.lower() == "1er" else int(day))
    except ValueError:
        raise NumberError(
            gettext_noop("Date impossible : %(day)s %(month)s %(year)s."),
            day=day,
            month=month,
            year=year,
        ) from None


def expand_year(year: str) -> int:
    """Two-digit years are the Republic's first decades: "60" → 1960, "93" → 1993.

    From 2000 on, the Journal writes four digits ("2001-01"), so "05" is not 2005 but a typo.
    """
    value = int(year)
    if len(year) == 2:
        value += 1900
        if value < FIRST_YEAR:
            raise NumberError(
                gettext_noop(
                    "L'année « %(year)s » est ambiguë : depuis 2000 l'année s'écrit sur quatre "
                    "chiffres."
                ),
                year=year,
            )
    return value


def parse_number(doctype: str, number: str, signed_on: datetime.date | None = None) -> TextNumber:
    """Parse the number part ("2020-123/PRN/MJ", "60-105 P.C.M.", "086/MISP/D/AR")."""
    written = " ".join(number.split())
    match = _NUMBER_RE.match(written)
    if not match:
        raise NumberError(
            gettext_noop(
                "Numéro illisible : « %(number)s ». Forme attendue : année-numéro (ex. 2019-33), "
                "suivie le cas échéant de l'autorité (ex. 2020-123/PRN/MJ)."
            ),
            number=number,
        )
    year = expand_year(match["year"]) if match["year"] else None
    sequence = int(match["seq"])
    if sequence == 0 or sequence > MAX_SEQUENCE:
        raise NumberError(
            gettext_noop("Numéro d'ordre impossible : « %(sequence)s »."), sequence=match["seq"]
        )
    today = datetime.datetime.now(JOURNAL_TIME_ZONE).date()
    if year is not None and not FIRST_YEAR <= year <= today.year:
        raise NumberError(
            gettext_noop(
                "Année %(year)s impossible : elle doit être comprise entre %(first)s et %(last)s."
            ),
            year=year,
            first=FIRST_YEAR,
            last=today.year,
        )
    if year is None and doctype not in YEARLESS_ALLOWED:
        raise NumberError(
            gettext_noop(
                "« %(type)s n° %(number)s » : le numéro doit comporter l'année (ex. 2019-33)."
            ),
            type=TranslatableLabel(DOCTYPE_LABELS[doctype]),
            number=number,
        )
    authorities = _authority_codes(match["suffix"] or "")
    if signed_on is not None:
        if signed_on > today:
            raise NumberError(
                gettext_noop("Date de signature dans le futur : %(date)s."),
                date=format_date(signed_on),
            )
        if year is not None and signed_on.year != year:
            raise NumberError(
                gettext_noop(
                    "Le numéro %(number)s est de %(year)s, mais la date de signature est de "
                    "%(signed_year)s : l'un des deux est erroné."
                ),
                number=written,
                year=year,
                signed_year=signed_on.year,
            )
    base = f"{match['year']}-{match['seq']}" if match["year"] else match["seq"]
    return TextNumber(doctype, year, sequence, authorities, signed_on, written, base)


def _authority_codes(suffix: str) -> tuple[str, ...]:
    """ "/PRN/MJ" → ("PRN", "MJ"); " P.C.M." → ("PCM",)."""
    codes = []
    for part in re.split(r"[/\s]+", suffix.strip()):
        code = part.replace(".", "").upper()
        if code:
            codes.append(code)
    return tuple(codes)


def parse_doctype(word: str) -> str:
    key = " ".join(fold(word).split())
    if key not in DOCTYPES:
        raise NumberError(
            gettext_noop("Type de texte inconnu : « %(word)s ». Types reconnus : %(types)s."),
            word=word,
            types=", ".join(sorted(set(DOCTYPE_LABELS.values()))),
        )
    return DOCTYPES[key]


def parse(reference: str) -> TextNumber:
    """Parse a full reference: "Loi n° 2019-33 du 3 juillet 2019" → TextNumber.

    Raises NumberError (French message) for anything that is not a valid reference.
    """
    folded = fold(reference)
    match = _HEAD_RE.match(folded)
    if not match:
        raise NumberError(
            gettext_noop(
                "Référence non reconnue : « %(reference)s ». Exemple de forme attendue : "
                "« Décret n° 2020-123/PRN/MJ du 12 mars 2020 »."
            ),
            reference=reference.strip(),
        )
    doctype = DOCTYPES[" ".join(match["doctype"].split())]
    signed_on = None
    if match["day"]:
        signed_on = parse_french_date(match["day"], match["month"], match["dyear"])
    # Take the number from the original string (case kept for authorities) at the same offsets:
    # folding keeps one character per character for French text.
    start, end = match.span("number")
    number = reference[start:end] if len(folded) == len(reference) else match["number"].upper()
    return parse_number(doctype, number, signed_on)


def looks_like_number(query: str) -> str | None:
    """A search typed as a number ("2019-33", "n° 2016-055", "93-16") → its normalised key."""
    match = re.fullmatch(
        r"\s*(?:n\s*[°ºo]\.?\s*)?(\d{2}|\d{4})\s*-\s*(\d{1,5})(?:\s*/.*)?\s*", fold(query)
    )
    if not match:
        return None
    try:
        year = expand_year(match[1])
    except NumberError:
        return None
    return f"{year}-{int(match[2])}"
