from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.accounts"
    verbose_name = _("Comptes et organisations")

    def ready(self):
        # Security (issue 9): huge ids in `__in` lookups match nothing instead of a 500.
        from guichet import integer_lookups

        integer_lookups.register()
