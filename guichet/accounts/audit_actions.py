"""The audit actions of accounts and authentication, named once.

Every authentication event leaves an entry (issue 9): sign-in, failure, lockout, second factor
enrolled / verified / removed / reset, recovery code used, sign-out, password change. The codes
are passed to `guichet.audit.services.record()` as plain strings, so that the audit app's own
registry can list them.
"""

# Existing account administration.
AGENT_CREATED = "accounts.agent.created"
ROLE_GRANTED = "accounts.role.granted"

# Password sign-in (agents and the admin site).
SIGNIN_SUCCEEDED = "accounts.signin.succeeded"
SIGNIN_FAILED = "accounts.signin.failed"
SIGNIN_LOCKED_OUT = "accounts.signin.locked_out"
SIGNIN_UNLOCKED = "accounts.signin.unlocked"
SIGNED_OUT = "accounts.signout"
PASSWORD_CHANGED = "accounts.password.changed"

# Citizens' sign-in by SMS code.
CITIZEN_SIGNED_IN = "accounts.citizen.signed_in"
CITIZEN_CODE_REFUSED = "accounts.citizen.code_refused"

# Second factor.
FACTOR_ENROLLED = "accounts.factor.enrolled"
FACTOR_VERIFIED = "accounts.factor.verified"
FACTOR_REFUSED = "accounts.factor.refused"
FACTOR_REMOVED = "accounts.factor.removed"
FACTOR_RESET = "accounts.factor.reset"
RECOVERY_CODES_ISSUED = "accounts.recovery_codes.issued"
RECOVERY_CODE_USED = "accounts.recovery_code.used"

# Personal data (law n° 2022-59): the daily retention job and the citizen's rights.
RETENTION_PURGED = "accounts.retention.purged"
PERSONAL_DATA_VIEWED = "accounts.personal_data.viewed"
PERSONAL_DATA_EXPORTED = "accounts.personal_data.exported"
ERASURE_REQUESTED = "accounts.erasure.requested"

# The admin site.
ADMIN_OBJECT_ADDED = "admin.object.added"
ADMIN_OBJECT_CHANGED = "admin.object.changed"
ADMIN_OBJECT_DELETED = "admin.object.deleted"
ADMIN_ACTION_RUN = "admin.action.run"

ALL = frozenset(value for name, value in dict(globals()).items() if name.isupper())
