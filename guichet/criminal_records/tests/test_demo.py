"""The demo shows the consultation history: a citizen whose identity the clerk verified sees who
consulted their record (issue 10's rules), so the browser checks open that table with rows."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from guichet.accounts import demo as accounts_demo
from guichet.accounts.models import User
from guichet.criminal_records import demo, selectors
from guichet.criminal_records.models import RuleParameter

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    accounts_demo.load(lambda line: None)
    demo.load(lambda line: None)
    demo.load(lambda line: None)  # idempotent: no second request, look-up or account
    return User.objects.get(username=demo.CITIZEN_PHONE)


def test_the_demo_citizen_sees_the_b2_with_its_reason_and_the_clerks_look_up(loaded, client):
    """Before: no demo citizen had a verified identity, « Aucune consultation connue » only."""
    client.force_login(loaded)
    page = client.get(reverse("criminal_records:my_requests")).content.decode()
    table = re.search(r'<table class="table" id="consultations">(.*?)</table>', page, re.S)
    assert table is not None, page
    rows = table.group(1).count("<tr>") - 1  # the header row
    assert rows == 2
    assert "recrutement au Ministère de la Santé publique" in table.group(1)
    assert "consulté par le greffe (" in table.group(1)
    assert "information judiciaire" not in page  # a B1's reason is never shown (CPP art. 11)


def test_the_judges_b1_appears_court_only_once_the_parameter_allows_it(loaded):
    RuleParameter.objects.create(
        key="show_b1_consultations", value=1, reason="test", effective_from=dt.date(2000, 1, 1)
    )
    rows = selectors.consultations_of(loaded)
    assert len(rows) == 3
    (b1,) = [row for row in rows if "n°1" in row.what]
    assert b1.reason == "" and b1.by
