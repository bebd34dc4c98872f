from django.core.management.base import BaseCommand, CommandError

from guichet.transit.export import write_gtfs
from guichet.transit.models import Feed


class Command(BaseCommand):
    help = "Exporte un réseau en zip GTFS."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("path")

    def handle(self, name, path, **options):
        feed = Feed.objects.filter(name=name).first()
        if feed is None:
            raise CommandError(f"Réseau inconnu : {name}")
        write_gtfs(feed, path)
        self.stdout.write(f"Réseau « {name} » exporté dans {path}")
