"""Where a complaint's due date is shown, a date counted across a feast not yet announced says
so (issue 12): the citizen's page, the agents' list and page, the status SMS, Open311."""

import datetime as dt

import pytest
import time_machine
from django.contrib import admin

from guichet.notifications.models import Message
from guichet.workflow.models import PublicHoliday

pytestmark = pytest.mark.django_db
NOTICE = "Date estimée : les fêtes de Tabaski, Lendemain de la Tabaski"
# Filed Thu 27 Apr 2028 at noon, 10 working days: the count crosses Tabaski, which the `holidays`
# package estimates on Fri 5 May 2028 (no date entered for 2028).
FILED = dt.datetime(2028, 4, 27, 11, tzinfo=dt.UTC)


@pytest.fixture
def complaint(file):
    with time_machine.travel(FILED, tick=False):
        return file(phone="90 12 34 56")


def _pages(client, complaint, handler):
    citizen = client.get(f"/plaintes/suivi/{complaint.reference}/").content.decode()
    client.force_login(handler)
    agent_list = client.get("/plaintes/agents/").content.decode()
    agent_page = client.get(f"/plaintes/agents/{complaint.pk}/").content.decode()
    client.logout()
    return citizen, agent_list, agent_page


def test_every_page_showing_the_due_date_says_it_is_an_estimate(client, complaint, handler):
    # Fri 28 Apr … Thu 4 May (1 May off), Tabaski on Fri 5, Mon 8 … Mon 15 May.
    assert complaint.case.due_at.date() == dt.date(2028, 5, 15)
    for page in _pages(client, complaint, handler):
        assert NOTICE in page


def test_the_status_sms_says_it_is_an_estimate(client, complaint):
    with time_machine.travel(FILED + dt.timedelta(days=1), tick=False):
        client.get(
            "/sms/entrant",
            {
                "from": "22790123456",
                "to": "3535",
                "text": f"SUIVI {complaint.reference}",
                "token": "s3cret-token",
            },
        )
    reply = Message.objects.filter(recipient="+22790123456").order_by("-pk").first().body
    # GSM 03.38 has no « ê »: the SMS says « fetes ».
    assert "15/05/2028" in reply and "Date estimée : les fetes de Tabaski, Lendemain" in reply


def test_open311_service_notice_says_it_is_an_estimate(client, complaint):
    found = client.get(f"/open311/v2/requests/{complaint.public_id}.json").json()[0]
    assert NOTICE in found["service_notice"]


def test_once_announced_no_page_says_it(client, rf, complaint, handler, make_agent):
    request = rf.post("/admin/")
    request.user = make_agent("admin.jours", "platform_admin", "PRN")
    announced = PublicHoliday(date=dt.date(2028, 5, 5), name="Aïd el-Kébir (Tabaski)")
    admin.site._registry[PublicHoliday].save_model(request, announced, form=None, change=False)
    for page in _pages(client, complaint, handler):
        assert "Date estimée" not in page


def _export_rows(client, handler) -> dict[str, dict[str, str]]:
    import csv
    import io

    client.force_login(handler)
    response = client.get("/plaintes/agents/export.csv")
    client.logout()
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return {row["Référence"]: row for row in rows}


def test_the_csv_export_says_it_is_an_estimate(client, complaint, handler, file):
    # Failed before: the export had the due date and no word of the estimate.
    with time_machine.travel(dt.datetime(2028, 6, 5, 9, tzinfo=dt.UTC), tick=False):
        sure = file(phone="90 12 34 57", description="Un autre accueil, en juin.")
    rows = _export_rows(client, handler)
    estimated = rows[complaint.display_reference]
    assert estimated["Échéance"] == "2028-05-15"
    assert NOTICE in estimated["Remarque sur l'échéance"]
    assert rows[sure.display_reference]["Remarque sur l'échéance"] == ""
