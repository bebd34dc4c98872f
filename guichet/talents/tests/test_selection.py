"""A fair selection: two reviewers at least, conflicts of interest, anonymous first round,
independent scores, the ranking with its spread, interviews and decisions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guichet.audit.models import AuditEntry
from guichet.notifications.models import Message
from guichet.talents import selection, selectors
from guichet.talents.models import (
    Application,
    Choice,
    Criterion,
    InterviewSlot,
    Member,
    ReviewAssignment,
)
from guichet.talents.tests.conftest import close_call

pytestmark = pytest.mark.django_db


def _score_all(assignment, reviewer, value):
    criteria = assignment.choice.application.promotion.criteria.filter(round=assignment.round)
    return selection.submit_scores(
        assignment, reviewer=reviewer, scores={c.pk: value for c in criteria}
    )


def test_each_choice_gets_two_reviewers_from_the_administration_and_ansi(
    submitted, agents, promotion
):
    submitted()
    close_call(promotion)
    made = selection.assign_reviewers(promotion, actor=agents["manager"])
    assert made == 4
    for choice in Choice.objects.all():
        reviewers = {a.reviewer.username for a in choice.assignments.all()}
        assert len(reviewers) == 2
        assert "mj.jury" in reviewers  # the challenge's administration
        assert reviewers & {"ansi.jury", "ansi.jury2"}
    # Running it again adds nobody.
    assert selection.assign_reviewers(promotion, actor=agents["manager"]) == 0


def test_a_reviewer_from_an_unrelated_administration_is_refused(
    submitted, agents, make_agent, promotion
):
    submitted()
    outsider = make_agent("msp.jury", "jury_member", "MSP")
    with pytest.raises(ValidationError, match="administration du défi"):
        selection.assign_reviewer(
            Choice.objects.first(), outsider, actor=agents["manager"], round="review"
        )


def test_a_declared_conflict_removes_the_reviewer_and_another_is_assigned(
    submitted, agents, promotion
):
    submitted()
    close_call(promotion)
    selection.assign_reviewers(promotion, actor=agents["manager"])
    choice = Choice.objects.first()
    assignment = choice.assignments.get(reviewer=agents["jury_mj"])
    with pytest.raises(ValidationError, match="Décrivez"):
        selection.declare_conflict(assignment, reviewer=agents["jury_mj"], reason=" ")
    selection.declare_conflict(assignment, reviewer=agents["jury_mj"], reason="C'est ma cousine.")
    assert selectors.application_for_reviewer(assignment, agents["jury_ansi"]) is None
    with pytest.raises(ValidationError, match="conflit"):
        _score_all(assignment, agents["jury_mj"], 3)
    selection.assign_reviewers(promotion, actor=agents["manager"])
    active = [a.reviewer.username for a in choice.assignments.all() if a.active]
    assert len(active) == 2 and "mj.jury" not in active
    assert AuditEntry.objects.filter(action="talents.reviewer.conflict_declared").count() == 1


def test_the_first_round_hides_name_sex_age_and_links_and_each_view_is_audited(
    submitted, agents, promotion
):
    submitted()
    close_call(promotion)
    selection.assign_reviewers(promotion, actor=agents["manager"])
    assignment = ReviewAssignment.objects.filter(reviewer=agents["jury_ansi"]).first()
    before = AuditEntry.objects.filter(action="talents.application.viewed").count()
    view = selectors.application_for_reviewer(assignment, agents["jury_ansi"])
    assert view.anonymised
    assert view.name == "" and view.sex == "" and view.birth_year is None and view.links == []
    assert view.motivation and view.skills
    assert AuditEntry.objects.filter(action="talents.application.viewed").count() == before + 1
    entry = AuditEntry.objects.filter(action="talents.application.viewed").last()
    assert entry.sensitive_read and entry.actor == agents["jury_ansi"]
    # The interview round is not anonymous.
    interview = selection.assign_reviewer(
        assignment.choice, agents["jury_ansi"], actor=agents["manager"], round="interview"
    )
    assert selectors.application_for_reviewer(interview, agents["jury_ansi"]).name


def test_a_reviewer_sees_others_scores_only_after_sending_theirs(submitted, agents, promotion):
    submitted()
    close_call(promotion)
    selection.assign_reviewers(promotion, actor=agents["manager"])
    choice = Choice.objects.first()
    first, second = choice.assignments.order_by("pk")
    _score_all(first, first.reviewer, 4)
    view = selectors.application_for_reviewer(second, second.reviewer)
    assert view.others_scores == []
    _score_all(second, second.reviewer, 2)
    second.refresh_from_db()
    view = selectors.application_for_reviewer(second, second.reviewer)
    assert [a.pk for a in view.others_scores] == [first.pk]
    with pytest.raises(ValidationError, match="déjà envoyées"):
        _score_all(second, second.reviewer, 5)


def test_scores_outside_the_scale_or_missing_are_refused(submitted, agents, promotion):
    submitted()
    close_call(promotion)
    selection.assign_reviewers(promotion, actor=agents["manager"])
    assignment = ReviewAssignment.objects.first()
    criteria = list(promotion.criteria.filter(round="review"))
    with pytest.raises(ValidationError, match="de 0 à 5"):
        selection.submit_scores(
            assignment, reviewer=assignment.reviewer, scores={criteria[0].pk: 6, criteria[1].pk: 1}
        )
    with pytest.raises(ValidationError):
        selection.submit_scores(
            assignment, reviewer=assignment.reviewer, scores={criteria[0].pk: 3}
        )
    with pytest.raises(PermissionDenied):
        selection.submit_scores(
            assignment, reviewer=agents["owner_mj"], scores={c.pk: 1 for c in criteria}
        )


def test_the_ranking_is_the_weighted_mean_and_flags_a_wide_spread(submitted, agents, promotion):
    challenge, (first_app, second_app) = submitted()
    close_call(promotion)
    selection.assign_reviewers(promotion, actor=agents["manager"])
    high, low = promotion.criteria.filter(round="review").order_by("order")
    # weights 3 and 1, scale 5: (3×5/5 + 1×1/5) / 4 = 0.8 → 80.0
    for assignment in ReviewAssignment.objects.filter(choice__application=first_app):
        selection.submit_scores(
            assignment, reviewer=assignment.reviewer, scores={high.pk: 5, low.pk: 1}
        )
    one, other = ReviewAssignment.objects.filter(choice__application=second_app).order_by("pk")
    selection.submit_scores(one, reviewer=one.reviewer, scores={high.pk: 5, low.pk: 5})  # 100
    selection.submit_scores(other, reviewer=other.reviewer, scores={high.pk: 1, low.pk: 1})  # 20
    ranked = selectors.ranking(challenge)
    assert [r.choice.application_id for r in ranked] == [first_app.pk, second_app.pk]
    assert ranked[0].score == Decimal("80.0") and not ranked[0].disputed
    assert ranked[1].score == Decimal("60.0")
    assert ranked[1].spread == Decimal("80.0") and ranked[1].disputed


def test_selection_steps_wait_for_the_call_to_close(submitted, agents):
    submitted()
    with pytest.raises(ValidationError, match="après la clôture"):
        selection.shortlist(Choice.objects.first(), actor=agents["manager"])


def _shortlisted_with_slots(submitted, agents, promotion):
    challenge, applications = submitted()
    close_call(promotion)
    choice = Choice.objects.get(application=applications[0])
    selection.shortlist(choice, actor=agents["manager"])
    first = timezone.make_aware(
        timezone.datetime.combine(promotion.interviews_from, timezone.datetime.min.time())
    ) + timedelta(hours=9)
    slots = selection.create_slots(
        promotion,
        challenge,
        actor=agents["manager"],
        first=first,
        count=3,
        minutes=30,
        place="ANSI",
    )
    return choice, slots, applications


def test_a_shortlisted_candidate_is_invited_and_picks_a_slot_with_an_ics(
    submitted, agents, promotion
):
    choice, slots, applications = _shortlisted_with_slots(submitted, agents, promotion)
    candidate = applications[0].candidate
    assert Message.objects.filter(template="talents/interview_invitation").count() == 2
    selection.book_slot(choice, slots[1], user=candidate.user)
    slots[1].refresh_from_db()
    assert slots[1].choice == choice
    mail = Message.objects.get(template="talents/interview_booked", channel="email")
    [attachment] = mail.attachments
    assert attachment["filename"].endswith(".ics")
    assert "BEGIN:VEVENT" in attachment["content"] and "DTSTART:" in attachment["content"]
    # Moving to another slot frees the first one.
    selection.book_slot(choice, slots[2], user=candidate.user)
    assert InterviewSlot.objects.get(pk=slots[1].pk).choice is None


def test_a_taken_slot_or_someone_elses_choice_is_refused(submitted, agents, promotion):
    choice, slots, applications = _shortlisted_with_slots(submitted, agents, promotion)
    selection.book_slot(choice, slots[0], user=applications[0].candidate.user)
    other = Choice.objects.get(application=applications[1])
    selection.shortlist(other, actor=agents["manager"])
    with pytest.raises(ValidationError, match="vient d'être pris"):
        selection.book_slot(other, slots[0], user=applications[1].candidate.user)
    with pytest.raises(PermissionDenied):
        selection.book_slot(other, slots[1], user=applications[0].candidate.user)


def test_slots_outside_the_interview_period_are_refused(submitted, agents, promotion):
    challenge, _ = submitted()
    with pytest.raises(ValidationError, match="période"):
        selection.create_slots(
            promotion,
            challenge,
            actor=agents["manager"],
            first=timezone.now() + timedelta(days=200),
            count=1,
            minutes=30,
            place="ANSI",
        )


def test_a_decision_tells_the_candidate_and_selected_ones_join_the_promotion(
    submitted, agents, promotion
):
    challenge, (first_app, second_app) = submitted()
    close_call(promotion)
    selected = Choice.objects.get(application=first_app)
    selection.decide(selected, actor=agents["manager"], outcome="selected", message="Bravo.")
    selection.decide(
        Choice.objects.get(application=second_app),
        actor=agents["manager"],
        outcome="waiting_list",
        message="",
    )
    member = Member.objects.get()
    assert member.candidate == first_app.candidate and member.challenge == challenge
    first_app.refresh_from_db()
    assert first_app.status == Application.Status.CLOSED
    sms = Message.objects.get(template="talents/decision_selected", channel="sms")
    assert challenge.title in sms.body and "/eig/candidature/" in sms.body
    assert Message.objects.filter(template="talents/decision_waiting_list").count() == 2
    with pytest.raises(ValidationError, match="déjà rendue"):
        selection.decide(selected, actor=agents["manager"], outcome="not_selected")
    assert AuditEntry.objects.filter(action="talents.choice.decided").count() == 2


def test_a_candidate_joins_one_team_at_most(make_candidate, make_challenge, agents, promotion):
    from guichet.talents import services

    first, second = make_challenge("Premier"), make_challenge("Second")
    candidate = make_candidate()
    application = services.submit_application(
        services.save_application(candidate, promotion, [(first, "a"), (second, "b")])
    )
    close_call(promotion)
    one, two = application.choices.order_by("rank")
    selection.decide(one, actor=agents["manager"], outcome="selected")
    two.refresh_from_db()
    assert two.outcome == Choice.Outcome.NOT_SELECTED
    with pytest.raises(ValidationError):
        selection.decide(two, actor=agents["manager"], outcome="selected")


def test_withdrawn_applications_are_not_reviewed(submitted, agents, promotion):
    from guichet.talents import services

    _challenge, (first_app, _second) = submitted()
    services.withdraw_application(first_app)
    close_call(promotion)
    selection.assign_reviewers(promotion, actor=agents["manager"])
    assert not ReviewAssignment.objects.filter(choice__application=first_app).exists()
    assert Criterion.objects.filter(promotion=promotion).exists()
