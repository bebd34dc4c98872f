"""Messages: the SMS gateway, inbound SMS and USSD, and email."""

import os

from guichet.settings.environment import DEBUG, TESTING, env_bool

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
