"""Complaints by SMS and USSD, through the platform's gateway callbacks."""

import pytest

from guichet.complaints.models import Complaint
from guichet.notifications.models import Message
from guichet.workflow import services as workflow
from guichet.workflow.models import Case

pytestmark = pytest.mark.django_db
PHONE = "+22790123456"


def send_sms(client, text, sender="22790123456"):
    response = client.get(
        "/sms/entrant", {"from": sender, "to": "3535", "text": text, "token": "s3cret-token"}
    )
    assert response.status_code == 200
    return Message.objects.filter(recipient=PHONE).order_by("-pk").first().body


def test_plainte_by_sms_files_a_complaint_and_replies_with_the_reference(client, categories):
    reply = send_sms(client, "plainte Le médecin du CSI de Dar Es Salam demande de l'argent.")
    complaint = Complaint.objects.get()
    assert complaint.channel == "sms"
    assert complaint.phone == PHONE
    assert complaint.category.code == "autre"
    assert complaint.case.organisation.code == "PRN-MED"
    assert complaint.display_reference in reply
    # One SMS only: the reply carries the reference, no separate "received" notice.
    assert Message.objects.filter(recipient=PHONE).count() == 1


def test_plainte_sent_twice_is_linked(client, categories):
    send_sms(client, "PLAINTE Le bus 12 ne s'arrête plus à Harobanda.")
    reply = send_sms(client, "PLAINTE Le bus 12 ne s'arrête plus à Harobanda.")
    assert Complaint.objects.count() == 1
    assert "Plainte déjà re" in reply  # GSM-7 has no ç: the gateway text says "recue"


def test_plainte_without_text_explains_the_syntax(client, categories):
    assert "PLAINTE suivi de" in send_sms(client, "PLAINTE")
    assert Complaint.objects.count() == 0


def test_plainte_by_sms_is_rate_limited_per_phone(client, categories):
    for n in range(5):
        send_sms(client, f"PLAINTE Problème numéro {n} au guichet de la mairie.")
    reply = send_sms(client, "PLAINTE Encore un problème au guichet.")
    assert "Trop de demandes" in reply
    assert Complaint.objects.count() == 5


def test_suivi_by_sms_gives_the_status_and_each_change_is_texted(
    client, categories, handler, django_capture_on_commit_callbacks
):
    send_sms(client, "PLAINTE Le taxi m'a fait payer le double du tarif.")
    complaint = Complaint.objects.get()
    assert ": Recu." in send_sms(client, f"SUIVI {complaint.reference.lower()}")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.reject(complaint.case, actor=None, reason="Hors compétence du Médiateur.")
    last = Message.objects.filter(recipient=PHONE).order_by("-pk").first()
    assert last.template == "complaints/status_changed"
    assert "Rejeté" in last.body and "Hors compétence" in last.body
    assert "Référence inconnue" in send_sms(client, "SUIVI AAAAA-AAAAA")


class Ussd:
    def __init__(self, client, session_id="ATU-1"):
        self.client, self.session_id, self.answers = client, session_id, []

    def send(self, answer=None):
        if answer is not None:
            self.answers.append(answer)
        response = self.client.post(
            "/ussd?token=s3cret-token",
            {
                "sessionId": self.session_id,
                "serviceCode": "*353#",
                "phoneNumber": PHONE,
                "text": "*".join(self.answers),
            },
        )
        assert response.status_code == 200
        return response.content.decode()

    def choose(self, screen, label):
        for line in screen.splitlines():
            number, _dot, text = line.partition(". ")
            if text.strip() == label:
                return self.send(number.replace("CON ", "").strip())
        raise AssertionError(f"{label!r} not in {screen!r}")


def test_a_complaint_by_ussd_category_region_text_confirm(
    client, categories, django_capture_on_commit_callbacks
):
    ussd = Ussd(client)
    screen = ussd.choose(ussd.send(), "Déposer une plainte")
    assert screen.startswith("CON Plainte - domaine :")
    screen = ussd.choose(screen, "Santé")
    screen = ussd.choose(screen, "Médicaments")
    assert "Région" in screen
    screen = ussd.choose(screen, "Zinder")
    assert "Décrivez le problème" in screen
    # The aggregator keeps the refused answer in its text; the platform drops it.
    assert "Trop court" in ussd.send("mal")
    screen = ussd.send("Pas de paracétamol au CSI depuis un mois.")
    assert screen.startswith("CON Envoyer cette plainte ?")
    with django_capture_on_commit_callbacks(execute=True):
        screen = ussd.send("1")
    complaint = Complaint.objects.get()
    assert screen.startswith("END Plainte enregistrée.")
    assert complaint.display_reference in screen
    assert complaint.channel == "ussd"
    assert complaint.category.code == "sante-medicaments"
    assert complaint.region.name == "Zinder"
    assert complaint.case.status == Case.Status.RECEIVED
    # The reference arrives by SMS too.
    assert complaint.display_reference in Message.objects.get(recipient=PHONE).body


def test_a_ussd_complaint_can_be_cancelled(client, categories):
    ussd = Ussd(client)
    screen = ussd.choose(ussd.send(), "Déposer une plainte")
    screen = ussd.choose(ussd.choose(screen, "Transport"), "Taxis et bus")
    ussd.choose(screen, "Niamey")
    ussd.send("Le taxi a refusé de me prendre.")
    assert ussd.send("2") == "END Plainte annulée."
    assert Complaint.objects.count() == 0


def test_following_a_complaint_by_ussd(client, file):
    complaint = file()
    ussd = Ussd(client)
    screen = ussd.choose(ussd.send(), "Suivre ma plainte")
    assert "référence" in screen
    assert "Référence inconnue" in ussd.send("ZZZZZZZZZZ")
    screen = ussd.send(complaint.display_reference)
    assert screen.startswith("END ") and "Reçu" in screen
