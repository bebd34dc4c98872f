from django.core.management.base import BaseCommand, CommandError

from guichet.audit.models import AuditEntry
from guichet.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Vérifie la chaîne de hachage du journal d'audit (code de sortie non nul si elle est rompue)."

    def handle(self, *args, **options):
        broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Chaîne d'audit rompue à l'entrée #{broken.sequence} : {broken.problem}."
            )
        count = AuditEntry.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Chaîne d'audit intacte ({count} entrées)."))
