"""Deploy checks (`manage.py check --deploy`) of the audit trail (issue 9): a production whose
checkpoints are signed with a generated key, or with no key at all, fails loudly."""

from django.conf import settings
from django.core.checks import Warning
from django.core.exceptions import ImproperlyConfigured

HINT = (
    "Create an Ed25519 key (openssl genpkey -algorithm ed25519), readable by the application "
    "only, name it in GUICHET_AUDIT_SIGNING_KEY_FILE and unset GUICHET_AUDIT_GENERATED_KEY "
    "(docs/deploy.md, « Journal d'audit »)."
)


def audit_key_check(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    if not settings.AUDIT_SIGNING_KEY_FILE:
        if settings.AUDIT_ALLOW_GENERATED_KEY:
            return [
                Warning(
                    "The audit trail's checkpoints are signed with a key generated on this "
                    f"machine ({settings.AUDIT_KEY_DIR}) while DEBUG is off: a key nobody "
                    "keeps a copy of proves nothing to an outside verifier and is lost with "
                    "the machine.",
                    hint=HINT,
                    id="guichet.W010",
                )
            ]
        return [
            Warning(
                "No audit signing key (GUICHET_AUDIT_SIGNING_KEY_FILE is empty): every audited "
                "write will fail with ImproperlyConfigured.",
                hint=HINT,
                id="guichet.W011",
            )
        ]
    from guichet.audit.keys import audit_key

    try:
        audit_key()
    except ImproperlyConfigured as error:
        return [Warning(str(error), hint=HINT, id="guichet.W011")]
    return []


def checkpoint_copies_check(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    if not settings.AUDIT_CHECKPOINT_DIR and not settings.AUDIT_CHECKPOINT_STORAGE_PATH:
        return [
            Warning(
                "Audit checkpoints are written nowhere outside the database: verify_audit "
                "cannot detect a truncated or re-hashed trail.",
                hint="Set GUICHET_AUDIT_CHECKPOINT_DIR (a directory shipped elsewhere) or "
                "GUICHET_AUDIT_CHECKPOINT_STORAGE_PATH (object storage).",
                id="guichet.W012",
            )
        ]
    return []
