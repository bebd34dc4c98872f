"""SMS and USSD: « BUS <départ> > <arrivée> » answers with the next journey in one SMS.

The text is read as every possible (origin, destination) pair — at each separator (« > », « - »,
« à », « vers », a line break…) or, without one, at each space — and the pair whose names match
stops best is kept (`names.best_split`): stop names may hold any punctuation (« / » in every New
York stop name). Names are matched without accents or case, with abbreviations and typos. An
unclear name is answered with up to 3 numbered choices; the next SMS « 2 » (or « BUS 2 ») picks.

Which network: the keyword's own network (setting TRANSIT_SMS_KEYWORDS, « METRO=nyc-subway »),
else TRANSIT_SMS_FEED (environment GUICHET_TRANSIT_SMS_FEED), else « niamey », else the first.
"""

from __future__ import annotations

import datetime
import math
import re

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.notifications.channels import InvalidInput, UssdReply, sms_command, ussd_menu
from guichet.notifications.gsm import gsm_length, transliterate
from guichet.transit import names, selectors, timetables
from guichet.transit.importer import fold
from guichet.transit.models import Feed

SMS_LIMIT = 160  # GSM-7 septets of one SMS
UCS2_LIMIT = 70
CHOICES = 3
PENDING_SECONDS = 15 * 60
NAME_WIDTHS = (40, 28, 20, 14, 10, 7)


def sms_feed(keyword: str = "") -> Feed | None:
    feeds = Feed.objects.using("readonly")
    by_keyword = getattr(settings, "TRANSIT_SMS_KEYWORDS", {}) or {}
    name = by_keyword.get(keyword.upper(), "") if keyword else ""
    name = name or getattr(settings, "TRANSIT_SMS_FEED", "") or "niamey"
    return feeds.filter(name=name).first() or feeds.order_by("name").first()


def sms_length(text: str) -> tuple[int, int]:
    """(length, limit) of one SMS: GSM-7 septets (after transliteration) out of 160, or UCS-2
    characters out of 70 when some character has no GSM look-alike."""
    gsm = transliterate(text)
    if gsm is None:
        return len(text), UCS2_LIMIT
    return sum(gsm_length(c) for c in gsm), SMS_LIMIT


def fits(text: str) -> bool:
    length, limit = sms_length(text)
    return length <= limit


def _fit(text: str) -> str:
    while not fits(text) and len(text) > 1:
        text = text[:-2] + "…"
    return text


def _short(name: str, width: int) -> str:
    return name if len(name) <= width else name[: width - 1] + "."


def _lead_and_rest(lead: str, rest: str, width: int) -> str:
    room = width - len(rest) - 1
    if room <= 0:
        return "." + _short(rest, width - 1)
    return lead[:room] + "." + rest


def _shorten_apart(names: list[str], width: int) -> dict[str, str]:
    """Each name cut to `width`; names that would then read alike drop the leading words they
    share, keeping what tells them apart behind as much of the first word as fits
    (« Boulevard de la République Est » and « … Ouest » at 20: « Boulevard.Est »,
    « Boulevard.Ouest »; at 7: « Bou.Est », « .Ouest »), so that a numbered choice or a leg never
    names two stops the same way."""
    distinct = list(dict.fromkeys(names))
    out = {name: _short(name, width) for name in distinct}
    for _round in range(3):
        alike: dict[str, list[str]] = {}
        for name in distinct:
            alike.setdefault(out[name], []).append(name)
        groups = [group for group in alike.values() if len(group) > 1]
        if not groups:
            break
        for group in groups:
            words = [name.split() for name in group]
            shared = 0
            while all(len(w) > shared + 1 for w in words) and len({w[shared] for w in words}) == 1:
                shared += 1
            out.update(
                (name, _lead_and_rest(w[0], " ".join(w[shared:]), width))
                for name, w in zip(group, words, strict=True)
            )
    return out


def split_names(feed: Feed, text: str) -> tuple[str, str] | None:
    """The (origin, destination) reading of `text` whose names match stops best."""
    return names.best_split(timetables.name_index(feed), text)


# -- Pending choices (an unclear name answered with numbered choices) ---------------------------


def _pending_key(phone: str) -> str:
    return f"transit:sms-choice:{phone}"


def _ask(
    feed: Feed, phone: str, typed: list[str], stops: list, side: int, candidates, depart
) -> str:
    choices = [(c.stop_id, c.name) for c in candidates[:CHOICES]]
    if phone:
        pending = {"feed": feed.name, "typed": typed, "stops": stops, "side": side}
        pending |= {"choices": choices, "depart": depart.isoformat() if depart else None}
        cache.set(_pending_key(phone), pending, PENDING_SECONDS)
    for width in NAME_WIDTHS:
        short = _shorten_apart([name for _id, name in choices], width)
        listed = " ".join(f"{n}) {short[name]}" for n, (_id, name) in enumerate(choices, 1))
        text = _("%(t)s : précisez, répondez 1 à %(n)s. %(c)s") % {
            "t": _short(typed[side], 24),
            "n": len(choices),
            "c": listed,
        }
        if fits(text):
            return text
    return _fit(text)


def answer_choice(phone: str, number: int) -> str:
    """The next SMS after numbered choices: « 2 » takes the second."""
    pending = cache.get(_pending_key(phone)) if phone else None
    if not pending:
        return _("Aucun choix en attente. Envoyez : BUS départ > arrivée.")
    choices = pending["choices"]
    if not 1 <= number <= len(choices):
        return _("Répondez un numéro de 1 à %(n)s.") % {"n": len(choices)}
    feed = Feed.objects.using("readonly").filter(name=pending["feed"]).first()
    if feed is None:
        return _("Aucun réseau de transport n'est publié.")
    cache.delete(_pending_key(phone))
    stops = list(pending["stops"])
    stops[pending["side"]] = choices[number - 1]
    depart = pending.get("depart")
    depart = datetime.datetime.fromisoformat(depart) if depart else None
    return _resolve_and_answer(feed, phone, pending["typed"], stops, depart)


# -- The answer ---------------------------------------------------------------------------------


def _resolve_and_answer(
    feed: Feed, phone: str, typed: list[str], stops: list, depart: datetime.datetime | None
) -> str:
    """Resolve the names still unknown (asking when unclear), then plan from `depart`."""
    for side in (0, 1):
        if stops[side] is not None:
            continue
        match, candidates = selectors.resolve_stop_name(feed, typed[side])
        if match is None:
            if not candidates:
                return _fit(
                    _("Arrêt inconnu : %(t)s. Envoyez BUS départ > arrivée.") % {"t": typed[side]}
                )
            return _ask(feed, phone, typed, stops, side, candidates, depart)
        stops[side] = (match.stop_id, match.name)
    if stops[0][0] == stops[1][0]:
        return _("Départ et arrivée sont le même arrêt.")
    asked = {"from": stops[0][0], "to": stops[1][0]}
    if depart is not None:
        asked["depart"] = depart.isoformat()
    request = selectors.parse_plan_request(feed, asked)
    journeys = selectors.plan(feed, request)
    if not journeys:
        return _fit(
            _("Pas de trajet trouvé de %(a)s à %(b)s aujourd'hui.")
            % {"a": stops[0][1], "b": stops[1][1]}
        )
    journey = min(journeys, key=lambda j: (j.arrival, j.transfers))
    return journey_sms(feed, journey)


def _walk(seconds: int) -> str:
    if seconds < 1:
        # A change between two stops of one place (transfers.txt with no time): where to, not
        # « marche 0 s ».
        return _("à pied")
    if seconds < 60:
        return _("marche %(s)s s") % {"s": seconds}
    return _("marche %(m)s min") % {"m": math.ceil(seconds / 60)}


def journey_sms(feed: Feed, journey) -> str:
    """One SMS: every leg (walks of any length, line, time, stops), then the arrival; the
    day when it is not today. Names are shortened until it fits; if the narrowest names do
    not fit, the middle legs give way to « … », never the first ride (where to board), the
    last legs (where to get off) or the arrival."""
    legs = selectors.describe(feed, journey)
    first = selectors.localise(feed, journey.departure)
    day = selectors.clock_text(first)[:-5].strip()
    arrival = selectors.localise(feed, journey.arrival).strftime("%H:%M")

    def message(parts: list[str]) -> str:
        text = ", ".join(parts) + ". " + _("arr %(a)s") % {"a": arrival}
        return f"{day} {text}" if day else text  # the next service is another day: say which

    parts: list[str] = []
    # Every name, empty ones too (a GTFS node may have none): each leg looks its own up.
    named = [name for leg in legs for name in (leg.from_name, leg.to_name)]
    for width in NAME_WIDTHS:
        short = _shorten_apart(named, width)
        parts = []
        for leg, raw in zip(legs, journey.legs, strict=True):
            if leg.mode == "walk":
                seconds = int(raw.seconds)
                if raw.to_stop_id:
                    parts.append(f"{_walk(seconds)}>{short[leg.to_name]}")
                else:
                    parts.append(_walk(seconds))
            else:
                parts.append(
                    _("%(t)s ligne %(r)s %(f)s>%(d)s")
                    % {
                        "t": leg.departure.strftime("%H:%M"),
                        "r": _short(leg.route, 10),
                        "f": short[leg.from_name],
                        "d": short[leg.to_name],
                    }
                )
        if fits(message(parts)):
            return message(parts)
    rides = [i for i, leg in enumerate(legs) if leg.mode == "transit"]
    first_ride = rides[0] + 1 if rides else 1
    for start in range(first_ride + 1, len(parts)):
        text = message([*parts[:first_ride], "…", *parts[start:]])
        if fits(text):
            return text
    return _fit(message(parts))


# When the traveller says when, at the end: « 18:00 », « 18h », « 7h30 », « à 8h », « demain »,
# « demain 8h », « 8h demain ». An hour needs its « h » or « : », so that a number in a stop
# name (« Km 5 ») is never read as one.
_HOUR_AT_END = re.compile(
    r"(?:^|\s)(?:(?:à|a|vers|pour|at)\s+)?(?P<hour>[01]?\d|2[0-3])\s*"
    r"(?:[:hH]\s*(?P<minute>[0-5]\d)?|\.(?P<dotted>[0-5]\d))\s*$",
    re.IGNORECASE,
)
_TOMORROW_AT_END = re.compile(r"(?:^|\s)(?:demain|tomorrow|gobe|suba)\s*$", re.IGNORECASE)
# A time already past by this much today means the next day's (« 7h » sent at 22:00).
PAST_GRACE = datetime.timedelta(minutes=30)


def split_when(feed: Feed, text: str) -> tuple[str, datetime.datetime | None]:
    """(the text without its time, the departure asked for, as the feed's local time; None:
    now)."""
    rest, hour, tomorrow = text.strip(), None, False
    for _pass in range(2):  # « demain 8h » or « 8h demain »
        if not tomorrow and (match := _TOMORROW_AT_END.search(rest)) and match.start() > 0:
            rest, tomorrow = rest[: match.start()].strip(), True
        if hour is None and (match := _HOUR_AT_END.search(rest)) and match.start() > 0:
            minute = match["minute"] or match["dotted"] or 0
            rest, hour = (
                rest[: match.start()].strip(),
                datetime.time(int(match["hour"]), int(minute)),
            )
    if hour is None and not tomorrow:
        return text, None
    now = selectors.feed_now(feed)
    # « demain » alone: the first departures of the day.
    when = datetime.datetime.combine(now.date(), hour or datetime.time(0, 0))
    if tomorrow or when < now - PAST_GRACE:
        when += datetime.timedelta(days=1)
    return rest, when


def answer_bus(text: str, phone: str = "", keyword: str = "") -> str:
    feed = sms_feed(keyword)
    if feed is None:
        return _("Aucun réseau de transport n'est publié.")
    stripped = text.strip()
    if stripped.isdigit() and phone:
        return answer_choice(phone, int(stripped))
    stripped, depart = split_when(feed, stripped)
    pair = split_names(feed, stripped)
    if pair is None:
        return _("Envoyez : BUS départ > arrivée (ex. BUS Grand Marché > Aéroport).")
    return _resolve_and_answer(feed, phone, list(pair), [None, None], depart)


@sms_command("BUS")
def bus_by_sms(phone: str, text: str) -> str:
    return answer_bus(text, phone)


def _choice_handler(number: int):
    def handler(phone: str, text: str) -> str:
        return answer_choice(phone, number)

    handler.__qualname__ = f"choice_{number}"
    return handler


for _number in range(1, CHOICES + 1):
    sms_command(str(_number))(_choice_handler(_number))


def _keyword_handler(keyword: str):
    def handler(phone: str, text: str) -> str:
        return answer_bus(text, phone, keyword)

    handler.__qualname__ = f"bus_{keyword}"
    return handler


for _keyword in getattr(settings, "TRANSIT_SMS_KEYWORDS", {}) or {}:
    sms_command(_keyword)(_keyword_handler(_keyword))


@ussd_menu("bus", gettext_lazy("Itinéraire en bus"), order=60)
def bus_by_ussd(session, inputs: list[str]) -> UssdReply:
    if not inputs:
        return UssdReply(_("Arrêt de départ ?"))
    feed = sms_feed()
    if feed is None:
        return UssdReply(_("Aucun réseau de transport n'est publié."), end=True)
    if len(inputs) == 1:
        if not selectors.search_stops(feed, inputs[0], limit=1):
            raise InvalidInput(_("Arrêt inconnu."))
        return UssdReply(_("Arrêt d'arrivée ?"))
    if not selectors.search_stops(feed, inputs[1], limit=1):
        raise InvalidInput(_("Arrêt inconnu."))
    phone = getattr(session, "phone_number", "")
    return UssdReply(
        _resolve_and_answer(feed, phone, [inputs[0], inputs[1]], [None, None], None), end=True
    )


__all__ = ["answer_bus", "answer_choice", "bus_by_sms", "bus_by_ussd", "fold", "journey_sms"]
