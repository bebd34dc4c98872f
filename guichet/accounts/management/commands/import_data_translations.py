from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet import data_translations


class Command(BaseCommand):
    help = (
        "Importe les traductions des données de référence depuis des fichiers PO (<langue>.po, "
        "comme les écrit export_data_translations). Les entrées vides ou « fuzzy » sont ignorées ; "
        "celles dont le texte français a changé depuis l'export sont signalées, pas importées."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", help="fichiers <langue>.po (par défaut : ceux livrés)"
        )

    def handle(self, *args, files, **options):
        paths = [Path(name) for name in files] or sorted(data_translations.DATA_PO_DIR.glob("*.po"))
        for path in paths:
            language = path.stem
            if language not in data_translations.target_languages():
                raise CommandError(
                    f"{path} : le nom du fichier doit être la langue (ha.po, dje.po, en.po)."
                )
            try:
                report = data_translations.import_po(language, path.read_bytes())
            except (OSError, ValueError) as error:
                raise CommandError(f"{path} : {error}") from error
            self.stdout.write(
                f"{path} : {report.updated} traductions mises à jour, {report.unchanged} inchangées."
            )
            for where in report.outdated:
                self.stdout.write(f"  texte français modifié depuis l'export, à revoir : {where}")
            for where in report.unknown:
                self.stdout.write(f"  ligne ou champ inconnu : {where}")
