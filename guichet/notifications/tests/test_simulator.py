"""The SMS / USSD simulator page (development only)."""

import pytest
from django.utils.translation import gettext_lazy

from guichet.notifications.channels import UssdReply, sms_command, ussd_menu
from guichet.notifications.models import InboundMessage

pytestmark = pytest.mark.django_db

URL = "/sms/simulateur"


@pytest.fixture
def channels(registry):
    @sms_command("ECHO")
    def echo(phone, text):
        return f"Vous avez dit : {text}"

    @ussd_menu("nom", gettext_lazy("Dire son nom"), order=1)
    def name(session, inputs):
        if not inputs:
            return UssdReply("Votre nom ?")
        return UssdReply(f"Bonjour {inputs[0]}", end=True)


def test_the_simulator_does_not_exist_outside_debug(client, settings):
    settings.DEBUG = False
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"action": "sms", "phone": "90123456", "text": "x"}).status_code == 404
    assert not InboundMessage.objects.exists()


def test_an_sms_sent_from_the_simulator_gets_its_reply(client, settings, channels):
    settings.DEBUG = True
    response = client.post(URL, {"action": "sms", "phone": "90 12 34 56", "text": "echo salut"})
    assert response.status_code == 302
    page = client.get(URL).content.decode()
    assert "echo salut" in page
    assert "Vous avez dit : salut" in page
    assert InboundMessage.objects.get().sender == "+22790123456"


def test_an_invalid_number_is_refused_in_french(client, settings, channels):
    settings.DEBUG = True
    response = client.post(URL, {"action": "sms", "phone": "12", "text": "echo"})
    assert response.status_code == 200
    assert "Numéro du Niger attendu" in response.content.decode()
    assert not InboundMessage.objects.exists()


def test_a_ussd_dialogue_from_the_simulator(client, settings, channels):
    settings.DEBUG = True
    client.post(URL, {"action": "dial", "phone": "+22790123456", "answer": ""})
    assert "1. Dire son nom" in client.get(URL).content.decode()
    client.post(URL, {"action": "ussd", "phone": "+22790123456", "answer": "1"})
    assert "Votre nom ?" in client.get(URL).content.decode()
    client.post(URL, {"action": "ussd", "phone": "+22790123456", "answer": "Moussa"})
    page = client.get(URL).content.decode()
    assert "Bonjour Moussa" in page
    assert "Session terminée." in page
