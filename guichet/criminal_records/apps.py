from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.navigation import CitizenTask


class CriminalRecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.criminal_records"
    verbose_name = _("Casier judiciaire")
    nav = [(_("Casier judiciaire"), "criminal_records:home")]
    citizen_tasks = [
        CitizenTask(
            _("Obtenir mon extrait de casier judiciaire (bulletin n°3)"),
            "criminal_records:home",
            _(
                "Demandez-le ici avec votre téléphone. Le greffe vérifie votre identité, puis "
                "vous prévient par SMS. L'extrait est signé et vérifiable."
            ),
            cost=_(
                "Timbres fiscaux : 1 150 F (1 000 + 150 F) ; 6 500 F si vous êtes né à "
                "l'étranger (5 000 + 1 500 F)."
            ),
            delay=_("Un SMS vous prévient à chaque étape de votre demande."),
            offline=_("Par SMS : CASIER et la référence de votre demande au {short_code}."),
            order=30,
        ),
        CitizenTask(
            _("Vérifier un extrait de casier judiciaire"),
            "criminal_records:verify",
            _("Employeurs : tapez le code imprimé sur l'extrait pour savoir s'il est authentique."),
            cost=_("Gratuit."),
            order=35,
        ),
    ]
    agent_tools = [(_("Greffe : casier judiciaire"), "criminal_records:clerk_home")]

    def ready(self) -> None:
        from guichet.accounts import data_access
        from guichet.criminal_records import (
            channels,  # noqa: F401  (registers the CASIER SMS)
            fees,  # noqa: F401  (registers the fee's on_paid)
            personal_data,
        )

        # Identity documents' retention, « Mes données » (law 2022-59).
        data_access.register_personal_data(personal_data.KINDS, personal_data.SECTION)
