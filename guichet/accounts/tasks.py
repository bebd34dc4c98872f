from celery import shared_task


@shared_task(name="accounts.apply_retention")
def apply_retention() -> dict:
    """The daily retention job (Celery beat `data-retention`; law n° 2022-59)."""
    from guichet.accounts.retention import apply_retention as apply

    return apply()
