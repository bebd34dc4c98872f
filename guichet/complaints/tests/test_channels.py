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


def test_suivi_alone_gives_the_status_of_the_phones_own_complaints(client, categories):
    """« SUIVI » without its reference answered « Référence inconnue » — to a citizen who has
    lost the SMS that held it. The phone that filed them is who the network says is texting,
    as for CASIER: it gets its own latest complaints, nobody else's."""
    assert "SUIVI suivi de la référence" in send_sms(client, "SUIVI")
    send_sms(client, "PLAINTE Le taxi m'a fait payer le double du tarif.")
    send_sms(client, "PLAINTE Le bus 12 ne s'arrête plus à Harobanda.")
    send_sms(client, "PLAINTE Autre problème", sender="22790999888")
    mine = list(Complaint.objects.filter(phone=PHONE).order_by("-pk"))
    reply = send_sms(client, "suivi")
    assert [c.display_reference for c in mine] == [
        ref for ref in reply.replace(",", " ").split() if ref in {c.display_reference for c in mine}
    ]
    other = Complaint.objects.exclude(phone=PHONE).get()
    assert other.display_reference not in reply


def test_suivi_finds_the_reference_followed_by_other_words(client, categories):
    send_sms(client, "PLAINTE Le taxi m'a fait payer le double du tarif.")
    complaint = Complaint.objects.get()
    assert ": Recu." in send_sms(client, f"SUIVI {complaint.display_reference} merci beaucoup")
    assert "Référence inconnue" in send_sms(client, f"SUIVI {complaint.display_reference[:5]} x")


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
    assert "a été rejetée." in last.body and "Hors compétence" in last.body
    assert "Rejeté" not in last.body and "«" not in last.body
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
    assert screen.startswith("CON Masquer mon numéro aux agents ?")
    assert "Répondez 1" in ussd.send("3")
    screen = ussd.send("2")
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
    assert complaint.hide_identity is False
    # The reference arrives by SMS too.
    assert complaint.display_reference in Message.objects.get(recipient=PHONE).body


def test_a_ussd_complaint_can_be_cancelled(client, categories):
    ussd = Ussd(client)
    screen = ussd.choose(ussd.send(), "Déposer une plainte")
    screen = ussd.choose(ussd.choose(screen, "Transport"), "Taxis et bus")
    ussd.choose(screen, "Niamey")
    ussd.send("Le taxi a refusé de me prendre.")
    ussd.send("1")
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


def test_ussd_offers_the_phones_own_complaints_to_follow(client, file):
    """The USSD menu asked for the 10-character reference only, like SMS « SUIVI » did, to a
    citizen who may have lost it; the phone's own complaints are now listed to choose from."""
    other = file(phone="+22790999888")
    mine = [file(phone=PHONE, description=f"Problème n° {n} au CSI de Lazaret.") for n in (1, 2)]
    ussd = Ussd(client)
    screen = ussd.choose(ussd.send(), "Suivre ma plainte")
    assert mine[1].display_reference in screen and mine[0].display_reference in screen
    assert other.display_reference not in screen
    assert screen.index(mine[1].display_reference) < screen.index(mine[0].display_reference)
    reply = ussd.choose(screen, mine[0].display_reference)
    assert reply.startswith("END ") and mine[0].display_reference in reply
    # A reference typed instead of a number still works.
    typed = Ussd(client, session_id="ATU-2")
    typed.choose(typed.send(), "Suivre ma plainte")
    assert "Reçu" in typed.send(other.display_reference)


@pytest.mark.parametrize(
    "text",
    [
        "PLAINTE MASQUE Le policier du poste de Say demande 2000 F.",
        "plainte masqué Le policier du poste de Say demande 2000 F.",
        "Plainte Masquée Le policier du poste de Say demande 2000 F.",
        "PLAINTÉ MASQUER Le policier du poste de Say demande 2000 F.",
        # Punctuation between the words, as typed on a basic phone.
        "Plainte: masqué, Le policier du poste de Say demande 2000 F.",
        "PLAINTE MASQUE:Le policier du poste de Say demande 2000 F.",
        "PLAINTE - MASQUE - Le policier du poste de Say demande 2000 F.",
    ],
)
def test_plainte_masque_hides_the_number_from_the_handlers(client, categories, text):
    reply = send_sms(client, text)
    complaint = Complaint.objects.get()
    assert complaint.hide_identity is True
    assert complaint.description == "Le policier du poste de Say demande 2000 F."
    assert complaint.phone == PHONE  # the platform still texts the complainant
    assert complaint.display_reference in reply


def test_plainte_without_masque_keeps_the_number_visible(client, categories):
    send_sms(client, "PLAINTE Le policier du poste de Say demande 2000 F.")
    assert Complaint.objects.get().hide_identity is False


def test_plainte_masque_alone_explains_the_syntax(client, categories):
    assert "PLAINTE MASQUE" in send_sms(client, "PLAINTE MASQUE")
    assert Complaint.objects.count() == 0


def _sign_in_admin(client, user):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    # The admin site asks for a verified second factor (guichet.accounts.admin_site).
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _ussd_complaint(client, hide: str) -> Complaint:
    ussd = Ussd(client)
    screen = ussd.choose(ussd.send(), "Déposer une plainte")
    screen = ussd.choose(ussd.choose(screen, "Transport"), "Taxis et bus")
    ussd.choose(screen, "Niamey")
    assert ussd.send("Le taxi a exigé le double du tarif.").startswith(
        "CON Masquer mon numéro aux agents ?\n1. Oui\n2. Non"
    )
    ussd.send(hide)
    assert ussd.send("1").startswith("END Plainte enregistrée.")
    return Complaint.objects.get()


def test_the_ussd_step_hides_the_number(client, categories):
    complaint = _ussd_complaint(client, "1")
    assert complaint.hide_identity is True
    assert complaint.phone == PHONE


def test_a_hidden_sms_number_appears_nowhere_for_handlers_but_replies_reach_it(
    client, categories, make_agent, admin_user, django_capture_on_commit_callbacks
):
    send_sms(client, "PLAINTE MASQUE Le taxi a exigé le double du tarif à Niamey.")
    complaint = Complaint.objects.get()
    agent = make_agent("agent.med", "complaints_handler", "PRN-MED")
    client.force_login(agent)
    local = PHONE.removeprefix("+227")
    pages = [
        client.get(f"/plaintes/agents/{complaint.pk}/"),
        client.get("/plaintes/agents/"),
        client.get("/plaintes/agents/export.csv"),
        client.get("/open311/v2/requests.json"),
        client.get(f"/open311/v2/requests/{complaint.public_id}.xml"),
    ]
    # Complaints are not in the admin at all (issue 9): nothing there can show the number.
    _sign_in_admin(client, admin_user)
    assert client.get(f"/admin/complaints/complaint/{complaint.pk}/change/").status_code == 404
    assert client.get("/admin/complaints/complaint/").status_code == 404
    for page in pages:
        assert page.status_code == 200, page
        body = page.content.decode()
        assert complaint.display_reference in body or complaint.public_id in body
        for spelling in (local, "90 12 34 56", "227" + local):
            assert spelling not in body, page.request["PATH_INFO"]
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.reject(complaint.case, actor=None, reason="Hors compétence du Médiateur.")
    last = Message.objects.filter(recipient=PHONE).order_by("-pk").first()
    assert last.template == "complaints/status_changed"


def test_suivi_gives_the_deadline_on_niamey_s_calendar(client, categories):
    """A deadline set by hand at 00:30 in Niamey is 23:30 UTC the day before: the SMS gave that
    UTC day."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    send_sms(client, "PLAINTE Le taxi m'a fait payer le double du tarif.")
    complaint = Complaint.objects.get()
    due = dt.datetime(2030, 1, 15, 0, 30, tzinfo=ZoneInfo("Africa/Niamey"))
    Case.objects.filter(pk=complaint.case_id).update(due_at=due, due_estimated=[])
    assert "avant le 15/01/2030" in send_sms(client, f"SUIVI {complaint.reference}")


# Before, only the French keywords were known: « KOKE … » (Hausa) or « KAATIYA … » (Zarma) got
# the French help and filed nothing, and a complaint by SMS was always followed in French, even
# for a citizen who had chosen Hausa. These tests failed before the fix.
@pytest.mark.parametrize(
    "keyword, language, words",
    [("KOKE", "ha", "An yi rajistar koke"), ("kaatiya", "dje", None)],
)
def test_a_complaint_in_a_national_language_is_answered_and_followed_in_it(
    client, categories, keyword, language, words
):
    from django.utils import translation

    reply = send_sms(client, f"{keyword} Ruwan famfo ya yanke tun makon jiya a Lazaret.")
    complaint = Complaint.objects.get()
    assert complaint.channel == "sms" and complaint.language == language
    assert complaint.display_reference in reply
    with translation.override(language):
        expected = translation.gettext(
            "Plainte enregistrée. Référence : %(reference)s. Gardez-la. "
            "Vous recevrez un SMS à chaque étape. Suivi : SUIVI %(reference)s"
        )
    assert expected.startswith(reply[:12]) and not reply.startswith("Plainte")
    if words:
        assert reply.startswith(words)


def test_the_help_in_hausa_names_the_hausa_keyword_and_not_the_zarma_one(client, categories):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(
        username="citoyen.ha", phone_number=PHONE, preferred_language="ha"
    )
    reply = send_sms(client, "sannu")
    assert "KOKE" in reply and "PLAINTE" in reply and "KAATIYA" not in reply
    # A French keyword from a citizen who chose Hausa: answered, and followed, in Hausa.
    send_sms(client, "PLAINTE Babu wutar lantarki a asibitin.")
    assert Complaint.objects.get().language == "ha"
