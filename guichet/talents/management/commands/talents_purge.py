from django.core.management.base import BaseCommand

from guichet.talents.privacy import purge_expired, retention_days


class Command(BaseCommand):
    help = "Erase the EIG candidates not selected once the retention period has passed."

    def handle(self, *args, **options):
        erased = purge_expired()
        self.stdout.write(f"{erased} candidate(s) erased (retention {retention_days()} days).")
