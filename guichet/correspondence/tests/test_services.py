import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from guichet.audit.models import AuditEntry
from guichet.correspondence import contacts, selectors, services
from guichet.correspondence.models import Attachment, Contact, Mail, RegisterCounter
from guichet.correspondence.tests.conftest import EXE, JPEG, PNG, TIFF, upload
from guichet.workflow.models import Case

pytestmark = pytest.mark.django_db


def test_number_format_and_sequence(register):
    year = timezone.localdate().year
    first, second = register(), register()
    assert first.reference == f"SGG/A/{year}/000001"
    assert second.reference == f"SGG/A/{year}/000002"
    assert first.register.code == "SGG" and first.registered_in.code == "SGG-BC"


def test_each_direction_has_its_own_sequence(register):
    register()
    outgoing = register(direction="D")
    internal = register(direction="I", correspondent=None, other_unit=outgoing.registered_in)
    assert outgoing.reference.split("/")[1:] == ["D", str(outgoing.year), "000001"]
    assert internal.reference.split("/")[1] == "I" and internal.number == 1


def test_each_ministry_has_its_own_register(register, organisations, make_agent):
    register()
    msp_clerk = make_agent("msp", "mail_clerk", "MSP-BC")
    # The SGG's contact is not in the Health ministry's directory: a name is looked up there.
    mail = register(
        actor=msp_clerk,
        unit=organisations["MSP-BC"],
        correspondent=None,
        correspondent_name="Ibrahim Souley",
    )
    assert mail.reference.startswith("MSP/A/") and mail.number == 1


def test_a_failed_registration_leaves_no_gap(register):
    register()
    with pytest.raises(RuntimeError), transaction.atomic():
        register()
        raise RuntimeError("the transaction around it fails")
    assert register().number == 2


def test_a_refused_file_leaves_no_mail_and_no_number(register):
    with pytest.raises(ValidationError):
        register(files=[upload("lettre.pdf", EXE)])
    assert not Mail.objects.exists()
    assert not RegisterCounter.objects.filter(last_number__gt=0).exists()
    assert register().number == 1


def test_registration_is_audited_and_opens_a_case(register):
    mail = register()
    assert mail.case.kind == Case.Kind.MAIL and mail.case.status == "received"
    entry = AuditEntry.objects.get(action="correspondence.mail.registered")
    assert entry.object_id == str(mail.pk) and entry.data["reference"] == mail.reference


def test_incoming_deadline_in_working_days_by_priority(register):
    friday = dt.date(2026, 11, 6)
    mail = register(received_on=friday, priority="urgent")
    due = timezone.localtime(mail.case.due_at).date()
    assert due == dt.date(2026, 11, 13)  # 5 working days after Friday
    with time_machine.travel(dt.datetime(2026, 12, 15, 9, tzinfo=dt.UTC), tick=False):
        normal = register(received_on=dt.date(2026, 12, 14))
    # 15 working days from Mon 14 Dec 2026: 18 and 25 Dec and 1 Jan are holidays.
    assert timezone.localtime(normal.case.due_at).date() == dt.date(2027, 1, 7)


def test_outgoing_mail_has_no_deadline(register):
    assert register(direction="D").case.due_at is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"subject": " "}, "subject"),
        ({"correspondent": None}, "correspondent"),
        ({"direction": "I", "correspondent": None}, "other_unit"),
        ({"received_on": dt.date.today() + dt.timedelta(days=3)}, "received_on"),
    ],
)
def test_bad_registration_refused_in_french(register, fields, field):
    with pytest.raises(ValidationError) as error:
        register(**fields)
    assert field in error.value.message_dict
    assert not Mail.objects.exists()


def test_only_clerks_of_the_unit_register(register, make_agent, organisations):
    outsider = make_agent("msp", "mail_clerk", "MSP-BC")
    with pytest.raises(PermissionDenied):
        register(actor=outsider)
    handler = make_agent("handler", "complaints_handler", "SGG-BC")
    with pytest.raises(PermissionDenied):
        register(actor=handler)


def test_reply_must_be_outgoing_and_answer_an_incoming(register):
    incoming = register()
    with pytest.raises(ValidationError):
        register(direction="A", in_reply_to=incoming)
    outgoing = register(direction="D")
    with pytest.raises(ValidationError):
        register(direction="D", in_reply_to=outgoing)


# Attachments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("lettre.pdf", b"%PDF-1.7\n%%EOF", "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("scan.jpg", JPEG, "image/jpeg"),
        ("scan.tif", TIFF, "image/tiff"),
    ],
)
def test_accepted_scans_are_stored_with_their_digest(register, clerk, name, data, mime):
    import hashlib

    mail = register()
    item = services.add_attachment(mail, actor=clerk, upload=upload(name, data, "x/y"))
    with item.file.open("rb") as handle:
        stored = handle.read()
    # Images are re-encoded without their metadata: the digest and size are the stored file's.
    assert item.content_type == mime and item.size == len(stored)
    assert item.sha256 == hashlib.sha256(stored).hexdigest()
    if mime == "application/pdf":
        assert stored == data
    assert name not in item.file.name  # stored under a random name


@pytest.mark.parametrize("fmt", ["JPEG", "TIFF"])
def test_a_scan_kept_as_an_image_is_stored_without_its_gps_exif(register, clerk, fmt):
    # Test fails before this change: the phone's EXIF (owner, GPS) was stored as sent.
    from tests.test_image_metadata import assert_no_metadata, phone_photo

    data = phone_photo(fmt)
    item = services.add_attachment(register(), actor=clerk, upload=upload("scan", data, "x/y"))
    with item.file.open("rb") as handle:
        assert_no_metadata(handle.read())


def test_registering_with_a_photographed_letter_drops_its_gps_exif(register, clerk):
    from tests.test_image_metadata import assert_no_metadata, phone_photo

    mail = register(files=[upload("lettre.jpg", phone_photo(), "image/jpeg")])
    with mail.attachments.get().file.open("rb") as handle:
        assert_no_metadata(handle.read())


def test_renamed_executable_is_refused(register, clerk):
    mail = register()
    with pytest.raises(ValidationError) as error:
        services.add_attachment(mail, actor=clerk, upload=upload("scan.pdf", EXE))
    message = error.value.messages[0]
    assert "programme exécutable" in message and "PDF, JPEG, PNG ou TIFF" in message
    assert not Attachment.objects.exists()


def test_unknown_content_is_refused(register, clerk):
    with pytest.raises(ValidationError, match="type inconnu"):
        services.add_attachment(register(), actor=clerk, upload=upload("a.pdf", b"hello world"))


def test_empty_and_oversized_files_are_refused(register, clerk, settings):
    mail = register()
    with pytest.raises(ValidationError, match="vide"):
        services.add_attachment(mail, actor=clerk, upload=upload("a.pdf", b""))
    settings.CORRESPONDENCE_MAX_ATTACHMENT_SIZE = 10
    with pytest.raises(ValidationError, match="taille maximale"):
        services.add_attachment(mail, actor=clerk, upload=upload("a.pdf", b"%PDF-1.4" * 4))


def test_ocr_text_is_searchable(register, clerk, monkeypatch):
    from guichet.correspondence import ocr

    monkeypatch.setattr(ocr, "extract_text", lambda data, mime: "Objet : forage de Tillabéri")
    mail = register(subject="Lettre", files=[upload()])
    other = register(subject="Autre")
    item = mail.attachments.get()
    assert services.run_ocr(item) == Attachment.Ocr.DONE
    found = selectors.search(Mail.objects.all(), q="forage")
    assert list(found) == [mail] and other not in found


def test_ocr_absent_is_recorded_not_fatal(register, clerk, monkeypatch):
    from guichet.correspondence import ocr

    monkeypatch.setattr(ocr, "extract_text", lambda data, mime: None)
    mail = register(files=[upload()])
    assert services.run_ocr(mail.attachments.get()) == Attachment.Ocr.UNAVAILABLE


# Contacts ------------------------------------------------------------------------------------


def test_duplicate_contacts_are_flagged(clerk, contact):
    same_name = contacts.create_contact(actor=clerk, name="  IBRAHIM   souley ")
    assert same_name.possible_duplicate_of == contact
    by_email = contacts.create_contact(actor=clerk, name="Autre", email="x@mairie.ne")
    again = contacts.create_contact(actor=clerk, name="Encore", email="X@Mairie.ne")
    assert by_email.possible_duplicate_of is None and again.possible_duplicate_of == by_email
    phone = contacts.create_contact(actor=clerk, name="P", phone="+227 90 11 22 33")
    assert (
        contacts.create_contact(actor=clerk, name="Q", phone="90112233").possible_duplicate_of
        == phone
    )


def test_accented_names_are_duplicates(clerk):
    first = contacts.create_contact(actor=clerk, name="Aïchatou Séïni")
    assert (
        contacts.create_contact(actor=clerk, name="aichatou seini").possible_duplicate_of == first
    )


def test_merge_moves_the_mails(register, clerk, contact):
    twin = contacts.create_contact(actor=clerk, name="Ibrahim SOULEY", email="is@example.ne")
    mail = register(correspondent=twin)
    contacts.merge_contacts(actor=clerk, keep=contact, duplicate=twin)
    mail.refresh_from_db()
    contact.refresh_from_db()
    assert mail.correspondent == contact and contact.email == "is@example.ne"
    assert not Contact.objects.filter(pk=twin.pk).exists()


def test_find_or_create_contact_reuses_the_directory(clerk, contact):
    assert contacts.find_or_create_contact(actor=clerk, name="ibrahim souley") == contact
    new = contacts.find_or_create_contact(actor=clerk, name="Nouvelle Personne")
    assert new.pk != contact.pk


# Routing, visa, reply, closing -----------------------------------------------------------------


def test_impute_with_instructions_copies_and_deadline(
    register, clerk, jurist, organisations, make_agent
):
    make_agent("jo", "mail_clerk", "SGG-JO")  # somebody reads the copy
    mail = register()
    services.impute(
        mail,
        actor=clerk,
        organisation=organisations["SGG-DAJ"],
        agent=jurist,
        instructions="Pour étude et projet de réponse",
        copies=[organisations["SGG-JO"]],
        due_days=3,
    )
    case = Case.objects.get(pk=mail.case.pk)
    assert case.status == "assigned" and case.assigned_to == jurist
    assert case.assignments.filter(for_information=True, to_organisation__code="SGG-JO").exists()
    assert case.due_at > timezone.now()
    assert mail in selectors.mails_visible_to(jurist)
    assert mail in selectors.mails_visible_to(clerk)  # the registering office keeps sight of it


def _draft_reply(register, incoming):
    return register(direction="D", in_reply_to=incoming, subject="Réponse")


def test_visa_circuit_in_order(register, clerk, head, jurist):
    draft = _draft_reply(register, register())
    services.start_visa_circuit(draft, actor=clerk, approvers=[jurist, head])
    with pytest.raises(PermissionDenied):
        services.approve_visa(draft, actor=head)  # not their turn yet
    services.annotate_visa(draft, actor=jurist, text="Citer le décret")
    services.approve_visa(draft, actor=jurist, comment="Vu")
    draft.refresh_from_db()
    assert draft.visa == Mail.Visa.PENDING and services.current_visa_step(draft).approver == head
    services.approve_visa(draft, actor=head)
    draft.refresh_from_db()
    assert draft.visa == Mail.Visa.APPROVED
    assert draft.case.events.filter(kind="internal_note", text="Citer le décret").exists()


def test_send_back_then_resubmit(register, clerk, head, jurist):
    draft = _draft_reply(register, register())
    services.start_visa_circuit(draft, actor=clerk, approvers=[jurist, head])
    services.approve_visa(draft, actor=jurist)
    with pytest.raises(ValidationError):
        services.send_back_visa(draft, actor=head, reason="")
    services.send_back_visa(draft, actor=head, reason="Revoir le deuxième paragraphe")
    draft.refresh_from_db()
    assert draft.visa == Mail.Visa.SENT_BACK
    with pytest.raises(ValidationError, match="visa"):
        services.dispatch(draft, actor=clerk)
    services.resubmit_visa(draft, actor=clerk)
    assert services.current_visa_step(draft).approver == jurist  # from the first again


def test_dispatch_answers_the_incoming_which_then_closes_without_reason(register, clerk, jurist):
    incoming = register()
    reply = _draft_reply(register, incoming)
    services.start_visa_circuit(reply, actor=clerk, approvers=[jurist])
    services.approve_visa(reply, actor=jurist)
    services.dispatch(reply, actor=clerk)
    incoming.case.refresh_from_db()
    reply.refresh_from_db()
    assert reply.sent_on == timezone.localdate() and reply.case.status == "closed"
    assert incoming.case.status == "answered"
    services.close_mail(incoming, actor=clerk)
    incoming.case.refresh_from_db()
    assert incoming.case.status == "closed"


def test_closing_without_answer_requires_a_reason(register, clerk):
    mail = register()
    with pytest.raises(ValidationError, match="motif"):
        services.close_mail(mail, actor=clerk)
    services.close_mail(mail, actor=clerk, reason="Pour information, classé")
    mail.case.refresh_from_db()
    assert mail.case.closing_reason == "Pour information, classé"


def test_confidential_mail_makes_a_confidential_case(register, clerk, jurist, head, organisations):
    mail = register(confidentiality="confidential")
    assert mail.case.confidential
    assert mail not in selectors.mails_visible_to(clerk)  # only those it is routed to
    assert mail in selectors.mails_visible_to(head)
    services.impute(mail, actor=head, organisation=organisations["SGG-DAJ"], agent=jurist)
    assert mail in selectors.mails_visible_to(jurist)


def test_search_filters(register, clerk, organisations, jurist):
    first = register(subject="Budget 2027", keywords="finances")
    second = register(subject="Audience", direction="D")
    services.impute(second, actor=clerk, organisation=organisations["SGG-DAJ"])
    everything = Mail.objects.all()
    assert list(selectors.search(everything, q="finances")) == [first]
    assert list(selectors.search(everything, direction="D")) == [second]
    assert list(selectors.search(everything, status="assigned")) == [second]
    assert list(selectors.search(everything, unit=organisations["SGG-DAJ"])) == [second]
    assert set(selectors.search(everything, correspondent="mairie")) == {first, second}
    assert list(selectors.search(everything, q=first.reference)) == [first]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert not selectors.search(everything, date_from=tomorrow).exists()
    assert not selectors.search(everything, overdue=True).exists()
    assert list(selectors.search(everything, overdue=True, now=first.case.due_at + dt.timedelta(1)))


def test_deadline_reminder_names_the_mail(register, clerk, jurist, organisations):
    from guichet.notifications.models import Message
    from guichet.workflow.deadlines import check_deadlines

    mail = register()
    services.impute(mail, actor=clerk, organisation=organisations["SGG-DAJ"], agent=jurist)
    with time_machine.travel(mail.case.due_at - dt.timedelta(hours=2), tick=False):
        check_deadlines()
    sms = Message.objects.get(template="workflow/case_reminder")
    assert mail.reference in sms.body


@given(
    register_code=st.from_regex(r"[A-Z][A-Z0-9-]{0,15}", fullmatch=True),
    direction=st.sampled_from(["A", "D", "I"]),
    year=st.integers(2000, 2999),
    number=st.integers(1, 999_999),
)
def test_reference_round_trip(register_code, direction, year, number):
    from guichet.accounts.models import Organisation

    text = services.format_reference(Organisation(code=register_code), direction, year, number)
    assert services.parse_reference(text) == (register_code, direction, year, number)
    assert services.parse_reference(text.lower()) == (register_code, direction, year, number)


@pytest.mark.parametrize("text", ["", "SGG", "SGG/X/2026/1", "SGG/A/26/1", "SGG/A/2026/", "budget"])
def test_not_a_reference(text):
    assert services.parse_reference(text) is None


def test_search_by_reference_without_zeros(register):
    first = register()
    register()
    assert list(selectors.search(Mail.objects.all(), q=f"sgg/a/{first.year}/1")) == [first]


def test_dates_no_letter_can_have_are_refused(register, clerk):
    """A letter dated after it was received, an outgoing registered as sent tomorrow, or sent
    tomorrow, were stored as typed (a slip of the year or the month)."""
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        register(letter_date=today, received_on=today - dt.timedelta(days=3))
    assert "letter_date" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        register(direction="D", sent_on=tomorrow)
    assert refused.value.message_dict["sent_on"] == ["Cette date est dans le futur."]
    outgoing = register(direction="D")
    with pytest.raises(ValidationError, match="futur"):
        services.dispatch(outgoing, actor=clerk, sent_on=tomorrow)
    outgoing.refresh_from_db()
    assert outgoing.sent_on is None
    # The same day, or received after its date: as before.
    register(letter_date=today - dt.timedelta(days=3), received_on=today)
    register(letter_date=today, received_on=today)
    assert services.dispatch(outgoing, actor=clerk, sent_on=today).sent_on == today
