"""GeoReport v2 resources; the format is the extension (.json or .xml)."""

from django.urls import path, re_path, register_converter

from guichet.complaints.open311 import schema, views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CodeConverter:
    # service codes are slugs; request ids and tokens come from the reference alphabet
    regex = "[-A-Za-z0-9_]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "o311fmt")
register_converter(CodeConverter, "o311code")

urlpatterns = [
    path("open311/v2/openapi.json", schema.openapi, name="open311_openapi"),
    path("open311/v2/discovery.<o311fmt:fmt>", views.discovery, name="open311_discovery"),
    path("open311/v2/services.<o311fmt:fmt>", views.service_list, name="open311_services"),
    path(
        "open311/v2/services/<o311code:code>.<o311fmt:fmt>",
        views.service_definition,
        name="open311_service",
    ),
    path("open311/v2/requests.<o311fmt:fmt>", views.requests, name="open311_requests"),
    path(
        "open311/v2/requests/<o311code:request_id>.<o311fmt:fmt>",
        views.request_detail,
        name="open311_request",
    ),
    path(
        "open311/v2/tokens/<o311code:token>.<o311fmt:fmt>",
        views.token_detail,
        name="open311_token",
    ),
    # Last: anything else under /open311/v2/ is a 404 in the Open311 format, not an HTML page.
    re_path(r"^open311/v2/(?P<path>[\s\S]*)$", views.not_found, name="open311_not_found"),
]
