"""At deploy: compile (once per feed version) and map every feed's timetable, load the kernels."""

import time

from django.core.management.base import BaseCommand

from guichet.transit import planner, timetables
from guichet.transit.models import Feed


class Command(BaseCommand):
    help = "Compile and map the timetable of every feed (stored in TRANSIT_TIMETABLE_DIR)."

    def handle(self, **options):
        started = time.perf_counter()
        planner.warm_up()
        self.stdout.write(f"Noyaux du calculateur chargés en {time.perf_counter() - started:.1f} s")
        for feed in Feed.objects.using(timetables.DB).order_by("name"):
            began = time.perf_counter()
            tt = timetables.timetable_for(feed)
            timetables.name_index(feed)
            where = timetables.stored_path(feed)
            self.stdout.write(
                f"{feed.name} (version {feed.version}) : {tt.n_stops} arrêts, "
                f"{len(tt.departure)} horaires, {time.perf_counter() - began:.1f} s"
                + (f" — {where}" if where else " — non stocké (TRANSIT_TIMETABLE_DIR vide)")
            )
