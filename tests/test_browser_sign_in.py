"""A citizen signs in with their phone in Chromium, with and without JavaScript."""

import re

import pytest

from guichet.notifications.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_signs_in_with_a_phone_and_an_sms_code(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Numéro de téléphone").fill("90 12 34 56")
    page.get_by_role("button", name="Recevoir le code").click()
    page.wait_for_url(re.compile(r"/connexion/code/$"))

    sms = Message.objects.filter(recipient="+22790123456").latest("id")
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)
    page.get_by_label("Code reçu par SMS").fill(code)
    page.get_by_role("button", name="Valider").click()

    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text("Vous êtes connecté.").is_visible()
    page.get_by_role("link", name="Mon espace").click()
    assert page.get_by_text("+22790123456").is_visible()


def test_language_switch_in_the_browser(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/")
    page.get_by_label("Langue").select_option("ha")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ha"
    assert page.get_by_role("link", name="Shiga", exact=True).is_visible()
