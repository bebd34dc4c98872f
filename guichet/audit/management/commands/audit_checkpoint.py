import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand

from guichet.audit.services import publish_checkpoint


class Command(BaseCommand):
    help = (
        "Séquence les entrées d'audit en attente et publie un point de contrôle signé (base, "
        "stockage et GUICHET_AUDIT_CHECKPOINT_DIR). À lancer chaque minute si Celery beat ne tourne pas."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-due",
            action="store_true",
            help="Seulement si le journal a grandi et que le dernier point date de plus d'un intervalle.",
        )

    def handle(self, *args, **options):
        min_age = (
            dt.timedelta(seconds=settings.AUDIT_CHECKPOINT_INTERVAL) if options["if_due"] else None
        )
        checkpoint = publish_checkpoint(min_age=min_age)
        if checkpoint is None:
            self.stdout.write("Aucun point de contrôle nécessaire.")
        else:
            self.stdout.write(checkpoint.text)
