"""The embedded mode has no Celery beat: the end of a request runs, in-process, every job of
`settings.CELERY_BEAT_SCHEDULE` whose period has passed (guichet/periodic.py, issue 12)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import timezone

from guichet import periodic
from guichet.audit.models import AuditCheckpoint
from guichet.celery import app
from guichet.notifications.models import Message
from guichet.workflow import services as workflow
from guichet.workflow.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def embedded(settings, monkeypatch):
    settings.PERIODIC_JOBS_IN_PROCESS = True
    settings.SMS_GATEWAY = "console"
    monkeypatch.setattr(periodic, "_next_look", 0.0)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def overdue_case(organisations, make_agent):
    make_agent("chef", "head_of_service", "SGG", phone_number="+22790000001")
    return workflow.open_case(
        kind=Case.Kind.MAIL,
        organisation=organisations["SGG-BC"],
        due_at=timezone.now() - dt.timedelta(days=2),
    )


@pytest.fixture
def failed_sms():
    return Message.objects.create(
        channel=Message.Channel.SMS,
        recipient="+22790123456",
        body="Votre plainte est enregistrée.",
        status=Message.Status.FAILED,
        retryable=True,
        attempts=1,
    )


def test_a_request_runs_the_deadlines_and_the_failed_messages_jobs(
    client, overdue_case, failed_sms
):
    # Failed before: only checkpoints, the uploads purge and retention ran without beat;
    # check_deadlines and retry_failed_messages never did.
    assert client.get("/").status_code == 200
    overdue_case.refresh_from_db()
    failed_sms.refresh_from_db()
    assert overdue_case.escalated_at is not None
    # Queued again (sent once the test's transaction would commit).
    assert failed_sms.status == Message.Status.QUEUED
    assert AuditCheckpoint.objects.exists()


def test_each_job_of_the_beat_schedule_runs_once_per_period(monkeypatch):
    calls = []
    app.loader.import_default_modules()
    for entry in django_settings.CELERY_BEAT_SCHEDULE.values():
        task = app.tasks[entry["task"]]
        monkeypatch.setattr(task, "run", lambda *a, _name=task.name, **k: calls.append(_name))
    start = dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        assert set(periodic.run_due_jobs()) == set(django_settings.CELERY_BEAT_SCHEDULE)
        assert periodic.run_due_jobs() == []
    assert sorted(calls) == sorted(e["task"] for e in django_settings.CELERY_BEAT_SCHEDULE.values())
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        again = periodic.run_due_jobs()
    # The minute's jobs again, not the hourly or daily ones.
    assert set(again) == {
        name
        for name, entry in django_settings.CELERY_BEAT_SCHEDULE.items()
        if entry["schedule"] <= 60
    }
    assert "deadlines-reminders-and-escalations" not in again


def test_a_failing_job_is_logged_and_the_others_still_run(client, monkeypatch, failed_sms):
    app.loader.import_default_modules()
    logged = []
    monkeypatch.setattr(periodic.logger, "exception", lambda *args: logged.append(args))

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(app.tasks["workflow.check_deadlines"], "run", broken)
    assert client.get("/").status_code == 200
    assert [args[1] for args in logged] == ["deadlines-reminders-and-escalations"]
    failed_sms.refresh_from_db()
    assert failed_sms.status == Message.Status.QUEUED


def test_a_process_looks_at_most_every_thirty_seconds(client, failed_sms, overdue_case):
    client.get("/")
    cache.clear()  # as if every period had passed
    Case.objects.filter(pk=overdue_case.pk).update(escalated_at=None)
    client.get("/")  # within LOOK_EVERY of the first look: nothing runs
    overdue_case.refresh_from_db()
    assert overdue_case.escalated_at is None


def test_with_celery_beat_no_request_runs_a_job(client, settings, overdue_case):
    settings.PERIODIC_JOBS_IN_PROCESS = False
    client.get("/")
    overdue_case.refresh_from_db()
    assert overdue_case.escalated_at is None
