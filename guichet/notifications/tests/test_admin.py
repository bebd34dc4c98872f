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
