"""Payments through the CinetPay adapter against a local server that plays CinetPay, and the
development simulator: signed, idempotent, confirmed with the provider, reconciled."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from guichet.audit.models import AuditEntry
from guichet.payments import services
from guichet.payments.models import Payment, PaymentNotification
from guichet.payments.tests.fake_cinetpay import FakeCinetPay

NOTIFY = "/paiement/notification/cinetpay/"


@pytest.fixture
def cinetpay(settings):
    with FakeCinetPay() as fake:
        settings.PAYMENT_PROVIDER = "cinetpay"
        settings.CINETPAY = fake.settings()
        yield fake


def _start(**overrides):
    values = {
        "purpose": "test.fee",
        "subject": "T-1",
        "amount": 1150,
        "description": "Frais de test",
        "notify_url": "http://127.0.0.1:8105" + NOTIFY,
        "return_url": "/retour/",
    } | overrides
    return services.start_payment(**values)


def test_start_opens_the_payment_at_the_provider(db, cinetpay):
    payment = _start()
    path, body = cinetpay.requests[-1]
    assert path == "/v2/payment" and body["transaction_id"] == payment.reference
    assert body["amount"] == 1150 and body["currency"] == "XOF"
    assert body["channels"] == "MOBILE_MONEY"
    assert payment.payment_url.startswith(cinetpay.url + "/payment/")
    assert _start().pk == payment.pk  # asking again reuses it: never charged twice


def test_a_signed_callback_confirmed_by_the_provider_marks_paid(client, db, cinetpay):
    payment = _start()
    cinetpay.customer_pays(payment.reference)
    form, token = cinetpay.notification(payment.reference)
    response = client.post(NOTIFY, form, HTTP_X_TOKEN=token)
    payment.refresh_from_db()
    assert response.status_code == 200
    assert payment.status == Payment.Status.PAID
    assert payment.operator_reference == "MP261201.1000.A12345"
    assert cinetpay.requests[-1][0] == "/v2/payment/check"  # the content was asked back


def test_a_forged_callback_changes_nothing(client, db, cinetpay):
    payment = _start()
    cinetpay.customer_pays(payment.reference)
    form, _ = cinetpay.notification(payment.reference, secret="not-the-merchant-secret")
    _, good = cinetpay.notification(payment.reference)
    assert client.post(NOTIFY, form, HTTP_X_TOKEN="0" * 64).status_code == 403
    assert client.post(NOTIFY, form).status_code == 403  # no token at all
    tampered = dict(form, cpm_amount="5")
    assert client.post(NOTIFY, tampered, HTTP_X_TOKEN=good).status_code == 403
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert set(PaymentNotification.objects.values_list("outcome", flat=True)) == {"forged"}
    assert AuditEntry.objects.filter(action="payments.notification_forged").exists()


def test_a_callback_received_twice_changes_nothing(client, db, cinetpay):
    payment = _start()
    cinetpay.customer_pays(payment.reference)
    form, token = cinetpay.notification(payment.reference)
    assert client.post(NOTIFY, form, HTTP_X_TOKEN=token).status_code == 200
    checks = len(cinetpay.requests)
    assert client.post(NOTIFY, form, HTTP_X_TOKEN=token).status_code == 200
    assert len(cinetpay.requests) == checks  # recognised before even asking the provider
    assert PaymentNotification.objects.count() == 1
    assert AuditEntry.objects.filter(action="payments.paid").count() == 1


def test_a_valid_callback_is_not_believed_over_the_provider(client, db, cinetpay):
    payment = _start()
    form, token = cinetpay.notification(payment.reference)  # signed, but nobody paid
    assert client.post(NOTIFY, form, HTTP_X_TOKEN=token).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_a_smaller_amount_paid_is_a_mismatch_not_a_payment(client, db, cinetpay):
    payment = _start()
    cinetpay.customer_pays(payment.reference, amount=100)
    form, token = cinetpay.notification(payment.reference)
    client.post(NOTIFY, form, HTTP_X_TOKEN=token)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert PaymentNotification.objects.get().outcome == "mismatch"


def test_daily_reconciliation_catches_up_a_lost_callback_and_reports(db, cinetpay, capsys):
    paid_late = _start(subject="T-1")
    never_paid = _start(subject="T-2")
    refunded = _start(subject="T-3", amount=6500)
    cinetpay.customer_pays(paid_late.reference)
    cinetpay.customer_pays(refunded.reference)
    call_command("payments_report", "--date", timezone.localdate().isoformat())
    refunded.refresh_from_db()
    services.refund(actor=None, payment=refunded, reason="Double paiement")
    report = services.reconcile(timezone.localdate())
    assert report.paid == (1, 1150)
    assert report.unpaid == (1, 1150)
    assert report.refunded == (1, 6500)
    paid_late.refresh_from_db()
    never_paid.refresh_from_db()
    assert paid_late.status == "paid" and never_paid.status == "pending"
    out = capsys.readouterr().out
    assert (
        "payés            2          7650 F CFA" in out
        and "régularisés par vérification : 2" in out
    )
    entry = AuditEntry.objects.filter(action="payments.reconciled").latest("pk")
    assert entry.data["refunded"] == [1, 6500]


def test_reconciliation_runs_every_day(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["payments-daily-reconciliation"]
    assert entry["task"] == "payments.daily_reconciliation" and entry["schedule"] == 86400


def test_report_command_rejects_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("payments_report", "--date", "01/12/2026")


def test_simulator_pays_with_a_signed_callback(client, db, settings):
    settings.PAYMENT_PROVIDER = "simulator"
    payment = _start(return_url="/fini/")
    assert payment.payment_url == reverse("payments:simulator", args=[payment.reference])
    response = client.post(payment.payment_url, {"outcome": "paid"})
    assert response.status_code == 302 and response.url == "/fini/"
    payment.refresh_from_db()
    assert payment.status == "paid"
    forged = client.post(
        "/paiement/notification/simulator/",
        {"reference": payment.reference, "status": "paid"},
        HTTP_X_SIGNATURE="bad",
    )
    assert forged.status_code == 403


def test_simulator_is_off_in_production(client, db, settings):
    settings.PAYMENT_SIMULATOR_ENABLED = False
    settings.PAYMENT_PROVIDER = "simulator"
    payment = _start()
    assert client.get(payment.payment_url).status_code == 404


def test_unreachable_provider_is_a_clear_error(db, settings):
    from guichet.payments.providers import ProviderError

    settings.PAYMENT_PROVIDER = "cinetpay"
    settings.CINETPAY = {
        "api_url": "http://127.0.0.1:9",
        "site_id": "1",
        "api_key": "k",
        "secret_key": "s",
    }
    with pytest.raises(ProviderError):
        _start()
