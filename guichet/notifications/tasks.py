"""The Celery task that sends one stored message (Redis broker in production, eager when embedded)."""

from celery import shared_task

from guichet.notifications import services
from guichet.notifications.gateways import TransientGatewayError

MAX_RETRIES = 5


@shared_task(
    bind=True,
    autoretry_for=(TransientGatewayError,),
    retry_backoff=30,  # 30 s, 1 min, 2 min, 4 min, 8 min (capped), with jitter
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
)
def send_message(self, message_id: int) -> str:
    """Send message `message_id` once; the stored row records every step.

    In the embedded mode (eager) the first failure is final: retrying in-process would hold the
    citizen's request for minutes. The message is marked failed and `retry_failed_messages`
    (cron) sends it again later.
    """
    final = bool(self.request.is_eager) or self.request.retries >= self.max_retries
    return services.deliver(message_id, final_attempt=final)


@shared_task(name="notifications.retry_failed_messages")
def retry_failed_messages(days: int = 2, stale_minutes: int = 15) -> int:
    """Periodic: send again what an outage left failed, queued or stuck (see the command)."""
    from datetime import timedelta

    return len(
        services.requeue(
            failed_since=timedelta(days=days), stale_after=timedelta(minutes=stale_minutes)
        )
    )
