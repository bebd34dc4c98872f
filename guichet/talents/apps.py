from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.navigation import CitizenTask


class TalentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.talents"
    verbose_name = _("Programme EIG")
    nav = [(_("Programme EIG"), "talents:programme")]
    citizen_tasks = [
        CitizenTask(
            _("Candidater au programme EIG"),
            "talents:programme",
            _(
                "Développeurs, designers, data scientists : travaillez dix mois dans une "
                "administration sur un défi numérique."
            ),
            cost=_("Gratuit."),
            delay=_("La date limite est sur la page du programme."),
            order=60,
        )
    ]
    agent_tools = [
        (_("Programme EIG : mes défis"), "talents:owner_home"),
        (_("Programme EIG : ANSI"), "talents:manager_home"),
        (_("Programme EIG : jury"), "talents:jury_home"),
    ]

    def ready(self) -> None:
        from guichet.accounts import data_access
        from guichet.talents import personal_data

        # The platform's retention job and « Mes données » (law 2022-59).
        data_access.register_personal_data(personal_data.KINDS, personal_data.SECTION)
