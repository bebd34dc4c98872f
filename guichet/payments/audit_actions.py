"""The payments' audit actions (collected by guichet.audit.actions.discover)."""

STARTED = "payments.started"
PAID = "payments.paid"
FAILED = "payments.failed"
MISMATCH = "payments.mismatch"
NOTIFICATION_FORGED = "payments.notification_forged"
REFUNDED = "payments.refunded"
RECONCILED = "payments.reconciled"
