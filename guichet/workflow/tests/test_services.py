import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from guichet.audit.models import AuditEntry
from guichet.workflow import services
from guichet.workflow.models import Case, CaseAssignment, CaseEvent

S = Case.Status
pytestmark = pytest.mark.django_db


def put_in(case, status, actor):
    """Bring a fresh case to `status` through the services."""
    if status == S.RECEIVED:
        return case
    if status in (S.ASSIGNED, S.IN_PROGRESS):
        services.assign(case, actor=actor, organisation=case.organisation, agent=actor)
        if status == S.IN_PROGRESS:
            services.start(case, actor=actor)
        return case
    if status == S.ANSWERED:
        return services.answer(case, actor=actor, public_text="Réponse")
    if status == S.CLOSED:
        return services.close(case, actor=actor, reason="Classé")
    if status == S.REJECTED:
        return services.reject(case, actor=actor, reason="Hors sujet")
    raise AssertionError(status)


ACTIONS = {
    "assign": lambda c, a: services.assign(c, actor=a, organisation=c.organisation),
    "start": lambda c, a: services.start(c, actor=a),
    "answer": lambda c, a: services.answer(c, actor=a, public_text="Voici"),
    "close": lambda c, a: services.close(c, actor=a, reason="Fin"),
    "reject": lambda c, a: services.reject(c, actor=a, reason="Non"),
    "reopen": lambda c, a: services.reopen(c, actor=a, text="Pas satisfait"),
    "requester_reply": lambda c, a: services.record_requester_reply(c, text="Merci"),
}
TARGET = {
    "assign": S.ASSIGNED,
    "start": S.IN_PROGRESS,
    "answer": S.ANSWERED,
    "close": S.CLOSED,
    "reject": S.REJECTED,
    "reopen": S.IN_PROGRESS,
    "requester_reply": None,
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("status", S.values)
def test_transition_table(case, clerk, status, action):
    put_in(case, status, clerk)
    events_before = CaseEvent.objects.filter(case=case).count()
    if status in services.TRANSITIONS[action]:
        ACTIONS[action](case, clerk)
        case.refresh_from_db()
        assert case.status == (TARGET[action] or status)
        assert CaseEvent.objects.filter(case=case).count() > events_before
    else:
        with pytest.raises(services.InvalidTransition) as error:
            ACTIONS[action](case, clerk)
        assert "Impossible" in error.value.messages[0]
        case.refresh_from_db()
        assert case.status == status
        assert CaseEvent.objects.filter(case=case).count() == events_before


def test_every_action_writes_an_event_and_an_audit_entry(case, clerk):
    audit_before = AuditEntry.objects.count()
    services.assign(case, actor=clerk, organisation=case.organisation, agent=clerk)
    services.start(case, actor=clerk)
    services.answer(case, actor=clerk, public_text="Réponse")
    services.close(case, actor=clerk)
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["created", "assigned", "status_changed", "public_reply", "closed"]
    actions = list(
        AuditEntry.objects.order_by("id")[audit_before:].values_list("action", flat=True)
    )
    assert actions == [
        "workflow.case.assigned",
        "workflow.case.status_changed",
        "workflow.case.public_reply",
        "workflow.case.closed",
    ]


def test_closing_without_an_answer_needs_a_reason(case, clerk):
    with pytest.raises(ValidationError, match="motif"):
        services.close(case, actor=clerk, reason="  ")
    case.refresh_from_db()
    assert case.status == S.RECEIVED


def test_closing_after_the_answer_needs_no_reason(case, clerk):
    services.answer(case, actor=clerk, public_text="Réponse")
    services.close(case, actor=clerk)
    assert case.status == S.CLOSED and case.closed_at is not None


def test_reject_requires_a_reason(case, clerk):
    with pytest.raises(ValidationError, match="motif du rejet"):
        services.reject(case, actor=clerk, reason="")


def test_reopen_clears_the_answer_and_closing(case, clerk):
    services.answer(case, actor=clerk, public_text="Réponse")
    services.close(case, actor=clerk)
    services.reopen(case, actor=None, text="Toujours pas réglé")
    case.refresh_from_db()
    assert case.status == S.IN_PROGRESS
    assert case.answered_at is None and case.closed_at is None and case.closing_reason == ""


def test_assign_routes_to_a_unit_and_agent_with_copies(case, clerk, organisations, make_agent):
    agent = make_agent("juriste", "mail_clerk", "SGG-DAJ")
    other = make_agent("jo", "gazette_editor", "SGG-JO")
    services.assign(
        case,
        actor=clerk,
        organisation=organisations["SGG-DAJ"],
        agent=agent,
        instructions="Pour avis",
        copies=[organisations["SGG-JO"], other],
    )
    case.refresh_from_db()
    assert case.organisation.code == "SGG-DAJ" and case.assigned_to == agent
    main = CaseAssignment.objects.get(case=case, for_information=False)
    assert main.instructions == "Pour avis" and main.active
    copies = CaseAssignment.objects.filter(case=case, for_information=True)
    assert {(c.to_organisation.code, c.to_user_id) for c in copies} == {
        ("SGG-JO", None),
        ("SGG-JO", other.pk),
    }
    assert case.events.filter(kind="copied").count() == 2


def test_reassigning_ends_the_previous_assignment(case, clerk, organisations, make_agent):
    services.assign(case, actor=clerk, organisation=organisations["SGG-DAJ"])
    services.assign(case, actor=clerk, organisation=organisations["SGG-JO"])
    active = CaseAssignment.objects.filter(case=case, active=True, for_information=False)
    assert [a.to_organisation.code for a in active] == ["SGG-JO"]


def test_an_agent_from_another_unit_cannot_be_assigned(case, clerk, organisations, make_agent):
    outsider = make_agent("outsider", "complaints_handler", "MSP-DQ")
    with pytest.raises(ValidationError, match="ne travaille pas"):
        services.assign(case, actor=clerk, organisation=organisations["SGG-DAJ"], agent=outsider)
    assert not CaseAssignment.objects.filter(case=case).exists()


def test_internal_notes_are_kept_apart(case, clerk):
    services.add_note(case, actor=clerk, text="Voir le dossier de 2024")
    services.add_note(case, actor=clerk, text="Public", internal=False)
    assert list(case.events.filter(is_internal=True).values_list("text", flat=True)) == [
        "Voir le dossier de 2024"
    ]


def test_empty_note_is_refused(case, clerk):
    with pytest.raises(ValidationError):
        services.add_note(case, actor=clerk, text=" ")


@pytest.mark.django_db(transaction=True)
def test_listeners_run_after_commit_only(transactional_db, organisations, clerk):
    seen = []

    def listener(case, event):
        seen.append((event.kind, event.to_status))

    services.register_case_listener("complaint", listener)
    try:
        case = services.open_case(kind="complaint", organisation=organisations["MSP-DQ"])
        assert seen == [("created", "received")]
        try:
            with transaction.atomic():
                services.answer(case, actor=clerk, public_text="Réponse")
                assert len(seen) == 1  # not yet committed
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
        assert len(seen) == 1
        services.reject(case, actor=clerk, reason="Doublon")
        assert seen[-1] == ("rejected", "rejected")
    finally:
        services.unregister_case_listener("complaint", listener)


@pytest.mark.django_db(transaction=True)
def test_a_failing_listener_does_not_undo_the_change(transactional_db, organisations, clerk):
    def broken(case, event):
        raise RuntimeError("SMS gateway down")

    services.register_case_listener("complaint", broken)
    try:
        case = services.open_case(kind="complaint", organisation=organisations["MSP-DQ"])
        services.reject(case, actor=clerk, reason="Doublon")
        case.refresh_from_db()
        assert case.status == S.REJECTED
    finally:
        services.unregister_case_listener("complaint", broken)


def test_mail_listener_not_called_for_complaints(organisations):
    seen = []
    services.register_case_listener("mail", lambda c, e: seen.append(e))
    try:
        services.open_case(kind="complaint", organisation=organisations["MSP-DQ"])
    finally:
        services._listeners["mail"].clear()
    assert seen == []


def test_unknown_kind_refused(organisations):
    with pytest.raises(ValidationError):
        services.open_case(kind="parcel", organisation=organisations["SGG"])


@pytest.mark.parametrize("language", ["fr", "en", "ha"])
def test_a_case_names_its_kind_and_status_as_django_does(language):
    from django.db.models import Model
    from django.utils import translation

    field = {name: Case._meta.get_field(name) for name in ("kind", "status")}
    with translation.override(language):
        for kind in Case.Kind.values:
            for status in Case.Status.values:
                case = Case(kind=kind, status=status)
                assert case.get_kind_display() == Model._get_FIELD_display(case, field["kind"])
                assert case.get_status_display() == Model._get_FIELD_display(case, field["status"])
