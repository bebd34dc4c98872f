from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from guichet.audit.privileges import NotApplicable, grant_app_role


class Command(BaseCommand):
    help = (
        "PostgreSQL : retire au rôle de l'application UPDATE, DELETE et TRUNCATE sur le journal "
        "d'audit (il garde SELECT, INSERT et l'écriture de la position d'une entrée). À lancer avec "
        "le rôle propriétaire, après chaque migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="Rôle PostgreSQL de l'application.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            done = grant_app_role(options["role"], connections[options["database"]])
        except NotApplicable as error:
            raise CommandError(str(error)) from error
        for statement in done:
            self.stdout.write(statement + ";")
