"""Inbound SMS: token, storage, dispatch on the first word, reply by SMS."""

import pytest
from django.utils import translation

from guichet.notifications.channels import sms_command
from guichet.notifications.models import InboundMessage, Message

pytestmark = pytest.mark.django_db

calls: list[tuple[str, str]] = []


@pytest.fixture
def commands(registry):
    calls.clear()

    @sms_command("PLAINTE")
    def complaint(phone, text):
        calls.append((phone, text))
        return f"Plainte enregistrée : {text}"

    @sms_command("réclamation")
    def claim(phone, text):
        return "ok"

    @sms_command("LANGUE")
    def language(phone, text):
        return translation.get_language()

    @sms_command("PANNE")
    def broken(phone, text):
        Message.objects.create(channel="sms", recipient=phone, body="written before the crash")
        raise RuntimeError("bug in the handler")


def _sms(client, text, token="s3cret-token", sender="22790123456", method="get"):
    data = {"from": sender, "to": "3535", "text": text, "token": token}
    return getattr(client, method)("/sms/entrant", data)


def test_first_word_selects_the_command_and_the_reply_is_texted_back(
    client, commands, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _sms(client, "plainte  La route de Tillabéri est coupée")
    assert response.status_code == 200
    assert response.content == b""  # the reply goes through sendsms, not the HTTP answer
    assert calls == [("+22790123456", "La route de Tillabéri est coupée")]
    inbound = InboundMessage.objects.get()
    assert inbound.sender == "+22790123456"
    assert inbound.recipient == "3535"
    assert inbound.keyword == "PLAINTE"
    assert inbound.handled
    assert inbound.reply.recipient == "+22790123456"
    assert inbound.reply.body == "Plainte enregistrée : La route de Tillabéri est coupée"
    assert inbound.reply.status == Message.Status.DELIVERED


def test_keywords_ignore_case_and_accents(client, commands):
    _sms(client, "Reclamation x")
    _sms(client, "RÉCLAMATION y")
    assert [m.keyword for m in InboundMessage.objects.order_by("id")] == [
        "RECLAMATION",
        "RECLAMATION",
    ]
    assert InboundMessage.objects.filter(handled=True).count() == 2


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        # What people type on a basic phone: the keyword glued to a colon, a comma, a dash…
        ("Plainte: La route est coupée", "La route est coupée"),
        ("PLAINTE : La route est coupée", "La route est coupée"),
        ("plainte,la route est coupée", "la route est coupée"),
        ("PLAINTE. La route est coupée", "La route est coupée"),
        ("Plainte - La route est coupée", "La route est coupée"),
        ("*PLAINTE* La route est coupée", "La route est coupée"),
        ("plainte:", ""),
        ("PLAINTE\nLa route\nest coupée", "La route\nest coupée"),
        # What follows the keyword is kept as typed, its punctuation included.
        ("PLAINTE 500F au lieu de 300F !", "500F au lieu de 300F !"),
    ],
)
def test_the_keyword_may_be_followed_by_punctuation(client, commands, text, rest):
    _sms(client, text)
    assert calls == [("+22790123456", rest)]
    assert InboundMessage.objects.get().keyword == "PLAINTE"


def test_a_keyword_glued_to_letters_is_another_word(client, commands):
    _sms(client, "PLAINTES la route")
    assert calls == []
    assert InboundMessage.objects.get().keyword == "PLAINTES"


def test_a_keyword_is_letters_and_digits_only(registry):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        sms_command("BUS:")


def test_post_works_like_get(client, commands):
    assert _sms(client, "PLAINTE par POST", method="post").status_code == 200
    assert calls == [("+22790123456", "par POST")]


def test_unknown_keyword_gets_a_french_help_listing_the_keywords(client, commands):
    _sms(client, "bonjour")
    inbound = InboundMessage.objects.get()
    assert not inbound.handled
    assert inbound.keyword == "BONJOUR"
    assert inbound.reply.body == (
        "Guichet : mot-clé inconnu. Envoyez l'un de ces mots suivi de votre demande : "
        "LANGUE, PANNE, PLAINTE, RECLAMATION."
    )


def test_an_empty_sms_gets_the_help(client, commands):
    _sms(client, "   ")
    assert "PLAINTE" in InboundMessage.objects.get().reply.body


def test_the_handler_runs_in_the_citizen_language(client, commands, citizen):
    citizen.preferred_language = "en"
    citizen.save()
    _sms(client, "LANGUE")
    assert InboundMessage.objects.get().reply.body == "en"


def test_a_failing_handler_is_undone_and_the_person_told(client, commands):
    _sms(client, "PANNE")
    inbound = InboundMessage.objects.get()
    assert not inbound.handled
    assert "RuntimeError: bug in the handler" in inbound.error
    assert not Message.objects.filter(body="written before the crash").exists()
    assert inbound.reply.body.startswith("Désolé, votre demande n'a pas pu etre traitée.")


@pytest.mark.parametrize("token", ["", "wrong", "s3cret-token-and-more"])
def test_a_wrong_token_is_refused_and_nothing_stored(client, commands, token):
    assert _sms(client, "PLAINTE x", token=token).status_code == 403
    assert not InboundMessage.objects.exists()
    assert calls == []


def test_missing_sender_is_a_bad_request(client, commands):
    assert _sms(client, "PLAINTE x", sender="").status_code == 400


def test_other_methods_are_not_allowed(client, commands):
    assert client.put("/sms/entrant?token=s3cret-token").status_code == 405


def test_registering_one_keyword_twice_is_refused(registry):
    from django.core.exceptions import ImproperlyConfigured

    @sms_command("CASIER")
    def first(phone, text):
        return ""

    with pytest.raises(ImproperlyConfigured):

        @sms_command("casier")
        def second(phone, text):
            return ""


def test_a_number_sending_too_many_sms_is_no_longer_answered(client, commands, settings):
    settings.SMS_INBOUND_PER_HOUR = 3
    for _ in range(4):
        _sms(client, "PLAINTE encore")
    assert len(calls) == 3
    last = InboundMessage.objects.order_by("id").last()
    assert last.error == "rate limited"
    assert last.reply is None
    assert Message.objects.count() == 3


def test_the_help_is_in_the_sender_preferred_language(client, commands, citizen):
    citizen.preferred_language = "ha"
    citizen.save()
    _sms(client, "sannu")
    assert InboundMessage.objects.get().reply.body.startswith("Guichet: ba a san wannan kalma ba.")


def test_simulate_sms_returns_the_reply(commands):
    from guichet.notifications.channels import simulate_sms

    assert simulate_sms("+22790123456", "PLAINTE eau") == "Plainte enregistrée : eau"
    assert calls == [("+22790123456", "eau")]


def test_every_app_channels_module_is_loaded_at_start_up():
    import importlib.util
    import sys

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("guichet.") and importlib.util.find_spec(
            f"{config.name}.channels"
        ):
            assert f"{config.name}.channels" in sys.modules, config.name
