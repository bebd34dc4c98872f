"""Objects that belong to the Health ministry (MSP) only: no user of the attack suite works there,
so none of them may ever appear in an answer. Each carries MARKER in a field only its own scope
sees (a mail's subject, a correspondent's name, a complaint's description)."""

from guichet.accounts.models import Organisation, Role
from guichet.complaints import services as complaints
from guichet.complaints.models import Category, Complaint
from guichet.correspondence import contacts as correspondence_contacts
from guichet.correspondence import services as correspondence

from .agents import agent

MARKER = "ZQXJ-SECRET-DE-LA-SANTE"


def seed_foreign_scope() -> dict[str, list[str]]:
    """Create the Health ministry's objects; → their ids, by path converter, to try in URLs."""
    clerk = agent(Role.MAIL_CLERK, "MSP-BC", username="msp-clerk")
    contact = correspondence_contacts.create_contact(actor=clerk, name=f"{MARKER} correspondant")
    mail = correspondence.register_mail(
        actor=clerk,
        unit=Organisation.objects.get(code="MSP-BC"),
        direction="A",
        subject=f"{MARKER} objet confidentiel",
        correspondent=contact,
        confidentiality="confidential",
    )
    category = Category.objects.create(
        code="sante-crawler",
        name="Santé (attaque)",
        group="Santé",
        organisation=Organisation.objects.get(code="MSP-DQ"),
    )
    complaint = complaints.file_complaint(
        category=category,
        description=f"{MARKER} plainte",
        channel=Complaint.Channel.WEB,
        phone="+22790222222",
        first_name=MARKER,
    ).complaint
    return {"int": [str(mail.pk), str(contact.pk), str(complaint.pk)]}
