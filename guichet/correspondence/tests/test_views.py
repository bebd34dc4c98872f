import csv
import io

import pytest
from django.urls import reverse

from guichet.audit.models import AuditEntry
from guichet.correspondence import contacts, services
from guichet.correspondence.models import Contact, Mail
from guichet.correspondence.tests.conftest import EXE, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail(register, clerk):
    mail = register(files=[upload()])
    return mail


@pytest.fixture
def users(make_agent, clerk, head, citizen):
    return {
        "anonymous": None,
        "citizen": citizen,
        "handler": make_agent("handler", "complaints_handler", "SGG-BC"),
        "editor": make_agent("editor", "gazette_editor", "SGG-JO"),
        "other_org_clerk": make_agent("msp", "mail_clerk", "MSP-BC"),
        "clerk": clerk,
        "head": head,
    }


def urls(mail):
    pk = mail.pk
    attachment = mail.attachments.get().pk
    return {
        "home": ("get", reverse("correspondence:home"), "list"),
        "dashboard": ("get", reverse("correspondence:dashboard"), "list"),
        "register": ("get", reverse("correspondence:register"), "list"),
        "register_export": ("get", reverse("correspondence:register_export"), "list"),
        "contacts": ("get", reverse("correspondence:contacts"), "list"),
        "contact_new": ("get", reverse("correspondence:contact_new"), "list"),
        "detail": ("get", reverse("correspondence:detail", args=[pk]), "object"),
        "impute": ("get", reverse("correspondence:impute", args=[pk]), "object"),
        "attach": ("get", reverse("correspondence:attach", args=[pk]), "object"),
        "attachment": (
            "get",
            reverse("correspondence:attachment", args=[pk, attachment]),
            "object",
        ),
        "visa": ("get", reverse("correspondence:visa", args=[pk]), "object"),
        "dispatch": ("post", reverse("correspondence:dispatch", args=[pk]), "object"),
        "act": ("post", reverse("correspondence:act", args=[pk, "note"]), "object"),
    }


EXPECTED = {
    # role: (list pages, object pages)
    "anonymous": ("login", "login"),
    "citizen": (403, 403),
    "handler": (403, 403),
    "editor": (403, 403),
    "other_org_clerk": ("ok", 404),
    "clerk": ("ok", "ok"),
    "head": ("ok", "ok"),
}
URL_NAMES = [
    "home",
    "dashboard",
    "register",
    "register_export",
    "contacts",
    "contact_new",
    "detail",
    "impute",
    "attach",
    "attachment",
    "visa",
    "dispatch",
    "act",
]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_permission_matrix(client, mail, users, role):
    """Every URL for one role: anonymous → sign-in, no mail role → 403, another organisation's
    mail → 404, the unit's clerk and head → allowed."""
    if users[role] is not None:
        client.force_login(users[role])
    for name in URL_NAMES:
        method, url, scope = urls(mail)[name]
        response = getattr(client, method)(url)
        expected = EXPECTED[role][0 if scope == "list" else 1]
        where = f"{role} {method.upper()} {name}: {response.status_code}"
        if expected == "login":
            assert response.status_code == 302, where
            assert response["Location"].startswith(reverse("accounts:agent_login")), where
        elif expected == "ok":
            assert response.status_code in (200, 302), where
            if response.status_code == 302:
                assert "connexion" not in response["Location"], where
        else:
            assert response.status_code == expected, where


def test_agent_assigned_a_mail_gets_in_and_sees_only_it(
    client, register, clerk, make_agent, organisations
):
    agent = make_agent("agent", "transport_agent", "SGG-DAJ")  # no mail role
    routed, other = register(), register(subject="Autre")
    services.impute(routed, actor=clerk, organisation=organisations["SGG-DAJ"], agent=agent)
    client.force_login(agent)
    home = client.get(reverse("correspondence:home"))
    assert home.status_code == 200
    assert routed.reference in home.text and other.reference not in home.text
    assert client.get(reverse("correspondence:detail", args=[routed.pk])).status_code == 200
    assert client.get(reverse("correspondence:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("correspondence:register")).status_code == 403
    assert client.get(reverse("correspondence:impute", args=[routed.pk])).status_code == 403
    # …but may handle it
    response = client.post(reverse("correspondence:act", args=[routed.pk, "start"]))
    routed.case.refresh_from_db()
    assert response.status_code == 302 and routed.case.status == "in_progress"


def test_register_through_the_page(client, clerk, organisations):
    client.force_login(clerk)
    response = client.post(
        reverse("correspondence:register"),
        {
            "unit": organisations["SGG-BC"].pk,
            "direction": "A",
            "correspondent_name": "Ministère des Mines",
            "correspondent_organisation": "",
            "subject": "Transmission du rapport annuel",
            "mail_type": "report",
            "priority": "normal",
            "confidentiality": "normal",
            "received_on": "2026-11-02",
            "scan": upload("rapport.pdf"),
        },
    )
    mail = Mail.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/courrier/{mail.pk}/")
    assert mail.correspondent.name == "Ministère des Mines" and mail.attachments.count() == 1
    page = client.get(response["Location"])
    assert mail.reference in page.text and "rapport.pdf" in page.text


def test_register_page_refuses_an_executable_in_french(client, clerk, organisations):
    client.force_login(clerk)
    response = client.post(
        reverse("correspondence:register"),
        {
            "unit": organisations["SGG-BC"].pk,
            "direction": "A",
            "correspondent_name": "X",
            "subject": "Objet",
            "mail_type": "letter",
            "priority": "normal",
            "confidentiality": "normal",
            "scan": upload("scan.pdf", EXE),
        },
    )
    assert response.status_code == 200
    assert "programme exécutable" in response.text
    assert not Mail.objects.exists() and not Contact.objects.filter(name="X").exists()


def test_impute_through_the_page(client, mail, clerk, organisations, jurist, make_agent):
    make_agent("jo", "mail_clerk", "SGG-JO")  # the copy reaches somebody
    client.force_login(clerk)
    response = client.post(
        reverse("correspondence:impute", args=[mail.pk]),
        {
            "organisation": organisations["SGG-DAJ"].pk,
            "agent": jurist.pk,
            "instructions": "Pour avis",
            "copies": [organisations["SGG-JO"].pk],
            "due_days": 4,
        },
    )
    assert response.status_code == 302
    mail.case.refresh_from_db()
    assert mail.case.assigned_to == jurist and mail.case.status == "assigned"


def test_close_without_reason_shows_the_error(client, mail, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("correspondence:act", args=[mail.pk, "close"]), {"text": ""}, follow=True
    )
    assert "motif" in response.text
    mail.case.refresh_from_db()
    assert mail.case.status == "received"


def test_confidential_mail_asks_the_reason_then_audits_each_view(
    client, register, head, organisations
):
    secret = register(confidentiality="confidential", subject="Dossier sensible", actor=head)
    url = reverse("correspondence:detail", args=[secret.pk])
    client.force_login(head)
    first = client.get(url)
    assert "Motif de la consultation" in first.text and "Dossier sensible" not in first.text
    views_before = AuditEntry.objects.filter(action="correspondence.mail.viewed").count()
    client.post(url, {"reason": "Préparation du conseil des ministres"})
    page = client.get(url)
    assert "Dossier sensible" in page.text
    entries = AuditEntry.objects.filter(action="correspondence.mail.viewed")
    assert entries.count() == views_before + 2  # the reason given, then the view
    assert all(e.sensitive_read and e.reason for e in entries)
    assert entries.last().reason == "Préparation du conseil des ministres"


def test_confidential_mail_hidden_from_the_unit_clerk(client, register, head, clerk):
    secret = register(confidentiality="secret", subject="Très secret", actor=head)
    client.force_login(clerk)
    assert client.get(reverse("correspondence:detail", args=[secret.pk])).status_code == 404
    home = client.get(reverse("correspondence:home"))
    assert secret.reference not in home.text


def test_attachment_download(client, mail, clerk):
    client.force_login(clerk)
    item = mail.attachments.get()
    response = client.get(reverse("correspondence:attachment", args=[mail.pk, item.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_search_page_filters(client, register, clerk):
    register(subject="Budget de l'Etat")
    register(subject="Invitation")
    client.force_login(clerk)
    response = client.get(reverse("correspondence:home"), {"q": "budget"})
    assert "Budget" in response.text and "Invitation" not in response.text


def test_home_query_count_does_not_grow(client, register, clerk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(3):
        register(subject=f"n{i}")
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("correspondence:home"))
    for i in range(10):
        register(subject=f"m{i}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("correspondence:home"))
    assert response.text.count("/courrier/") > 13
    assert len(many) == len(few) <= 20


def test_register_export_csv_masks_confidential_subjects(
    client, register, clerk, head, organisations
):
    register(subject="Ordinaire")
    register(subject="Secret d'Etat", confidentiality="secret", actor=head)
    client.force_login(clerk)
    response = client.get(
        reverse("correspondence:register_export"),
        {
            "register": organisations["SGG"].pk,
            "start": "2026-01-01",
            "end": "2026-12-31",
            "format": "csv",
        },
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    assert [r[0][-6:] for r in rows[1:]] == ["000001", "000002"]
    assert "Secret d'Etat" not in response.content.decode()
    assert "(confidentiel)" in response.content.decode()


def test_register_export_pdf(client, register, clerk, organisations):
    register(subject="Demande de subvention — Zinder")
    client.force_login(clerk)
    response = client.get(
        reverse("correspondence:register_export"),
        {
            "register": organisations["SGG"].pk,
            "start": "2026-01-01",
            "end": "2026-12-31",
            "format": "pdf",
        },
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_register_export_of_another_administration_refused(client, clerk, organisations):
    client.force_login(clerk)
    response = client.get(
        reverse("correspondence:register_export"),
        {
            "register": organisations["MSP"].pk,
            "start": "2026-01-01",
            "end": "2026-12-31",
            "format": "csv",
        },
    )
    assert response.status_code == 200 and "text/html" in response["Content-Type"]


def test_visa_through_the_pages(client, register, clerk, jurist, head):
    incoming = register()
    draft = register(direction="D", in_reply_to=incoming)
    client.force_login(clerk)
    client.post(reverse("correspondence:visa", args=[draft.pk]), {"approver_1": jurist.pk})
    draft.refresh_from_db()
    assert draft.visa == "pending"
    client.force_login(jurist)
    client.post(
        reverse("correspondence:visa", args=[draft.pk]),
        {"decision": "approve", "comment": "Bon pour envoi"},
    )
    draft.refresh_from_db()
    assert draft.visa == "approved"
    client.force_login(clerk)
    client.post(reverse("correspondence:dispatch", args=[draft.pk]))
    incoming.case.refresh_from_db()
    assert incoming.case.status == "answered"


def test_contacts_duplicates_merge(client, clerk, contact):
    twin = contacts.create_contact(actor=clerk, name="IBRAHIM SOULEY")
    client.force_login(clerk)
    page = client.get(reverse("correspondence:contacts"))
    assert "Doublon possible" in page.text
    client.post(reverse("correspondence:contact_resolve", args=[twin.pk]), {"decision": "merge"})
    assert not Contact.objects.filter(pk=twin.pk).exists()


def test_dashboard_page(client, register, clerk):
    register()
    client.force_login(clerk)
    response = client.get(reverse("correspondence:dashboard"))
    assert response.status_code == 200 and "BC/SGG" in response.text


def test_clerk_registering_a_confidential_letter_hands_it_to_the_heads(
    client, clerk, head, organisations
):
    client.force_login(clerk)
    response = client.post(
        reverse("correspondence:register"),
        {
            "unit": organisations["SGG-BC"].pk,
            "direction": "A",
            "correspondent_name": "Cabinet",
            "subject": "Pli fermé",
            "mail_type": "letter",
            "priority": "normal",
            "confidentiality": "confidential",
        },
        follow=True,
    )
    mail = Mail.objects.get()
    assert response.status_code == 200 and "transmis au chef de service" in response.text
    assert mail.reference in response.text  # the number to write on the envelope
    assert f"/courrier/{mail.pk}/" not in response.text
    client.force_login(head)
    assert client.get(reverse("correspondence:impute", args=[mail.pk])).status_code == 200
