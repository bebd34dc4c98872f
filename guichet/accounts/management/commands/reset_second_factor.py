"""Remove every second factor of an agent (lost phone and lost recovery codes); audited."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from guichet.accounts.models import User
from guichet.accounts.second_factor import reset_second_factor


class Command(BaseCommand):
    help = (
        "Réinitialise la double authentification d'un agent, au nom d'un administrateur de la "
        "plateforme : l'agent en configure une nouvelle à sa prochaine connexion."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="l'agent")
        parser.add_argument("--by", required=True, help="l'administrateur qui la réinitialise")

    def handle(self, *args, username, by, **options):
        try:
            agent = User.objects.get(username=username, kind=User.Kind.AGENT)
            actor = User.objects.get(username=by)
        except User.DoesNotExist as error:
            raise CommandError("Compte introuvable.") from error
        try:
            removed = reset_second_factor(agent, actor=actor)
        except PermissionDenied as error:
            raise CommandError(f"{by} n'est pas administrateur de la plateforme.") from error
        self.stdout.write(
            ngettext(
                "%(count)d appareil retiré pour %(username)s.",
                "%(count)d appareils retirés pour %(username)s.",
                removed,
            )
            % {"count": removed, "username": username}
        )
