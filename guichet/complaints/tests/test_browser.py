"""A citizen files a complaint on a small phone screen and follows it with the reference, in
Chromium, with and without JavaScript."""

import pytest

from guichet.accounts.models import Organisation
from guichet.complaints.models import Category, Complaint
from tests import phone_width


@pytest.mark.browser
# transaction=True: the live server's thread must see committed rows.
@pytest.mark.django_db(transaction=True, databases=["default", "readonly"])
def test_file_a_complaint_then_follow_it_with_the_reference(
    browser_page, live_server, transactional_db
):
    Category.objects.create(
        code="sante-accueil",
        name="Accueil dans un centre de santé",
        group="Santé",
        organisation=Organisation.objects.get(code="MSP-DQ"),
    )
    page = browser_page
    page.goto(f"{live_server.url}/plaintes/")
    page.click("text=Déposer une plainte >> nth=-1")
    page.wait_for_selector("h1:has-text('Déposer une plainte')")
    page.select_option("select[name=category]", label="Santé — Accueil dans un centre de santé")
    page.fill("textarea[name=description]", "Le CSI de Lazaret était fermé mardi à 10 h.")
    page.select_option("select[name=region]", label="Niamey")
    page.fill("input[name=phone]", "90 12 34 56")
    page.check("input[name=hide_identity]")
    page.click("button:has-text('Envoyer la plainte')")
    page.wait_for_selector("[data-testid=reference]")
    shown = page.inner_text("[data-testid=reference]")
    complaint = Complaint.objects.get()
    assert shown == complaint.display_reference
    assert complaint.hide_identity and complaint.phone == "+22790123456"

    page.goto(f"{live_server.url}/plaintes/")
    page.fill("input[name=reference]", shown.lower())
    page.click("button:has-text('Voir ma plainte')")
    page.wait_for_selector("h1:has-text('Plainte')")
    assert page.url.endswith(f"/plaintes/suivi/{complaint.reference}/")
    assert "Reçu" in page.inner_text(".facts")
    page.fill("textarea[name=text]", "Il était fermé aussi mercredi.")
    page.click("button:has-text('Envoyer le message')")
    page.wait_for_selector(".history")
    assert "Il était fermé aussi mercredi." in page.inner_text(".history")
    # Nothing overflows the 360 px screen.
    assert phone_width.fits(page)
