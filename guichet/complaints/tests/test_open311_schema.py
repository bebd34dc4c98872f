"""Every Open311 JSON operation answers as /open311/v2/openapi.json says, probed by schemathesis
over real HTTP against a live server: no server error, documented statuses and content types,
bodies matching the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from guichet.accounts.models import Organisation
from guichet.complaints import services
from guichet.complaints.models import Category, Complaint
from guichet.complaints.open311.schema import DOCUMENT

schema = schemathesis.openapi.from_dict(DOCUMENT)


@pytest.fixture
def open311_data(transactional_db):
    category = Category.objects.create(
        code="transport-taxis",
        name="Taxis et bus",
        group="Transport",
        organisation=Organisation.objects.get(code="MT-STU"),
    )
    services.issue_open311_key("Sonde", key="probe-key")
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
    # missing required headers, unsupported methods… All but two, whose findings are open
    # (notes of issue 9): "positive data acceptance" assumes any schema-valid body is accepted,
    # but uploads are judged by their content (an empty "PDF" is rightly refused with a 400);
    # "negative data rejection" flags empty optional parameters (?to=, ?start_date=) that the
    # views treat as absent.
    case.call_and_validate(
        base_url=live_server.url,
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )


def test_the_document_is_served(client):
    response = client.get("/open311/v2/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"].keys() == DOCUMENT["paths"].keys()
