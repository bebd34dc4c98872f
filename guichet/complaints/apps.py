from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.navigation import CitizenTask


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.complaints"
    verbose_name = _("Plaintes")
    nav = [(_("Plaintes"), "complaints:home")]
    citizen_tasks = [
        CitizenTask(
            _("Porter plainte"),
            "complaints:file",
            _(
                "Un problème avec un service public : accueil, frais demandés, attente ? "
                "Dites-le. Vous pouvez cacher votre nom."
            ),
            cost=_("Gratuit, sans compte."),
            delay=_("Avec votre référence, vous recevez le délai de réponse de l'administration."),
            offline=_(
                "Par SMS : PLAINTE et votre message au {short_code}. Par USSD : {ussd_code}."
            ),
            order=10,
        ),
        CitizenTask(
            _("Suivre ma démarche"),
            "follow",
            _("Une plainte, une demande d'extrait, une candidature : voyez où elle en est."),
            cost=_("Gratuit."),
            offline=_("Par SMS : SUIVI et la référence de votre plainte au {short_code}."),
            order=20,
        ),
    ]
    agent_tools = [(_("Plaintes à traiter"), "complaints:agent_list")]

    def ready(self) -> None:
        # SMS commands and USSD menus register themselves on import.
        from django.db.models.signals import post_delete, post_save

        from guichet.complaints import channels  # noqa: F401
        from guichet.complaints.models import Category, Open311Partner
        from guichet.complaints.services import (
            describe_case,
            forget_categories,
            forget_partner,
            notify_status_change,
        )
        from guichet.workflow.deadlines import register_case_describer
        from guichet.workflow.services import register_case_listener

        # Open311 calls read their partner through a short per-process memo (services.py).
        post_save.connect(forget_partner, sender=Open311Partner, dispatch_uid="forget-partner")
        post_delete.connect(forget_partner, sender=Open311Partner, dispatch_uid="forget-partner")
        # And their category (services.open_category).
        post_save.connect(forget_categories, sender=Category, dispatch_uid="forget-categories")
        post_delete.connect(forget_categories, sender=Category, dispatch_uid="forget-categories")
        register_case_listener("complaint", notify_status_change)
        register_case_describer("complaint", describe_case)

        from guichet.accounts import data_access
        from guichet.complaints import personal_data

        # Retention periods and « Mes données » (law n° 2022-59).
        data_access.register_personal_data(personal_data.KINDS, personal_data.SECTION)
