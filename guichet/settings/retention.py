"""Retention of personal data (law n° 2022-59): how many days each kind is kept
(guichet/accounts/retention.py applies them)."""

import os

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
