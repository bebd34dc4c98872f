"""An illustrative Niamey network, made with the editor's services (headway-based minibus lines).

Place names are real; positions are approximate and lines and headways are an example, which
every page of the network says (Feed.illustrative).
"""

import datetime

from django.db import transaction

from guichet.accounts.models import Organisation, User
from guichet.transit import services
from guichet.transit.models import Feed

STOPS = [
    ("GMA", "Grand Marché", 13.5118, 2.1122),
    ("PMA", "Petit Marché", 13.5136, 2.1065),
    ("KEN", "Rond-point Kennedy", 13.5049, 2.1040),
    ("UAM", "Université Abdou Moumouni", 13.4996, 2.0928),
    ("HAR", "Harobanda", 13.4967, 2.1158),
    ("AER", "Aéroport", 13.4815, 2.1836),
    ("GAM", "Gamkallé", 13.5010, 2.1360),
    ("WAD", "Wadata", 13.5295, 2.1290),
    ("KAT", "Katako", 13.5195, 2.0990),
    ("DES", "Dar Es Salam", 13.5420, 2.0905),
]
# route id, short name, long name, colour, headway (min), stops with minutes from the first.
LINES = [
    (
        "L1",
        "1",
        "Katako – Aéroport",
        "0B6E4F",
        15,
        [("KAT", 0), ("PMA", 6), ("GMA", 10), ("GAM", 20), ("AER", 32)],
    ),
    (
        "L2",
        "2",
        "Dar Es Salam – Université",
        "1F4E9C",
        10,
        [("DES", 0), ("WAD", 9), ("GMA", 18), ("KEN", 25), ("HAR", 31), ("UAM", 38)],
    ),
    (
        "L3",
        "3",
        "Wadata – Gamkallé",
        "B3461E",
        20,
        [("WAD", 0), ("KAT", 10), ("KEN", 20), ("GAM", 32)],
    ),
]


def load(out) -> None:
    if Feed.objects.filter(name="niamey").exists():
        out("transit: réseau illustratif « niamey » déjà présent")
        return
    actor = User.objects.filter(username="demo.transport").first()
    organisation = Organisation.objects.get(code="MT-DTT")
    with transaction.atomic():
        feed = services.create_feed(
            actor=actor,
            organisation=organisation,
            name="niamey",
            title="Niamey — réseau de minibus (illustratif)",
            agency_name="Transports urbains de Niamey (exemple)",
            agency_url="https://transports.gouv.ne",
            illustrative=True,
        )
        stops = {
            code: services.create_stop(
                actor=actor, feed=feed, name=name, lat=lat, lon=lon, stop_id=code
            )
            for code, name, lat, lon in STOPS
        }
        services.create_service(
            actor=actor,
            feed=feed,
            service_id="TOUS",
            days=["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 12, 31),
        )
        for route_id, short, long_name, color, headway, served in LINES:
            route = services.create_route(
                actor=actor,
                feed=feed,
                short_name=short,
                long_name=long_name,
                color=color,
                route_id=route_id,
            )
            for direction, sequence in (("A", served), ("R", _reverse(served))):
                services.create_headway_trip(
                    actor=actor,
                    feed=feed,
                    route=route,
                    service_id="TOUS",
                    stops=[stops[code] for code, _m in sequence],
                    offsets=[minutes * 60 for _code, minutes in sequence],
                    start=6 * 3600,
                    end=21 * 3600,
                    headway=headway * 60,
                    trip_id=f"{route_id}-{direction}",
                )
    out(f"transit: réseau illustratif « niamey » ({len(STOPS)} arrêts, {len(LINES)} lignes)")


def _reverse(served):
    total = served[-1][1]
    return [(code, total - minutes) for code, minutes in reversed(served)]
