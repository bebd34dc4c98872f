"""Observability: who may read /metrics, when the worker counts as stale, and the logs (format,
filters that mask personal data, levels)."""

import os

from django.core.exceptions import ImproperlyConfigured

from guichet.settings.background_jobs import CELERY_TASK_ALWAYS_EAGER
from guichet.settings.environment import DEBUG, TESTING, env_networks

# --- Monitoring: /metrics (guichet.monitoring) -------------------------------------------------
# Prometheus reads /metrics with `Authorization: Bearer <GUICHET_METRICS_TOKEN>` or from an address
# of GUICHET_METRICS_ALLOWED_IPS (CIDR list; the client address as in security.py, "Client
# addresses"). Neither set: refused to everyone (loopback allowed in DEBUG).
METRICS_TOKEN = os.environ.get("GUICHET_METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_networks(
    "GUICHET_METRICS_ALLOWED_IPS", "127.0.0.1/32,::1/128" if DEBUG and not TESTING else ""
)
# /healthz calls the worker "stale" when its last heartbeat is older than this (seconds).
WORKER_HEARTBEAT_STALE_SECONDS = int(os.environ.get("GUICHET_WORKER_HEARTBEAT_STALE", "120"))

# --- Logging ------------------------------------------------------------------------------------
# GUICHET_LOG_FORMAT=json: one JSON object per line (guichet.request_log.JsonFormatter), else plain
# text; both carry the request id. Every filter named in LOG_FILTERS runs on the console handler:
# add one by defining it in LOGGING["filters"] and appending its name here.
LOG_FORMAT = os.environ.get("GUICHET_LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"GUICHET_LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOG_FILTERS = ["request_id", "mask_personal_data"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "guichet.request_log.JsonFormatter"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    # Law n° 2022-59: every handler masks phone numbers and references (guichet/log_privacy.py).
    "filters": {
        "request_id": {"()": "guichet.request_log.RequestIdFilter"},
        "mask_personal_data": {"()": "guichet.log_privacy.MaskPersonalData"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": LOG_FILTERS,
        },
        # runserver's request lines (they carry the query string: the sender of every SMS).
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GUICHET_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # gunicorn's access and error logs, when they are on, go through the masking console.
        "gunicorn.access": {"handlers": ["console"], "propagate": False},
        "gunicorn.error": {"handlers": ["console"], "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Quiet libraries: fpdf2's font subsetting logs ~40 lines per PDF at INFO.
        "fontTools": {"level": "WARNING"},
        "django.utils.autoreload": {"level": "WARNING"},
        # In-process (eager) tasks need no "succeeded" line each; real workers keep it.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}
