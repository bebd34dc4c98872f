from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.accounts"
    verbose_name = _("Comptes et organisations")

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_migrate

        from guichet.accounts import checks as deploy_checks
        from guichet.accounts import signals

        signals.connect()
        # Production fails loudly (issue 9): `check --deploy` warns about development adapters.
        checks.register(deploy_checks.sms_gateway_check, checks.Tags.security, deploy=True)
        checks.register(deploy_checks.signing_authority_check, checks.Tags.security, deploy=True)
        checks.register(deploy_checks.timestamp_authority_check, checks.Tags.security, deploy=True)
        post_migrate.connect(signals.create_cache_table, sender=self)

        # Security (issue 9): huge ids in `__in` lookups match nothing instead of a 500.
        from guichet import integer_lookups

        integer_lookups.register()

        # Law n° 2022-59: retention periods and the citizen's access to their data (registries of
        # guichet/accounts/retention.py and data_access.py; the other apps register their own).
        from django.core.signals import request_finished

        from guichet import periodic
        from guichet.accounts import data_access, personal_data

        data_access.register_personal_data(personal_data.KINDS, personal_data.SECTION)
        # Without Celery beat (the embedded mode), the beat schedule runs at the end of requests.
        request_finished.connect(periodic.run_due_jobs_now_and_then, dispatch_uid="periodic-jobs")
