from django.core.management.base import BaseCommand

from guichet.workflow.deadlines import check_deadlines


class Command(BaseCommand):
    help = "Rappels avant échéance et signalement au chef de service des dossiers en retard."

    def handle(self, *args, **options):
        counts = check_deadlines()
        self.stdout.write(
            f"{counts['reminders']} rappel(s), {counts['escalations']} signalement(s) envoyés."
        )
