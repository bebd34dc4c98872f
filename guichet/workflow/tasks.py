from celery import shared_task

from guichet.workflow.deadlines import check_deadlines as run_check


@shared_task(name="workflow.check_deadlines")
def check_deadlines() -> dict[str, int]:
    """Periodic (Celery beat, e.g. hourly): reminders and escalations of case deadlines."""
    return run_check()
