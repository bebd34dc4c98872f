from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet import data_translations


class Command(BaseCommand):
    help = (
        "Exporte en fichiers PO les noms des données de référence (catégories de plaintes, "
        "organisations, réseaux, profils EIG) avec leurs traductions : un fichier par langue, "
        "<dossier>/<langue>.po, à traduire avec Poedit, Weblate…"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(data_translations.DATA_PO_DIR))
        parser.add_argument(
            "-l", "--locale", action="append", help="ha, dje, en (toutes par défaut)"
        )

    def handle(self, *args, directory, locale, **options):
        languages = locale or data_translations.target_languages()
        unknown = set(languages) - set(data_translations.target_languages())
        if unknown:
            raise CommandError(f"Langue inconnue : {', '.join(sorted(unknown))}.")
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        for language in languages:
            path = folder / f"{language}.po"
            path.write_bytes(data_translations.export_po(language))
            self.stdout.write(f"{path} écrit.")
