from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from guichet.gazette.indexing import refresh_in_force_status


class Command(BaseCommand):
    help = "Met à jour « en vigueur / abrogé » des textes dont l'abrogation a pris effet (chaque jour)."

    def handle(self, *args, **options):
        count = refresh_in_force_status()
        self.stdout.write(
            ngettext(
                "%(count)d texte désormais abrogé dans l'index de recherche.",
                "%(count)d textes désormais abrogés dans l'index de recherche.",
                count,
            )
            % {"count": count}
        )
