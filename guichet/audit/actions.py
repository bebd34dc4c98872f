"""Every audit action, as a named constant (in the manner of Zulip's `RealmAuditLog` event types).

`record()` refuses an action that is not registered here, so a typo raises instead of silently
starting a new kind of entry that no report or search would ever find. An action is a dotted code
`app.object.verb` or `app.event` (lower case, digits and `_`). Add a constant to the app's class below,
or to the app's own `audit_actions.py` module (collected at start-up by `discover()`), or decorate an
app's class of constants with `@actions`, or call `register("app.object.verb")` at import time.

    from guichet.audit.actions import Complaints
    record(Complaints.COMPLAINT_FILED, ...)
"""

import re

ACTION_FORMAT = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

_registry: set[str] = set()


def register(code: str) -> str:
    """Add `code` to the registry (idempotent) and return it."""
    if not isinstance(code, str) or not ACTION_FORMAT.match(code) or len(code) > 100:
        raise ValueError(
            f"Invalid audit action code {code!r}: expected app.object.verb (lower case, dotted)."
        )
    _registry.add(code)
    return code


def is_registered(code: str) -> bool:
    return code in _registry


def registered() -> frozenset[str]:
    return frozenset(_registry)


def check(code: str) -> str:
    """Raise ValueError unless `code` is a registered action."""
    if code not in _registry:
        raise ValueError(f"Unknown audit action {code!r}: register it in guichet/audit/actions.py.")
    return code


def register_module(module) -> None:
    """Register every upper-case string constant of a module (an app's `audit_actions.py`)."""
    for name, value in vars(module).items():
        if name.isupper() and isinstance(value, str):
            register(value)


def discover() -> None:
    """Import each installed app's `audit_actions` module, if any, and register its constants."""
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.audit_actions")
        except ModuleNotFoundError as error:
            if error.name == f"{config.name}.audit_actions":
                continue
            raise
        register_module(module)


def actions(cls):
    """Class decorator: register every upper-case string attribute of `cls`."""
    for name, value in vars(cls).items():
        if name.isupper() and isinstance(value, str):
            register(value)
    return cls


# Accounts and authentication: guichet/accounts/audit_actions.py (a per-app module of constants,
# collected by `discover()` at start-up, like every app's `audit_actions.py`).


@actions
class Audit:
    CHECKPOINT_PUBLISHED = "audit.checkpoint.published"


@actions
class Complaints:
    COMPLAINT_FILED = "complaints.complaint.filed"
    DUPLICATE_LINKED = "complaints.complaint.duplicate_linked"
    CITIZEN_REPLIED = "complaints.complaint.citizen_replied"
    CITIZEN_CONFIRMED = "complaints.complaint.citizen_confirmed"
    CITIZEN_REOPENED = "complaints.complaint.citizen_reopened"
    RATED = "complaints.complaint.rated"
    OPEN311_KEY_ISSUED = "complaints.open311.key_issued"
    OPEN311_KEY_REVOKED = "complaints.open311.key_revoked"
    RETENTION_PURGED = "complaints.retention.purged"


@actions
class Correspondence:
    MAIL_REGISTERED = "correspondence.mail.registered"
    MAIL_DISPATCHED = "correspondence.mail.dispatched"
    MAIL_VIEWED = "correspondence.mail.viewed"
    ATTACHMENT_ADDED = "correspondence.attachment.added"
    CONTACT_CREATED = "correspondence.contact.created"
    CONTACT_MERGED = "correspondence.contact.merged"
    CONTACT_NOT_DUPLICATE = "correspondence.contact.not_duplicate"
    VISA_STARTED = "correspondence.visa.started"
    VISA_APPROVED = "correspondence.visa.approved"
    VISA_ANNOTATED = "correspondence.visa.annotated"
    VISA_SENT_BACK = "correspondence.visa.sent_back"
    VISA_RESUBMITTED = "correspondence.visa.resubmitted"
    REGISTER_EXPORTED = "correspondence.register.exported"
    RETENTION_PURGED = "correspondence.retention.purged"


@actions
class CriminalRecords:
    CARDS_IMPORTED = "criminal_records.cards.imported"
    CARDS_SCAN_ATTACHED = "criminal_records.cards.scan_attached"
    CARDS_RESOLVED = "criminal_records.cards.resolved"
    PERSON_CREATED = "criminal_records.person.created"
    PERSON_CORRECTED = "criminal_records.person.corrected"
    PERSON_MERGED = "criminal_records.person.merged"
    PERSON_VIEWED = "criminal_records.person.viewed"
    PERSON_SEARCHED = "criminal_records.person.searched"
    CONVICTION_RECORDED = "criminal_records.conviction.recorded"
    CONVICTION_EVENT = "criminal_records.conviction.event"
    REQUEST_SUBMITTED = "criminal_records.request.submitted"
    REQUEST_PERSON_LINKED = "criminal_records.request.person_linked"
    REQUEST_PAYMENT_CHECKED = "criminal_records.request.payment_checked"
    REQUEST_IDENTITY_CHECK = "criminal_records.request.identity_check"
    REQUEST_IDENTITY_COMPLETED = "criminal_records.request.identity_completed"
    REQUEST_IDENTITY_VERIFIED = "criminal_records.request.identity_verified"
    REQUEST_PERSON_CREATED = "criminal_records.request.person_created"
    REQUEST_PAID_ONLINE = "criminal_records.request.paid_online"
    RULE_PARAMETER_CHANGED = "criminal_records.rule_parameter.changed"
    PENALTY_QUALIFIED = "criminal_records.penalty.qualified"
    REQUEST_REJECTED = "criminal_records.request.rejected"
    REQUEST_VIEWED = "criminal_records.request.viewed"
    REQUEST_CERTIFICATE_VIEWED = "criminal_records.request.certificate_viewed"
    BULLETIN_ISSUED = "criminal_records.bulletin.issued"
    BULLETIN_VIEWED = "criminal_records.bulletin.viewed"
    BULLETIN_DOWNLOADED = "criminal_records.bulletin.downloaded"
    BULLETIN_REVOKED = "criminal_records.bulletin.revoked"
    RETENTION_PURGED = "criminal_records.retention.purged"


@actions
class Gazette:
    TEXT_CREATED = "gazette.text.created"
    TEXT_UPDATED = "gazette.text.updated"
    TEXT_REVIEWED = "gazette.text.reviewed"
    TEXT_SIGNED = "gazette.text.signed"
    TEXT_SCHEDULED = "gazette.text.scheduled"
    TEXT_IMPORTED = "gazette.text.imported"
    RELATION_ADDED = "gazette.relation.added"
    CITATION_REVIEWED = "gazette.citation.reviewed"
    AMENDMENT_ADDED = "gazette.amendment.added"
    RECTIFICATIF_CREATED = "gazette.rectificatif.created"
    ISSUE_CREATED = "gazette.issue.created"
    ISSUE_PUBLISHED = "gazette.issue.published"
    ALERT_CREATED = "gazette.alert.created"


@actions
class Notifications:
    MESSAGES_RESENT = "notifications.messages.resent"
    RETENTION_PURGED = "notifications.retention.purged"


@actions
class Transit:
    FEED_IMPORTED = "transit.feed.imported"
    FEED_CREATED = "transit.feed.created"
    STOP_CREATED = "transit.stop.created"
    ROUTE_CREATED = "transit.route.created"
    SERVICE_CREATED = "transit.service.created"
    TRIP_CREATED = "transit.trip.created"
    TRIP_DELETED = "transit.trip.deleted"
    REALTIME_POLLED = "transit.realtime.polled"


# The shared case life cycle writes `workflow.case.<event kind>` for each kind of
# `guichet.workflow.models.CaseEvent.Kind` (a test keeps this list and the model's choices equal).
WORKFLOW_CASE_EVENT_KINDS = (
    "created",
    "assigned",
    "copied",
    "status_changed",
    "internal_note",
    "public_reply",
    "requester_reply",
    "escalated",
    "reminder",
    "reopened",
    "closed",
    "rejected",
    "rated",
    "confirmed",
    "other",
)


@actions
class Workflow:
    HOLIDAY_ADDED = "workflow.holiday_added"
    HOLIDAY_CHANGED = "workflow.holiday_changed"
    HOLIDAY_DELETED = "workflow.holiday_deleted"
    DUE_COUNTS_BACKFILLED = "workflow.due_counts_backfilled"


def workflow_case_action(kind: str) -> str:
    return f"workflow.case.{kind}"


for _kind in WORKFLOW_CASE_EVENT_KINDS:
    register(workflow_case_action(_kind))
