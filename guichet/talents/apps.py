from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.talents"
    verbose_name = _("Programme EIG")
    nav = [(_("Programme EIG"), "talents:programme")]
