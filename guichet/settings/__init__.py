"""Guichet settings: one module, every deployment knob read from the environment (12-factor).

See docs/deploy.md for the production layout and the list of variables.
"""

import ipaddress
import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GUICHET_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The test runner needs no secret key and no HTTPS redirects.
TESTING = env_bool("GUICHET_TESTING", False) or "pytest" in sys.modules


# --- Embedded mode: local.env --------------------------------------------------------------------
# `make run` writes local.env (git-ignored: DEBUG on, a generated secret, the port) so that
# `.venv/bin/python manage.py …` works in a developer's checkout. The environment always wins;
# tests never read it; production has no such file and stays environment-only.
def _read_local_env(path: Path) -> None:
    if TESTING or not path.is_file():
        return
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip())


_read_local_env(Path(os.environ.get("GUICHET_LOCAL_ENV", BASE_DIR / "local.env")))
# -------------------------------------------------------------------------------------------------

DEBUG = env_bool("GUICHET_DEBUG", False)

_INSECURE_DEV_KEY = "django-insecure-guichet-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("GUICHET_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = _INSECURE_DEV_KEY
    else:
        raise ImproperlyConfigured(
            "GUICHET_SECRET_KEY must be set when GUICHET_DEBUG is off (50+ random characters)."
        )

ALLOWED_HOSTS = env_list("GUICHET_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("GUICHET_CSRF_TRUSTED_ORIGINS")
# The public address (SMS, QR codes, feeds); without it, the local server on $PORT.
SITE_URL = os.environ.get(
    "GUICHET_SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
).rstrip("/")

INSTALLED_APPS = [
    # The admin site requires a verified second factor (guichet.accounts.admin_site).
    "guichet.accounts.admin_apps.GuichetAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Platform
    "guichet.accounts",
    "guichet.audit",
    "guichet.notifications",
    "guichet.workflow",
    "guichet.payments",  # mobile-money fees (issue 10)
    # Services
    "guichet.correspondence",
    "guichet.complaints",
    "guichet.criminal_records",
    "guichet.transit",
    "guichet.gazette",
    "guichet.talents",
]

MIDDLEWARE = [
    # Observability (docs/deploy.md, "Monitoring"): a request id on every log line, then the
    # request counters and latencies of /metrics, both around everything else.
    "guichet.request_log.RequestIdMiddleware",
    "guichet.monitoring.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Security (issue 9): NUL bytes and invalid UTF-8 refused with a 400 before any view runs.
    "guichet.request_text.RejectUnreadableTextMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "guichet.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "guichet.urls"
WSGI_APPLICATION = "guichet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "guichet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # `{{ row|translated:"name" }}` in every template (guichet/data_translations.py).
            "builtins": ["guichet.data_translations", "guichet.dates"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guichet.accounts.context_processors.navigation",
            ],
        },
    },
]

# Databases: SQLite under var/ when DATABASE_URL is unset (the embedded mode), PostgreSQL in
# production. Heavy reads (exports, statistics, search) name the "readonly" alias explicitly; it
# points at a replica when DATABASE_READONLY_URL is set, else at the primary.
_default_db_url = f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db_url), conn_max_age=60, conn_health_checks=True
    ),
}
DATABASES["readonly"] = (
    dj_database_url.parse(os.environ["DATABASE_READONLY_URL"], conn_max_age=60)
    if os.environ.get("DATABASE_READONLY_URL")
    else dict(DATABASES["default"])
)
DATABASES["readonly"]["TEST"] = {"MIRROR": "default"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE transactions take the write
    # lock up front so two writers queue instead of failing halfway ("database is locked").
    for alias in ("default", "readonly"):
        DATABASES[alias]["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        DATABASES[alias]["CONN_MAX_AGE"] = 0
# PostgreSQL: psycopg's server-side binding with prepared statements: a statement a connection has
# run this many times is prepared, and later runs send only its parameters (docs/benchmarks.md,
# « Complaints API »: a quarter less CPU per filing, half of PostgreSQL's). On by default;
# `GUICHET_DB_PREPARE_THRESHOLD=off` sends every statement as text, bound client-side (Django's
# default). Behind pgbouncer in transaction mode it needs pgbouncer ≥ 1.21 with
# max_prepared_statements (docs/deploy.md, « PostgreSQL »).
DB_PREPARE_THRESHOLD = os.environ.get("GUICHET_DB_PREPARE_THRESHOLD", "2").strip().lower()
_prepare_is_number = DB_PREPARE_THRESHOLD.isascii() and DB_PREPARE_THRESHOLD.isdigit()
if DB_PREPARE_THRESHOLD not in ("", "off") and not _prepare_is_number:
    raise ImproperlyConfigured(
        f"GUICHET_DB_PREPARE_THRESHOLD must be a whole number or off, not {DB_PREPARE_THRESHOLD!r}"
    )
if DB_PREPARE_THRESHOLD not in ("", "off") and DATABASES["default"]["ENGINE"] == (
    "django.db.backends.postgresql"
):
    for alias in ("default", "readonly"):
        DATABASES[alias].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": int(DB_PREPARE_THRESHOLD)}
        )
DATABASE_ROUTERS: list[str] = []

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out account or client before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:agent_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French first; Hausa and Zarma are not in Django, so they are declared here.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("Français")),
    ("ha", _("Hausa")),
    ("dje", _("Zarma")),
    ("en", _("English")),
]
LANG_INFO.setdefault("ha", {"bidi": False, "code": "ha", "name": "Hausa", "name_local": "Hausa"})
LANG_INFO.setdefault(
    "dje", {"bidi": False, "code": "dje", "name": "Zarma", "name_local": "Zarmaciine"}
)
LOCALE_PATHS = [BASE_DIR / "guichet" / "locale"]
TIME_ZONE = "Africa/Niamey"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "guichet" / "static"]
# Development and tests serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
STATIC_ROOT = Path(os.environ.get("GUICHET_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("GUICHET_MEDIA_ROOT", VAR_DIR / "media"))

# Files: local disk by default, S3-compatible object storage (MinIO, …) when a bucket is named.
_S3_BUCKET = os.environ.get("GUICHET_S3_BUCKET", "")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": _S3_BUCKET,
                "endpoint_url": os.environ.get("GUICHET_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("GUICHET_S3_REGION") or None,
                "access_key": os.environ.get("GUICHET_S3_ACCESS_KEY") or None,
                "secret_key": os.environ.get("GUICHET_S3_SECRET_KEY") or None,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if _S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Cache (rate limits, sessions' helpers): Redis when configured, so that every app server shares it.
# Without Redis (the embedded mode) the cache is a database table, so that every worker process
# counts rate limits together (a per-process memory cache let each worker count on its own);
# `migrate` creates the table (guichet.accounts.apps).
REDIS_URL = os.environ.get("REDIS_URL", "")
# Tests keep their own in-process cache, so that counters never leak from one run into another.
CACHE_TABLE = "guichet_cache"
if TESTING:
    _default_cache = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "guichet",
    }
elif REDIS_URL:
    _default_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
else:
    _default_cache = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": CACHE_TABLE,
    }
CACHES = {"default": _default_cache}

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

# --- Payments of fees (guichet/payments, issue 10) ---
# "simulator" (development: our own payment page, signed callbacks) or "cinetpay".
PAYMENT_PROVIDER = os.environ.get("GUICHET_PAYMENT_PROVIDER", "simulator")
PAYMENT_SIMULATOR_ENABLED = env_bool("GUICHET_PAYMENT_SIMULATOR", DEBUG or TESTING)
CINETPAY = {
    "api_url": os.environ.get("GUICHET_CINETPAY_API_URL", "https://api-checkout.cinetpay.com"),
    "site_id": os.environ.get("GUICHET_CINETPAY_SITE_ID", ""),
    "api_key": os.environ.get("GUICHET_CINETPAY_API_KEY", ""),
    "secret_key": os.environ.get("GUICHET_CINETPAY_SECRET_KEY", ""),
}

# --- Audit trail (issue 9): Merkle-tree log, signed checkpoints (docs/deploy.md, « Journal d'audit »)
# Ed25519 private key (PEM, PKCS#8) that signs checkpoints and derives the entries' MAC key.
AUDIT_SIGNING_KEY_FILE = os.environ.get("GUICHET_AUDIT_SIGNING_KEY_FILE", "")
# Development and tests generate one under var/audit/; production must name its own.
AUDIT_ALLOW_GENERATED_KEY = env_bool("GUICHET_AUDIT_GENERATED_KEY", DEBUG or TESTING)
AUDIT_KEY_DIR = VAR_DIR / "audit"
# Public keys (base64, raw Ed25519) of retired signing keys, still accepted on old checkpoints.
AUDIT_TRUSTED_PUBLIC_KEYS = env_list("GUICHET_AUDIT_PREVIOUS_PUBLIC_KEYS")
AUDIT_LOG_ORIGIN = os.environ.get("GUICHET_AUDIT_LOG_ORIGIN", "guichet.ne/audit")
# Copies of every checkpoint outside the database: a path in the default storage (object storage in
# production; empty to disable) and a directory the operator ships elsewhere.
# Tests name their own places (tmp_path), so that no run reads another run's checkpoints.
AUDIT_CHECKPOINT_STORAGE_PATH = os.environ.get(
    "GUICHET_AUDIT_CHECKPOINT_STORAGE_PATH", "" if TESTING else "audit/checkpoints"
)
AUDIT_CHECKPOINT_DIR = os.environ.get("GUICHET_AUDIT_CHECKPOINT_DIR", "")
AUDIT_CHECKPOINT_INTERVAL = int(os.environ.get("GUICHET_AUDIT_CHECKPOINT_INTERVAL", "60"))
# PostgreSQL role of the application: `migrate` (run by the owner role) leaves it no UPDATE,
# DELETE or TRUNCATE on the trail (manage.py audit_grant_app_role does the same by hand).
AUDIT_APP_DB_ROLE = os.environ.get("GUICHET_AUDIT_APP_ROLE", "")

# Open311 GeoReport v2 (docs/complaints.md): discovery's contact and how to get an API key
# (human-readable text or a URL), and the jurisdiction_id this endpoint answers for (empty: any).
OPEN311_CONTACT = os.environ.get(
    "GUICHET_OPEN311_CONTACT", "Médiateur de la République — open311@mediateur.gouv.ne"
)
OPEN311_KEY_SERVICE = os.environ.get(
    "GUICHET_OPEN311_KEY_SERVICE",
    "Demandez une clé API au Médiateur de la République (open311@mediateur.gouv.ne) : nom de "
    "l'application, organisation, contact technique.",
)
OPEN311_JURISDICTION = os.environ.get("GUICHET_OPEN311_JURISDICTION", "")

# EIG programme: how long the applications that were not selected are kept after the call.
TALENTS_RETENTION_DAYS = int(os.environ.get("GUICHET_TALENTS_RETENTION_DAYS", "730"))

# Retention of personal data (law n° 2022-59), in days; the reason of each is in docs/privacy.md
# and guichet/<app>/personal_data.py. `manage.py apply_retention` (beat `data-retention`) applies
# them; without Celery beat (the embedded mode) the end of a request runs it once a day
# (PERIODIC_JOBS_IN_PROCESS).
COMPLAINTS_PERSONAL_DATA_RETENTION_DAYS = int(
    os.environ.get("GUICHET_COMPLAINTS_PERSONAL_DATA_RETENTION_DAYS", "365")
)
COMPLAINTS_ADDRESS_KEYS_RETENTION_DAYS = int(
    os.environ.get("GUICHET_COMPLAINTS_ADDRESS_KEYS_RETENTION_DAYS", "1")
)
MAIL_SCANS_RETENTION_DAYS = int(os.environ.get("GUICHET_MAIL_SCANS_RETENTION_DAYS", "1825"))
MAIL_CONFIDENTIAL_SCANS_RETENTION_DAYS = int(
    os.environ.get("GUICHET_MAIL_CONFIDENTIAL_SCANS_RETENTION_DAYS", "730")
)
BULLETIN_DOCUMENTS_RETENTION_DAYS = int(
    os.environ.get("GUICHET_BULLETIN_DOCUMENTS_RETENTION_DAYS", "90")
)
SIGN_IN_CODES_RETENTION_DAYS = int(os.environ.get("GUICHET_SIGN_IN_CODES_RETENTION_DAYS", "30"))
SIGN_IN_SMS_RETENTION_DAYS = int(os.environ.get("GUICHET_SIGN_IN_SMS_RETENTION_DAYS", "1"))
MESSAGES_RETENTION_DAYS = int(os.environ.get("GUICHET_MESSAGES_RETENTION_DAYS", "180"))

# SMS gateway: "console" (development: database + console) or "kannel" (HTTP sendsms).
# With DEBUG off the console gateway sends nothing while marking messages delivered: it is refused
# unless chosen on purpose (GUICHET_SMS_GATEWAY=console), and `check --deploy` warns about it.
SMS_GATEWAY = os.environ.get("GUICHET_SMS_GATEWAY", "console")
# Tests choose the console gateway (their settings fixtures say so).
SMS_GATEWAY_CHOSEN = bool(os.environ.get("GUICHET_SMS_GATEWAY")) or TESTING
SMS_SENDER = os.environ.get("GUICHET_SMS_SENDER", "GUICHET")
# Test-only (deploy/smoke.py): while this file exists, the console gateway holds each SMS before
# sending it, so that a worker can be killed while it holds a task.
SMS_CONSOLE_HOLD_FILE = os.environ.get("GUICHET_SMS_CONSOLE_HOLD_FILE", "")
SMS_SHORT_CODE = os.environ.get("GUICHET_SMS_SHORT_CODE", "3535")
KANNEL_SENDSMS_URL = os.environ.get("GUICHET_KANNEL_URL", "http://127.0.0.1:13013/cgi-bin/sendsms")
KANNEL_USERNAME = os.environ.get("GUICHET_KANNEL_USERNAME", "")
KANNEL_PASSWORD = os.environ.get("GUICHET_KANNEL_PASSWORD", "")
SMS_TRANSLITERATE = env_bool("GUICHET_SMS_TRANSLITERATE", True)

# -- Transit (guichet.transit, docs/transit.md) ------------------------------------------------
# Network answering SMS « BUS … » and the USSD menu; other keywords for other networks:
# GUICHET_TRANSIT_SMS_KEYWORDS="METRO=nyc-subway,TROTRO=accra".
TRANSIT_SMS_FEED = os.environ.get("GUICHET_TRANSIT_SMS_FEED", "")
TRANSIT_SMS_KEYWORDS = {
    key.strip().upper(): value.strip()
    for key, _, value in (item.partition("=") for item in env_list("GUICHET_TRANSIT_SMS_KEYWORDS"))
    if key.strip() and value.strip()
}
# Zip bombs: an imported GTFS archive may unpack to at most this, each file compressed at most
# this many times.
TRANSIT_GTFS_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("GUICHET_TRANSIT_GTFS_MAX_BYTES", str(512 * 1024 * 1024))
)
TRANSIT_GTFS_MAX_RATIO = int(os.environ.get("GUICHET_TRANSIT_GTFS_MAX_RATIO", "100"))
# Compiled timetables (numpy arrays, memory-mapped by every worker), one folder per feed version;
# empty: none stored (tests).
TRANSIT_TIMETABLE_DIR = os.environ.get(
    "GUICHET_TRANSIT_TIMETABLE_DIR", "" if TESTING else str(VAR_DIR / "transit-timetables")
)
# Load the planner's compiled kernels in a background thread when a process starts.
TRANSIT_WARM_ON_START = env_bool("GUICHET_TRANSIT_WARM_ON_START", not (DEBUG or TESTING))
SMS_INBOUND_PER_HOUR = int(os.environ.get("GUICHET_SMS_INBOUND_PER_HOUR", "30"))
# Shared secret that the gateway sends with inbound SMS and USSD callbacks.
INBOUND_TOKEN = os.environ.get(
    "GUICHET_INBOUND_TOKEN", "demo-inbound-token" if DEBUG or TESTING else ""
)
USSD_SERVICE_CODE = os.environ.get("GUICHET_USSD_CODE", "*353#")

EMAIL_BACKEND = os.environ.get(
    "GUICHET_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("GUICHET_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GUICHET_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("GUICHET_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GUICHET_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GUICHET_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("GUICHET_EMAIL_FROM", "Guichet <ne-pas-repondre@guichet.ne>")

# Citizen sign-in by SMS code.
OTP_CODE_TTL_SECONDS = int(os.environ.get("GUICHET_OTP_TTL", "300"))
OTP_MAX_ATTEMPTS = 5
# Limits on sending codes. Per client across all numbers (one client must not send codes to
# hundreds of numbers); per (number, client) with a short cool-down, so that a stranger asking
# codes for someone's number does not block that person's own requests; and a generous ceiling
# per number across all clients, against SMS bombing from many addresses. One client reaches at
# most 18 codes an hour for one number, under the ceiling of 30: it takes several addresses to
# block a number for the rest of the hour.
OTP_REQUESTS_PER_IP_PER_HOUR = 30
OTP_REQUESTS_PER_PHONE_AND_CLIENT = 3
OTP_PHONE_AND_CLIENT_WINDOW_SECONDS = 600
OTP_REQUESTS_PER_PHONE_PER_HOUR = 30
# Demo agents skip TOTP in DEBUG only (see accounts.permissions), never for the admin site.
DEMO_SKIP_TOTP = DEBUG
OTP_TOTP_ISSUER = "Guichet Niger"
OTP_TOTP_THROTTLE_FACTOR = 1
# No one, administrators included, reads an agent's TOTP secret or its QR code in the admin: a
# lost factor is reset (audited), never copied. django-otp's config and QR views then answer 403.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Recovery codes given at enrolment of the second factor (single use, only their hash is kept).
RECOVERY_CODES_COUNT = 10

# Password sign-in lockout (django-axes), for the agents' sign-in page and the admin site alike.
# An account is locked after SIGNIN_FAILURE_LIMIT failures, a client address after
# SIGNIN_CLIENT_FAILURE_LIMIT failures (whatever the accounts tried), for SIGNIN_LOCKOUT_MINUTES
# after the last failure. Administrators unlock with `manage.py unlock_sign_in` (docs/deploy.md).
SIGNIN_FAILURE_LIMIT = int(os.environ.get("GUICHET_SIGNIN_FAILURE_LIMIT", "10"))
SIGNIN_CLIENT_FAILURE_LIMIT = int(os.environ.get("GUICHET_SIGNIN_CLIENT_FAILURE_LIMIT", "30"))
SIGNIN_LOCKOUT_MINUTES = int(os.environ.get("GUICHET_SIGNIN_LOCKOUT_MINUTES", "15"))
AXES_HANDLER = "guichet.accounts.lockout.SignInLockoutHandler"
AXES_USERNAME_CALLABLE = "guichet.accounts.lockout.attempted_username"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = SIGNIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGNIN_LOCKOUT_MINUTES)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "guichet.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "guichet.throttling.client_ip"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "token"]
AXES_VERBOSE = False

# Documents signing (PAdES). Keys and certificates are files; a test authority is generated for
# development and tests under var/pki when none is configured.
SIGNING_DIR = Path(os.environ.get("GUICHET_SIGNING_DIR", VAR_DIR / "pki"))
SIGNING_ALLOW_TEST_AUTHORITY = env_bool("GUICHET_SIGNING_TEST_AUTHORITY", DEBUG or TESTING)
# PAdES-B-LTA: the RFC 3161 time-stamping authority (empty: the test authority's local TSA, for
# development only), CRL files embedded besides fetched revocation data (comma-separated paths),
# and whether signing fetches CRLs/OCSP online (default: yes unless the test authority signs).
SIGNING_TSA_URL = os.environ.get("GUICHET_TSA_URL", "")
SIGNING_TSA_USER = os.environ.get("GUICHET_TSA_USER", "")
SIGNING_TSA_PASSWORD = os.environ.get("GUICHET_TSA_PASSWORD", "")
SIGNING_TSA_TIMEOUT = int(os.environ.get("GUICHET_TSA_TIMEOUT", "10"))
SIGNING_CRLS = [p for p in os.environ.get("GUICHET_SIGNING_CRLS", "").split(",") if p.strip()]
SIGNING_FETCH_REVOCATION = (
    env_bool("GUICHET_SIGNING_FETCH_REVOCATION", True)
    if "GUICHET_SIGNING_FETCH_REVOCATION" in os.environ
    else None
)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guichet API",
    "DESCRIPTION": "Services publics numériques du Niger : plaintes, casier judiciaire, transport, "
    "Journal officiel.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "guichet.request_text.declare_readable_text",
        "guichet.request_text.declare_empty_as_absent",
    ],
    # Swagger UI served from our own static files: no CDN, and it passes our CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Security. Production values by default; the embedded mode relaxes only what plain HTTP needs.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
if DEBUG or TESTING:
    SECURE_SSL_REDIRECT = False
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    SECURE_HSTS_SECONDS = 0
else:
    SECURE_SSL_REDIRECT = env_bool("GUICHET_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("GUICHET_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GUICHET_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("GUICHET_HSTS_PRELOAD", True)
    if env_bool("GUICHET_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


# Client addresses (rate limits, sign-in lockout, audit trail). X-Forwarded-For is read only when
# the request comes from one of these proxies, and then from the right: the right-most address
# that is not a trusted proxy is the client (entries further left are written by the client and
# prove nothing). CIDR list; behind a proxy with no list given, the proxy on this host.
def env_networks(name: str, default: str = "") -> list[str]:
    """A comma-separated list of addresses or CIDR networks, each checked at start-up."""
    networks = env_list(name, default)
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name}: {network!r} is not an address or a CIDR network."
            ) from error
    return networks


TRUSTED_PROXIES = env_networks(
    "GUICHET_TRUSTED_PROXIES",
    "127.0.0.1/32,::1/128" if env_bool("GUICHET_BEHIND_PROXY", False) else "",
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Map tiles are the one outside source a page may show (transit maps, an enhancement).
        "img-src": ["'self'", "data:", "https://tile.openstreetmap.org"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Monitoring: /metrics (guichet.monitoring) -------------------------------------------------
# Prometheus reads /metrics with `Authorization: Bearer <GUICHET_METRICS_TOKEN>` or from an address
# of GUICHET_METRICS_ALLOWED_IPS (CIDR list; the client address as in "Client addresses"). Neither
# set: refused to everyone (loopback allowed in DEBUG).
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
