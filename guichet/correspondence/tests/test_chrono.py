"""The registre chrono as a ministry prints it (issue 14): one register per direction with its
columns, closed by « Arrêté le présent registre à N courriers, le … », checked page by page."""

import datetime as dt
import io

import pypdf
import pytest
from django.urls import reverse

from guichet.correspondence import chrono, selectors, services
from guichet.correspondence.models import Mail

YEAR = dt.date.today().year


def _pages(content: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def _export(client, organisations, **params):
    query = {"register": organisations["SGG"].pk, "start": f"{YEAR}-01-01", "format": "pdf"}
    query.update(params)
    response = client.get(reverse("correspondence:register_export"), query)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return _pages(response.content)


@pytest.fixture
def mails(register, head, organisations, jurist, clerk):
    incoming = [
        register(subject=f"Demande d'audience n° {i}", letter_reference=f"MM/{i}/2026")
        for i in range(3)
    ]
    services.impute(
        incoming[0],
        actor=clerk,
        organisation=organisations["SGG-DAJ"],
        instructions="Pour avis",
        copies=[organisations["SGG-BC"]],
    )
    register(subject="Enquête sur les marchés", confidentiality="secret", actor=head)
    reply = register(direction="D", subject="Réponse à la demande", in_reply_to=incoming[1])
    return {"incoming": incoming, "reply": reply}


def test_one_register_per_direction_each_closed_with_its_count(client, clerk, organisations, mails):
    # Failed before: one mixed register, no closing line, no imputation or deadline columns.
    client.force_login(clerk)
    pages = _export(client, organisations)
    assert len(pages) == 3
    arrivals, departures, internal = pages
    assert "Registre du courrier arrivée" in arrivals and "départ" not in arrivals.split("—")[0]
    for column in (
        "N° d'enregistrement",
        "Date d'arrivée",
        "Date et référence de la lettre",
        "Expéditeur",
        "Objet",
        "Échéance",
        "Imputation",
        "Observations",
    ):
        assert column in arrivals, column
    assert "Arrêté le présent registre à 4 courriers, le" in arrivals
    assert "Le chef du bureau du courrier" in arrivals
    assert "MM/0/2026" in arrivals, arrivals
    assert "Pour avis" not in arrivals  # instructions are in the mail's history, not the register
    assert "copie :" in arrivals, arrivals
    assert "Registre du courrier départ" in departures
    assert "Date de départ" in departures and "Destinataire" in departures
    assert "Arrêté le présent registre à 1 courrier, le" in departures
    assert "non expédié" in departures and "Reçu" not in departures
    assert "Registre du courrier interne" in internal
    assert "Arrêté le présent registre à 0 courrier, le" in internal


def test_confidential_subjects_are_masked_in_the_pdf(client, clerk, organisations, mails):
    client.force_login(clerk)
    arrivals = _export(client, organisations, direction="A")
    assert len(arrivals) == 1
    assert "Enquête sur les marchés" not in arrivals[0] and "(confidentiel)" in arrivals[0]


def test_a_long_register_runs_over_pages_and_closes_once(client, clerk, organisations, register):
    for i in range(60):
        register(subject=f"Courrier numéro {i:03d} " + "objet long " * 6)
    client.force_login(clerk)
    pages = _export(client, organisations, direction="A")
    assert len(pages) > 1
    assert all("Registre du courrier arrivée" in page for page in pages), pages
    # The column headings are repeated on every page that holds rows.
    assert all("Imputation" in page for page in pages if "Courrier numéro" in page), pages
    closing = [page for page in pages if "Arrêté le présent registre" in page]
    assert len(closing) == 1 and closing[0] == pages[-1]
    assert "Arrêté le présent registre à 60 courriers" in pages[-1]
    text = " ".join(pages)
    assert all(f"Courrier numéro {i:03d}" in text for i in range(60))


def test_closing_line_agrees_with_the_number():
    on = dt.date(2026, 12, 31)
    assert chrono.closing_line(1, on) == "Arrêté le présent registre à 1 courrier, le 31/12/2026."
    assert (
        chrono.closing_line(12, on) == "Arrêté le présent registre à 12 courriers, le 31/12/2026."
    )


def test_outgoing_statuses_mean_what_they_say(register, jurist, clerk, mails):
    # Failed before: an unsent outgoing letter read « Reçu ».
    reply = mails["reply"]
    assert reply.status_label == "En préparation"
    services.start_visa_circuit(reply, actor=clerk, approvers=[jurist])
    assert Mail.objects.get(pk=reply.pk).status_label == "En circuit de visa"
    services.approve_visa(reply, actor=jurist)
    assert Mail.objects.get(pk=reply.pk).status_label == "Visé, à expédier"
    services.dispatch(reply, actor=clerk)
    assert Mail.objects.get(pk=reply.pk).status_label.startswith("Expédié le ")


def test_visa_steps_are_named_in_the_mail_history(client, register, jurist, clerk, mails):
    # Failed before: each visa step read « Autre ».
    reply = mails["reply"]
    services.start_visa_circuit(reply, actor=clerk, approvers=[jurist])
    services.send_back_visa(reply, actor=jurist, reason="Revoir le deuxième paragraphe")
    labels = [event.label for event in selectors.history(reply)]
    assert "Envoi au circuit de visa" in labels and "Renvoi pour correction" in labels
    assert "Autre" not in labels
    client.force_login(clerk)
    page = client.get(reverse("correspondence:detail", args=[reply.pk])).text
    assert "Renvoi pour correction" in page and "<strong>Autre</strong>" not in page
