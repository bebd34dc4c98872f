import pytest
from django.conf import settings

from guichet.celery import app
from guichet.notifications.models import Message
from guichet.notifications.tasks import retry_failed_messages


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


@pytest.mark.django_db
def test_periodic_retry_requeues_failed_messages(django_capture_on_commit_callbacks):
    message = Message.objects.create(
        channel=Message.Channel.SMS,
        recipient="+22790123456",
        template="test",
        body="Bonjour",
        status=Message.Status.FAILED,
        last_error="gateway down",
        retryable=True,
        attempts=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_failed_messages() == 1
    message.refresh_from_db()
    # Requeued and sent again in-process by the console gateway.
    assert message.status in {Message.Status.SENT, Message.Status.DELIVERED}
    assert message.attempts == 2
