from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.complaints"
    verbose_name = _("Plaintes")
    nav = [(_("Plaintes"), "complaints:home")]

    def ready(self) -> None:
        # SMS commands and USSD menus register themselves on import.
        from guichet.complaints import channels  # noqa: F401
        from guichet.complaints.services import describe_case, notify_status_change
        from guichet.workflow.deadlines import register_case_describer
        from guichet.workflow.services import register_case_listener

        register_case_listener("complaint", notify_status_change)
        register_case_describer("complaint", describe_case)
