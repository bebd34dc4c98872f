from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from guichet.workflow.services import backfill_due_counts


class Command(BaseCommand):
    help = (
        "Une fois, après la migration workflow 0004 : enregistre comment l'échéance des dossiers "
        "ouverts avant elle a été comptée (jours ouvrés depuis l'ouverture), pour que la mention "
        "« Date estimée » s'affiche et que les échéances soient recomptées à l'annonce d'une fête. "
        "Les échéances ne bougent pas ; une entrée d'audit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Compter sans rien enregistrer.")
        )

    def handle(self, *args, dry_run=False, **options):
        counts = backfill_due_counts(dry_run=dry_run)
        message = (
            _(
                "Échéances comptées en jours ouvrés : %(counted)d (dont %(estimated)d estimées) ; "
                "choisies à la main, laissées telles quelles : %(by_hand)d."
            )
            % counts
        )
        if dry_run:
            message = _("Simulation, rien n'est enregistré. %(message)s") % {"message": message}
        self.stdout.write(message)
