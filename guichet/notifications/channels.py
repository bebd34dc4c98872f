"""Where apps plug their SMS commands and USSD menus in.

In an app's `channels.py`, imported from its `AppConfig.ready()`::

    from guichet.notifications.channels import UssdReply, sms_command, ussd_menu

    @sms_command("PLAINTE")
    def complaint_by_sms(phone: str, text: str) -> str:
        ...  # text is what follows the keyword; the returned string is sent back by SMS

    @ussd_menu("plainte", gettext_lazy("Déposer une plainte"), order=10)
    def complaint_by_ussd(session, inputs: list[str]) -> UssdReply:
        ...  # inputs: the caller's answers after choosing this entry of the main menu

A USSD handler is called again with the whole list of answers at every step, so it can rebuild
its screen from `inputs` alone (that is what makes "0" = back work); `session.data` is a dict
kept between steps for anything costly to recompute. To refuse the last answer, raise
`InvalidInput(message)`: the answer is dropped and the previous screen shown under the message.
"0" and "00" are reserved for back and main menu and never reach a handler.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class UssdReply:
    """One USSD screen: its text, and whether the dialogue ends with it."""

    text: str
    end: bool = False


class InvalidInput(Exception):
    """Raised by a USSD handler to refuse the caller's last answer with a message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


SmsHandler = Callable[[str, str], str]
UssdHandler = Callable[..., UssdReply]


@dataclass(frozen=True)
class SmsCommand:
    keyword: str
    handler: SmsHandler
    # A keyword in a national language (KOKE) is answered in that language: the citizen is
    # writing in it. None: the keyword belongs to no language (BUS), or is the French one.
    language: str | None = None


@dataclass(frozen=True)
class UssdMenu:
    code: str
    label: object  # a lazy translation, evaluated in the caller's language
    order: int
    handler: UssdHandler


_sms_commands: dict[str, SmsCommand] = {}
_ussd_menus: dict[str, UssdMenu] = {}


def normalise_keyword(word: str) -> str:
    """Upper case without accents: "plainte", "Plainte" and "PLAINTÉ" are one keyword."""
    decomposed = unicodedata.normalize("NFD", word.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


# The keyword is the first run of letters and digits; what separates it from the rest may be
# punctuation as well as spaces (« Plainte: … », « PLAINTE, … », « *SUIVI* … »), as people type it.
_KEYWORD = re.compile(r"[\W_]*([^\W_]+)(?:[\W_]*\s|[^\w\s]+|$)\s*(.*)", re.DOTALL)


def split_keyword(text: str) -> tuple[str, str]:
    """(keyword, the rest as typed) of an SMS; ("", "") when it holds no letter or digit."""
    match = _KEYWORD.match((text or "").strip())
    if match is None:
        return "", ""
    return normalise_keyword(match.group(1)), match.group(2).strip()


def _same_function(a: Callable, b: Callable) -> bool:
    # A module imported twice (tests reloading it) registers an equal, not identical, function.
    return a is b or (
        getattr(a, "__module__", None) == getattr(b, "__module__", None)
        and getattr(a, "__qualname__", None) == getattr(b, "__qualname__", None)
    )


def sms_command(keyword: str, *, language: str | None = None) -> Callable[[SmsHandler], SmsHandler]:
    """Register `handler(phone, text) -> reply` for SMS whose first word is `keyword`; with
    `language`, the reply is in that language (the keyword is a word of it)."""
    key = normalise_keyword(keyword)
    if split_keyword(key) != (key, ""):
        raise ImproperlyConfigured(
            f"An SMS keyword is one word of letters and digits, not {keyword!r}."
        )

    def register(handler: SmsHandler) -> SmsHandler:
        existing = _sms_commands.get(key)
        if existing and not _same_function(existing.handler, handler):
            raise ImproperlyConfigured(
                f"SMS keyword {key} is already handled by {existing.handler.__module__}."
            )
        _sms_commands[key] = SmsCommand(key, handler, language)
        return handler

    return register


def ussd_menu(code: str, label, *, order: int = 100) -> Callable[[UssdHandler], UssdHandler]:
    """Register `handler(session, inputs) -> UssdReply` as an entry of the USSD main menu."""

    def register(handler: UssdHandler) -> UssdHandler:
        existing = _ussd_menus.get(code)
        if existing and not _same_function(existing.handler, handler):
            raise ImproperlyConfigured(
                f"USSD menu {code!r} is already registered by {existing.handler.__module__}."
            )
        _ussd_menus[code] = UssdMenu(code, label, order, handler)
        return handler

    return register


def find_sms_command(keyword: str) -> SmsCommand | None:
    return _sms_commands.get(normalise_keyword(keyword))


def sms_commands(language: str | None = None) -> list[SmsCommand]:
    """Every command, or with `language` those a speaker of it is told of: the keywords of no
    language and those of that language."""
    return sorted(
        (c for c in _sms_commands.values() if language is None or c.language in (None, language)),
        key=lambda command: command.keyword,
    )


def ussd_menus() -> list[UssdMenu]:
    """The main menu's entries in display order (then by code, so the numbering is stable)."""
    return sorted(_ussd_menus.values(), key=lambda menu: (menu.order, menu.code))


def find_ussd_menu(code: str) -> UssdMenu | None:
    return _ussd_menus.get(code)


@contextmanager
def isolated_registry(*, keep: bool = False) -> Iterator[None]:
    """For tests: registrations made inside the block disappear at its end.

    With `keep=False` the block starts from empty registries, so that a test sees exactly the
    commands and menus it registers; with `keep=True` it adds to the apps' real registrations.
    """
    saved_sms, saved_ussd = dict(_sms_commands), dict(_ussd_menus)
    if not keep:
        _sms_commands.clear()
        _ussd_menus.clear()
    try:
        yield
    finally:
        _sms_commands.clear()
        _sms_commands.update(saved_sms)
        _ussd_menus.clear()
        _ussd_menus.update(saved_ussd)


def simulate_sms(phone: str, text: str) -> str:
    """For tests: receive `text` from `phone` as the gateway would; return the reply sent back
    ("" if none). The reply is the text actually sent, so accents outside GSM-7 are transliterated.
    """
    from guichet.notifications.services import receive_sms

    inbound = receive_sms(phone, "", text)
    return inbound.reply.body if inbound.reply_id else ""


class UssdDialogue:
    """For tests: one caller's USSD session, driven as the aggregator would drive it.

    dialogue = UssdDialogue("+22790123456")
    dialogue.dial()          # the main menu
    dialogue.answer("1")     # → UssdReply of the chosen menu's first screen
    """

    def __init__(self, phone: str, session_id: str | None = None, service_code: str = "*353#"):
        import uuid

        self.phone = phone
        self.session_id = session_id or uuid.uuid4().hex
        self.service_code = service_code
        self.answers: list[str] = []

    def _send(self) -> UssdReply:
        from guichet.notifications.ussd import handle

        return handle(
            session_id=self.session_id,
            phone_number=self.phone,
            service_code=self.service_code,
            text="*".join(self.answers),
        )

    def dial(self) -> UssdReply:
        self.answers = []
        return self._send()

    def answer(self, text: str) -> UssdReply:
        self.answers.append(text)
        return self._send()
