"""Answering a confidential mail (?reponse_a=<id>) showed its subject without asking why and
without an audit entry (issue 9): it now goes through the same reason-and-audit gate as opening
the mail."""

import pytest

from guichet.accounts.models import Organisation, Role
from guichet.audit.models import AuditEntry
from guichet.correspondence import services

from .agents import agent, signed_in

pytestmark = pytest.mark.django_db

SUBJECT = "Enquête disciplinaire visant le directeur"


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sealed():
    clerk = agent(Role.MAIL_CLERK, "SGG-BC", username="sgg-clerk")
    return services.register_mail(
        actor=clerk,
        unit=Organisation.objects.get(code="SGG-BC"),
        direction="A",
        subject=SUBJECT,
        correspondent_name="Inspection générale",
        confidentiality="confidential",
    )


@pytest.fixture
def head():
    return signed_in(agent(Role.HEAD_OF_SERVICE, "SGG", username="sgg-head"))


def _views(mail):
    return AuditEntry.objects.filter(action="correspondence.mail.viewed", object_id=str(mail.pk))


def test_replying_to_a_confidential_mail_asks_the_reason_first(sealed, head):
    response = head.get(f"/courrier/enregistrer/?reponse_a={sealed.pk}")
    assert response.status_code == 200
    assert SUBJECT not in response.content.decode()
    assert 'name="reason"' in response.content.decode()
    assert not _views(sealed).exists()


def test_the_reason_is_audited_then_the_reply_form_is_prefilled(sealed, head):
    url = f"/courrier/enregistrer/?reponse_a={sealed.pk}"
    given = head.post(url, {"reason": "Préparer la réponse du SG"})
    assert given.status_code == 302 and given["Location"] == url
    assert _views(sealed).get().reason == "Préparer la réponse du SG"
    form = head.get(url)
    assert SUBJECT in form.content.decode()
    assert _views(sealed).count() == 2  # every view with the subject shown is audited


def test_an_ordinary_mail_is_answered_without_a_reason(head):
    clerk = agent(Role.MAIL_CLERK, "SGG-BC", username="sgg-clerk2")
    mail = services.register_mail(
        actor=clerk,
        unit=Organisation.objects.get(code="SGG-BC"),
        direction="A",
        subject="Invitation à un atelier",
        correspondent_name="PNUD",
    )
    response = head.get(f"/courrier/enregistrer/?reponse_a={mail.pk}")
    assert "Invitation à un atelier" in response.content.decode()
