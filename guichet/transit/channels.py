"""SMS and USSD: "BUS <départ> <arrivée>" answers with the next journey in one SMS.

Stop names are matched without accents or case, and with close spellings; when a name is
unclear the answer lists the closest stops instead. Which network: the setting TRANSIT_SMS_FEED,
else "niamey" when it exists, else the first one.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.notifications.channels import InvalidInput, UssdReply, sms_command, ussd_menu
from guichet.transit import selectors
from guichet.transit.importer import fold
from guichet.transit.models import Feed

SMS_LIMIT = 160
_SEPARATORS = re.compile(r"\s*(?:->|>|/|;|,|\s-\s|\sa\s|\sà\s|\svers\s)\s*", re.IGNORECASE)


def sms_feed() -> Feed | None:
    name = getattr(settings, "TRANSIT_SMS_FEED", "") or "niamey"
    feeds = Feed.objects.using("readonly")
    return feeds.filter(name=name).first() or feeds.order_by("name").first()


def _fit(text: str) -> str:
    return text if len(text) <= SMS_LIMIT else text[: SMS_LIMIT - 1] + "…"


def _short(name: str, width: int) -> str:
    return name if len(name) <= width else name[: width - 1] + "."


def split_names(feed: Feed, text: str) -> tuple[str, str] | None:
    """ "Grand Marché > Aéroport" or "grand marche aeroport": the two stop names typed."""
    parts = [p for p in _SEPARATORS.split(text.strip(), maxsplit=1) if p.strip()]
    if len(parts) == 2:
        return parts[0], parts[1]
    words = text.split()
    if len(words) < 2:
        return None
    best, best_score = None, -1.0
    for cut in range(1, len(words)):
        left, right = " ".join(words[:cut]), " ".join(words[cut:])
        a = selectors.search_stops(feed, left, limit=1)
        b = selectors.search_stops(feed, right, limit=1)
        score = (a[0].score if a else 0) + (b[0].score if b else 0)
        if score > best_score:
            best, best_score = (left, right), score
    return best


def answer_bus(text: str) -> str:
    feed = sms_feed()
    if feed is None:
        return _("Aucun réseau de transport n'est publié.")
    names = split_names(feed, text)
    if names is None:
        return _("Envoyez : BUS départ > arrivée (ex. BUS Grand Marché > Aéroport).")
    ends = []
    for typed in names:
        match, candidates = selectors.resolve_stop_name(feed, typed)
        if match is None:
            if not candidates:
                return _fit(
                    _("Arrêt inconnu : %(t)s. Envoyez BUS départ > arrivée.") % {"t": typed}
                )
            choices = " / ".join(_short(c.name, 30) for c in candidates[:3])
            return _fit(_("« %(t)s » : précisez. %(c)s") % {"t": typed, "c": choices})
        ends.append(match)
    if ends[0].stop_id == ends[1].stop_id:
        return _("Départ et arrivée sont le même arrêt.")
    request = selectors.parse_plan_request(feed, {"from": ends[0].stop_id, "to": ends[1].stop_id})
    journeys = selectors.plan(feed, request)
    if not journeys:
        return _fit(
            _("Pas de trajet trouvé de %(a)s à %(b)s aujourd'hui.")
            % {"a": ends[0].name, "b": ends[1].name}
        )
    journey = min(journeys, key=lambda j: (j.arrival, j.transfers))
    parts = []
    for leg in selectors.describe(feed, journey):
        if leg.mode == "walk":
            if leg.minutes:
                parts.append(_("marche %(m)smin") % {"m": leg.minutes})
        else:
            parts.append(
                _("%(t)s L%(r)s %(f)s>%(d)s")
                % {
                    "t": leg.departure.strftime("%H:%M"),
                    "r": _short(leg.route, 8),
                    "f": _short(leg.from_name, 24),
                    "d": _short(leg.to_name, 24),
                }
            )
    summary = _("arr %(a)s") % {"a": journey.arrival.strftime("%H:%M")}
    text = ", ".join(parts) + ". " + summary
    day = selectors.clock_text(selectors.localise(feed, journey.departure))[:-5].strip()
    if day:
        # The next service is another day (night, or no service today): say which.
        text = f"{day} {text}"
    return _fit(text)


@sms_command("BUS")
def bus_by_sms(phone: str, text: str) -> str:
    return answer_bus(text)


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
    return UssdReply(answer_bus(f"{inputs[0]} > {inputs[1]}"), end=True)


__all__ = ["answer_bus", "bus_by_sms", "bus_by_ussd", "fold"]
