from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from google.protobuf.message import DecodeError

from guichet.transit import realtime
from guichet.transit.models import Feed
from guichet.transit.services import store_trip_updates


class Command(BaseCommand):
    help = "Lit les TripUpdates GTFS Realtime (URL ou fichier) et enregistre les retards."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("source", help="URL http(s) ou chemin d'un fichier protobuf")

    def handle(self, name, source, **options):
        feed = Feed.objects.filter(name=name).first()
        if feed is None:
            raise CommandError(f"Réseau inconnu : {name}")
        try:
            payload = realtime.fetch(source)
            updates = realtime.trip_updates(payload)
        except (OSError, DecodeError) as error:
            raise CommandError(f"Flux temps réel illisible : {error}") from None
        count = store_trip_updates(feed=feed, updates=updates)
        trips = len({u["trip_id"] for u in updates})
        updated = ngettext(
            "%(count)d mise à jour enregistrée", "%(count)d mises à jour enregistrées", count
        ) % {"count": count}
        for_trips = ngettext("pour %(count)d trajet", "pour %(count)d trajets", trips) % {
            "count": trips
        }
        # Translators: « 3 mises à jour enregistrées » « pour 2 trajets ».
        self.stdout.write(
            _("%(updated)s %(for_trips)s.") % {"updated": updated, "for_trips": for_trips}
        )
