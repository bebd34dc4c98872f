from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.transit"
    verbose_name = _("Transport")
    nav = [(_("Transport"), "transit:home")]

    def ready(self) -> None:
        from django.conf import settings

        from guichet.transit import channels  # noqa: F401  (registers BUS and the USSD menu)

        if getattr(settings, "TRANSIT_WARM_ON_START", False):
            import threading

            from guichet.transit import planner

            # No database here: only the compiled kernels; feeds are mapped on first use.
            threading.Thread(target=planner.warm_up, name="transit-warm-up", daemon=True).start()
