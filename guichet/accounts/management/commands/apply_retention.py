"""`manage.py apply_retention [--dry-run]`: the daily retention job (law n° 2022-59)."""

from django.core.management.base import BaseCommand

from guichet.accounts import retention


class Command(BaseCommand):
    help = (
        "Efface ou anonymise les données personnelles dont la durée de conservation est écoulée "
        "(docs/privacy.md) ; --dry-run affiche seulement les nombres, par type."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Compter ce qui serait effacé, par type, sans rien effacer.",
        )

    def handle(self, *args, dry_run=False, **options):
        counts = retention.apply_retention(dry_run=dry_run)
        verb = "à effacer" if dry_run else "effacés"
        for kind in retention.kinds():
            self.stdout.write(
                f"{kind.code}: {counts.get(kind.code, 0)} {verb} "
                f"(conservation {kind.days} jours, {kind.environment_variable})"
            )
