"""A mail's due date counted across a feast not yet announced says so (issue 12)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_mail_pages_say_the_due_date_is_an_estimate(client, register, clerk):
    # Received Thu 4 May 2028, 1 working day: Tabaski is estimated on Fri 5 May (no date entered
    # for 2028), so the mail is due on Mon 8 May — unless Tabaski is announced on another day.
    with time_machine.travel(dt.datetime(2028, 5, 4, 15, tzinfo=dt.UTC), tick=False):
        mail = register(received_on=dt.date(2028, 5, 4), due_days=1)
    client.force_login(clerk)
    pages = [
        client.get(reverse("correspondence:detail", args=[mail.pk])).content.decode(),
        client.get(reverse("correspondence:home")).content.decode(),
    ]
    for page in pages:
        assert "08/05/2028" in page
        assert "Date estimée : les fêtes de Tabaski, Lendemain de la Tabaski" in page


def test_a_mail_due_on_sure_days_says_nothing(client, register, clerk):
    with time_machine.travel(dt.datetime(2028, 6, 5, 15, tzinfo=dt.UTC), tick=False):
        mail = register(received_on=dt.date(2028, 6, 5), due_days=1)
    client.force_login(clerk)
    page = client.get(reverse("correspondence:detail", args=[mail.pk])).content.decode()
    assert "06/06/2028" in page and "Date estimée" not in page


def _register_export(client, organisations, fmt: str):
    query = {
        "register": organisations["SGG"].pk,
        "start": "2028-05-01",
        "end": "2028-06-30",
        "direction": "A",
        "format": fmt,
    }
    response = client.get(reverse("correspondence:register_export"), query)
    assert response.status_code == 200
    return response.content


def test_the_register_exports_say_the_due_date_is_an_estimate(
    client, register, clerk, organisations
):
    # Failed before: the CSV and PDF registers had the date and no word of the estimate.
    import csv
    import io

    import pypdf

    with time_machine.travel(dt.datetime(2028, 5, 4, 15, tzinfo=dt.UTC), tick=False):
        estimated = register(received_on=dt.date(2028, 5, 4), due_days=1)
    with time_machine.travel(dt.datetime(2028, 6, 5, 15, tzinfo=dt.UTC), tick=False):
        sure = register(received_on=dt.date(2028, 6, 5), due_days=1)
    client.force_login(clerk)
    text = _register_export(client, organisations, "csv").decode("utf-8-sig")
    rows = {
        row["N° d'enregistrement"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")
    }
    assert rows[estimated.reference]["Échéance"] == "08/05/2028"
    notice = "Date estimée : les fêtes de Tabaski, Lendemain de la Tabaski"
    assert notice in rows[estimated.reference]["Remarque sur l'échéance"]
    assert rows[sure.reference]["Remarque sur l'échéance"] == ""
    pdf = pypdf.PdfReader(io.BytesIO(_register_export(client, organisations, "pdf")))
    printed = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "Date estimée" in printed and "Tabaski" in printed
    assert printed.count("Date estimée") == 1, printed
