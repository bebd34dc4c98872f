"""Text that a request carries is UTF-8 without NUL, or the request is refused at the edge.

Django decodes query strings and form fields with ``errors="replace"``: invalid UTF-8 would be
stored as mojibake (U+FFFD), and PostgreSQL refuses NUL (``\\x00``) in text values, so a NUL that
reached a query became a 500. This middleware checks, before any view runs, the path, the query
string, url-encoded and multipart form fields and JSON bodies, and answers 400 with a French
message — JSON for the APIs (``/api/``, ``/open311/``, in Open311's error format there), HTML
elsewhere.

RFC 3629 (UTF-8) §3 forbids surrogate code points, so a JSON ``\\ud800`` escape is refused too.
"""

import json
import re
from urllib.parse import unquote_to_bytes

from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

_NUL = "\x00"
_REPLACEMENT = "\ufffd"


class UnreadableText(ValueError):
    """The request carries text that is not valid UTF-8, or holds NUL."""


def check_bytes(raw: bytes, where: str) -> str:
    """`raw` decoded as strict UTF-8 without NUL, else UnreadableText naming `where`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableText(where) from None
    if _NUL in text:
        raise UnreadableText(where)
    return text


def check_text(text: str, where: str) -> None:
    """A decoded string: no NUL, no lone surrogate (which no UTF-8 encoder can write)."""
    if _NUL in text:
        raise UnreadableText(where)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UnreadableText(where) from None


def check_urlencoded(raw: str | bytes, where: str) -> None:
    """Every name and value of an application/x-www-form-urlencoded string (query or body)."""
    if isinstance(raw, str):
        # WSGI hands the query string over as latin-1 decoded bytes (PEP 3333).
        raw = raw.encode("latin-1", errors="replace")
    for pair in raw.split(b"&"):
        if pair:
            check_bytes(unquote_to_bytes(pair.replace(b"+", b" ")), where)


def _walk_json(value, where: str) -> None:
    if isinstance(value, str):
        check_text(value, where)
    elif isinstance(value, dict):
        for key, inner in value.items():
            check_text(key, where)
            _walk_json(inner, where)
    elif isinstance(value, list):
        for inner in value:
            _walk_json(inner, where)


def check_request(request) -> None:
    """Raise UnreadableText if any text of the request is unreadable."""
    # Django re-percent-encodes the bytes of the path that are not UTF-8 (repercent_broken_unicode)
    # before anyone sees it: undoing that finds them again.
    check_text(request.path_info, "path")
    if "%" in request.path_info:
        check_bytes(unquote_to_bytes(request.path_info), "path")
    check_urlencoded(request.META.get("QUERY_STRING", ""), "query")
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        check_urlencoded(request.body, "form")
    elif content_type == "multipart/form-data":
        # Django's multipart parser has already replaced invalid bytes by U+FFFD: a field
        # holding it was not valid UTF-8 (nobody types the replacement character).
        try:
            fields = request.POST
        except MultiPartParserError:
            raise UnreadableText("form") from None
        for key, values in fields.lists():
            for value in [key, *values]:
                check_text(value, "form")
                if _REPLACEMENT in value:
                    raise UnreadableText("form")
        for upload in request.FILES.values():
            check_text(upload.name or "", "form")
    elif content_type == "application/json" or content_type.endswith("+json"):
        body = check_bytes(request.body, "json")
        if "\\u0000" in body.lower() or "\\ud" in body.lower():
            try:
                _walk_json(json.loads(body), "json")
            except ValueError as error:
                if isinstance(error, UnreadableText):
                    raise
                # Malformed JSON is the parser's business (DRF answers 400 itself).


def _is_api(path: str) -> bool:
    return path.startswith(("/api/", "/open311/"))


def refusal(request, where: str = "") -> HttpResponse:
    """The 400 answer; `where` (path, query, form, json) is given as the API errors'
    "parameter", as the transit and criminal-records APIs document their 400s."""
    message = _(
        "La requête contient des caractères illisibles (octet nul ou texte qui n'est pas en "
        "UTF-8). Corrigez le texte saisi ou l'adresse, puis réessayez."
    )
    if request.path.startswith("/open311/"):
        # GeoReport v2: errors are a list of {code, description}.
        return JsonResponse(
            [{"code": 400, "description": message}],
            status=400,
            safe=False,
            json_dumps_params={"ensure_ascii": False},
        )
    if _is_api(request.path):
        return JsonResponse(
            {"detail": message, "parameter": where},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return HttpResponse(
        render_to_string("request_text_refused.html", {"message": message}),
        status=400,
        content_type="text/html; charset=utf-8",
    )


class RejectUnreadableTextMiddleware:
    """First line of defence; placed early in MIDDLEWARE (see settings)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except UnreadableText as error:
            return refusal(request, str(error))
        return self.get_response(request)


# The OpenAPI schema says what the edge refuses (drf-spectacular postprocessing hook, settings
# SPECTACULAR_SETTINGS): a client reading it knows that NUL is never accepted, and schemathesis'
# « positive data acceptance » check does not send text this middleware rightly refuses.
# Multipart fields are refused with U+FFFD as well (see check_request).
_READABLE = r"^[^\x00]*$"
_READABLE_FORM = r"^[^\x00\ufffd]*$"


def _declare_readable(schema: dict, pattern: str, components: dict) -> None:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        _declare_readable(components.get(name, {}), pattern, components)
        return
    plain = not ({"format", "enum", "pattern"} & set(schema)) and schema.get("maxLength") != 0
    if schema.get("type") == "string" and plain:
        schema["pattern"] = pattern
    for inner in schema.get("properties", {}).values():
        _declare_readable(inner, pattern, components)
    if isinstance(schema.get("items"), dict):
        _declare_readable(schema["items"], pattern, components)
    for key in ("allOf", "anyOf", "oneOf"):
        for inner in schema.get(key, []):
            _declare_readable(inner, pattern, components)


def declare_readable_text(result, generator, request, public):
    """Every string a client sends (path, query, body) is declared without NUL."""
    components = result.get("components", {}).get("schemas", {})
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                _declare_readable(parameter.get("schema", {}), _READABLE, components)
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                pattern = _READABLE_FORM if media == "multipart/form-data" else _READABLE
                _declare_readable(content.get("schema", {}), pattern, components)
    return result


# An optional query parameter given empty (`?limit=`, `?to=`) is read as not given by every API
# view (DRF's fields for form data, transit's and the gazette's own parsing): the schema says so,
# for the parameters whose empty value is not already valid (numbers, booleans, dates, patterns).
_EMPTY = {"type": "string", "maxLength": 0}


def _empty_is_valid(schema: dict) -> bool:
    if "anyOf" in schema:
        return any(_empty_is_valid(inner) for inner in schema["anyOf"])
    if schema.get("type") != "string" or {"format", "enum", "minLength"} & set(schema):
        return False
    return re.search(schema.get("pattern", ""), "") is not None


def declare_empty_as_absent(result, generator, request, public):
    """Every optional query parameter also accepts the empty string (= not given)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") != "query" or parameter.get("required"):
                    continue
                if "$ref" in schema or _empty_is_valid(schema):
                    continue
                description = schema.pop("description", None)
                parameter["schema"] = {"anyOf": [schema, dict(_EMPTY)]}
                if description:
                    parameter["schema"]["description"] = description
    return result
