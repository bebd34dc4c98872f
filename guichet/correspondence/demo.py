"""Demo mail for demo.courrier (bureau du courrier du SGG), in several states. Idempotent."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from fpdf import FPDF

from guichet.accounts.models import Organisation, User
from guichet.correspondence import contacts, services
from guichet.correspondence.models import Contact, Mail
from guichet.workflow import services as workflow


def _scan(title: str) -> SimpleUploadedFile:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, title.encode("latin-1", "replace").decode("latin-1"))
    return SimpleUploadedFile("scan.pdf", bytes(pdf.output()), content_type="application/pdf")


def load(out) -> None:
    clerk = User.objects.filter(username="demo.courrier").first()
    head = User.objects.filter(username="demo.chef").first()
    if clerk is None or head is None:
        out("correspondence: demo agents missing, skipped")
        return
    if Mail.objects.filter(registered_by=clerk, keywords__contains="démo").exists():
        out("correspondence: demo mail already loaded")
        return
    bc = Organisation.objects.get(code="SGG-BC")
    daj = Organisation.objects.get(code="SGG-DAJ")
    jo = Organisation.objects.get(code="SGG-JO")
    today = timezone.localdate()

    def contact(name, organisation="", **fields):
        found = Contact.objects.filter(name=name).first()
        return found or contacts.create_contact(
            actor=clerk, name=name, organisation_name=organisation, **fields
        )

    mairie = contact("Maire de Niamey", "Ville de Niamey", kind="organisation")
    ong = contact("Aïssa Moumouni", "ONG Eau pour tous", email="contact@eaupourtous.ne")
    contact("Aissa MOUMOUNI", phone="+227 90 55 44 33")  # flagged as a possible duplicate
    minister = contact("Ministre des Finances", "Ministère des Finances", kind="organisation")

    def register(**fields):
        values = {"actor": clerk, "unit": bc, "direction": "A", "keywords": "démo"}
        values.update(fields)
        return services.register_mail(**values)

    register(
        subject="Demande d'audience du Maire de Niamey",
        correspondent=mairie,
        letter_reference="N° 0123/VN/SG",
        letter_date=today - dt.timedelta(days=3),
        files=[_scan("Demande d'audience")],
    )
    routed = register(
        subject="Projet de décret portant statut des ONG — demande d'avis",
        correspondent=ong,
        mail_type="draft_text",
        priority="urgent",
        files=[_scan("Projet de décret")],
    )
    services.impute(
        routed,
        actor=clerk,
        organisation=daj,
        instructions="Pour étude et projet de réponse",
        copies=[jo],
        due_days=5,
    )
    late = register(
        subject="Rapport trimestriel d'exécution budgétaire",
        correspondent=minister,
        mail_type="report",
        received_on=today - dt.timedelta(days=40),
    )
    services.impute(late, actor=clerk, organisation=bc, agent=clerk, instructions="Pour suite")
    workflow.start(late.case, actor=clerk)

    answered = register(
        subject="Invitation à la cérémonie de lancement",
        correspondent=mairie,
        mail_type="invitation",
        received_on=today - dt.timedelta(days=6),
    )
    reply = register(
        direction="D",
        subject="Réponse : invitation à la cérémonie de lancement",
        correspondent=mairie,
        in_reply_to=answered,
    )
    services.dispatch(reply, actor=clerk)
    services.close_mail(answered, actor=clerk)

    draft = register(
        direction="D",
        subject="Transmission du décret portant statut des ONG",
        correspondent=ong,
        in_reply_to=routed,
    )
    services.start_visa_circuit(draft, actor=clerk, approvers=[head])

    secret = register(
        subject="Note confidentielle sur un contentieux",
        correspondent=minister,
        confidentiality="confidential",
    )
    services.impute(secret, actor=clerk, organisation=bc, agent=clerk)
    register(
        direction="I",
        subject="Note de service : permanences des fêtes",
        correspondent=None,
        other_unit=jo,
        mail_type="note",
    )
    out("correspondence: 8 demo mails registered for demo.courrier (SGG-BC)")
