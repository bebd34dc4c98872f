from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guichet.workflow"
    verbose_name = _("Circuit de traitement")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from guichet.workflow.calendar import forget_holidays
        from guichet.workflow.models import PublicHoliday

        # Deadlines read the holidays through a short per-process memo (calendar.py).
        post_save.connect(forget_holidays, sender=PublicHoliday, dispatch_uid="forget-holidays")
        post_delete.connect(forget_holidays, sender=PublicHoliday, dispatch_uid="forget-holidays")
