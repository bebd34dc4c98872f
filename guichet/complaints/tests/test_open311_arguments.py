"""POST Service Request: what /open311/v2/openapi.json declares is what the view checks.

A golden table of bodies, each with the rule it exercises and the answer GeoReport v2 (or our
stricter reading of it) gives; for each row, the OpenAPI document must call the body valid exactly
when the view files it (2xx) or answers that the data it names does not exist (404). Then the
patterns of arguments.py are probed against the validators they stand for."""

import re

import jsonschema
import pytest
from django.core.validators import URLValidator, validate_email
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.complaints import services
from guichet.complaints.models import Complaint
from guichet.complaints.open311 import arguments
from guichet.complaints.open311.schema import DOCUMENT
from guichet.complaints.tests.test_open311 import BASE
from guichet.phones import normalise_phone

BODY = DOCUMENT["paths"]["/open311/v2/requests.json"]["post"]["requestBody"]["content"][
    "application/x-www-form-urlencoded"
]["schema"]
VALIDATOR = jsonschema.Draft4Validator(BODY)
BASIC = {"service_code": "transport-taxis", "description": "Le bus 12 ne passe plus ici."}
POINT = {"lat": "13.5116", "long": "2.1254"}


@pytest.fixture
def key(db):
    return services.issue_open311_key("Appli partenaire", key="table-open311-key")[1]


# (rule, body beside the api_key, expected status)
TABLE = [
    ("GeoReport: lat & long", {**BASIC, **POINT}, 201),
    ("FixMyStreet sends lon for long", {**BASIC, "lat": "13.5", "lon": "2.1"}, 201),
    ("GeoReport: address_string alone", {**BASIC, "address_string": "Rond-point Kennedy"}, 201),
    ("GeoReport: address_id alone", {**BASIC, "address_id": "NE-8-01"}, 201),
    ("a blank value is not given", {**BASIC, "lat": " ", "address_string": "Niamey"}, 201),
    ("values are read stripped", {**BASIC, "lat": " 13.5 ", "long": "2.1\n"}, 201),
    ("GeoReport: both lat and long", {**BASIC, "lat": "13.5"}, 400),
    ("GeoReport: both lat and long", {**BASIC, "long": "2.1", "address_string": "Niamey"}, 400),
    ("GeoReport: a location is required", BASIC, 400),
    ("decimal degrees, no exponent", {**BASIC, "lat": "1.35e1", "long": "2.1"}, 400),
    ("decimal degrees, ASCII digits", {**BASIC, "lat": "١٣", "long": "2.1"}, 400),
    ("a point in Niger", {**BASIC, "lat": "48.8", "long": "2.3"}, 400),
    ("a point in Niger (edge)", {**BASIC, "lat": "24.5", "long": "-0.5"}, 201),
    ("a point in Niger (past the edge)", {**BASIC, "lat": "24.51", "long": "2"}, 400),
    ("service_code is required", {"description": BASIC["description"], **POINT}, 400),
    ("GeoReport: unknown service_code", {**BASIC, **POINT, "service_code": "nope"}, 404),
    ("description is required", {"service_code": "transport-taxis", **POINT}, 400),
    ("description: 10 characters", {**BASIC, **POINT, "description": "Bus cassé"}, 400),
    ("description: 10 once stripped", {**BASIC, **POINT, "description": "  Bus  x  \n "}, 400),
    ("description: 10 characters", {**BASIC, **POINT, "description": "Bus cassé."}, 201),
    ("description: 4000 at most", {**BASIC, **POINT, "description": "x" * 4001}, 400),
    ("description: 4000 at most", {**BASIC, **POINT, "description": "x" * 4000}, 201),
    ("unknown arguments are refused", {**BASIC, **POINT, "nom": "Issa"}, 400),
    ("attributes of the service definition", {**BASIC, **POINT, "attribute[x]": "1"}, 400),
    ("GeoReport: device_id", {**BASIC, **POINT, "device_id": "android-42"}, 201),
    ("a phone of Niger", {**BASIC, **POINT, "phone": "90 12 34 56"}, 201),
    ("a phone of Niger", {**BASIC, **POINT, "phone": "+227 20.72.34.56"}, 201),
    ("a phone of Niger", {**BASIC, **POINT, "phone": "+33612345678"}, 400),
    ("a phone of Niger", {**BASIC, **POINT, "phone": "12345"}, 400),
    ("an email", {**BASIC, **POINT, "email": "aicha.issa@example.ne"}, 201),
    ("an email", {**BASIC, **POINT, "email": "aicha@localhost"}, 400),
    ("media_url is http(s)", {**BASIC, **POINT, "media_url": "https://ex.ne/p.jpg?x=1"}, 201),
    ("media_url is http(s)", {**BASIC, **POINT, "media_url": "javascript:alert(1)"}, 400),
    ("ISO 3166-2:NE region", {**BASIC, **POINT, "attribute[region]": "NE-8"}, 201),
    ("ISO 3166-2:NE region", {**BASIC, **POINT, "attribute[region]": "Niamey"}, 400),
    ("first_name: 100 at most", {**BASIC, **POINT, "first_name": "A" * 101}, 400),
    ("unknown commune", {**BASIC, "address_id": "NE-8-99"}, 404),
]


@pytest.mark.parametrize(("rule", "data", "status"), TABLE, ids=[row[0] for row in TABLE])
def test_the_document_and_the_view_agree(client, key, categories, rule, data, status):
    declared_valid = VALIDATOR.is_valid({"api_key": key, **data})
    assert declared_valid == (status < 400 or status == 404), rule
    response = client.post(f"{BASE}/requests.json", {"api_key": key, **data})
    assert response.status_code == status, (rule, response.content)
    if status == 400:
        assert Complaint.objects.count() == 0
        assert all(error["description"] for error in response.json())


def test_an_argument_given_twice_is_refused(client, key, categories):
    data = f"api_key={key}&service_code=transport-taxis&lat=13.5&long=2.1&lat=13.6"
    data += "&description=Le+bus+ne+passe+plus."
    response = client.post(
        f"{BASE}/requests.json", data, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "plusieurs fois" in response.json()[0]["description"]


def _matching(name: str):
    argument = arguments.ARGUMENTS[name]
    return st.from_regex(argument.pattern).filter(
        lambda value: len(value) <= argument.max_length and value.strip()
    )


PROBE = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@PROBE
@given(_matching("phone"))
def test_every_phone_the_document_allows_is_a_number_of_niger(value):
    assert normalise_phone(value).startswith("+227")


@PROBE
@given(_matching("email"))
def test_every_email_the_document_allows_is_valid(value):
    validate_email(value.strip())


@PROBE
@given(_matching("media_url"))
def test_every_media_url_the_document_allows_is_valid(value):
    URLValidator(schemes=["http", "https"])(value.strip())


@PROBE
@given(_matching("lat"), _matching("long"))
def test_every_point_the_document_allows_is_in_niger(lat, lon):
    assert 11.0 <= float(lat.strip()) <= 24.5 and -0.5 <= float(lon.strip()) <= 16.5


@PROBE
@given(st.from_regex(arguments.ARGUMENTS["description"].pattern))
def test_every_description_the_document_allows_has_ten_characters(value):
    assert len(value.strip()) >= 10 and "\x00" not in value


@pytest.mark.parametrize(
    "value", ["+22790123456", "0022790123456", "22790123456", "90-12-34-56", "96.00.00.01"]
)
def test_the_usual_ways_of_writing_a_number_are_declared(value):
    assert re.search(arguments.ARGUMENTS["phone"].pattern, value)
