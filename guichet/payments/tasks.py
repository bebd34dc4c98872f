"""Celery beat runs the reconciliation of the previous day every night (settings)."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from guichet.payments import services


@shared_task(name="payments.daily_reconciliation")
def daily_reconciliation() -> dict:
    return services.reconcile(timezone.localdate() - dt.timedelta(days=1)).as_dict()
