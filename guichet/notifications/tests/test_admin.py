"""The admin shows the exchanges with people read-only; failed messages can be sent again."""

import pytest
from django.contrib.auth import get_user_model

from guichet.notifications.models import InboundMessage, Message, UssdSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_superuser("root", "root@example.ne", "x" * 12)
    client.force_login(user)
    # The admin site asks for a verified second factor (guichet.accounts.admin_site).
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def rows():
    message = Message.objects.create(
        channel="sms", recipient="+22790123456", body="Bonjour", status=Message.Status.FAILED
    )
    inbound = InboundMessage.objects.create(sender="+22790123456", text="PLAINTE x", reply=message)
    session = UssdSession.objects.create(session_id="s1", phone_number="+22790123456")
    return message, inbound, session


@pytest.mark.parametrize("model", ["message", "inboundmessage", "ussdsession"])
def test_lists_and_details_are_shown_read_only(admin_client, rows, model):
    obj = {"message": rows[0], "inboundmessage": rows[1], "ussdsession": rows[2]}[model]
    assert admin_client.get(f"/admin/notifications/{model}/").status_code == 200
    detail = admin_client.get(f"/admin/notifications/{model}/{obj.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert admin_client.get(f"/admin/notifications/{model}/add/").status_code == 403


def test_send_again_action_requeues_failed_messages(
    admin_client, rows, django_capture_on_commit_callbacks
):
    message = rows[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/notifications/message/",
            {"action": "send_again", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED


def test_sign_in_codes_are_neither_shown_nor_searchable_in_the_admin(admin_client):
    code = Message.objects.create(
        channel="sms",
        recipient="+22790111222",
        template="accounts/sign_in_code",
        body="Guichet : votre code de connexion est 482913.",
    )
    inbound = InboundMessage.objects.create(
        sender="+22790111222", text="PLAINTE le chef du village me menace"
    )
    listing = admin_client.get("/admin/notifications/message/")
    detail = admin_client.get(f"/admin/notifications/message/{code.pk}/change/")
    assert b"482913" not in listing.content and b"482913" not in detail.content
    assert "masqué" in detail.content.decode()
    found = admin_client.get("/admin/notifications/message/", {"q": "482913"})
    assert found.context["cl"].result_count == 0
    inbound_pages = [
        admin_client.get("/admin/notifications/inboundmessage/"),
        admin_client.get(f"/admin/notifications/inboundmessage/{inbound.pk}/change/"),
    ]
    assert all(b"menace" not in page.content for page in inbound_pages)


def test_an_admin_bulk_action_leaves_an_audit_entry(
    admin_client, rows, django_capture_on_commit_callbacks
):
    from guichet.audit.models import AuditEntry

    message = rows[0]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/notifications/message/",
            {"action": "send_again", "_selected_action": [message.pk]},
        )
    entry = AuditEntry.objects.get(action="admin.action.run")  # accounts.audit_actions
    assert entry.actor.username == "root"
    assert entry.data == {
        "model": "notifications.message",
        "action": "send_again",
        "count": 1,
        "ids": [str(message.pk)],
    }


# An inbound SMS is a complaint filed or followed by text: its sender beside its time and keyword
# lets a platform administrator match a complaint whose identity is hidden with a phone number.
HIDDEN_NUMBER = "+22790555444"


def _pages(admin_client, model, obj):
    return [
        admin_client.get(f"/admin/notifications/{model}/"),
        admin_client.get(f"/admin/notifications/{model}/{obj.pk}/change/"),
    ]


def test_an_inbound_sms_sender_is_neither_shown_nor_searchable(admin_client):
    reply = Message.objects.create(
        channel="sms", recipient=HIDDEN_NUMBER, body="Plainte reçue", template="complaints/filed"
    )
    inbound = InboundMessage.objects.create(
        sender=HIDDEN_NUMBER, keyword="PLAINTE", text="PLAINTE bruit", reply=reply
    )
    pages = _pages(admin_client, "inboundmessage", inbound) + _pages(admin_client, "message", reply)
    assert all(page.status_code == 200 for page in pages)
    assert [HIDDEN_NUMBER.encode() in page.content for page in pages] == [False] * 4
    assert "PLAINTE" in pages[0].content.decode()  # what an operator follows stays
    for model in ("inboundmessage", "message"):
        found = admin_client.get(f"/admin/notifications/{model}/", {"q": HIDDEN_NUMBER[4:]})
        assert found.context["cl"].result_count == 0, model


# A USSD session is a complaint filed or followed from a handset, as an inbound SMS is: its
# number beside its time and menu would let an administrator match a hidden identity with a phone.
def test_a_ussd_session_number_and_answers_are_neither_shown_nor_searchable(admin_client):
    session = UssdSession.objects.create(
        session_id="ATUid_91",
        phone_number=HIDDEN_NUMBER,
        service_code="*311#",
        menu="plainte",
        inputs=["2", "Le chef du village me menace"],
        last_text="2*Le chef du village me menace",
        data={"description": "Le chef du village me menace"},
    )
    pages = _pages(admin_client, "ussdsession", session)
    assert [page.status_code for page in pages] == [200, 200]
    for page in pages:
        text = page.content.decode()
        assert HIDDEN_NUMBER not in text and HIDDEN_NUMBER[4:] not in text
        assert "chef du village" not in text
        assert "numéro masqué" in text
        assert "plainte" in text and "*311#" in text  # what an operator follows stays
    for term in (HIDDEN_NUMBER, HIDDEN_NUMBER[4:]):
        found = admin_client.get("/admin/notifications/ussdsession/", {"q": term})
        assert found.context["cl"].result_count == 0, term
    found = admin_client.get("/admin/notifications/ussdsession/", {"q": "ATUid_91"})
    assert found.context["cl"].result_count == 1  # the aggregator's session id still finds it
    assert HIDDEN_NUMBER not in str(session)  # what the admin's audit entry keeps of it
