from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.navigation import CitizenTask


class GazetteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.gazette"
    verbose_name = _("Journal officiel")
    nav = [(_("Journal officiel"), "gazette:home")]
    citizen_tasks = [
        CitizenTask(
            _("Lire le Journal officiel"),
            "gazette:home",
            _(
                "Les lois, décrets et arrêtés publiés, à jour de leurs modifications, à citer et vérifier."
            ),
            cost=_("Gratuit."),
            order=50,
        )
    ]
    agent_tools = [(_("Rédaction du Journal officiel"), "gazette:editor")]
