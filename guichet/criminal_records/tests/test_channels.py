from guichet.criminal_records.channels import request_status
from guichet.criminal_records.models import BulletinRequest
from guichet.notifications.channels import find_sms_command


def _request(citizen, organisations, **fields) -> BulletinRequest:
    return BulletinRequest.objects.create(
        kind=3,
        court=organisations["TGI-NIAMEY"],
        requester=citizen,
        reason="perso",
        last_name="A",
        first_names="B",
        sex="M",
        birth_year=1980,
        birth_country="Mali",
        phone=citizen.phone_number,
        **fields,
    )


def test_casier_keyword_is_registered():
    assert find_sms_command("casier") is not None


def test_status_by_sms_only_for_the_requesting_phone(citizen, organisations):
    item = _request(citizen, organisations)
    reply = request_status(citizen.phone_number, f" {item.reference.lower()} ")
    assert item.reference in reply and "vérification" in reply
    assert "Aucune demande" in request_status("+22799999999", item.reference)
    assert "référence" in request_status(citizen.phone_number, "")


def test_sms_texts_name_only_pages_that_exist_and_say_only_what_is_true(citizen, organisations):
    """The issued-extract SMS and the CASIER reply pointed to « Mon espace > Casier judiciaire »,
    which does not exist, and the receipt said the fee was « vérifiés par le greffe » before
    anyone checked it. They now give the request's own page."""
    import re

    from django.test import Client

    from guichet.criminal_records.services_requests import _notify
    from guichet.notifications.models import Message

    item = _request(citizen, organisations, status=BulletinRequest.Status.ISSUED)
    _notify(item, "request_received")
    _notify(item, "bulletin_issued")
    texts = [m.body for m in Message.objects.filter(recipient=citizen.phone_number).order_by("pk")]
    texts.append(request_status(citizen.phone_number, item.reference))
    assert not any("Mon espace" in text or "vérifiés par le greffe" in text for text in texts)
    client = Client()
    client.force_login(citizen)
    for text in texts[1:]:
        [url] = re.findall(r"https?://\S+", text)
        path = "/" + url.split("//", 1)[1].split("/", 1)[1]
        assert client.get(path).status_code == 200, path


def test_the_reference_is_found_however_it_is_typed(citizen, organisations):
    """« CASIER CJ 70971BB3 » (a space for the dash, as the keypad makes easier) answered « Aucune
    demande CJ70971BB3 »; so did a letter O typed for the digit 0 (a reference holds only
    digits and A–F after CJ)."""
    item = _request(citizen, organisations, reference="CJ-70971B03")
    for typed in [
        "CJ-70971B03",
        "cj-70971b03",
        "CJ 70971B03",
        "CJ70971B03",
        "cj 7097 1b03",
        "CJ_70971B03.",
        "CJ-70971BO3",  # the letter O
        "70971B03",  # without its prefix
    ]:
        reply = request_status(citizen.phone_number, typed)
        assert reply.startswith(f"Demande {item.reference} "), typed
    assert "Aucune demande" in request_status(citizen.phone_number, "CJ-70971B04")
    assert "Aucune demande" in request_status(citizen.phone_number, "CJ-70971B0")
