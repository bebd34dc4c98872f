from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Each app imports its own channels.py from ready(); importing every app's channels
        # module here too means one that forgets still gets its commands and menus registered.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("channels")
