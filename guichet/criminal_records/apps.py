from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriminalRecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.criminal_records"
    verbose_name = _("Casier judiciaire")
    nav = [(_("Casier judiciaire"), "criminal_records:home")]

    def ready(self) -> None:
        from guichet.criminal_records import (
            channels,  # noqa: F401  (registers the CASIER SMS)
            fees,  # noqa: F401  (registers the fee's on_paid)
        )
