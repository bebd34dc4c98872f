"""Where data is kept: the databases (the primary and the "readonly" alias), files (static,
media, object storage, upload limits) and the cache."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from guichet.settings.environment import BASE_DIR, DEBUG, TESTING, VAR_DIR

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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
