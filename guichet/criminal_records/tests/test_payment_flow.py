"""End to end: a citizen asks for bulletin n°3, pays by mobile money (CinetPay, played by a
local server), the provider's callback arrives (a forged one and a duplicate too), the clerk
verifies the identity and issues the signed PDF."""

import pytest
from django.urls import reverse

from guichet.accounts.models import Role
from guichet.audit.models import AuditEntry
from guichet.criminal_records.models import BulletinRequest
from guichet.payments.models import Payment, PaymentNotification
from guichet.payments.tests.fake_cinetpay import FakeCinetPay
from guichet.signing import verify_pdf

NOTIFY = "/paiement/notification/cinetpay/"


@pytest.fixture
def cinetpay(settings):
    with FakeCinetPay() as fake:
        settings.PAYMENT_PROVIDER = "cinetpay"
        settings.CINETPAY = fake.settings()
        yield fake


def test_request_pay_callback_clerk_signed_pdf(
    citizen_client, client, signed_in, cinetpay, make_person, niamey_commune, png_upload
):
    person = make_person()
    response = citizen_client.post(
        reverse("criminal_records:request_b3"),
        {
            "last_name": "Issoufou",
            "first_names": "Mahamadou",
            "sex": "M",
            "birth_date": "1980-05-12",
            "birth_commune": niamey_commune.pk,
            "father_name": "Issoufou Abdou",
            "mother_name": "Hadiza Moussa",
            "identity_proof_kind": "national_id",
            "identity_document": png_upload(),
            "payment_method": "mobile_money",
        },
    )
    item = BulletinRequest.objects.get()
    assert response.status_code == 302 and item.fee_amount == 1150
    page = citizen_client.get(response.url).content.decode()
    assert 'id="pay"' in page and "Payer 1150 F CFA" in page

    # Pay: off to the provider's page.
    response = citizen_client.post(reverse("criminal_records:pay_request", args=[item.reference]))
    payment = Payment.objects.get(subject=item.reference)
    assert response.status_code == 302 and response.url == payment.payment_url
    assert payment.amount == 1150 and cinetpay.requests[0][1]["notify_url"].endswith(NOTIFY)
    cinetpay.customer_pays(payment.reference)
    form, token = cinetpay.notification(payment.reference)

    # A forged callback: refused, nothing paid.
    assert client.post(NOTIFY, form, HTTP_X_TOKEN="f" * 64).status_code == 403
    item.refresh_from_db()
    assert not item.payment_checked

    # The genuine one, twice: paid once.
    assert client.post(NOTIFY, form, HTTP_X_TOKEN=token).status_code == 200
    assert client.post(NOTIFY, form, HTTP_X_TOKEN=token).status_code == 200
    item.refresh_from_db()
    assert item.payment_checked and item.payment_reference == "MP261201.1000.A12345"
    assert AuditEntry.objects.filter(action="criminal_records.request.paid_online").count() == 1
    assert PaymentNotification.objects.filter(outcome="applied").count() == 1
    assert (
        "Payer 1150"
        not in citizen_client.get(
            reverse("criminal_records:my_request", args=[item.reference])
        ).content.decode()
    )

    # The clerk: link, verify the identity document, issue.
    clerk = signed_in("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    url = reverse("criminal_records:clerk_request", args=[item.reference])
    clerk.post(url, {"action": "link", "person": person.pk})
    clerk.post(url, {"action": "verify_identity"})
    clerk.post(url, {"action": "issue"})
    item.refresh_from_db()
    assert item.status == BulletinRequest.Status.ISSUED
    pdf = citizen_client.get(reverse("criminal_records:bulletin_pdf", args=[item.bulletin.code]))
    data = b"".join(pdf.streaming_content)
    assert pdf.status_code == 200 and verify_pdf(data).authentic


def test_paying_at_the_counter_stays_possible(
    citizen_client, signed_in, niamey_commune, png_upload
):
    response = citizen_client.post(
        reverse("criminal_records:request_b3"),
        {
            "last_name": "Bako",
            "first_names": "Zeinabou",
            "sex": "F",
            "birth_year": 1990,
            "birth_commune": niamey_commune.pk,
            "identity_proof_kind": "passport",
            "identity_document": png_upload(),
            "payment_method": "counter",
        },
    )
    item = BulletinRequest.objects.get()
    page = citizen_client.get(response.url).content.decode()
    assert 'id="pay"' not in page and "au greffe" in page
    clerk = signed_in("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    clerk.post(
        reverse("criminal_records:clerk_request", args=[item.reference]), {"action": "payment"}
    )
    item.refresh_from_db()
    assert item.payment_checked
