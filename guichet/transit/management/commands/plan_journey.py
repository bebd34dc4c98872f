import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from guichet.transit import selectors


class Command(BaseCommand):
    help = "Calcule un itinéraire (comme GET /api/transit/plan)."

    def add_arguments(self, parser):
        parser.add_argument("--feed", required=True)
        parser.add_argument("--from", dest="origin", required=True, help="STOP_ID ou lat,lon")
        parser.add_argument("--to", dest="destination", required=True, help="STOP_ID ou lat,lon")
        parser.add_argument("--depart", default="")
        parser.add_argument("--arrive", default="")
        parser.add_argument("--max-walk-m", dest="max_walk_m", default="")
        parser.add_argument("--max-transfers", dest="max_transfers", default="")
        parser.add_argument("--wheelchair", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, **o):
        params = {
            "from": o["origin"],
            "to": o["destination"],
            "depart": o["depart"],
            "arrive": o["arrive"],
            "max_walk_m": o["max_walk_m"],
            "max_transfers": o["max_transfers"],
            "wheelchair": "1" if o["wheelchair"] else "",
        }
        try:
            feed = selectors.feed_by_name(o["feed"])
            request = selectors.parse_plan_request(feed, params)
            journeys = selectors.plan(feed, request)
        except selectors.PlanError as error:
            raise CommandError(error.message) from None
        if o["json"]:
            data = {"journeys": [selectors.journey_json(feed, j) for j in journeys]}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if not journeys:
            self.stdout.write("Aucun itinéraire trouvé.")
        for journey in journeys:
            transfers = ngettext(
                "%(count)d correspondance", "%(count)d correspondances", journey.transfers
            ) % {"count": journey.transfers}
            self.stdout.write(f"{journey.departure:%H:%M} → {journey.arrival:%H:%M}, {transfers}")
            for leg in selectors.describe(feed, journey):
                if leg.mode == "walk":
                    self.stdout.write(
                        f"  {leg.departure:%H:%M} à pied de {leg.from_name} à {leg.to_name} "
                        f"({leg.minutes} min)"
                    )
                else:
                    self.stdout.write(
                        f"  {leg.departure:%H:%M} ligne {leg.route} ({leg.headsign}) "
                        f"de {leg.from_name} à {leg.to_name}, arrivée {leg.arrival:%H:%M}"
                    )
