import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guichet import locks


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (organisations, agents de démonstration, données de "
        "chaque service). Refusé hors mode DEBUG. Peut être relancé sans effet."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo est réservé au mode démonstration (GUICHET_DEBUG=1) : il crée des "
                "comptes au mot de passe connu."
            )
        from guichet.accounts import demo as accounts_demo

        # Verbosity 0 (`make run`, whose banner names the demo accounts): one summary line.
        quiet = options["verbosity"] == 0
        details: list[str] = []

        def out(line: str) -> None:
            if quiet:
                details.append(line)
            else:
                self.stdout.write(line)

        # One transaction per app; each demo operation keeps the lock order on its own.
        with locks.batch_transaction():
            accounts_demo.load(out)
        for config in apps.get_app_configs():
            if not config.name.startswith("guichet.") or config.name == "guichet.accounts":
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name == f"{config.name}.demo":
                    continue
                raise
            with locks.batch_transaction():
                module.load(out)
        # Hausa, Zarma and English names of the reference rows (guichet/locale/data/*.po).
        from guichet import data_translations

        data_translations.import_shipped(out)
        # Audit trail: anchor the demo's entries in a signed checkpoint, so the first verify_audit
        # has one to check the log against (docs/deploy.md, « Journal d'audit »).
        from guichet.audit.services import publish_checkpoint

        checkpoint = publish_checkpoint()
        out(f"Journal d'audit : point de contrôle publié ({checkpoint.tree_size} entrées).")
        if quiet:
            self.stdout.write(
                f"Données de démonstration prêtes ({len(details)} lignes de détail : "
                "`.venv/bin/python manage.py load_demo` les affiche, sans rien recréer)."
            )
        else:
            self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
