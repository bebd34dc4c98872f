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
        from guichet.transit import channels  # noqa: F401  (registers BUS and the USSD menu)
