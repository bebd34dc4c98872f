"""Logs keep no phone number and no reference (guichet/log_privacy.py), through the handlers that
settings.LOGGING really configures."""

import io
import logging
import threading
import urllib.request
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from hypothesis import given
from hypothesis import strategies as st

from guichet.complaints import references
from guichet.log_privacy import PHONE_MASK, REFERENCE_MASK, MaskPersonalData, mask

PHONES = [
    "+22790123456",
    "22790123456",
    "0022790123456",
    "%2B22790123456",
    "+227 90 12 34 56",
    "90 12 34 56",
    "90.12.34.56",
    "96123456",
    "90+12+34+56",
    "+33612345678",
]


@pytest.mark.parametrize("phone", PHONES)
def test_every_usual_spelling_of_a_phone_is_masked(phone):
    assert mask(f"SMS de {phone} reçu") == f"SMS de {PHONE_MASK} reçu"


@pytest.mark.parametrize(
    "reference",
    ["ABCDE-FGHJK", "abcde-fghjk", "ABCDE2FGHJ", "ABCDE+FGHJK", "CJ-1A2B3C4D", "cj-00ff12ab"],
)
def test_complaint_and_bulletin_references_are_masked(reference):
    assert mask(f"suivi {reference}.") == f"suivi {REFERENCE_MASK}."


def test_verification_codes_and_open311_tokens_are_masked():
    code = "7K2M-9QXD-" * 3 + "7K2M-9QXD"
    assert mask(f"code {code}") == f"code {REFERENCE_MASK}"
    assert mask("token=" + "A" * 20) == f"token={REFERENCE_MASK}"


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-01 23:38:47,123",
        '"GET /plaintes/agents/42/ HTTP/1.1" 200 5120',
        "Complaint 1234 filed in 35 ms",
        "audit checkpoint 20261201 published",
        "Zatamarkha",
    ],
)
def test_dates_ids_sizes_and_words_stay_readable(text):
    assert mask(text) == text


@given(st.text(alphabet=references.ALPHABET, min_size=10, max_size=10))
def test_any_complaint_reference_is_masked(reference):
    assert REFERENCE_MASK in mask(f"SUIVI {references.display(reference)}")
    assert REFERENCE_MASK in mask(f"/plaintes/suivi/{reference}/")


def test_arguments_and_tracebacks_are_masked():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "SMS from %s", ("+22790123456",), None
    )
    try:
        raise ValueError("bad number 90 12 34 56")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert MaskPersonalData().filter(record) is True
    assert record.getMessage() == f"SMS from {PHONE_MASK}"
    assert "90 12 34 56" not in record.exc_text and PHONE_MASK in record.exc_text


def test_every_configured_handler_masks():
    for name, handler in settings.LOGGING["handlers"].items():
        assert "mask_personal_data" in handler.get("filters", []), name


@contextmanager
def _captured(handler: logging.Handler):
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def _configured_handler(logger_name: str) -> logging.Handler:
    logger = logging.getLogger(logger_name)
    handlers = [
        h for h in logger.handlers if any(isinstance(f, MaskPersonalData) for f in h.filters)
    ]
    assert handlers, f"{logger_name} has no masking handler"
    return handlers[0]


def test_the_runserver_request_line_hides_the_sms_sender():
    """runserver's own request handler, logging to django.server as configured."""

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(app)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    with _captured(_configured_handler("django.server")) as stream:
        thread.start()
        port = server.server_address[1]
        url = f"http://127.0.0.1:{port}/sms/entrant?from=22790123456&text=SUIVI+ABCDE-FGHJK"
        urllib.request.urlopen(url, timeout=10).read()
        thread.join(10)
    server.server_close()
    line = stream.getvalue()
    assert "/sms/entrant?from=" in line and " 200 " in line
    assert "90123456" not in line and "ABCDE" not in line
    assert PHONE_MASK in line and REFERENCE_MASK in line


@pytest.mark.django_db
def test_django_request_warnings_hide_the_phone(client):
    """A 404 for a URL carrying a phone: django.request's warning reaches the console masked."""
    with _captured(_configured_handler("")) as stream:
        response = client.get("/plaintes/suivi/22790123456/", {"phone": "+22790123456"})
    assert response.status_code == 404
    text = stream.getvalue()
    assert "Not Found" in text and PHONE_MASK in text
    assert "90123456" not in text
