from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.transit"
    verbose_name = _("Transport")
    nav = [(_("Transport"), "transit:home")]

    def ready(self) -> None:
        from guichet.transit import channels  # noqa: F401  (registers BUS and the USSD menu)
