from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.audit"
    verbose_name = _("Journal d'audit")

    def ready(self):
        from django.core import checks

        from guichet.audit import actions, database
        from guichet.audit import checks as deploy_checks

        actions.discover()
        checks.register(deploy_checks.audit_key_check, checks.Tags.security, deploy=True)
        checks.register(deploy_checks.checkpoint_copies_check, checks.Tags.security, deploy=True)

        connection_created.connect(database.register_sqlite_functions)
        post_migrate.connect(database.grant_configured_app_role, sender=self)
