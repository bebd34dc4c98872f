from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GazetteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.gazette"
    verbose_name = _("Journal officiel")
    nav = [(_("Journal officiel"), "gazette:home")]
