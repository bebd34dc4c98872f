"""Background work: Celery (broker, eager mode, the beat schedule), the after-commit thread, and
the periodic jobs run in-process when there is no beat."""

import os

from guichet.settings.environment import TESTING, env_bool
from guichet.settings.languages import TIME_ZONE
from guichet.settings.storage import REDIS_URL

# Background work: Celery with Redis in production; in-process (eager) in the embedded mode.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
# Tests run tasks in-process too; the Redis-backed test (marked "redis") sets up a real worker.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL or TESTING
CELERY_TASK_EAGER_PROPAGATES = False
# The after-commit work of a request (the audit sequencer; without a broker, the notices) goes to a
# per-process thread that merges what every request committed meanwhile (guichet/after_commit.py),
# waiting this many seconds to gather more. Tests run it inline, in the request.
AFTER_COMMIT_IN_THREAD = env_bool("GUICHET_AFTER_COMMIT_THREAD", not TESTING)
AFTER_COMMIT_DELAY = float(os.environ.get("GUICHET_AFTER_COMMIT_DELAY", "0.05"))
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands a task to a worker and keeps it aside until acknowledged (acks_late: once done); a
# worker killed mid-task leaves it there, and Redis gives it to another worker only after this many
# seconds. Longer than the longest task and than the longest retry countdown (notifications'
# 600 s back-off), or a running or waiting task would be handed out twice (docs/deploy.md); the
# stack test uses a few seconds to see a killed worker's task come back.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("GUICHET_CELERY_VISIBILITY_TIMEOUT", "1800"))
}
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs for `celery -A guichet beat` (cron calling the commands works as well). Without
# beat (no REDIS_URL: the embedded mode), guichet/periodic.py runs this same schedule in-process at
# the end of requests; GUICHET_PERIODIC_JOBS_IN_PROCESS=0 turns that off.
PERIODIC_JOBS_IN_PROCESS = env_bool(
    "GUICHET_PERIODIC_JOBS_IN_PROCESS", not REDIS_URL and not TESTING
)
CELERY_BEAT_SCHEDULE = {
    "deadlines-reminders-and-escalations": {"task": "workflow.check_deadlines", "schedule": 3600},
    "retry-failed-messages": {"task": "notifications.retry_failed_messages", "schedule": 600},
    "gazette-in-force-status": {"task": "gazette.refresh_in_force_status", "schedule": 86400},
    # Open data: the years of the versions that came into force today (nothing else to render:
    # publications queue their own builds).
    "gazette-open-data": {"task": "gazette.build_open_data", "schedule": 86400, "args": ([],)},
    # Payments (issue 10): yesterday's paid / unpaid / refunded, pending ones asked back.
    "payments-daily-reconciliation": {
        "task": "payments.daily_reconciliation",
        "schedule": 86400,
    },
    # Audit trail: sequence pending entries and publish a signed checkpoint (at least every minute).
    "audit-checkpoint": {"task": "audit.publish_checkpoint", "schedule": 60},
    # Retention of personal data (law n° 2022-59): every kind of guichet/accounts/retention.py,
    # the EIG programme's and the complaints' address keys included (docs/privacy.md).
    "data-retention": {"task": "accounts.apply_retention", "schedule": 86400},
    # /healthz and /metrics: the age of the last heartbeat a worker ran (guichet.celery).
    "worker-heartbeat": {"task": "platform.worker_heartbeat", "schedule": 30},
}
