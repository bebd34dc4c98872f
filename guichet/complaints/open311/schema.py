"""An OpenAPI 3.0 description of the JSON side of our Open311 GeoReport v2 endpoints, served at
/open311/v2/openapi.json, so that partners can generate clients and our tests can probe the
endpoints with schemathesis. The XML side has the same fields (see docs/complaints.md)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from guichet.complaints.open311 import arguments
from guichet.request_text import declare_readable_text

_ID = {"type": "string", "pattern": "^[-A-Za-z0-9_]+$", "maxLength": 40}
_NULLABLE_STRING = {"type": "string", "nullable": True}
_NULLABLE_NUMBER = {"type": "number", "nullable": True}
# GeoReport v2, GET Service Requests: optional filters. An empty value is the filter not given,
# as an HTML form or a client filling a template sends it (views._search reads it so).
_OPTIONAL_DATE = {
    "anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "maxLength": 0}]
}
# GeoReport v2: status is open or closed, "comma delimited" for both; empty: every status.
STATUS_PATTERN = r"^( *(open|closed) *(, *(open|closed) *)*)?$"


def _errors(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
    }


def _list_of(name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}}
            }
        },
    }


def _path_parameter(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": _ID}


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


REQUEST_FIELDS = {
    "service_request_id": {"type": "string"},
    "status": {"type": "string", "enum": ["open", "closed"]},
    "status_notes": _NULLABLE_STRING,
    "service_name": {"type": "string"},
    "service_code": {"type": "string"},
    "description": _NULLABLE_STRING,
    "agency_responsible": {"type": "string"},
    "service_notice": _NULLABLE_STRING,
    "requested_datetime": {"type": "string", "format": "date-time"},
    "updated_datetime": {"type": "string", "format": "date-time"},
    "expected_datetime": {"type": "string", "format": "date-time", "nullable": True},
    "address": _NULLABLE_STRING,
    "address_id": _NULLABLE_STRING,
    "zipcode": _NULLABLE_STRING,
    "lat": _NULLABLE_NUMBER,
    "long": _NULLABLE_NUMBER,
    "media_url": _NULLABLE_STRING,
}

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "Guichet — Open311 GeoReport v2",
        "version": "2",
        "description": "Plaintes des usagers au format Open311 GeoReport v2 "
        "(http://wiki.open311.org/GeoReport_v2). Chaque ressource existe aussi en .xml.",
    },
    "paths": {
        "/open311/v2/discovery.json": {
            "get": {
                "operationId": "discovery",
                "responses": {
                    "200": {
                        "description": "Service discovery",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Discovery"}
                            }
                        },
                    }
                },
            }
        },
        "/open311/v2/services.json": {
            "get": {
                "operationId": "services",
                "responses": {"200": _list_of("Service", "Active categories")},
            }
        },
        "/open311/v2/services/{service_code}.json": {
            "get": {
                "operationId": "service_definition",
                "parameters": [_path_parameter("service_code")],
                "responses": {
                    "200": {
                        "description": "Service definition",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ServiceDefinition"}
                            }
                        },
                    },
                    "404": _errors("Unknown service"),
                },
            }
        },
        "/open311/v2/requests.json": {
            "get": {
                "operationId": "requests",
                "parameters": [
                    _query("service_request_id", {"type": "string"}, "Comma list of ids"),
                    _query("service_code", {"type": "string"}, "Comma list of codes"),
                    _query("start_date", _OPTIONAL_DATE, "W3C; empty: not given"),
                    _query("end_date", _OPTIONAL_DATE, "W3C; empty: not given"),
                    _query(
                        "status",
                        {"type": "string", "pattern": STATUS_PATTERN},
                        "open, closed or both",
                    ),
                    _query("api_key", {"type": "string"}, "The filing partner's key"),
                ],
                "responses": {
                    "200": _list_of("ServiceRequest", "Requests, newest first"),
                    "400": _errors("Bad filter, or a span of more than 90 days"),
                    "404": _errors("Unknown jurisdiction_id"),
                },
            },
            "post": {
                "operationId": "create_request",
                "requestBody": {
                    "required": True,
                    "content": {
                        # The arguments, their syntax and the place rule: see arguments.py.
                        "application/x-www-form-urlencoded": {"schema": arguments.body_schema()}
                    },
                },
                "responses": {
                    "201": _list_of("Created", "Complaint filed"),
                    "200": _list_of("Created", "Duplicate linked to the first complaint"),
                    "400": _errors("Bad or missing argument"),
                    "403": _errors("Missing or invalid api_key"),
                    "404": _errors(
                        "Unknown service_code, address_id, attribute[region] or jurisdiction_id"
                    ),
                    "429": _errors("Too many requests"),
                },
            },
        },
        "/open311/v2/requests/{service_request_id}.json": {
            "get": {
                "operationId": "request",
                "parameters": [
                    _path_parameter("service_request_id"),
                    _query("api_key", {"type": "string"}, "The filing partner's key"),
                ],
                "responses": {
                    "200": _list_of("ServiceRequest", "One request"),
                    "404": _errors("Unknown request"),
                },
            }
        },
        "/open311/v2/tokens/{token}.json": {
            "get": {
                "operationId": "token",
                "parameters": [_path_parameter("token")],
                "responses": {
                    "200": _list_of("Token", "The request id of a token"),
                    "404": _errors("Unknown token"),
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Errors": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["code", "description"],
                    "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
                },
            },
            "Discovery": {
                "type": "object",
                "required": ["changeset", "contact", "key_service", "endpoints"],
                "properties": {
                    "changeset": {"type": "string"},
                    "contact": {"type": "string"},
                    "key_service": {"type": "string"},
                    "endpoints": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "specification": {"type": "string"},
                                "url": {"type": "string"},
                                "changeset": {"type": "string"},
                                "type": {"type": "string"},
                                "formats": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    },
                },
            },
            "Service": {
                "type": "object",
                "required": ["service_code", "service_name", "metadata", "type"],
                "properties": {
                    "service_code": {"type": "string"},
                    "service_name": {"type": "string"},
                    "description": {"type": "string"},
                    "metadata": {"type": "boolean"},
                    "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
                    "keywords": {"type": "string"},
                    "group": {"type": "string"},
                },
            },
            "ServiceDefinition": {
                "type": "object",
                "required": ["service_code", "attributes"],
                "properties": {
                    "service_code": {"type": "string"},
                    "attributes": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "variable": {"type": "boolean"},
                                "code": {"type": "string"},
                                "datatype": {
                                    "type": "string",
                                    "enum": [
                                        "string",
                                        "number",
                                        "datetime",
                                        "text",
                                        "singlevaluelist",
                                        "multivaluelist",
                                    ],
                                },
                                "required": {"type": "boolean"},
                                "datatype_description": {"type": "string"},
                                "order": {"type": "integer"},
                                "description": {"type": "string"},
                                "values": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "key": {"type": "string"},
                                            "name": {"type": "string"},
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
            "ServiceRequest": {
                "type": "object",
                "required": list(REQUEST_FIELDS),
                "properties": REQUEST_FIELDS,
            },
            "Created": {
                "type": "object",
                "required": ["service_request_id"],
                "properties": {
                    "service_request_id": {"type": "string"},
                    "token": {"type": "string"},
                    "service_notice": {"type": "string"},
                    "account_id": _NULLABLE_STRING,
                },
            },
            "Token": {
                "type": "object",
                "required": ["service_request_id", "token"],
                "properties": {
                    "service_request_id": {"type": "string"},
                    "token": {"type": "string"},
                },
            },
        }
    },
}


# Any request can be refused at the edge (guichet.request_text): a NUL byte or text that is not
# UTF-8 in the path, query or body answers 400 in Open311's error format.
for _operations in DOCUMENT["paths"].values():
    for _operation in _operations.values():
        _operation["responses"].setdefault(
            "400", _errors("Unreadable request: a NUL byte or text that is not UTF-8")
        )


@require_GET
def openapi(request):
    return JsonResponse(DOCUMENT)


# What the edge refuses (NUL), declared in this document as in the DRF one.
declare_readable_text(DOCUMENT, None, None, True)
