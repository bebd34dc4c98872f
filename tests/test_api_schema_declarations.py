"""The OpenAPI schemas say what the APIs refuse, so that a schema-valid request is accepted and
a refused one is outside the schema (schemathesis' positive and negative data checks, issue 9).

Each test names a finding of those checks: it failed before the schema (or the view) said so.
"""

import re

import pytest

from guichet.complaints.open311.schema import DOCUMENT as OPEN311
from tests.test_api_schema import _served_schema

API = _served_schema()
EMPTY = {"type": "string", "maxLength": 0}


def _parameters(document, path, method="get") -> dict:
    """Each parameter's schema; an optional one's empty alternative (= not given) left aside."""
    found = {}
    for parameter in document["paths"][path][method].get("parameters", []):
        schema = parameter["schema"]
        alternatives = [s for s in schema.get("anyOf", []) if s != EMPTY]
        found[parameter["name"]] = alternatives[0] if len(alternatives) == 1 else schema
    return found


def _strings(schema):
    empty = schema.get("maxLength") == 0
    if schema.get("type") == "string" and not ({"format", "enum"} & set(schema) or empty):
        yield schema
    for key in ("anyOf", "oneOf", "allOf"):
        for inner in schema.get(key, []):
            yield from _strings(inner)


@pytest.mark.parametrize("document", [API, OPEN311], ids=["api", "open311"])
def test_every_text_parameter_is_declared_without_nul(document):
    # The edge (guichet.request_text) answers 400 to a NUL: positive data acceptance sent one.
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                for schema in _strings(parameter["schema"]):
                    pattern = schema.get("pattern")
                    assert pattern, (method, path, parameter["name"])
                    assert not re.search(pattern, "a\x00b"), (method, path, parameter["name"])


def test_gazette_search_declares_its_bounds():
    parameters = _parameters(API, "/api/gazette/search")
    assert parameters["limit"]["minimum"] == 1 and parameters["limit"]["maximum"] == 100
    assert parameters["offset"]["minimum"] == 0


@pytest.mark.django_db
def test_gazette_search_refuses_limit_0_in_french_and_accepts_an_empty_q(client):
    refused = client.get("/api/gazette/search", {"limit": "0"})
    assert refused.status_code == 400
    assert "supérieure ou égale" in refused.json()["limit"][0]
    assert client.get("/api/gazette/search", {"q": ""}).status_code == 200
    huge = client.get("/api/gazette/search", {"offset": str(2**63)})
    assert huge.status_code == 400  # past PostgreSQL's bigint OFFSET


@pytest.mark.parametrize(
    ("path", "name", "low", "high"),
    [
        ("/api/transit/stops/{stop_id}/departures", "limit", 1, 50),
        ("/api/transit/plan", "max_walk_m", 0, 400),
        ("/api/transit/plan", "max_transfers", 0, 8),
    ],
)
def test_transit_integers_declare_their_bounds(path, name, low, high):
    schema = _parameters(API, path)[name]
    assert (schema["minimum"], schema["maximum"]) == (low, high)


def test_transit_places_are_declared_non_blank():
    pattern = _parameters(API, "/api/transit/plan")["from"]["pattern"]
    assert re.search(pattern, "STOP_1") and not re.search(pattern, "   ")


def test_talents_lists_declare_their_bounds_and_codes():
    parameters = _parameters(API, "/api/eig/promotions/{slug}/challenges")
    assert parameters["limit"]["minimum"] == 1 and parameters["offset"]["minimum"] == 0
    assert not re.search(parameters["administration"]["pattern"], "")


def test_optional_numbers_and_dates_declare_an_empty_value_as_not_given():
    # Negative data rejection sent ?to= and ?limit=, which the views read as not given.
    for path, name in [("/api/gazette/search", "to"), ("/api/gazette/search", "limit")]:
        (parameter,) = [p for p in API["paths"][path]["get"]["parameters"] if p["name"] == name]
        assert EMPTY in parameter["schema"]["anyOf"], name


def test_open311_get_declares_an_empty_date_as_not_given():
    parameters = {
        p["name"]: p["schema"]
        for p in OPEN311["paths"]["/open311/v2/requests.json"]["get"]["parameters"]
    }
    for name in ("start_date", "end_date"):
        assert EMPTY in parameters[name]["anyOf"]
    status = parameters["status"]["pattern"]
    assert all(re.search(status, v) for v in ("", "open", "closed", "open, closed"))
    assert not any(re.search(status, v) for v in ("pending", "open;closed"))


@pytest.mark.django_db
def test_open311_get_reads_an_empty_date_as_not_given_and_refuses_another_status(client):
    assert client.get("/open311/v2/requests.json", {"start_date": ""}).status_code == 200
    assert client.get("/open311/v2/requests.json", {"status": "pending"}).status_code == 400


@pytest.mark.django_db
def test_talents_lists_refuse_a_parameter_given_twice(client):
    # Negative data rejection sent offset=a&offset=b&offset=, read as its last (empty) value.
    response = client.get("/api/eig/promotions", {"offset": ["x", ""]})
    assert response.status_code == 400
    assert "offset" in response.json()["detail"]
