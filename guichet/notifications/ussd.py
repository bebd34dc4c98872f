"""The USSD dialogue: a menu state machine driven by the aggregator's HTTP callbacks.

Aggregators (Africa's Talking and the many that copy its shape) call us at every step with the
session id, the caller's number, the service code dialled, and `text`: every answer given so far
joined by "*" ("" on the first call, then "1", "1*2", …). We answer `CON <screen>` to continue or
`END <screen>` to close the dialogue. Each session keeps how many answers it already processed,
so only the new ones are applied: that lets a handler refuse an answer (it is dropped) and makes
"0" (back) and "00" (main menu) work whatever came before.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet import locks
from guichet.notifications.channels import InvalidInput, UssdReply, find_ussd_menu, ussd_menus
from guichet.notifications.models import UssdSession
from guichet.notifications.selectors import language_of

logger = logging.getLogger("guichet.notifications")

# The longest screen most handsets show without truncating (GSM 03.90 allows 182 characters).
MAX_SCREEN = 182
BACK = "0"
MAIN_MENU = "00"
NEXT_PAGE = "98"


def _fit(text: str) -> str:
    text = text.strip()
    if len(text) <= MAX_SCREEN:
        return text
    logger.warning("USSD screen of %s characters truncated: %r", len(text), text[:40])
    return text[: MAX_SCREEN - 1] + "…"


def _with_navigation(text: str) -> str:
    """Remind the caller of 0 / 00 on a menu's screens, when the screen has room for it."""
    hint = "\n" + _("0:Retour 00:Accueil")
    return text + hint if len(text.strip()) + len(hint) <= MAX_SCREEN else text


def main_menu_pages() -> list[str]:
    """The main menu, numbered in registration order, cut into screens that fit."""
    menus = ussd_menus()
    title = _("Guichet - choisissez :")
    more = "\n" + _("%(n)s. Suite") % {"n": NEXT_PAGE}
    if not menus:
        return [_("Guichet : aucun service n'est disponible pour le moment.")]
    pages: list[str] = []
    current = title
    for number, menu in enumerate(menus, 1):
        line = f"\n{number}. {menu.label}"
        if len(current) + len(line) + len(more) > MAX_SCREEN and current != title:
            pages.append(current + more)
            current = title
        current += line
    pages.append(current)
    return pages


def _main_menu(session: UssdSession, *, error: str = "", page: int = 0) -> UssdReply:
    pages = main_menu_pages()
    page = page % len(pages)
    session.menu, session.inputs, session.state = "", [], f"main:{page}"
    text = pages[page]
    if error and len(error) + 1 + len(text) <= MAX_SCREEN:
        text = f"{error}\n{text}"
    elif error:
        text = f"{error}\n{text.partition(chr(10))[2]}"
    return UssdReply(text, end=not ussd_menus())


def _call(session: UssdSession, error: str = "") -> UssdReply:
    """Ask the current menu's handler for its screen given the answers kept so far."""
    menu = find_ussd_menu(session.menu)
    if menu is None:  # the app that registered it is gone: start again
        return _main_menu(session)
    try:
        with transaction.atomic():
            reply = menu.handler(session, list(session.inputs))
    except InvalidInput as invalid:
        if not session.inputs:  # refused its own first screen: nothing to go back to
            return _main_menu(session, error=invalid.message)
        session.inputs = session.inputs[:-1]
        return _call(session, error=invalid.message)
    if not isinstance(reply, UssdReply):
        raise TypeError(f"USSD menu {menu.code!r} returned {reply!r}, not a UssdReply")
    text = str(reply.text).strip()
    if error:
        text = f"{error}\n{text}"
    if not reply.end:
        text = _with_navigation(text)
    return UssdReply(text, reply.end)


def _apply(session: UssdSession, answer: str) -> UssdReply:
    answer = answer.strip()
    if not session.menu:
        if answer in (BACK, MAIN_MENU, ""):
            return _main_menu(session)
        if answer == NEXT_PAGE:
            page = int(session.state.partition(":")[2] or 0) + 1
            return _main_menu(session, page=page)
        menus = ussd_menus()
        if answer.isdigit() and 1 <= int(answer) <= len(menus):
            session.menu, session.inputs, session.data = menus[int(answer) - 1].code, [], {}
            session.state = ""
            return _call(session)
        return _main_menu(session, error=_("Choix invalide."))
    if answer == MAIN_MENU:
        return _main_menu(session)
    if answer == BACK:
        if not session.inputs:
            return _main_menu(session)
        session.inputs = session.inputs[:-1]
        return _call(session)
    session.inputs = [*session.inputs, answer]
    return _call(session)


def handle(*, session_id: str, phone_number: str, service_code: str, text: str) -> UssdReply:
    """One callback: apply the caller's new answers and return the screen to show, in the
    caller's preferred language when the number belongs to a known citizen."""
    with translation.override(language_of(phone_number)):
        return _handle(session_id, phone_number, service_code, text)


def _handle(session_id: str, phone_number: str, service_code: str, text: str) -> UssdReply:
    answers = text.split("*") if text else []
    with transaction.atomic():
        # Rank KEY: the session row serialises one phone's steps and is the transaction's first
        # lock, like a named key; the step it runs (filing a complaint) then takes its own keys.
        session, _created = locks.rows(UssdSession.objects.all(), locks.Rank.KEY).get_or_create(
            session_id=session_id,
            defaults={"phone_number": phone_number, "service_code": service_code},
        )
        if session.ended_at is not None or len(answers) < session.steps:
            # A closed session id reused, or an aggregator that sends only the last answer.
            new = answers[-1:] if session.ended_at is None else answers
            if session.ended_at is not None:
                session.menu, session.inputs, session.data, session.ended_at = "", [], {}, None
        else:
            new = answers[session.steps :]
        try:
            reply = _main_menu(session) if not new else None
            for answer in new:
                reply = _apply(session, answer)
                if reply.end:
                    break
        except Exception:
            logger.exception("USSD session %s failed", session_id)
            reply = UssdReply(_("Service momentanément indisponible. Réessayez plus tard."), True)
        session.steps = len(answers)
        session.last_text = text
        if reply.end:
            session.ended_at = timezone.now()
        session.save()
    return UssdReply(_fit(reply.text), reply.end)


def render(reply: UssdReply) -> str:
    return ("END " if reply.end else "CON ") + reply.text
