"""Agents' forms without avoidable errors (issue 14): a failed submit keeps the scan, a choice with
one option is already made, the register's export has defaults."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from guichet import uploads
from guichet.correspondence.models import Mail
from guichet.correspondence.tests.conftest import EXE, PDF, upload

KEPT = re.compile(r'name="scan__kept" value="([^"]+)"')


def _registration(organisations, **fields):
    data = {
        "unit": organisations["SGG-BC"].pk,
        "direction": "A",
        "correspondent_name": "Ministère des Mines",
        "subject": "Transmission du rapport annuel",
        "mail_type": "report",
        "priority": "normal",
        "confidentiality": "normal",
    }
    data.update(fields)
    return data


def _failed_first_submit(client, organisations, name="rapport.pdf"):
    """Post a registration without its subject and a scan; the token the page keeps it under."""
    first = client.post(
        reverse("correspondence:register"),
        _registration(organisations, subject="", scan=upload(name)),
    )
    assert first.status_code == 200 and not Mail.objects.exists()
    return KEPT.search(first.text)[1]


def test_only_unit_is_preselected_on_the_registration_page(client, clerk, organisations):
    # Failed before: « Unité qui enregistre » offered "---------" first, so the first submit failed.
    client.force_login(clerk)
    page = client.get(reverse("correspondence:register")).text
    select = re.search(r'<select name="unit".*?</select>', page, re.S)[0]
    assert f'value="{organisations["SGG-BC"].pk}" selected' in select
    assert "---------" not in select


def test_a_failed_registration_keeps_the_scan_for_the_next_submit(client, clerk, organisations):
    # Failed before: the page came back without the file, which had to be chosen again.
    client.force_login(clerk)
    first = client.post(
        reverse("correspondence:register"),
        _registration(organisations, subject="", scan=upload("rapport.pdf")),
    )
    assert first.status_code == 200 and not Mail.objects.exists()
    assert "Fichier déjà joint" in first.text and "rapport.pdf" in first.text
    token = KEPT.search(first.text)[1]
    second = client.post(
        reverse("correspondence:register"), _registration(organisations, scan__kept=token)
    )
    assert second.status_code == 302
    attachment = Mail.objects.get().attachments.get()
    assert attachment.original_name == "rapport.pdf"
    assert attachment.file.read() == PDF


def test_a_service_refusal_keeps_the_scan_too(client, clerk, organisations):
    # The service (not the form) refuses a letter dated tomorrow: the scan is kept all the same.
    client.force_login(clerk)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    first = client.post(
        reverse("correspondence:register"),
        _registration(organisations, letter_date=tomorrow.isoformat(), scan=upload("a.pdf")),
    )
    assert "Cette date est dans le futur." in first.text
    assert KEPT.search(first.text)


def test_a_new_file_replaces_the_kept_one(client, clerk, organisations):
    client.force_login(clerk)
    token = _failed_first_submit(client, organisations, "ancien.pdf")
    client.post(
        reverse("correspondence:register"),
        _registration(organisations, scan__kept=token, scan=upload("nouveau.pdf")),
    )
    assert Mail.objects.get().attachments.get().original_name == "nouveau.pdf"


def test_a_refused_file_is_not_kept(client, clerk, organisations):
    client.force_login(clerk)
    response = client.post(
        reverse("correspondence:register"), _registration(organisations, scan=upload("x.pdf", EXE))
    )
    assert "programme exécutable" in response.text
    assert not KEPT.search(response.text)


def test_nobody_else_can_claim_a_kept_scan(client, clerk, make_agent, organisations):
    client.force_login(clerk)
    token = _failed_first_submit(client, organisations, "rapport.pdf")
    other = make_agent("other", "mail_clerk", "SGG-BC")
    client.force_login(other)
    response = client.post(
        reverse("correspondence:register"), _registration(organisations, scan__kept=token)
    )
    assert response.status_code == 200 and not Mail.objects.exists()
    assert "plus disponible" in response.text
    assert uploads.claim_upload(token, f"user:{other.pk}") is None
    # The owner still has it.
    assert uploads.claim_upload(token, f"user:{clerk.pk}").read() == PDF


def test_a_kept_scan_expires(client, clerk, organisations, settings):
    client.force_login(clerk)
    token = _failed_first_submit(client, organisations, "rapport.pdf")
    settings.KEPT_UPLOAD_MAX_AGE = -1
    assert uploads.claim_upload(token, f"user:{clerk.pk}") is None
    assert uploads.purge_expired_kept_uploads(dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)) == 1


def test_a_forged_token_is_refused(client, clerk, organisations):
    client.force_login(clerk)
    response = client.post(
        reverse("correspondence:register"),
        _registration(organisations, scan__kept="kept-uploads/../../etc/passwd"),
    )
    assert response.status_code == 200 and "plus disponible" in response.text


def test_register_export_has_defaults(client, register, clerk, organisations):
    # Failed before: the register, the period and the format had to be filled in by hand.
    register(subject="Demande de subvention")
    client.force_login(clerk)
    page = client.get(reverse("correspondence:register_export")).text
    today = timezone.localdate()
    assert f'value="{dt.date(today.year, 1, 1).isoformat()}"' in page
    assert f'value="{today.isoformat()}"' in page
    assert f'value="{organisations["SGG"].pk}" selected' in page
    response = client.get(
        reverse("correspondence:register_export"), {"register": organisations["SGG"].pk}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_letter_dated_after_its_arrival_is_refused_on_the_page(client, clerk, organisations):
    client.force_login(clerk)
    today = timezone.localdate()
    response = client.post(
        reverse("correspondence:register"),
        _registration(
            organisations,
            letter_date=today.isoformat(),
            received_on=(today - dt.timedelta(days=2)).isoformat(),
        ),
    )
    assert response.status_code == 200
    assert "datée après sa réception" in response.text
    assert not Mail.objects.exists()
