from guichet.criminal_records.channels import request_status
from guichet.criminal_records.models import BulletinRequest
from guichet.notifications.channels import find_sms_command


def test_casier_keyword_is_registered():
    assert find_sms_command("casier") is not None


def test_status_by_sms_only_for_the_requesting_phone(citizen, organisations):
    item = BulletinRequest.objects.create(
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
    )
    reply = request_status(citizen.phone_number, f" {item.reference.lower()} ")
    assert item.reference in reply and "vérification" in reply
    assert "Aucune demande" in request_status("+22799999999", item.reference)
    assert "référence" in request_status(citizen.phone_number, "")
