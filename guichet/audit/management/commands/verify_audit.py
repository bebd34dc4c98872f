from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.audit.selectors import verify_log
from guichet.audit.services import publish_checkpoint, sequence_pending


class Command(BaseCommand):
    help = (
        "Vérifie le journal d'audit : chaque entrée, l'arbre de Merkle, la signature de chaque point "
        "de contrôle et la cohérence du journal avec les points de contrôle conservés hors de la base. "
        "Code de sortie 1 en cas d'altération ; publie un nouveau point de contrôle sinon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="FICHIER",
            help="Point de contrôle conservé ailleurs (copie expédiée, rapport de la veille).",
        )
        parser.add_argument(
            "--no-checkpoint",
            action="store_true",
            help="Ne pas publier de point de contrôle après une vérification réussie.",
        )

    def handle(self, *args, **options):
        anchors = []
        for name in options["anchor"]:
            try:
                anchors.append(Path(name).read_text(encoding="utf-8"))
            except OSError as error:
                raise CommandError(f"Point de contrôle {name} illisible : {error}.") from error
        sequence_pending()
        report = verify_log(anchors=anchors)
        if not report.intact:
            lines = "\n".join(f"  - {problem}" for problem in report.problems)
            altered = ngettext(
                "Journal d'audit altéré (%(count)d problème) :",
                "Journal d'audit altéré (%(count)d problèmes) :",
                len(report.problems),
            ) % {"count": len(report.problems)}
            raise CommandError(f"{altered}\n{lines}")
        entries = ngettext("%(count)d entrée", "%(count)d entrées", report.size) % {
            "count": report.size
        }
        checked = ngettext(
            "%(count)d point de contrôle vérifié",
            "%(count)d points de contrôle vérifiés",
            report.checkpoints_checked,
        ) % {"count": report.checkpoints_checked}
        message = _("Journal d'audit intact (%(entries)s, racine %(root)s, %(checked)s).") % {
            "entries": entries,
            "root": report.root.hex(),
            "checked": checked,
        }
        if report.size and report.latest_external is None:
            message += " Attention : aucun point de contrôle externe n'a été trouvé."
        self.stdout.write(self.style.SUCCESS(message))
        if not options["no_checkpoint"]:
            checkpoint = publish_checkpoint()
            self.stdout.write(f"Point de contrôle publié :\n{checkpoint.text}")
