"""The Django project: its public address, the installed apps, the middleware, the URLs and
templates, and the REST API with its OpenAPI schema."""

import os

from guichet.settings.environment import BASE_DIR, DEBUG

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
