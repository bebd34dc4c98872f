from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.navigation import CitizenTask


class TransitConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.transit"
    verbose_name = _("Transport")
    nav = [(_("Transport"), "transit:home")]
    citizen_tasks = [
        CitizenTask(
            _("Horaires et trajets des bus"),
            "transit:home",
            _("Trouvez un trajet, ses correspondances et les prochains départs à un arrêt."),
            cost=_("Gratuit."),
            offline=_("Par SMS : BUS départ > arrivée au {short_code}."),
            order=40,
        )
    ]
    agent_tools = [(_("Réseaux de transport"), "transit:editor")]

    def ready(self) -> None:
        from django.conf import settings

        from guichet.transit import channels  # noqa: F401  (registers BUS and the USSD menu)

        if getattr(settings, "TRANSIT_WARM_ON_START", False):
            import threading

            from guichet.transit import planner

            # No database here: only the compiled kernels; feeds are mapped on first use.
            threading.Thread(target=planner.warm_up, name="transit-warm-up", daemon=True).start()
