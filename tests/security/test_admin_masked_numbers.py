"""Attack suite, issue 9: the notifications admin masks the recipient of a message about a
complaint whose identity is hidden (here, outside the notifications app, which may not import
complaints: guichet.notifications.admin reads the related object's `hide_identity`)."""

import pytest

from guichet.notifications.models import Message
from guichet.notifications.tests.test_admin import HIDDEN_NUMBER, _pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    from django.contrib.auth import get_user_model
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


def test_a_message_about_a_complaint_with_a_hidden_identity_hides_its_recipient(admin_client):
    from guichet.accounts.models import Organisation
    from guichet.complaints import services
    from guichet.complaints.models import Category, Complaint

    category = Category.objects.create(
        code="cadre-bruit",
        name="Bruit",
        group="Cadre de vie",
        organisation=Organisation.objects.get(code="MT-STU"),
    )
    hidden, shown = (
        services.file_complaint(
            category=category,
            description=description,
            channel=Complaint.Channel.WEB,
            address="Niamey",
            phone=phone,
            hide_identity=hide,
        ).complaint
        for description, phone, hide in (
            ("Bruit la nuit près du marché.", HIDDEN_NUMBER, True),
            ("Nid-de-poule devant l'école.", "+22790111000", False),
        )
    )
    about_hidden, about_shown = (
        Message.objects.create(channel="sms", recipient=c.phone, body="Reçue", related=c)
        for c in (hidden, shown)
    )
    pages = _pages(admin_client, "message", about_hidden)
    assert all(HIDDEN_NUMBER.encode() not in page.content for page in pages)
    assert b"+22790111000" in pages[0].content  # a message nobody hides keeps its recipient
    found = admin_client.get("/admin/notifications/message/", {"q": HIDDEN_NUMBER})
    assert found.context["cl"].result_count == 0
    found = admin_client.get("/admin/notifications/message/", {"q": "+22790111000"})
    assert about_shown in found.context["cl"].result_list  # with the filing's own SMS
