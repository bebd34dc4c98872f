"""The workflow's case events each have a registered audit action (kept here: the audit app
sits below workflow and does not import it)."""

from guichet.audit import actions
from guichet.workflow.models import CaseEvent


def test_every_case_event_kind_has_a_registered_workflow_action():
    assert set(actions.WORKFLOW_CASE_EVENT_KINDS) == set(CaseEvent.Kind.values)
