"""Signing in: the user model and passwords, citizens' SMS codes, agents' second factor (TOTP,
recovery codes), and the lockout after failed passwords (django-axes)."""

import os
from datetime import timedelta

from guichet.settings.environment import DEBUG

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
