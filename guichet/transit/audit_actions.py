"""Audit actions of the trace-to-GTFS tool (guichet/transit/trace_services.py), named once and
collected by ``guichet.audit.actions.discover()``."""

SURVEY_CREATED = "transit.survey.created"
TRACE_ADDED = "transit.trace.added"
TRACE_DELETED = "transit.trace.deleted"
PROPOSAL_COMPUTED = "transit.proposal.computed"
PROPOSAL_EDITED = "transit.proposal.edited"
SURVEY_PUBLISHED = "transit.survey.published"
