"""Open311 GeoReport v2: every endpoint in JSON and XML, with the spec's shapes and errors."""

import json
from xml.etree import ElementTree

import pytest

from guichet.complaints import services
from guichet.complaints.models import Complaint
from guichet.workflow import services as workflow

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
FORMATS = ["json", "xml"]


@pytest.fixture
def key(db):
    _partner, key = services.issue_open311_key("Appli partenaire", key="test-open311-key")
    return key


def parse(response, fmt):
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return json.loads(response.content)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.content)


def assert_error(response, fmt, code):
    assert response.status_code == code
    body = parse(response, fmt)
    if fmt == "json":
        assert body[0]["code"] == code and body[0]["description"]
    else:
        assert body.tag == "errors"
        assert body.find("error/code").text == str(code)
        assert body.find("error/description").text


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_points_at_the_v2_endpoint(client, fmt, categories):
    body = parse(client.get(f"{BASE}/discovery.{fmt}"), fmt)
    if fmt == "json":
        endpoint = body["endpoints"][0]
        assert body["changeset"]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"].endswith("/open311/v2/")
        assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    else:
        assert body.tag == "discovery"
        assert body.find("endpoints/endpoint/specification").text.endswith("GeoReport_v2")
        formats = {f.text for f in body.findall("endpoints/endpoint/formats/format")}
        assert formats == {"text/xml", "application/json"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_lists_the_active_categories(client, fmt, categories):
    categories["autre"].is_active = False
    categories["autre"].save()
    body = parse(client.get(f"{BASE}/services.{fmt}"), fmt)
    if fmt == "json":
        codes = {s["service_code"] for s in body}
        first = body[0]
        assert set(first) == {
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        }
        assert first["type"] == "realtime" and first["metadata"] is True
    else:
        assert body.tag == "services"
        codes = {s.find("service_code").text for s in body.findall("service")}
        assert body.find("service/metadata").text == "true"
    assert codes == {"sante-accueil", "sante-medicaments", "transport-taxis"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_lists_its_attributes(client, fmt, categories):
    body = parse(client.get(f"{BASE}/services/sante-accueil.{fmt}"), fmt)
    if fmt == "json":
        assert body["service_code"] == "sante-accueil"
        region = body["attributes"][0]
        assert region["code"] == "region" and region["datatype"] == "singlevaluelist"
        assert {"key": "NE-8", "name": "Niamey"} in region["values"]
    else:
        assert body.tag == "service_definition"
        keys = [v.text for v in body.findall("attributes/attribute/values/value/key")]
        assert "NE-8" in keys and "true" in keys


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_is_a_404(client, fmt, categories):
    assert_error(client.get(f"{BASE}/services/nope.{fmt}"), fmt, 404)


def post(client, fmt, **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_files_a_complaint_and_answers_201_with_its_id(
    client, fmt, key, categories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            fmt,
            api_key=key,
            service_code="transport-taxis",
            lat="13.5116",
            long="2.1254",
            description="Le bus de la ligne 3 ne s'arrête plus au rond-point.",
            phone="+22790123456",
            first_name="Aïcha",
            last_name="Issa",
            **{"attribute[region]": "NE-8", "attribute[hide_identity]": "true"},
        )
    assert response.status_code == 201, response.content
    body = parse(response, fmt)
    if fmt == "json":
        request_id, token = body[0]["service_request_id"], body[0]["token"]
        assert body[0]["service_notice"]
    else:
        assert body.tag == "service_requests"
        request_id = body.find("request/service_request_id").text
        token = body.find("request/token").text
    complaint = Complaint.objects.get(public_id=request_id)
    assert complaint.open311_token == token
    assert complaint.channel == "open311" and complaint.hide_identity
    assert complaint.region.code == "NE-8"
    assert complaint.partner.name == "Appli partenaire"
    assert request_id != complaint.reference  # the citizen's secret is not the public id
    # The complainant still gets the reference by SMS.
    from guichet.notifications.models import Message

    assert complaint.display_reference in Message.objects.get(recipient="+22790123456").body


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_without_api_key_or_with_a_bad_one_is_a_403(client, fmt, key, categories):
    data = {
        "service_code": "transport-taxis",
        "lat": "13.5",
        "long": "2.1",
        "description": "Le bus ne passe plus.",
    }
    assert_error(post(client, fmt, **data), fmt, 403)
    assert_error(post(client, fmt, api_key="wrong", **data), fmt, 403)
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "data",
    [
        {"lat": "13.5", "long": "2.1", "description": "Le bus ne passe plus."},  # no service_code
        {"service_code": "transport-taxis", "description": "Le bus ne passe plus."},  # no place
        {"service_code": "transport-taxis", "lat": "abc", "long": "2.1", "description": "Bus x x"},
        {"service_code": "transport-taxis", "lat": "13.5", "long": "2.1", "description": "x"},
        {
            "service_code": "transport-taxis",
            "address_string": "Niamey",
            "description": "Bus x x x",
            "media_url": "javascript:alert(1)",
        },
        {"service_code": "transport-taxis", "lat": "48.8", "long": "2.3", "description": "Bus x x"},
    ],
)
def test_post_with_bad_arguments_is_a_400(client, fmt, key, categories, data):
    assert_error(post(client, fmt, api_key=key, **data), fmt, 400)
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    "place", [{"address_id": "nope"}, {"address_string": "Niamey", "attribute[region]": "NE-1"}]
)
def test_post_naming_a_commune_or_region_we_lack_is_a_404(client, key, categories, place):
    # Like an unknown service_code (GeoReport v2's 404): the syntax is right, the data lacks it.
    from guichet.accounts.models import Region

    Region.objects.filter(code="NE-1").update(code="NE-1-old")
    data = {"service_code": "transport-taxis", "description": "Le bus ne passe plus.", **place}
    assert_error(post(client, "json", api_key=key, **data), "json", 404)
    assert Complaint.objects.count() == 0


def test_post_with_an_address_id_takes_the_commune_and_its_region(client, key, categories):
    response = post(
        client,
        "json",
        api_key=key,
        service_code="transport-taxis",
        address_id=_commune_code(),
        description="Le bus x x x.",
    )
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.commune.code == _commune_code()
    assert complaint.region == complaint.commune.region


def _commune_code():
    from guichet.accounts.models import Commune

    return Commune.objects.filter(region__code="NE-8").order_by("code").first().code


def test_post_past_the_partner_rate_is_a_429(client, key, categories):
    from guichet.complaints.models import Open311Partner

    Open311Partner.objects.update(requests_per_minute=2)
    for n in range(2):
        assert (
            post(
                client,
                "json",
                api_key=key,
                service_code="transport-taxis",
                address_string="Niamey",
                description=f"Le bus numéro {n} x.",
            ).status_code
            == 201
        )
    response = post(
        client,
        "json",
        api_key=key,
        service_code="transport-taxis",
        address_string="Niamey",
        description="Le bus numéro 9 x.",
    )
    assert_error(response, "json", 429)
    assert response["Retry-After"]


def test_a_duplicate_post_is_linked_and_answers_200_with_the_first_id(client, key, categories):
    data = {
        "api_key": key,
        "service_code": "transport-taxis",
        "address_string": "Niamey",
        "description": "Le bus ne passe plus.",
        "phone": "+22790123456",
    }
    first = json.loads(post(client, "json", **data).content)[0]
    response = post(client, "json", **data)
    assert response.status_code == 200
    assert json.loads(response.content)[0]["service_request_id"] == first["service_request_id"]
    assert Complaint.objects.count() == 1


def test_other_methods_are_refused(client, categories):
    assert client.put(f"{BASE}/requests.json").status_code == 405
    assert client.post(f"{BASE}/services.json").status_code == 405


@pytest.fixture
def filed(file, categories, handler):
    open_one = file(
        category=categories["transport-taxis"],
        latitude=13.512345,
        longitude=2.112345,
        description="Taxi qui refuse la course.",
        phone="+22790000001",
        first_name="Moussa",
    )
    closed_one = file(category=categories["sante-accueil"], description="Attente de six heures.")
    workflow.answer(closed_one.case, actor=handler, public_text="Nous avons renforcé l'accueil.")
    services.citizen_confirm(closed_one)
    return open_one, closed_one


def ids(body, fmt):
    if fmt == "json":
        return {r["service_request_id"] for r in body}
    return {r.find("service_request_id").text for r in body.findall("request")}


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_lists_recent_requests_with_the_spec_fields(client, fmt, filed):
    open_one, closed_one = filed
    response = client.get(f"{BASE}/requests.{fmt}")
    assert response.status_code == 200
    body = parse(response, fmt)
    assert ids(body, fmt) == {open_one.public_id, closed_one.public_id}
    if fmt == "json":
        row = next(r for r in body if r["service_request_id"] == open_one.public_id)
        assert set(row) == {
            "service_request_id",
            "status",
            "status_notes",
            "service_name",
            "service_code",
            "description",
            "agency_responsible",
            "service_notice",
            "requested_datetime",
            "updated_datetime",
            "expected_datetime",
            "address",
            "address_id",
            "zipcode",
            "lat",
            "long",
            "media_url",
        }
        assert row["status"] == "open"
        assert row["requested_datetime"].endswith("+01:00")
        # Public listing: rounded point, no description, nobody's name or phone.
        assert row["lat"] == 13.512 and row["description"] is None
        assert "Moussa" not in response.content.decode()
        assert "+22790000001" not in response.content.decode()
    else:
        assert body.tag == "service_requests"
        statuses = {r.find("status").text for r in body.findall("request")}
        assert statuses == {"open", "closed"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", {"open"}),
        ("status=closed", {"closed"}),
        ("status=open,closed", {"open", "closed"}),
        ("service_code=sante-accueil", {"closed"}),
        ("service_code=sante-accueil,transport-taxis", {"open", "closed"}),
        ("start_date=2001-01-01T00:00:00Z&end_date=2001-02-01T00:00:00Z", set()),
        ("start_date=2001-01-01T00:00:00%2B01:00", {"open", "closed"}),
    ],
)
def test_get_requests_filters(client, fmt, filed, query, expected):
    open_one, closed_one = filed
    by_status = {"open": open_one.public_id, "closed": closed_one.public_id}
    body = parse(client.get(f"{BASE}/requests.{fmt}?{query}"), fmt)
    assert ids(body, fmt) == {by_status[s] for s in expected}


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_request_id_overrides_the_other_filters(client, fmt, filed):
    open_one, closed_one = filed
    query = f"service_request_id={open_one.public_id},{closed_one.public_id}&status=open"
    body = parse(client.get(f"{BASE}/requests.{fmt}?{query}"), fmt)
    assert ids(body, fmt) == {open_one.public_id, closed_one.public_id}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "query",
    [
        "status=pending",
        "start_date=hier",
        "start_date=2026-01-01T00:00:00",
        "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
    ],
)
def test_get_requests_with_bad_filters_is_a_400(client, fmt, filed, query):
    assert_error(client.get(f"{BASE}/requests.{fmt}?{query}"), fmt, 400)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_one_request(client, fmt, filed):
    open_one, _closed = filed
    body = parse(client.get(f"{BASE}/requests/{open_one.public_id}.{fmt}"), fmt)
    if fmt == "json":
        assert len(body) == 1 and body[0]["service_code"] == "transport-taxis"
        assert body[0]["agency_responsible"] == open_one.category.organisation.name
    else:
        assert body.find("request/service_code").text == "transport-taxis"


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_an_unknown_request_is_a_404_even_with_its_secret_reference(client, fmt, filed):
    open_one, _closed = filed
    assert_error(client.get(f"{BASE}/requests/NOPE.{fmt}"), fmt, 404)
    assert_error(client.get(f"{BASE}/requests/{open_one.reference}.{fmt}"), fmt, 404)


def test_the_partner_that_filed_a_request_sees_its_description_and_exact_point(
    client, key, categories
):
    created = json.loads(
        post(
            client,
            "json",
            api_key=key,
            service_code="transport-taxis",
            lat="13.512345",
            long="2.112345",
            description="Le bus ne passe plus.",
        ).content
    )[0]
    url = f"{BASE}/requests/{created['service_request_id']}.json"
    public = json.loads(client.get(url).content)[0]
    own = json.loads(client.get(url, {"api_key": key}).content)[0]
    assert public["description"] is None and public["lat"] == 13.512
    assert own["description"] == "Le bus ne passe plus." and own["lat"] == 13.512345


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_token_gives_the_request_id(client, fmt, filed):
    open_one, _closed = filed
    body = parse(client.get(f"{BASE}/tokens/{open_one.open311_token}.{fmt}"), fmt)
    if fmt == "json":
        assert body == [{"service_request_id": open_one.public_id, "token": open_one.open311_token}]
    else:
        assert body.find("request/service_request_id").text == open_one.public_id
    assert_error(client.get(f"{BASE}/tokens/NOPE.{fmt}"), fmt, 404)


def test_requests_list_runs_a_bounded_number_of_queries(
    client, filed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get(f"{BASE}/requests.json")


@pytest.mark.django_db
def test_post_never_fails_with_a_server_error_whatever_the_arguments(client, key, categories):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    fields = st.sampled_from(
        [
            "service_code",
            "lat",
            "long",
            "address_string",
            "address_id",
            "description",
            "media_url",
            "email",
            "phone",
            "first_name",
            "attribute[region]",
            "attribute[hide_identity]",
            "account_id",
        ]
    )
    values = st.one_of(
        st.text(max_size=60),
        st.sampled_from(["transport-taxis", "13.5", "2.1", "NaN", "inf", "-999", "NE-8", "true"]),
    )

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.dictionaries(fields, values, max_size=8))
    def post_anything(data):
        from django.core.cache import cache

        cache.clear()
        data = {k: v.replace("\x00", "") for k, v in data.items()}
        response = client.post(f"{BASE}/requests.json", {"api_key": key, **data})
        assert response.status_code in (200, 201, 400, 404), response.content
        json.loads(response.content)

    post_anything()
