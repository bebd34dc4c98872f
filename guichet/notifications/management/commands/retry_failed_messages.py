from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from guichet.notifications.services import requeue


class Command(BaseCommand):
    help = (
        "Renvoie les messages en échec depuis moins de --days jours, et ceux restés en attente "
        "ou en cours d'envoi depuis plus de --stale-minutes minutes (à lancer par cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2)
        parser.add_argument("--stale-minutes", type=int, default=15)

    def handle(self, *args, days: int, stale_minutes: int, **options):
        ids = requeue(
            failed_since=timedelta(days=days), stale_after=timedelta(minutes=stale_minutes)
        )
        self.stdout.write(
            ngettext(
                "%(count)d message remis en file d'envoi.",
                "%(count)d messages remis en file d'envoi.",
                len(ids),
            )
            % {"count": len(ids)}
        )
