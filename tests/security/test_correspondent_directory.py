"""Each ministry keeps its own correspondent directory (issue 9): the Health ministry's clerk saw
the SGG's contacts with their mail counts (one counting a confidential mail) and could merge an
SGG contact away."""

import pytest

from guichet.accounts.models import Organisation, Role
from guichet.correspondence import contacts, selectors, services
from guichet.correspondence.models import Contact

from .agents import agent, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sgg_clerk():
    return agent(Role.MAIL_CLERK, "SGG-BC", username="sgg-clerk")


@pytest.fixture
def health_clerk():
    return agent(Role.MAIL_CLERK, "MSP-BC", username="msp-clerk")


@pytest.fixture
def sgg_contacts(sgg_clerk):
    original = contacts.create_contact(actor=sgg_clerk, name="Mairie de Niamey")
    twin = contacts.create_contact(actor=sgg_clerk, name="MAIRIE DE NIAMEY")
    assert twin.possible_duplicate_of == original
    services.register_mail(
        actor=sgg_clerk,
        unit=Organisation.objects.get(code="SGG-BC"),
        direction="A",
        subject="Pli sous scellés",
        correspondent=original,
        confidentiality="confidential",
    )
    return original, twin


def test_a_contact_goes_in_the_directory_of_its_creators_ministry(sgg_contacts):
    original, _twin = sgg_contacts
    assert original.directory.code == "SGG"


def test_another_ministrys_clerk_does_not_see_the_sgg_contacts(sgg_contacts, health_clerk):
    page = signed_in(health_clerk).get("/courrier/correspondants/")
    assert page.status_code == 200
    assert "Mairie de Niamey" not in page.content.decode()
    assert not selectors.contacts_visible_to(health_clerk).exists()


def test_the_register_form_suggests_only_the_own_directory(sgg_contacts, health_clerk):
    page = signed_in(health_clerk).get("/courrier/enregistrer/")
    assert "Mairie de Niamey" not in page.content.decode()


def test_another_ministrys_clerk_cannot_merge_an_sgg_contact(sgg_contacts, health_clerk):
    original, twin = sgg_contacts
    response = signed_in(health_clerk).post(
        f"/courrier/correspondants/{twin.pk}/doublon/", {"decision": "merge"}
    )
    assert response.status_code == 404
    assert Contact.objects.filter(pk=twin.pk).exists()
    with pytest.raises(services.PermissionDenied):
        contacts.merge_contacts(actor=health_clerk, keep=original, duplicate=twin)


def test_mail_counts_leave_out_mails_the_reader_cannot_see(sgg_contacts, make_agent):
    # A clerk of another SGG unit shares the directory but not the sealed letter of SGG-BC.
    colleague = agent(Role.MAIL_CLERK, "SGG-DAJ", username="daj-clerk")
    original, _twin = sgg_contacts
    counted = selectors.contacts_visible_to(colleague).get(pk=original.pk)
    assert counted.mail_count == 0


def test_a_mail_cannot_name_a_correspondent_of_another_directory(sgg_contacts, health_clerk):
    original, _twin = sgg_contacts
    with pytest.raises(services.ValidationError) as refused:
        services.register_mail(
            actor=health_clerk,
            unit=Organisation.objects.get(code="MSP-BC"),
            direction="A",
            subject="Demande",
            correspondent=original,
        )
    assert "correspondent" in refused.value.message_dict


def test_the_same_name_in_two_directories_is_two_contacts(sgg_contacts, health_clerk):
    theirs = contacts.find_or_create_contact(actor=health_clerk, name="Mairie de Niamey")
    assert theirs.directory.code == "MSP"
    assert theirs.pk not in [contact.pk for contact in sgg_contacts]
    assert theirs.possible_duplicate_of is None
