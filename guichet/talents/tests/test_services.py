"""Challenges and applications: the rules of the call, its deadline to the minute (Niamey time),
and the checks on what a candidate sends."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guichet.audit.models import AuditEntry
from guichet.dates import date_in_words
from guichet.notifications.models import Message
from guichet.talents import services
from guichet.talents.models import Application, Challenge, Profile
from guichet.talents.tests.conftest import challenge_fields, pdf_upload

pytestmark = pytest.mark.django_db


def test_challenge_goes_from_draft_to_changes_requested_to_accepted(
    agents, organisations, promotion
):
    owner, manager = agents["owner_mj"], agents["manager"]
    challenge = services.draft_challenge(
        actor=owner,
        organisation=organisations["MJ"],
        profiles=Profile.objects.filter(code="developpeur"),
        **challenge_fields(),
    )
    assert challenge.status == Challenge.Status.DRAFT
    services.submit_challenge(challenge, actor=owner)
    with pytest.raises(ValidationError, match="raison"):
        services.review_challenge(challenge, actor=manager, decision="request_changes", reason="")
    services.review_challenge(
        challenge, actor=manager, decision="request_changes", reason="Précisez les données."
    )
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CHANGES_REQUESTED
    assert challenge.review_note == "Précisez les données."
    services.update_challenge(
        challenge,
        actor=owner,
        profiles=Profile.objects.all(),
        **{**challenge_fields(), "data_and_systems": "Fiches papier de 8 TGI."},
    )
    services.submit_challenge(challenge, actor=owner)
    services.review_challenge(
        challenge, actor=manager, decision="accept", reason="", promotion=promotion
    )
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.ACCEPTED and challenge.promotion == promotion
    actions = list(
        AuditEntry.objects.filter(object_id=str(challenge.pk)).values_list("action", flat=True)
    )
    assert actions.count(services.Actions.CHALLENGE_REVIEWED) == 2


def test_an_owner_cannot_draft_for_another_administration(agents, organisations):
    with pytest.raises(PermissionDenied):
        services.draft_challenge(
            actor=agents["owner_sgg"],
            organisation=organisations["MJ"],
            profiles=Profile.objects.all(),
            **challenge_fields(),
        )


def test_a_submitted_challenge_is_no_longer_editable_by_its_owner(make_challenge, agents):
    challenge = make_challenge(accept=False)
    with pytest.raises(ValidationError, match="plus modifiable"):
        services.update_challenge(
            challenge, actor=agents["owner_mj"], profiles=[], **challenge_fields("Autre")
        )


def test_only_the_programme_team_reviews_challenges(make_challenge, agents, promotion):
    challenge = make_challenge(accept=False)
    with pytest.raises(PermissionDenied):
        services.review_challenge(
            challenge, actor=agents["jury_ansi"], decision="accept", reason="", promotion=promotion
        )


def test_a_cv_must_be_a_pdf_by_its_content_and_at_most_5_mb(make_candidate):
    candidate = make_candidate()
    user = candidate.user
    fields = {
        "full_name": candidate.full_name,
        "email": candidate.email,
        "region": candidate.region,
        "sex": "F",
        "birth_year": 1995,
        "skills": "x",
        "links": "",
        "availability": "x",
    }
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with pytest.raises(ValidationError, match="PDF"):
        services.save_candidate(user, profiles=[], cv=pdf_upload("cv.pdf", png), **fields)
    big = pdf_upload("cv.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError, match="5 Mo"):
        services.save_candidate(user, profiles=[], cv=big, **fields)


def test_a_changed_email_must_be_verified_again_by_a_link(make_candidate):
    candidate = make_candidate()
    assert candidate.email_verified
    services.save_candidate(
        candidate.user,
        profiles=Profile.objects.all(),
        full_name=candidate.full_name,
        email="nouvelle@example.ne",
        region=candidate.region,
        sex="F",
        birth_year=1995,
        skills="x",
        links="",
        availability="x",
    )
    candidate.refresh_from_db()
    assert not candidate.email_verified
    mail = Message.objects.filter(recipient="nouvelle@example.ne").get()
    token = services.email_token(candidate)
    assert "/eig/candidature/courriel/" in mail.body
    services.verify_email(token)
    candidate.refresh_from_db()
    assert candidate.email_verified


def test_a_verification_link_for_an_old_address_is_refused(make_candidate):
    candidate = make_candidate(verified=False)
    old_token = services.email_token(candidate)
    candidate.email = "autre@example.ne"
    candidate.save()
    with pytest.raises(ValidationError, match="ne correspond plus"):
        services.verify_email(old_token)
    with pytest.raises(ValidationError, match="pas valide"):
        services.verify_email(old_token + "x")


def test_at_most_max_choices_challenges_and_bounded_motivations(
    make_candidate, make_challenge, promotion
):
    challenges = [make_challenge(f"Défi {n}") for n in range(4)]
    candidate = make_candidate()
    with pytest.raises(ValidationError, match="au plus 3"):
        services.save_application(candidate, promotion, [(c, "motivation") for c in challenges])
    with pytest.raises(ValidationError, match="deux fois"):
        services.save_application(
            candidate, promotion, [(challenges[0], "a"), (challenges[0], "b")]
        )
    with pytest.raises(ValidationError, match="dépasse 1500"):
        services.save_application(candidate, promotion, [(challenges[0], "x" * 1501)])
    application = services.save_application(
        candidate, promotion, [(challenges[2], "premier"), (challenges[0], "second")]
    )
    assert [(c.rank, c.challenge_id) for c in application.choices.all()] == [
        (1, challenges[2].pk),
        (2, challenges[0].pk),
    ]


def test_a_challenge_not_accepted_into_the_promotion_cannot_be_chosen(
    make_candidate, make_challenge, promotion
):
    pending = make_challenge("En attente", accept=False)
    with pytest.raises(ValidationError, match="ne fait pas partie"):
        services.save_application(make_candidate(), promotion, [(pending, "motivation")])


def test_sending_needs_a_verified_email_a_cv_and_a_motivation(
    make_candidate, make_challenge, promotion
):
    challenge = make_challenge()
    candidate = make_candidate(verified=False)
    application = services.save_application(candidate, promotion, [(challenge, "")])
    with pytest.raises(ValidationError) as refused:
        services.submit_application(application)
    text = " ".join(refused.value.messages)
    assert "confirmez votre adresse" in text and "motivation" in text
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_sending_is_confirmed_by_sms_and_email(make_candidate, make_challenge, promotion):
    challenge = make_challenge()
    candidate = make_candidate()
    application = services.save_application(candidate, promotion, [(challenge, "Motivée.")])
    services.submit_application(application)
    sms = Message.objects.get(recipient=candidate.user.phone_number, template__endswith="submitted")
    mail = Message.objects.get(recipient=candidate.email, template__endswith="submitted")
    assert "1 défi" in sms.body and "heure de Niamey" in sms.body
    assert mail.channel == "email"


def test_the_deadline_holds_to_the_minute_in_niamey_time(make_candidate, make_challenge, promotion):
    challenge = make_challenge()
    candidate = make_candidate()
    application = services.save_application(candidate, promotion, [(challenge, "Motivée.")])
    closes = promotion.call_closes_at
    with time_machine.travel(closes - timedelta(seconds=30), tick=False):
        services.submit_application(application)
    with time_machine.travel(closes, tick=False):
        with pytest.raises(ValidationError) as late:
            services.withdraw_application(application)
        with pytest.raises(ValidationError):
            services.save_application(candidate, promotion, [(challenge, "Changée.")])
    local = timezone.localtime(closes, timezone.get_default_timezone())
    # The deadline is written in words (guichet.dates), to the minute.
    assert f"{date_in_words(local.date())} à {local:%H:%M}" in late.value.messages[0]
    assert "heure de Niamey" in late.value.messages[0]
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.choices.get().motivation == "Motivée."


def test_nothing_can_be_sent_before_the_call_opens(make_candidate, make_challenge, promotion):
    challenge = make_challenge()
    promotion.call_opens_at = timezone.now() + timedelta(hours=1)
    promotion.save()
    with pytest.raises(ValidationError, match="ouvre le"):
        services.save_application(make_candidate(), promotion, [(challenge, "x")])


def test_a_candidate_withdraws_before_the_deadline_and_is_told(
    make_candidate, make_challenge, promotion
):
    challenge = make_challenge()
    candidate = make_candidate()
    application = services.submit_application(
        services.save_application(candidate, promotion, [(challenge, "Motivée.")])
    )
    services.withdraw_application(application)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert Message.objects.filter(template="talents/application_withdrawn").count() == 2
    with pytest.raises(ValidationError, match="retiré"):
        services.save_application(candidate, promotion, [(challenge, "Encore.")])
