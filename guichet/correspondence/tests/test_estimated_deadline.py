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
