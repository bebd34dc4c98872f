"""NUL bytes and invalid UTF-8 are refused at the edge with a 400 and a French message.

Before the edge check, a NUL reached PostgreSQL and became a 500 on five endpoints (issue 9), and
invalid UTF-8 in a form was stored as mojibake (U+FFFD).
"""

import json

import pytest

from guichet.complaints.models import Complaint

pytestmark = pytest.mark.django_db

MESSAGE = "caractères illisibles"

NUL_URLS = [
    "/open311/v2/requests.json?status=open%00",
    "/open311/v2/requests.json?service_code=sante%00accueil",
    "/api/criminal_records/verify/AB%00CD",
    "/akn/ne/act/loi/2017/28%00",
    "/transport/reseau/arrets/S1%00/",
    "/plaintes/suivi/?reference=PL%00",
]

BAD_UTF8_URLS = [
    "/journal-officiel/?q=%C3%28",
    "/plaintes/suivi/%FF%FE/",
    "/casier/verifier/?code=%ED%A0%80",
]


@pytest.mark.parametrize("url", NUL_URLS + BAD_UTF8_URLS)
def test_a_nul_byte_or_invalid_utf8_in_the_address_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_api_refusals_are_json_and_open311_ones_in_its_error_format(client):
    api = client.get("/api/criminal_records/verify/AB%00CD")
    assert MESSAGE in api.json()["detail"]
    open311 = client.get("/open311/v2/requests.json?status=%00")
    assert open311.json()[0]["code"] == 400
    assert MESSAGE in open311.json()[0]["description"]


def test_page_refusals_are_html(client):
    response = client.get("/journal-officiel/?q=%00")
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>" in response.content.decode()


def test_open311_post_with_a_nul_byte_is_a_400(client):
    response = client.post(
        "/open311/v2/requests.json",
        data=b"api_key=k&service_code=autre&description=Trou%00dans+la+route&lat=13.5&long=2.1",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert MESSAGE in response.json()[0]["description"]


def test_invalid_utf8_in_a_form_is_refused_not_stored_as_mojibake(client):
    response = client.post(
        "/plaintes/deposer/",
        data=b"description=Accueil+d%E9plorable+au+CSI&category=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not Complaint.objects.exists()


def test_invalid_utf8_in_a_multipart_field_is_refused(client):
    boundary = "xyz"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n'.encode()
        + b"Accueil d\xe9plorable\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/plaintes/deposer/", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("text", ["AB\\u0000CD", "AB\\ud800CD"])
def test_json_strings_escaping_nul_or_a_lone_surrogate_are_refused(client, text):
    response = client.post(
        "/api/transit/plan",
        data=('{"from": "' + text + '"}').encode(),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert MESSAGE in response.json()["detail"]


def test_readable_text_goes_through(client):
    response = client.get("/journal-officiel/?q=d%C3%A9cret")
    assert response.status_code == 200
    ok = client.post(
        "/api/transit/plan", data=json.dumps({"from": "Château"}), content_type="application/json"
    )
    assert ok.status_code != 400 or MESSAGE not in ok.content.decode()
