"""« Mes données » in Chromium on a 360 px screen, with and without JavaScript: a citizen signed
in by phone finds their complaint in their data, asks for erasure and reads what was erased and
what is kept."""

import re

import pytest

from guichet.complaints import services
from guichet.complaints.models import Complaint
from guichet.notifications.models import Message
from guichet.workflow.models import Case
from tests import phone_width

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "readonly"]),
]


def test_a_citizen_sees_their_data_and_asks_for_erasure(browser_page, live_server, categories):
    complaint = services.file_complaint(
        category=categories["sante-accueil"],
        description="Personne à l'accueil du CSI de Lazaret ce matin.",
        channel=Complaint.Channel.WEB,
        phone="90 12 34 56",
        last_name="Issa",
    ).complaint
    Case.objects.filter(pk=complaint.case_id).update(status=Case.Status.CLOSED)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/mes-donnees/")  # sends to the phone sign-in, then back
    page.fill("input[name=phone]", "90 12 34 56")
    page.click("button:has-text('Recevoir le code')")
    page.wait_for_selector("input[name=code]")
    sms = Message.objects.filter(recipient="+22790123456").latest("pk")
    page.fill("input[name=code]", re.search(r"\b(\d{6})\b", sms.body).group(1))
    page.click("button:has-text('Valider')")
    page.wait_for_selector("h1:has-text('Mes données')")
    page.goto(f"{live_server.url}/mon-espace/")  # linked from the citizen's space
    page.get_by_role("link", name=re.compile("Mes données")).click()
    page.wait_for_selector("h1:has-text('Mes données')")
    assert page.get_by_text("Personne à l'accueil du CSI de Lazaret ce matin.").is_visible()
    assert phone_width.fits(page)  # no sideways scroll

    page.get_by_role("link", name="Demander l'effacement de mes données").click()
    page.get_by_label(re.compile("Je demande l'effacement")).check()
    page.get_by_role("button", name="Effacer ce qui peut l'être").click()
    page.wait_for_selector('h1:has-text("Votre demande d\'effacement")')
    assert page.get_by_text("Votre identité a été effacée de 1 plainte terminée.").is_visible()
    complaint.refresh_from_db()
    assert complaint.phone == "" and complaint.personal_data_erased_at is not None
