"""Open311 date filters accept every offset the W3C syntax allows (PostgreSQL only takes ±15:59)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "start_date",
    ["1323-03-09T07:02:54-19:31", "2026-11-05T08:15:30+23:59", "2026-11-05T08:15:30Z"],
)
def test_a_far_offset_is_a_filter_not_a_server_error(client, start_date):
    response = client.get("/open311/v2/requests.json", {"start_date": start_date})
    assert response.status_code == 200


def test_a_date_beyond_the_calendar_in_utc_is_a_clear_error(client):
    response = client.get("/open311/v2/requests.json", {"start_date": "0001-01-01T00:10:00+05:00"})
    assert response.status_code == 400
    assert "date W3C" in response.content.decode()
