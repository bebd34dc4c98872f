"""Security: the secret key, the hosts and origins Guichet answers for, HTTPS, cookies and
security headers, the proxies trusted to give the client's address, and the
Content-Security-Policy."""

import os

from django.core.exceptions import ImproperlyConfigured

from guichet.settings.environment import DEBUG, TESTING, env_bool, env_list, env_networks

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
