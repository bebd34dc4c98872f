"""The right of access and the right to erasure (law n° 2022-59 on personal data, Niger): what the
platform holds about a citizen's phone number, app by app, and its erasure where the law allows.

Each app registers one `AccessSection` from its `AppConfig.ready()` (its `personal_data.py`): a
title, `collect(user) -> list[Entry]` (only this person's data: rows tied to the phone number the
citizen proved by the SMS code), and optionally `erase(user) -> Erasure`, which erases at once
what may be erased and names, with the legal reason, what must be kept. The registry lives in
accounts so that no service app imports another (pyproject's layers contract).

Reading the page or downloading it is audited (`accounts.personal_data.viewed` /
`.exported`); an erasure request is kept for the agents (`ErasureRequest`, in the admin) and
audited (`accounts.erasure.requested`), in the same transaction as the erasures it made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats

from guichet.accounts import audit_actions
from guichet.audit.services import record


@dataclass
class Entry:
    """One thing held: a title (« Plainte 4K7-P2Q ») and its fields, (label, value) pairs."""

    title: str
    fields: list[tuple[str, object]]


@dataclass
class Erasure:
    """What an app erased at once (sentences) and what it keeps, each with its legal reason."""

    erased: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class AccessSection:
    code: str
    title: str  # lazy French text
    collect: Callable  # collect(user) -> list[Entry]
    erase: Callable | None = None  # erase(user) -> Erasure
    order: int = 50


_sections: dict[str, AccessSection] = {}


def register_section(section: AccessSection) -> AccessSection:
    _sections[section.code] = section
    return section


def register_personal_data(kinds, section: AccessSection) -> None:
    """What one app's `personal_data.py` declares, from its `AppConfig.ready()`: its kinds of
    records with their retention periods (`retention.register`) and its « Mes données » section."""
    from guichet.accounts import retention

    for kind in kinds:
        retention.register(kind)
    register_section(section)


def sections() -> list[AccessSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.code))


def collect(user) -> list[tuple[AccessSection, list[Entry]]]:
    """Every section with what it holds about `user` (sections holding nothing included)."""
    return [(section, list(section.collect(user))) for section in sections()]


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def shown(value) -> str:
    """A value as the HTML page shows it (dates in the active language's format)."""
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list | tuple):
        return ", ".join(shown(item) for item in value)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        from django.utils.translation import gettext

        return gettext("oui") if value else gettext("non")
    return str(value)


def as_json(user, collected) -> dict:
    """The download: one key per section, its entries with their fields in order."""
    return {
        "telephone": user.phone_number,
        "sections": [
            {
                "section": section.code,
                "titre": str(section.title),
                "elements": [
                    {
                        "titre": str(entry.title),
                        "champs": {str(k): _plain(v) for k, v in entry.fields},
                    }
                    for entry in entries
                ],
            }
            for section, entries in collected
        ],
    }


def record_access(user, *, request=None, exported: bool = False) -> None:
    with transaction.atomic():
        record(
            audit_actions.PERSONAL_DATA_EXPORTED
            if exported
            else audit_actions.PERSONAL_DATA_VIEWED,
            actor=user,
            target=user,
            request=request,
        )


def request_erasure(user, *, request=None):
    """Erase, app by app, what may be erased at once; keep a record of the request for the
    agents, with what was erased and what is kept and why. One transaction: all or nothing."""
    from guichet.accounts.models import ErasureRequest

    erased: list[str] = []
    kept: list[list[str]] = []
    with transaction.atomic():
        for section in sections():
            if section.erase is None:
                continue
            outcome = section.erase(user)
            erased += [str(sentence) for sentence in outcome.erased]
            kept += [[str(what), str(why)] for what, why in outcome.kept]
        erasure_request = ErasureRequest.objects.create(
            user=user, phone_number=user.phone_number, erased=erased, kept=kept
        )
        record(
            audit_actions.ERASURE_REQUESTED,
            actor=user,
            target=erasure_request,
            request=request,
            data={"erased": len(erased), "kept": len(kept)},
        )
    return erasure_request
