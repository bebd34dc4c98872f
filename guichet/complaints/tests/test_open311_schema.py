"""Every Open311 JSON operation answers as /open311/v2/openapi.json says, probed by schemathesis
over real HTTP against a live server: no server error, documented statuses and content types,
bodies matching the schema."""

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from guichet.accounts.models import Organisation
from guichet.complaints import services
from guichet.complaints.models import Category, Complaint, Open311Partner
from guichet.complaints.open311.schema import DOCUMENT

schema = schemathesis.openapi.from_dict(DOCUMENT)
# GeoReport v2's rules across parameters of GET requests (end_date after start_date, a span of
# at most 90 days) answer 400, and OpenAPI 3.0 cannot relate two parameters (no $data, no
# formatMinimum): « positive data acceptance » stays off for that operation only.
NOT_EXPRESSIBLE = {"GET /open311/v2/requests.json"}
CREATE = "POST /open311/v2/requests.json"
BODY = DOCUMENT["paths"]["/open311/v2/requests.json"]["post"]["requestBody"]["content"][
    "application/x-www-form-urlencoded"
]["schema"]
KNOWN = {"api_key": "probe-key", "service_code": "transport-taxis"}


def _with_known_key_and_service(case) -> None:
    """A random api_key is a 403 and a random service_code a 404, which would leave the rest of
    the body unprobed: give the probe's key and category wherever the body stays as valid (or as
    invalid) as it was."""
    if case.operation.label != CREATE or not isinstance(case.body, dict):
        return
    validator = jsonschema.Draft4Validator(BODY)
    was_valid = validator.is_valid(case.body)
    body = {**case.body, **KNOWN}
    if validator.is_valid(body) == was_valid:
        case.body = body


@pytest.fixture
def open311_data(transactional_db):
    category = Category.objects.create(
        code="transport-taxis",
        name="Taxis et bus",
        group="Transport",
        organisation=Organisation.objects.get(code="MT-STU"),
    )
    services.issue_open311_key("Sonde", key="probe-key")
    Open311Partner.objects.update(requests_per_minute=10_000)
    services.file_complaint(
        category=category,
        description="Le bus ne s'arrête plus au rond-point.",
        channel=Complaint.Channel.WEB,
        latitude=13.51,
        longitude=2.12,
    )


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_open311_answers_as_documented(case, live_server, open311_data, settings):
    # No `checks=`: schemathesis 4 then runs every built-in check (the CLI's --checks all):
    # server errors, statuses, content types, headers, bodies, negative data rejected,
    # positive data accepted, missing required headers, unsupported methods… except positive
    # data acceptance for GET requests (NOT_EXPRESSIBLE above).
    _with_known_key_and_service(case)
    excluded = [positive_data_acceptance] if case.operation.label in NOT_EXPRESSIBLE else []
    # A generous timeout: the machine that runs the suite is shared (requests' own is 10 s).
    case.call_and_validate(base_url=live_server.url, excluded_checks=excluded, timeout=60)


def test_the_document_is_served(client):
    response = client.get("/open311/v2/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"].keys() == DOCUMENT["paths"].keys()
