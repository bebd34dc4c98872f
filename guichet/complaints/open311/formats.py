"""Open311 GeoReport v2 wire formats: JSON and XML bodies, errors, dates.

GeoReport v2 (wiki.open311.org/GeoReport_v2): XML is required, JSON optional; the format is the
extension of the resource. Lists are arrays in JSON and `<root><item>…</item></root>` in XML,
errors are `[{"code": 400, "description": "…"}]` / `<errors><error><code>…` with the HTTP status
equal to the code. Dates are W3C/ISO 8601 with an offset. Text is UTF-8, and the XML starts with
its declaration.
"""

from __future__ import annotations

import json
from datetime import datetime
from xml.etree import ElementTree

from django.http import HttpResponse
from django.utils import timezone

from guichet import exports

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}


def w3c(moment: datetime | None) -> str | None:
    """2026-11-29T04:10:00+01:00 (local time of Niamey, with its offset), per the spec."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _xml_value(parent: ElementTree.Element, tag: str, value) -> None:
    element = ElementTree.SubElement(parent, tag)
    if value is None:
        return
    if isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(element, key, inner)
    elif isinstance(value, list | tuple):
        # A list field holds elements named by the singular of its tag (keywords aside).
        item_tag = _SINGULAR.get(tag, "item")
        for inner in value:
            _xml_value(element, item_tag, inner)
    else:
        element.text = exports.xml_text(str(value))


_SINGULAR = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def xml_document(root: str, item: str | None, payload) -> bytes:
    """`payload` is a list of dicts (each an `<item>` under `<root>`) or one dict (`<root>`)."""
    top = ElementTree.Element(root)
    if item is None:
        for key, value in payload.items():
            _xml_value(top, key, value)
    else:
        for entry in payload:
            element = ElementTree.SubElement(top, item)
            for key, value in entry.items():
                _xml_value(element, key, value)
    body = ElementTree.tostring(top, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def respond(fmt: str, payload, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = xml_document(root, item, payload)
    else:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    return response


def error(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error list; the HTTP status is the code of the (first) error."""
    payload = [{"code": status, "description": str(text)} for text in descriptions]
    return respond(fmt, payload, root="errors", item="error", status=status)
