"""A citizen signs in with their phone and requests their bulletin n°3 on a small screen, then
follows it — in Chromium, with and without JavaScript. The SMS sign-in code is read from the
stored notification, as the SMS gateway would have delivered it."""

import re

import pytest

from guichet.criminal_records.models import BulletinRequest
from guichet.criminal_records.tests.conftest import PNG  # a real image
from guichet.notifications.models import Message


@pytest.mark.browser
@pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "readonly"]
)
def test_citizen_requests_a_bulletin_3_online(browser_page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_DIR = tmp_path / "pki"
    page = browser_page
    page.goto(f"{live_server.url}/casier/")
    page.click("text=Demander mon extrait (bulletin n°3)")

    # Phone sign-in: the code comes by SMS (stored as a notification message).
    page.fill("input[name=phone]", "90 11 22 33")
    page.click("button:has-text('Recevoir le code')")
    page.wait_for_selector("input[name=code]")
    sms = Message.objects.filter(recipient="+22790112233").latest("pk")
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)
    page.fill("input[name=code]", code)
    page.click("button:has-text('Valider')")

    page.wait_for_selector("h1:has-text('Demander mon extrait')")
    page.fill("input[name=last_name]", "Issoufou")
    page.fill("input[name=first_names]", "Mahamadou")
    page.select_option("select[name=sex]", "M")
    page.fill("input[name=birth_year]", "1985")
    page.select_option("select[name=birth_commune]", label="Niamey I (Niamey)")
    page.fill("input[name=father_name]", "Issoufou Garba")
    page.select_option("select[name=payment_method]", "mobile_money")
    page.fill("input[name=payment_reference]", "MP241129.0001.B12345")
    page.set_input_files(
        "input[name=birth_certificate]",
        files=[{"name": "acte.png", "mimeType": "image/png", "buffer": PNG}],
    )
    page.click("button:has-text('Envoyer la demande')")

    page.wait_for_selector("#status")
    item = BulletinRequest.objects.get()
    assert item.reference in page.inner_text("h1")
    assert item.court.code == "TGI-NIAMEY" and item.fee_amount == 1150
    assert item.requester.phone_number == "+22790112233"
    assert Message.objects.filter(
        recipient="+22790112233", template="criminal_records/request_received"
    ).exists()

    page.goto(f"{live_server.url}/casier/mes-demandes/")
    assert item.reference in page.inner_text("main")
