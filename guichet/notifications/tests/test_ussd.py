"""The USSD dialogue over the aggregator's callbacks (Africa's Talking shape)."""

import pytest
from django.utils.translation import gettext_lazy

from guichet.notifications.channels import InvalidInput, UssdReply, ussd_menu
from guichet.notifications.models import UssdSession
from guichet.notifications.ussd import MAX_SCREEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def menus(registry):
    @ussd_menu("plainte", gettext_lazy("Déposer une plainte"), order=10)
    def complaint(session, inputs):
        if not inputs:
            return UssdReply("Décrivez le problème :")
        if len(inputs) == 1:
            session.data["description"] = inputs[0]
            return UssdReply(f"Confirmer « {inputs[0]} » ?\n1. Oui")
        if inputs[1] != "1":
            raise InvalidInput("Répondez 1 pour confirmer.")
        return UssdReply(
            f"Plainte enregistrée : {session.data['description']} ({session.phone_number})",
            end=True,
        )

    @ussd_menu("casier", gettext_lazy("Casier judiciaire"), order=20)
    def records(session, inputs):
        return UssdReply("Demande de casier reçue.", end=True)

    @ussd_menu("aide", "Aide", order=5)
    def help_menu(session, inputs):
        return UssdReply("Appelez le 3535.", end=True)


class Dialogue:
    def __init__(self, client, session_id="ATUid_1"):
        self.client = client
        self.session_id = session_id
        self.answers: list[str] = []

    def send(self, answer=None, *, token="s3cret-token"):
        if answer is not None:
            self.answers.append(answer)
        response = self.client.post(
            f"/ussd?token={token}",
            {
                "sessionId": self.session_id,
                "serviceCode": "*353#",
                "phoneNumber": "+227 90 12 34 56",
                "text": "*".join(self.answers),
            },
        )
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/plain")
        body = response.content.decode()
        assert body[:4] in ("CON ", "END ")
        assert len(body) - 4 <= MAX_SCREEN
        return body


MAIN = "CON Guichet - choisissez :\n1. Aide\n2. Déposer une plainte\n3. Casier judiciaire"


def test_first_call_shows_the_numbered_main_menu_in_order(client, menus):
    assert Dialogue(client).send() == MAIN
    session = UssdSession.objects.get()
    assert session.phone_number == "+22790123456"
    assert session.service_code == "*353#"


def test_a_multi_step_menu_keeps_its_answers_and_data(client, menus):
    dialogue = Dialogue(client)
    dialogue.send()
    assert dialogue.send("2") == "CON Décrivez le problème :\n0:Retour 00:Accueil"
    assert dialogue.send("Route coupée") == (
        "CON Confirmer « Route coupée » ?\n1. Oui\n0:Retour 00:Accueil"
    )
    assert dialogue.send("1") == "END Plainte enregistrée : Route coupée (+22790123456)"
    session = UssdSession.objects.get()
    assert session.ended_at is not None
    assert session.menu == "plainte"
    assert session.data == {"description": "Route coupée"}


def test_zero_goes_back_one_step_and_to_the_main_menu_from_a_menu_start(client, menus):
    dialogue = Dialogue(client)
    dialogue.send()
    dialogue.send("2")
    dialogue.send("Route")
    assert dialogue.send("0").startswith("CON Décrivez le problème")
    assert dialogue.send("Pont").startswith("CON Confirmer « Pont »")
    assert dialogue.send("0").startswith("CON Décrivez")
    assert dialogue.send("0") == MAIN
    assert dialogue.send("3") == "END Demande de casier reçue."


def test_double_zero_returns_to_the_main_menu_from_anywhere(client, menus):
    dialogue = Dialogue(client)
    dialogue.send()
    dialogue.send("2")
    dialogue.send("Route")
    assert dialogue.send("00") == MAIN
    assert dialogue.send("1") == "END Appelez le 3535."


def test_an_invalid_main_menu_choice_shows_the_menu_with_an_error(client, menus):
    dialogue = Dialogue(client)
    dialogue.send()
    assert dialogue.send("9") == MAIN.replace("CON ", "CON Choix invalide.\n")
    assert dialogue.send("abc").startswith("CON Choix invalide.")
    # The refused answers are forgotten: the next one is read against the main menu again.
    assert dialogue.send("2").startswith("CON Décrivez")


def test_an_answer_refused_by_the_menu_is_dropped_and_asked_again(client, menus):
    dialogue = Dialogue(client)
    dialogue.send()
    dialogue.send("2")
    dialogue.send("Route")
    assert dialogue.send("7") == (
        "CON Répondez 1 pour confirmer.\nConfirmer « Route » ?\n1. Oui\n0:Retour 00:Accueil"
    )
    assert dialogue.send("1").startswith("END Plainte enregistrée : Route")


def test_sessions_are_independent(client, menus):
    first, second = Dialogue(client, "s1"), Dialogue(client, "s2")
    first.send()
    second.send()
    first.send("2")
    assert second.send("3") == "END Demande de casier reçue."
    assert first.send("Route").startswith("CON Confirmer")


def test_an_aggregator_sending_only_the_last_answer_is_understood(client, menus):
    dialogue = Dialogue(client)
    dialogue.send()
    dialogue.send("2")
    dialogue.send("Route")
    # Some gateways send just the latest input rather than the whole history.
    dialogue.answers = ["1"]
    assert dialogue.send().startswith("END Plainte enregistrée : Route")


def test_a_long_main_menu_is_paged_within_182_characters(client, registry):
    for number in range(12):

        @ussd_menu(f"service{number}", f"Service public numéro {number} du Niger", order=number)
        def handler(session, inputs, number=number):
            return UssdReply(f"Service {number}", end=True)

    dialogue = Dialogue(client)
    first_page = dialogue.send()
    assert "1. Service public numéro 0" in first_page
    assert first_page.endswith("98. Suite")
    second_page = dialogue.send("98")
    assert "Service public numéro 0 " not in second_page
    last_number = second_page.splitlines()[-2 if second_page.endswith("Suite") else -1]
    chosen = last_number.split(".")[0]
    assert dialogue.send(chosen) == f"END Service {int(chosen) - 1}"


def test_a_screen_too_long_is_cut_to_182_characters(client, registry):
    @ussd_menu("long", "Long")
    def long_menu(session, inputs):
        return UssdReply("x" * 300, end=True)

    dialogue = Dialogue(client)
    dialogue.send()
    body = dialogue.send("1")
    assert body == "END " + "x" * 181 + "…"


def test_a_crashing_menu_ends_the_session_with_a_french_apology(client, registry):
    @ussd_menu("bug", "Bug")
    def bug(session, inputs):
        raise RuntimeError("oops")

    dialogue = Dialogue(client)
    dialogue.send()
    assert dialogue.send("1") == "END Service momentanément indisponible. Réessayez plus tard."


def test_no_menu_registered_ends_at_once(client, registry):
    assert Dialogue(client).send().startswith("END ")


def test_a_wrong_token_is_refused(client, menus):
    response = client.post(
        "/ussd?token=nope", {"sessionId": "x", "phoneNumber": "+22790123456", "text": ""}
    )
    assert response.status_code == 403
    assert not UssdSession.objects.exists()


def test_missing_session_or_phone_is_a_bad_request(client, menus):
    response = client.post("/ussd?token=s3cret-token", {"sessionId": "x", "text": ""})
    assert response.status_code == 400


def test_get_is_not_allowed(client, menus):
    assert client.get("/ussd?token=s3cret-token").status_code == 405


def test_screens_are_in_the_caller_preferred_language(client, menus, citizen):
    citizen.preferred_language = "en"
    citizen.save()
    dialogue = Dialogue(client)
    assert dialogue.send().startswith("CON Guichet - choose:\n1. Aide")
    assert dialogue.send("9").startswith("CON Invalid choice.")
    assert dialogue.send("2").endswith("\n0:Back 00:Home")


def test_a_menu_refusing_its_own_first_screen_returns_to_the_main_menu(client, registry):
    @ussd_menu("closed", "Fermé")
    def closed(session, inputs):
        raise InvalidInput("Service fermé le dimanche.")

    dialogue = Dialogue(client)
    dialogue.send()
    assert dialogue.send("1") == "CON Service fermé le dimanche.\nGuichet - choisissez :\n1. Fermé"


def test_ussd_dialogue_helper_drives_the_menus(menus):
    from guichet.notifications.channels import UssdDialogue

    dialogue = UssdDialogue("+22790123456")
    assert dialogue.dial().text.startswith("Guichet - choisissez :")
    assert dialogue.answer("2").text.startswith("Décrivez le problème")
    dialogue.answer("Puits")
    reply = dialogue.answer("1")
    assert reply.end
    assert reply.text == "Plainte enregistrée : Puits (+22790123456)"
