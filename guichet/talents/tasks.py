from celery import shared_task


@shared_task(name="talents.purge_expired")
def purge_expired() -> int:
    from guichet.talents.privacy import purge_expired as purge

    return purge()
