from celery import shared_task


@shared_task(name="gazette.refresh_in_force_status")
def refresh_in_force_status() -> int:
    from guichet.gazette.services import refresh_in_force_status as refresh

    return refresh()
