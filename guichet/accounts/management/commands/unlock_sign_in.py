"""Lift a password sign-in lockout (django-axes), for an account, an address, or both; audited."""

from axes.handlers.proxy import AxesProxyHandler
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import ngettext

from guichet.accounts import audit_actions
from guichet.audit.services import record


class Command(BaseCommand):
    help = "Débloque la connexion par mot de passe d'un compte et/ou d'une adresse IP."

    def add_arguments(self, parser):
        parser.add_argument("--username", help="identifiant de l'agent")
        parser.add_argument("--ip", help="adresse du client")
        parser.add_argument("--reason", default="", help="pourquoi (gardé dans le journal d'audit)")

    def handle(self, *args, username=None, ip=None, reason="", **options):
        if not username and not ip:
            raise CommandError("Indiquez --username, --ip, ou les deux.")
        with transaction.atomic():
            removed = AxesProxyHandler.reset_attempts(username=username, ip_address=ip)
            record(
                audit_actions.SIGNIN_UNLOCKED,
                reason=reason,
                data={"username": username or "", "ip_address": ip or "", "attempts": removed},
            )
        self.stdout.write(
            ngettext(
                "%(count)d tentative effacée ; connexion débloquée.",
                "%(count)d tentatives effacées ; connexion débloquée.",
                removed,
            )
            % {"count": removed}
        )
