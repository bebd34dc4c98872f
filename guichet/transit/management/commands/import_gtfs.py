import resource
import time

from django.core.management.base import BaseCommand, CommandError

from guichet.accounts.models import Organisation
from guichet.transit.services import FeedRefused, TransitError, import_feed


class Command(BaseCommand):
    help = "Valide puis importe un flux GTFS (zip ou dossier) sous un nom ; remplace l'ancien."
    # Django's system checks (≈ 2 s of CPU on this project) run at deploy (`check --deploy`) and
    # with the server, not again for every feed a cron job imports.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--name", required=True, help="nom du réseau, ex. niamey-bus")
        parser.add_argument("--title", default="")
        parser.add_argument("--organisation", default="", help="code, ex. MT-DTT")

    def handle(self, path, name, title, organisation, **options):
        org = None
        if organisation:
            org = Organisation.objects.filter(code=organisation).first()
            if org is None:
                raise CommandError(f"Organisation inconnue : {organisation}")
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            result = import_feed(path, name, title=title, organisation=org)
        except FeedRefused as refused:
            for line in refused.report.lines():
                self.stderr.write(line)
            raise CommandError("Flux refusé : rien n'a été importé.") from None
        except (TransitError, FileNotFoundError) as error:
            raise CommandError(str(error)) from None
        for line in result.report.lines():
            self.stdout.write(line)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        stop_times = result.counts.get("stop_times.txt", 0)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"Réseau « {name} » importé (version {result.feed.version}) : "
            + ", ".join(f"{k} {v}" for k, v in result.counts.items())
            + f" — {elapsed:.1f} s ({cpu:.1f} s de CPU), "
            f"{stop_times / max(elapsed, 1e-9):.0f} stop_times/s, mémoire max {peak:.0f} Mo"
        )
