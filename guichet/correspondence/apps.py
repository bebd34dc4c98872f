from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.correspondence"
    verbose_name = _("Courrier")
    # An agents' tool: not in the citizens' menu.
    agent_tools = [(_("Courrier"), "correspondence:home")]

    def ready(self) -> None:
        from guichet.workflow.deadlines import register_case_describer

        register_case_describer("mail", describe_mail)

        from guichet.accounts import data_access
        from guichet.correspondence import personal_data

        # Scans' retention, a correspondent's access (law n° 2022-59).
        data_access.register_personal_data(personal_data.KINDS, personal_data.SECTION)


def describe_mail(case) -> dict:
    """How deadline reminders name a mail: its number, subject (hidden if confidential), page."""
    from django.urls import reverse

    mail = getattr(case, "mail", None)
    if mail is None:
        return {}
    return {
        "reference": mail.reference,
        "subject": str(_("courrier confidentiel")) if mail.is_confidential else mail.subject[:80],
        "url": reverse("correspondence:detail", args=[mail.pk]),
    }
