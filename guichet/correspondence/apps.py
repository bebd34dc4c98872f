from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.correspondence"
    verbose_name = _("Courrier")
    nav = [(_("Courrier"), "correspondence:home")]
