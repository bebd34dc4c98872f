from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.complaints"
    verbose_name = _("Plaintes")
    nav = [(_("Plaintes"), "complaints:home")]
