"""List the penalties whose legal nature is unknown (« autre mesure »), for the clerks.

manage.py penalties_to_qualify            # one line per penalty
manage.py penalties_to_qualify --count    # the number only (monitoring)
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from guichet.criminal_records import selectors


class Command(BaseCommand):
    help = "Peines encore « autre mesure » que le greffe doit qualifier (nature légale inconnue)."

    def add_arguments(self, parser):
        parser.add_argument("--count", action="store_true", help="Afficher le nombre seulement.")

    def handle(self, *args, count=False, **options):
        penalties = selectors.penalties_to_qualify()
        if count:
            self.stdout.write(str(penalties.count()))
            return
        for penalty in penalties:
            conviction = penalty.conviction
            self.stdout.write(
                f"peine {penalty.pk}\tfiche {conviction.person_id} {conviction.person.full_name}\t"
                f"{conviction.court.code} {conviction.decision_date:%d/%m/%Y}\t"
                f"« {penalty.description} »"
            )
        total = penalties.count()
        self.stdout.write(
            ngettext("%(count)d peine à qualifier.", "%(count)d peines à qualifier.", total)
            % {"count": total}
        )
