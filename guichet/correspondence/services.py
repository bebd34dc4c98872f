"""Every write of the courrier: registering, attaching scans, contacts, routing, visa, dispatch,
closing. One transaction each, with its audit entry; the life cycle itself is
`guichet.workflow.services`.
"""

import datetime as dt
import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet import locks
from guichet.accounts.models import Organisation, Role, User
from guichet.accounts.selectors import has_role
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.correspondence import selectors
from guichet.correspondence.attachments import inspect_upload, without_image_metadata
from guichet.correspondence.contacts import find_or_create_contact
from guichet.correspondence.models import (
    Attachment,
    Contact,
    Mail,
    RegisterCounter,
    VisaStep,
)
from guichet.workflow import calendar
from guichet.workflow import services as workflow
from guichet.workflow.models import Case

logger = logging.getLogger(__name__)

# Working days to handle an incoming mail, by priority (a mail's routing may set another).
DEFAULT_DUE_DAYS = {
    Mail.Priority.NORMAL: 15,
    Mail.Priority.URGENT: 5,
    Mail.Priority.VERY_URGENT: 2,
}
# The administrations that keep their own register; a unit numbers in its nearest such ancestor.
REGISTER_KINDS = (
    Organisation.Kind.PRESIDENCY,
    Organisation.Kind.GENERAL_SECRETARIAT,
    Organisation.Kind.MINISTRY,
)


def due_days_for(priority: str) -> int:
    table = getattr(settings, "CORRESPONDENCE_DUE_DAYS", DEFAULT_DUE_DAYS)
    return table.get(priority, DEFAULT_DUE_DAYS[Mail.Priority.NORMAL])


def register_of(unit: Organisation) -> Organisation:
    """The administration whose register numbers the mail of `unit` (SGG-BC → SGG)."""
    chain = [*unit.ancestors(), unit]
    for organisation in reversed(chain):
        if organisation.kind in REGISTER_KINDS:
            return organisation
    return chain[0]


def format_reference(register: Organisation, direction: str, year: int, number: int) -> str:
    return f"{register.code}/{direction}/{year}/{number:06d}"


REFERENCE_PATTERN = re.compile(
    r"^(?P<register>[A-Z0-9-]+)/(?P<direction>[ADI])/(?P<year>\d{4})/(?P<number>\d{1,9})$"
)


def parse_reference(text: str) -> tuple[str, str, int, int] | None:
    """(register code, direction, year, number) of "SGG/A/2026/000123" (case and spaces
    forgiven, leading zeros optional), or None if it is not a registration number."""
    match = REFERENCE_PATTERN.match("".join((text or "").split()).upper())
    if match is None:
        return None
    return (
        match["register"],
        match["direction"],
        int(match["year"]),
        int(match["number"]),
    )


def next_number(register: Organisation, direction: str, year: int) -> int:
    """Take the next number of a register. Must run inside the registering transaction: the
    counter row stays locked until it commits, so a rollback gives the number back (no gap) and
    concurrent registrations queue (no duplicate)."""
    assert transaction.get_connection().in_atomic_block, "next_number needs a transaction"
    key = {"organisation": register, "direction": direction, "year": year}
    try:
        counter = locks.rows(RegisterCounter.objects.filter(**key), locks.Rank.KEY).get()
    except RegisterCounter.DoesNotExist:
        try:
            with transaction.atomic():
                RegisterCounter.objects.create(**key)
        except IntegrityError:
            pass  # another registration created it first; its lock is what we wait for now
        counter = locks.rows(RegisterCounter.objects.filter(**key), locks.Rank.KEY).get()
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _check_clerk(actor: User, unit: Organisation) -> None:
    if not (has_role(actor, Role.MAIL_CLERK, unit) or has_role(actor, Role.HEAD_OF_SERVICE, unit)):
        raise PermissionDenied(_("Vous n'enregistrez pas le courrier de cette unité."))


@transaction.atomic
def register_mail(
    *,
    actor: User,
    unit: Organisation,
    direction: str,
    subject: str,
    correspondent: Contact | None = None,
    correspondent_name: str = "",
    correspondent_organisation: str = "",
    other_unit: Organisation | None = None,
    mail_type: str = Mail.Type.LETTER,
    letter_date: dt.date | None = None,
    letter_reference: str = "",
    received_on: dt.date | None = None,
    sent_on: dt.date | None = None,
    priority: str = Mail.Priority.NORMAL,
    confidentiality: str = Mail.Confidentiality.NORMAL,
    keywords: str = "",
    summary: str = "",
    in_reply_to: Mail | None = None,
    due_days: int | None = None,
    files=(),
) -> Mail:
    """Register a mail in `unit`'s register and open its case; `files` are uploads to attach.

    The correspondent is a directory `Contact`, or a name (`correspondent_name`) looked up in the
    directory and added to it if new — in the same transaction, so a refused mail adds nobody.
    """
    _check_clerk(actor, unit)
    correspondent_name = (correspondent_name or "").strip()
    has_correspondent = correspondent is not None or bool(correspondent_name)
    subject = (subject or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Indiquez l'objet du courrier.")
    if direction not in Mail.Direction.values:
        errors["direction"] = _("Sens inconnu.")
    if direction in (Mail.Direction.INCOMING, Mail.Direction.OUTGOING) and not has_correspondent:
        errors["correspondent"] = (
            _("Indiquez l'expéditeur du courrier.")
            if direction == Mail.Direction.INCOMING
            else _("Indiquez le destinataire du courrier.")
        )
    if direction == Mail.Direction.INTERNAL and other_unit is None and not has_correspondent:
        errors["other_unit"] = _("Indiquez l'unité émettrice ou destinataire.")
    if correspondent is not None and correspondent.directory_id != selectors.directory_of(unit).pk:
        errors["correspondent"] = _(
            "Ce correspondant n'est pas dans l'annuaire de votre ministère."
        )
    if in_reply_to is not None:
        if direction != Mail.Direction.OUTGOING:
            errors["in_reply_to"] = _("Seul un courrier départ peut répondre à un courrier.")
        elif in_reply_to.direction == Mail.Direction.OUTGOING:
            errors["in_reply_to"] = _(
                "On répond à un courrier arrivée ou interne, pas à un départ."
            )
    today = timezone.localdate()
    dates = (("letter_date", letter_date), ("received_on", received_on), ("sent_on", sent_on))
    for field, value in dates:
        if value is not None and value > today:
            errors[field] = _("Cette date est dans le futur.")
    if letter_date and received_on and letter_date > received_on and "letter_date" not in errors:
        errors["letter_date"] = _("La lettre serait datée après sa réception : vérifiez les dates.")
    if errors:
        raise ValidationError(errors)
    files = [without_image_metadata(upload) for upload in files]
    inspected = [(upload, inspect_upload(upload)) for upload in files]
    # Lock order (docs/architecture.md, "Lock order"): the register counter first, then rows,
    # the audit trail last. Creating the contact writes an audit entry, so it comes after the
    # number is taken — the other way round, two registrations deadlocked (issue 9).
    register = register_of(unit)
    now = timezone.now()
    year = timezone.localtime(now).year
    number = next_number(register, direction, year)
    if correspondent is None and correspondent_name:
        correspondent = find_or_create_contact(
            actor=actor,
            name=correspondent_name,
            organisation_name=correspondent_organisation,
            directory=selectors.directory_of(unit),
        )
    due_at = None
    if direction != Mail.Direction.OUTGOING:
        days = due_days if due_days is not None else due_days_for(priority)
        due_at = calendar.working_day_deadline(received_on or now, days) if days else None
    case = workflow.open_case(
        kind=Case.Kind.MAIL,
        organisation=unit,
        actor=actor,
        due_at=due_at,
        confidential=confidentiality != Mail.Confidentiality.NORMAL,
    )
    mail = Mail.objects.create(
        case=case,
        register=register,
        registered_in=unit,
        direction=direction,
        year=year,
        number=number,
        reference=format_reference(register, direction, year, number),
        correspondent=correspondent,
        other_unit=other_unit,
        subject=subject,
        mail_type=mail_type,
        letter_date=letter_date,
        letter_reference=letter_reference.strip(),
        received_on=received_on or (today if direction == Mail.Direction.INCOMING else None),
        sent_on=sent_on,
        priority=priority,
        confidentiality=confidentiality,
        keywords=keywords.strip(),
        summary=summary.strip(),
        in_reply_to=in_reply_to,
        registered_by=actor,
        registered_at=now,
    )
    for upload, details in inspected:
        _store_attachment(mail, actor=actor, upload=upload, details=details)
    record(
        audit_actions.Correspondence.MAIL_REGISTERED,
        actor=actor,
        organisation=unit,
        target=mail,
        data={"reference": mail.reference, "direction": direction},
    )
    return mail


def _store_attachment(mail: Mail, *, actor, upload, details) -> Attachment:
    content_type, size, sha256 = details
    attachment = Attachment(
        mail=mail,
        original_name=upload.name[:255],
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    transaction.on_commit(lambda: _queue_ocr(attachment.pk))
    return attachment


def _queue_ocr(attachment_id: int) -> None:
    from guichet.correspondence.tasks import ocr_attachment

    try:
        ocr_attachment.delay(attachment_id)
    except Exception:  # the broker being down must not fail the upload that already committed
        logger.exception("Could not queue OCR of attachment %s", attachment_id)


@transaction.atomic
def add_attachment(mail: Mail, *, actor: User, upload) -> Attachment:
    upload = without_image_metadata(upload)
    details = inspect_upload(upload)
    attachment = _store_attachment(mail, actor=actor, upload=upload, details=details)
    record(
        audit_actions.Correspondence.ATTACHMENT_ADDED,
        actor=actor,
        organisation=mail.case.organisation,
        target=mail,
        data={"attachment": attachment.pk, "sha256": attachment.sha256, "size": attachment.size},
    )
    return attachment


def run_ocr(attachment: Attachment) -> str:
    """Extract the attachment's text if an OCR tool is installed; returns the new status."""
    from guichet.correspondence import ocr

    try:
        with attachment.file.open("rb") as handle:
            text = ocr.extract_text(handle.read(), attachment.content_type)
    except Exception:
        logger.exception("OCR failed for attachment %s", attachment.pk)
        status, text = Attachment.Ocr.FAILED, ""
    else:
        status = Attachment.Ocr.UNAVAILABLE if text is None else Attachment.Ocr.DONE
    Attachment.objects.filter(pk=attachment.pk).update(ocr_status=status, ocr_text=text or "")
    return status


# Routing and life cycle ---------------------------------------------------------------------


@transaction.atomic
def impute(
    mail: Mail,
    *,
    actor: User,
    organisation: Organisation,
    agent: User | None = None,
    instructions: str = "",
    copies=(),
    due_days: int | None = None,
) -> Mail:
    """Route ("imputer") the mail to a unit or one of its agents, with instructions and copies;
    `due_days` (working days from today) resets its deadline.

    A copy « pour information » goes to a unit where somebody reads the mail (a mail clerk or a
    head of service; a head, for confidential mail); to a unit with nobody, it goes to the unit's
    nearest head in person (`selectors.route_copies` says which, for the warning); to a unit
    with neither, it is refused."""
    copies = list(copies)
    units = [copy for copy in copies if isinstance(copy, Organisation)]
    targets = [copy for copy in copies if not isinstance(copy, Organisation)]
    nobody = []
    for unit, target, _routed in selectors.route_copies(units, mail.is_confidential):
        if target is None:
            nobody.append(unit.short_name or unit.name)
        elif target not in targets:
            targets.append(target)
    if nobody:
        raise ValidationError(
            {
                "copies": ngettext(
                    "Personne ne lit le courrier de %(units)s (ni agent du courrier ni chef de "
                    "service) : la copie n'atteindrait personne. Choisissez une autre unité ou "
                    "faites d'abord nommer un agent.",
                    "Personne ne lit le courrier de %(units)s (ni agent du courrier ni chef de "
                    "service) : les copies n'atteindraient personne. Choisissez d'autres unités "
                    "ou faites d'abord nommer un agent.",
                    len(nobody),
                )
                % {"units": ", ".join(nobody)}
            }
        )
    copies = targets
    due_at = calendar.working_day_deadline(timezone.now(), due_days) if due_days else None
    workflow.assign(
        mail.case,
        actor=actor,
        organisation=organisation,
        agent=agent,
        instructions=instructions,
        copies=copies,
        due_at=due_at,
    )
    return mail


@transaction.atomic
def close_mail(mail: Mail, *, actor: User, reason: str = "") -> Mail:
    """Close (classer) a mail: it must have been answered (an outgoing reply sent) or the reason
    must be stated ("pour information", "sans suite", …)."""
    workflow.close(mail.case, actor=actor, reason=reason)
    return mail


# Visa circuit of outgoing letters --------------------------------------------------------------


def _lock(mail: Mail) -> Mail:
    """Re-read the mail under a row lock and refresh the caller's instance: two approvers or two
    clicks acting at once are serialised."""
    fresh = locks.rows(Mail.objects.filter(pk=mail.pk)).get()
    mail.visa, mail.sent_on = fresh.visa, fresh.sent_on
    return mail


def current_visa_step(mail: Mail) -> VisaStep | None:
    if mail.visa != Mail.Visa.PENDING:
        return None
    return mail.visa_steps.filter(status=VisaStep.Status.WAITING).order_by("order").first()


def _outgoing_draft(mail: Mail) -> None:
    if mail.direction == Mail.Direction.INCOMING:
        raise ValidationError(_("Le circuit de visa concerne les courriers départ et internes."))
    if mail.sent_on is not None:
        raise ValidationError(_("Ce courrier est déjà expédié."))


@transaction.atomic
def start_visa_circuit(mail: Mail, *, actor: User, approvers: list[User]) -> Mail:
    """Send the draft to `approvers`, who visa it one after the other, in this order."""
    _lock(mail)
    _outgoing_draft(mail)
    if mail.visa == Mail.Visa.PENDING:
        raise ValidationError(_("Ce courrier est déjà dans un circuit de visa."))
    approvers = [a for i, a in enumerate(approvers) if a is not None and a not in approvers[:i]]
    if not approvers:
        raise ValidationError({"approvers": _("Choisissez au moins un viseur.")})
    mail.visa_steps.all().delete()
    VisaStep.objects.bulk_create(
        VisaStep(mail=mail, order=i, approver=approver) for i, approver in enumerate(approvers, 1)
    )
    mail.visa = Mail.Visa.PENDING
    mail.save(update_fields=["visa"])
    workflow.record_event(
        mail.case,
        kind="other",
        actor=actor,
        internal=True,
        text=_("Circuit de visa : %(names)s") % {"names": ", ".join(str(a) for a in approvers)},
        data={"visa": "started", "approvers": [a.username for a in approvers]},
    )
    record(audit_actions.Correspondence.VISA_STARTED, actor=actor, target=mail)
    return mail


def _acting_step(mail: Mail, actor: User) -> VisaStep:
    step = current_visa_step(mail)
    if step is None:
        raise ValidationError(_("Ce courrier n'attend aucun visa."))
    if step.approver_id != actor.pk:
        raise PermissionDenied(_("Ce visa attend %(name)s, pas vous.") % {"name": step.approver})
    return step


@transaction.atomic
def approve_visa(mail: Mail, *, actor: User, comment: str = "") -> Mail:
    _lock(mail)
    step = _acting_step(mail, actor)
    step.status = VisaStep.Status.APPROVED
    step.acted_at = timezone.now()
    step.comment = comment.strip()
    step.save(update_fields=["status", "acted_at", "comment"])
    if current_visa_step(mail) is None:
        mail.visa = Mail.Visa.APPROVED
        mail.save(update_fields=["visa"])
    workflow.record_event(
        mail.case,
        kind="other",
        actor=actor,
        internal=True,
        text=comment.strip(),
        data={"visa": "approved", "step": step.order},
    )
    record(
        audit_actions.Correspondence.VISA_APPROVED,
        actor=actor,
        target=mail,
        data={"step": step.order},
    )
    return mail


@transaction.atomic
def annotate_visa(mail: Mail, *, actor: User, text: str) -> Mail:
    """The current approver writes on the draft without deciding yet."""
    _lock(mail)
    step = _acting_step(mail, actor)
    workflow.add_note(mail.case, actor=actor, text=text)
    record(
        audit_actions.Correspondence.VISA_ANNOTATED,
        actor=actor,
        target=mail,
        data={"step": step.order},
    )
    return mail


@transaction.atomic
def send_back_visa(mail: Mail, *, actor: User, reason: str) -> Mail:
    _lock(mail)
    step = _acting_step(mail, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("Dites ce qu'il faut corriger.")})
    step.status = VisaStep.Status.SENT_BACK
    step.acted_at = timezone.now()
    step.comment = reason
    step.save(update_fields=["status", "acted_at", "comment"])
    mail.visa = Mail.Visa.SENT_BACK
    mail.save(update_fields=["visa"])
    workflow.record_event(
        mail.case,
        kind="other",
        actor=actor,
        internal=True,
        text=reason,
        data={"visa": "sent_back", "step": step.order},
    )
    record(
        audit_actions.Correspondence.VISA_SENT_BACK,
        actor=actor,
        target=mail,
        data={"step": step.order},
    )
    return mail


@transaction.atomic
def resubmit_visa(mail: Mail, *, actor: User) -> Mail:
    """After correction, the draft goes round the same approvers again, from the first."""
    _lock(mail)
    if mail.visa != Mail.Visa.SENT_BACK:
        raise ValidationError(_("Ce courrier n'a pas été renvoyé pour correction."))
    mail.visa_steps.update(status=VisaStep.Status.WAITING, acted_at=None)
    mail.visa = Mail.Visa.PENDING
    mail.save(update_fields=["visa"])
    workflow.record_event(
        mail.case, kind="other", actor=actor, internal=True, data={"visa": "resubmitted"}
    )
    record(audit_actions.Correspondence.VISA_RESUBMITTED, actor=actor, target=mail)
    return mail


@transaction.atomic
def dispatch(mail: Mail, *, actor: User, sent_on: dt.date | None = None) -> Mail:
    """Send an outgoing letter: it must have gone through its visa circuit, if it has one. The
    mail it answers is then marked answered (and may be closed without a reason)."""
    _lock(mail)
    if mail.direction != Mail.Direction.OUTGOING:
        raise ValidationError(_("Seul un courrier départ s'expédie."))
    if mail.sent_on is not None:
        raise ValidationError(_("Ce courrier est déjà expédié."))
    if mail.visa in (Mail.Visa.PENDING, Mail.Visa.SENT_BACK):
        raise ValidationError(_("Ce courrier n'a pas fini son circuit de visa."))
    rules = selectors.mail_office_rules(mail.registered_in)
    if mail.visa != Mail.Visa.APPROVED and rules.needs_visa(mail):
        raise ValidationError(
            _(
                "Ce courrier doit être visé avant son expédition (règle fixée pour %(org)s : "
                "%(rule)s). Envoyez-le d'abord au circuit de visa."
            )
            % {"org": rules.organisation, "rule": rules.get_visa_rule_display().lower()}
        )
    if sent_on is not None and sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("Cette date est dans le futur.")})
    mail.sent_on = sent_on or timezone.localdate()
    mail.save(update_fields=["sent_on"])
    text = _("Expédié le %(date)s.") % {"date": mail.sent_on.strftime("%d/%m/%Y")}
    if workflow.can(mail.case, "answer"):
        workflow.answer(mail.case, actor=actor, public_text=text)
    # A letter that has left is done with: nothing more to do on it.
    if workflow.can(mail.case, "close"):
        workflow.close(mail.case, actor=actor)
    if mail.in_reply_to_id:
        answered = mail.in_reply_to
        if workflow.can(answered.case, "answer"):
            workflow.answer(
                answered.case,
                actor=actor,
                public_text=_("Réponse %(ref)s expédiée le %(date)s.")
                % {"ref": mail.reference, "date": mail.sent_on.strftime("%d/%m/%Y")},
            )
    record(audit_actions.Correspondence.MAIL_DISPATCHED, actor=actor, target=mail)
    return mail


def record_confidential_view(mail: Mail, *, actor: User, reason: str, request=None) -> None:
    """Every view of confidential mail is in the audit trail, with the reason given."""
    record(
        audit_actions.Correspondence.MAIL_VIEWED,
        actor=actor,
        organisation=mail.case.organisation,
        target=mail,
        reason=reason,
        request=request,
        sensitive_read=True,
    )
