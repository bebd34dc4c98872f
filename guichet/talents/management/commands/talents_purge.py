from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from guichet.talents.privacy import purge_expired, retention_days


class Command(BaseCommand):
    help = "Erase the EIG candidates not selected once the retention period has passed."

    def handle(self, *args, **options):
        erased = purge_expired()
        days = retention_days()
        self.stdout.write(
            ngettext(
                "%(count)d candidature effacée (conservation : %(days)d jours).",
                "%(count)d candidatures effacées (conservation : %(days)d jours).",
                erased,
            )
            % {"count": erased, "days": days}
        )
