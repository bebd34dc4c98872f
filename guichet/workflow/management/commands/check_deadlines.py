from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.workflow.deadlines import check_deadlines


class Command(BaseCommand):
    help = "Rappels avant échéance et signalement au chef de service des dossiers en retard."

    def handle(self, *args, **options):
        counts = check_deadlines()
        reminders = ngettext("%(count)d rappel", "%(count)d rappels", counts["reminders"]) % {
            "count": counts["reminders"]
        }
        escalations = ngettext(
            "%(count)d signalement", "%(count)d signalements", counts["escalations"]
        ) % {"count": counts["escalations"]}
        self.stdout.write(
            _("Envoyés : %(reminders)s, %(escalations)s.")
            % {"reminders": reminders, "escalations": escalations}
        )
