"""Open311 GeoReport v2 to the letter (wiki.open311.org/GeoReport_v2): each row cites the
specification's rule, and two clients talk to a real server — the `georeport` client from PyPI
(GET) and one written here from the specification (POST), in JSON and XML."""

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.utils.dateparse import parse_datetime

from guichet.complaints import services
from guichet.complaints.models import Category, Complaint
from guichet.complaints.tests.test_open311 import BASE, FORMATS, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(db):
    return services.issue_open311_key("FixMyStreet Niamey", key="spec-open311-key")[1]


PLACE = {"service_code": "transport-taxis", "description": "Le bus 12 ne passe plus à Harobanda."}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", ["long", "lon"])
def test_longitude_is_read_as_long_or_lon(client, fmt, key, categories, name):
    # Spec: `long`; FixMyStreet's Open311 client sends `lon`.
    data = {**PLACE, "api_key": key, "lat": "13.5", name: "2.1"}
    response = client.post(f"{BASE}/requests.{fmt}", data)
    assert response.status_code == 201, response.content
    assert float(Complaint.objects.get().longitude) == 2.1


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_code_is_the_spec_s_404(client, fmt, key, categories):
    # Spec, POST Service Request errors: "404 - service_code ... provided were not found".
    data = {**PLACE, "service_code": "inconnu", "api_key": key, "lat": "13.5", "long": "2.1"}
    assert_error(client.post(f"{BASE}/requests.{fmt}", data), fmt, 404)


def test_discovery_has_a_datetime_changeset_a_contact_and_the_key_service(
    client, categories, settings
):
    settings.OPEN311_CONTACT = "open311@mediateur.example"
    settings.OPEN311_KEY_SERVICE = "Écrivez à open311@mediateur.example pour une clé."
    body = json.loads(client.get(f"{BASE}/discovery.json").content)
    changed = parse_datetime(body["changeset"])
    assert changed is not None and changed.tzinfo is not None
    assert body["endpoints"][0]["changeset"] == body["changeset"]
    assert body["contact"] == "open311@mediateur.example"
    assert body["key_service"] == "Écrivez à open311@mediateur.example pour une clé."
    category = Category.objects.get(code="autre")
    category.name = "Autre"
    with time_machine.travel(changed + timedelta(days=2)):
        category.save()
    later = json.loads(client.get(f"{BASE}/discovery.json").content)["changeset"]
    assert parse_datetime(later) > changed  # sortable: a change moves it forward


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_span_longer_than_90_days_is_refused(client, fmt, categories):
    query = "start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z"  # 91 days
    assert_error(client.get(f"{BASE}/requests.{fmt}?{query}"), fmt, 400)
    ok = "start_date=2026-01-01T00:00:00Z&end_date=2026-03-31T00:00:00Z"
    assert client.get(f"{BASE}/requests.{fmt}?{ok}").status_code == 200


def test_windows_default_to_90_days(client, file, categories):
    old = file(description="Une plainte de janvier, bien avant la fenêtre.")
    recent = file(description="Une plainte d'avril, dans la fenêtre.")
    Complaint.objects.filter(pk=old.pk).update(created_at=datetime(2026, 1, 5, tzinfo=UTC))
    Complaint.objects.filter(pk=recent.pk).update(created_at=datetime(2026, 4, 20, tzinfo=UTC))
    with time_machine.travel(datetime(2026, 5, 1, tzinfo=UTC)):
        latest = json.loads(client.get(f"{BASE}/requests.json").content)
        before = json.loads(
            client.get(f"{BASE}/requests.json", {"end_date": "2026-03-01T00:00:00Z"}).content
        )
    assert [r["service_request_id"] for r in latest] == [recent.public_id]
    # end_date alone: the 90 days before it.
    assert [r["service_request_id"] for r in before] == [old.public_id]


@pytest.mark.parametrize("fmt", FORMATS)
def test_jurisdiction_id_is_checked_when_configured(client, fmt, categories, settings):
    assert client.get(f"{BASE}/services.{fmt}?jurisdiction_id=autre").status_code == 200
    settings.OPEN311_JURISDICTION = "guichet.ne"
    assert client.get(f"{BASE}/services.{fmt}?jurisdiction_id=guichet.ne").status_code == 200
    assert client.get(f"{BASE}/services.{fmt}").status_code == 200  # optional (one jurisdiction)
    assert_error(client.get(f"{BASE}/services.{fmt}?jurisdiction_id=paris.fr"), fmt, 404)
    assert_error(client.get(f"{BASE}/requests.{fmt}?jurisdiction_id=paris.fr"), fmt, 404)


# --- Real clients against a real server ----------------------------------------------------------


def spec_post(base: str, fmt: str, fields: dict) -> tuple[int, object]:
    """POST Service Request as the specification writes it: form-encoded, format as extension;
    the answer is a list of requests, or the errors list, in JSON or XML."""
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(
        f"{base}/requests.{fmt}",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            status, content = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, content = error.code, error.read()
    if fmt == "json":
        return status, json.loads(content)
    root = ElementTree.fromstring(content)
    rows = [{child.tag: child.text for child in item} for item in root]
    return status, {root.tag: rows}


@pytest.fixture
def server(live_server, categories, key):
    return f"{live_server.url}{BASE}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_georeport_client_and_a_client_written_from_the_spec(
    server, fmt, key, transactional_db
):
    from georeport import GeoReport

    status, answer = spec_post(server, fmt, {**PLACE, "lat": "13.51", "lon": "2.11"})
    assert status == 403
    status, answer = spec_post(
        server, fmt, {**PLACE, "api_key": key, "lat": "13.51", "long": "2.11", "email": "a@b.ne"}
    )
    assert status == 201
    created = answer[0] if fmt == "json" else answer["service_requests"][0]
    request_id = created["service_request_id"]
    assert created["token"]

    reader = GeoReport(server, output_format=fmt)
    services_ = reader.get_service_list()
    codes = {s["service_code"] for s in services_}
    assert "transport-taxis" in codes
    definition = reader.get_service_definition("transport-taxis")
    assert definition["service_code"] == "transport-taxis"
    listed = reader.get_service_requests(service_code="transport-taxis", status="open")
    if isinstance(listed, dict):  # xmltodict: one <request> is a dict, several a list
        listed = [listed]
    assert request_id in {r["service_request_id"] for r in listed}
    one = reader.get_service_request(request_id)
    assert one["service_request_id"] == request_id and one["status"] == "open"
    assert one["description"] is None  # not the filing partner: no description
