"""Filing, duplicates, limits, photos, the citizen's follow-up and status notices."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guichet.audit.models import AuditEntry
from guichet.complaints import services
from guichet.complaints.models import Complaint, DuplicateSubmission
from guichet.notifications.models import Message
from guichet.throttling import RateLimited
from guichet.workflow import services as workflow
from guichet.workflow.calendar import deadline_after
from guichet.workflow.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    # Photos are decoded and re-encoded without metadata before storage: they must be real.
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def sms_to(phone):
    return list(Message.objects.filter(recipient=phone, channel="sms").order_by("pk"))


@time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC), tick=False)
def test_filing_opens_a_complaint_case_for_the_category_unit_due_in_working_days(file, categories):
    complaint = file(category=categories["sante-medicaments"])
    case = complaint.case
    assert case.kind == Case.Kind.COMPLAINT
    assert case.status == Case.Status.RECEIVED
    assert case.organisation.code == "MSP-DQ"
    # Friday 27 November + 5 working days = Friday 4 December (no holiday in between).
    assert case.due_at == deadline_after(timezone.now(), 5)
    assert timezone.localtime(case.due_at).date() == dt.date(2026, 12, 4)
    assert AuditEntry.objects.filter(action="complaints.complaint.filed").count() == 1


def test_the_reference_is_sent_by_sms_after_commit(file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file(phone="90 12 34 56")
    assert complaint.phone == "+22790123456"
    [message] = sms_to("+22790123456")
    assert message.template == "complaints/received"
    assert complaint.display_reference in message.body


def test_an_anonymous_complaint_needs_no_contact(file):
    complaint = file()
    assert complaint.is_anonymous
    assert Message.objects.count() == 0


def test_a_bad_phone_number_is_refused_with_nothing_written(file):
    with pytest.raises(ValidationError) as error:
        file(phone="12")
    assert "phone" in error.value.message_dict
    assert Complaint.objects.count() == 0
    assert Case.objects.count() == 0


def test_a_too_short_description_is_refused(file):
    with pytest.raises(ValidationError) as error:
        file(description="mal")
    assert "description" in error.value.message_dict


def test_the_same_text_and_phone_within_a_day_is_linked_not_doubled(file):
    first = file(phone="+22790123456", description="Le taxi a refusé de me   rendre la monnaie.")
    again = services.file_complaint(
        category=first.category,
        description="le taxi a refusé de me rendre la monnaie.",
        channel=Complaint.Channel.SMS,
        phone="90123456",
    )
    assert again.duplicate and again.complaint.pk == first.pk
    assert Complaint.objects.count() == 1
    assert Case.objects.count() == 1
    first.refresh_from_db()
    assert first.duplicate_count == 1
    assert DuplicateSubmission.objects.get().channel == "sms"


def test_the_same_text_a_day_later_is_a_new_complaint(file):
    with time_machine.travel(timezone.now() - dt.timedelta(hours=25)):
        first = file(phone="+22790123456")
    second = file(phone="+22790123456")
    assert second.pk != first.pk


def test_the_same_text_from_another_phone_is_a_new_complaint(file):
    first = file(phone="+22790123456")
    assert file(phone="+22796000000").pk != first.pk


def test_filings_are_limited_per_phone(file):
    for n in range(services.PHONE_LIMIT):
        file(phone="+22790123456", description=f"Problème numéro {n} au guichet.")
    with pytest.raises(RateLimited):
        file(phone="+22790123456", description="Encore un autre problème.")
    assert Complaint.objects.count() == services.PHONE_LIMIT


def test_filings_are_limited_per_ip(file):
    for n in range(services.IP_LIMIT):
        file(ip="10.0.0.7", description=f"Problème numéro {n} au guichet.")
    with pytest.raises(RateLimited):
        file(ip="10.0.0.7", description="Encore un autre problème.")
    file(ip="10.0.0.8", description="Depuis une autre adresse.")


def test_a_photo_is_checked_by_content_and_stored_under_a_random_name(file):
    complaint = file(photo=SimpleUploadedFile("ma-photo-Moussa.jpg", PNG, "image/jpeg"))
    assert complaint.photo_type == "image/png"
    assert complaint.photo.name.endswith(".png")
    assert "Moussa" not in complaint.photo.name
    with complaint.photo.open("rb") as stored:
        assert stored.read().startswith(b"\x89PNG")


def test_a_photo_with_gps_exif_reaches_handlers_without_any_metadata(file):
    # Test fails before this change: the phone's JPEG was stored as sent, GPS position included.
    from tests.test_image_metadata import assert_no_metadata, phone_photo

    complaint = file(
        photo=SimpleUploadedFile("IMG_0001.jpg", phone_photo(), "image/jpeg"), hide_identity=True
    )
    assert complaint.photo_type == "image/jpeg"
    with complaint.photo.open("rb") as stored:
        assert_no_metadata(stored.read())


def test_a_renamed_executable_is_refused_as_a_photo(file):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg")
    with pytest.raises(ValidationError) as error:
        file(photo=fake)
    assert "photo" in error.value.message_dict
    assert Complaint.objects.count() == 0


def test_a_photo_over_5_mb_is_refused(file):
    big = SimpleUploadedFile("p.png", PNG + b"\x00" * (5 * 1024 * 1024), "image/png")
    with pytest.raises(ValidationError):
        file(photo=big)


def test_a_point_outside_niger_is_refused(file):
    with pytest.raises(ValidationError):
        file(latitude=48.85, longitude=2.35)


def test_a_commune_of_another_region_is_refused(file, niamey):
    from guichet.accounts.models import Commune

    maradi = Commune.objects.filter(region__code="NE-4").first()
    with pytest.raises(ValidationError) as error:
        file(region=niamey, commune=maradi)
    assert "commune" in error.value.message_dict


def test_each_change_of_status_is_texted_to_the_complainant_identity_hidden_or_not(
    file, handler, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file(phone="+22790123456", hide_identity=True)
    case = complaint.case
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(case, actor=handler, organisation=case.organisation, agent=handler)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_note(case, actor=handler, text="Appeler le major du CSI.")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.start(case, actor=handler)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.answer(case, actor=handler, public_text="Le major a été rappelé à l'ordre.")
    templates = [m.template for m in sms_to("+22790123456")]
    assert templates == [
        "complaints/received",
        "complaints/status_changed",  # assigned
        "complaints/status_changed",  # in progress
        "complaints/status_changed",  # answered
    ]
    last = sms_to("+22790123456")[-1].body
    # The sentence agrees with « plainte » (feminine) and quotes no status label.
    assert "a re" in last and "une réponse" in last and complaint.display_reference in last
    assert "Répondu" not in last and "«" not in last
    assert "major du CSI" not in " ".join(m.body for m in sms_to("+22790123456"))


def answered(file, handler, **fields):
    complaint = file(**fields)
    workflow.answer(complaint.case, actor=handler, public_text="Réponse de l'administration.")
    complaint.refresh_from_db()
    return complaint


def test_the_citizen_confirms_an_answer_and_the_complaint_closes(file, handler):
    complaint = answered(file, handler)
    services.citizen_confirm(complaint)
    complaint.case.refresh_from_db()
    assert complaint.case.status == Case.Status.CLOSED
    assert complaint.case.events.filter(kind=CaseEvent.Kind.CONFIRMED).exists()


def test_the_citizen_cannot_confirm_before_an_answer(file):
    with pytest.raises(ValidationError):
        services.citizen_confirm(file())


def test_the_citizen_reopens_with_a_reason(file, handler):
    complaint = answered(file, handler)
    services.citizen_reopen(complaint, "Rien n'a changé au CSI.")
    complaint.case.refresh_from_db()
    assert complaint.case.status == Case.Status.IN_PROGRESS


def test_reopening_needs_a_reason(file, handler):
    with pytest.raises(ValidationError):
        services.citizen_reopen(answered(file, handler), "")


def test_reopening_is_refused_long_after_the_answer(file, handler):
    complaint = answered(file, handler)
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        with pytest.raises(ValidationError):
            services.citizen_reopen(complaint, "Rien n'a changé au CSI.")


def test_the_citizen_replies_while_the_complaint_is_open(file):
    complaint = file()
    services.citizen_reply(complaint, "J'ai oublié : c'était vers 8 h.")
    event = complaint.case.events.get(kind=CaseEvent.Kind.REQUESTER_REPLY)
    assert event.text == "J'ai oublié : c'était vers 8 h."


def test_rating_is_allowed_once_after_closure_only(file, handler):
    complaint = answered(file, handler)
    with pytest.raises(ValidationError):
        services.rate_answer(complaint, 4)
    services.citizen_confirm(complaint)
    with pytest.raises(ValidationError):
        services.rate_answer(complaint, 6)
    services.rate_answer(complaint, 4, "Rapide.")
    complaint.refresh_from_db()
    assert (complaint.rating, complaint.rating_comment) == (4, "Rapide.")
    with pytest.raises(ValidationError):
        services.rate_answer(complaint, 5)


def test_escalation_works_for_complaints_because_they_have_a_deadline(file):
    complaint = file()
    assert complaint.case.due_at is not None
    later = complaint.case.due_at + dt.timedelta(hours=1)
    from guichet.workflow.selectors import overdue_cases

    assert complaint.case in overdue_cases(now=later, kind=Case.Kind.COMPLAINT)


def test_open311_keys_are_stored_as_hashes(db):
    partner, key = services.issue_open311_key("Application citoyenne")
    assert key not in (partner.key_hash, partner.key_prefix)
    assert services.partner_for_key(key) == partner
    services.revoke_open311_key(partner)
    assert services.partner_for_key(key) is None


def test_the_stream_helper_rewinds_uploads(file):
    upload = SimpleUploadedFile("a.png", PNG, "image/png")
    assert services.photo_type(upload) == ("image/png", "png")
    assert upload.read() == PNG


def test_a_complaint_past_its_target_is_escalated_to_the_heads_by_the_deadline_watch(
    file, make_agent, django_capture_on_commit_callbacks
):
    from guichet.workflow.deadlines import check_deadlines

    head = make_agent("chef.dq", "head_of_service", "MSP", email="chef.dq@sante.ne")
    complaint = file()
    with django_capture_on_commit_callbacks(execute=True):
        counts = check_deadlines(now=complaint.case.due_at + dt.timedelta(minutes=1))
    assert counts["escalations"] == 1
    complaint.case.refresh_from_db()
    assert complaint.case.escalated_at is not None
    [mail] = Message.objects.filter(recipient=head.email)
    assert complaint.display_reference in mail.body + mail.subject
    assert f"/plaintes/agents/{complaint.pk}/" in mail.body


def test_a_known_key_is_read_once_per_few_seconds_and_a_revoked_one_refused_at_once(
    db, django_assert_num_queries
):
    partner, key = services.issue_open311_key("Application citoyenne")
    assert services.partner_for_key(key) == partner
    with django_assert_num_queries(0):  # kept by this process (PARTNER_MEMO_SECONDS)
        assert services.partner_for_key(key) == partner
    services.revoke_open311_key(partner)  # the row's post_save forgets it here at once
    assert services.partner_for_key(key) is None
