"""The signed extracts themselves: their PDF text is extracted (pypdf) and read as a holder would.

A life sentence, a death sentence, a 20-year réclusion and a revoked sursis each print correctly
on B1, B2 and B3; the PDF names its signer exactly, its rules version, its verification code in
groups of four and a link on settings.SITE_URL."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from guichet.accounts.models import Role
from guichet.criminal_records import (
    identification,
    rule_parameters,
    rules,
    services_requests,
    verification_codes,
)

D = dt.date.fromisoformat


def pdf_text(bulletin) -> str:
    bulletin.pdf.open("rb")
    reader = PdfReader(io.BytesIO(bulletin.pdf.read()))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"[ \t]+", " ", text)


@pytest.fixture
def issue(make_agent, citizen, png_upload):
    """issue(person, kind) → the IssuedBulletin, through the real request → issue flow."""
    clerk = make_agent("pdf.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    agents = {
        1: make_agent("pdf.juge", Role.JUDGE, "TGI-NIAMEY"),
        2: make_agent("pdf.admin", Role.ADMINISTRATION, "MSP-DRH"),
    }

    def make(person, kind):
        identity = {
            "last_name": person.last_name,
            "first_names": person.first_names,
            "sex": person.sex,
            "birth_date": dt.date(person.birth_year, person.birth_month, person.birth_day),
            "birth_year": None,
            "birth_commune": person.birth_commune,
            "birth_country": "",
            "father_name": person.father_name,
            "mother_name": person.mother_name,
        }
        if kind == 3:
            item = services_requests.submit_citizen_request(
                user=citizen,
                payment_method="fiscal_stamp",
                payment_reference="TF-2026-0001",
                identity_proof_kind="national_id",
                identity_document=png_upload(),
                **identity,
            )
            identification.link_person(actor=clerk, bulletin_request=item, person=person)
            services_requests.confirm_payment(actor=clerk, bulletin_request=item)
            identification.verify_identity(actor=clerk, bulletin_request=item)
        else:
            item = services_requests.submit_agent_request(
                user=agents[kind], kind=kind, reason="Dossier n° 2026/17", **identity
            )
            identification.link_person(actor=clerk, bulletin_request=item, person=person)
        return services_requests.issue_bulletin(actor=clerk, bulletin_request=item)

    return make


SENTENCES = [
    pytest.param(
        {"penalties": [{"kind": "life_imprisonment"}]},
        "réclusion criminelle à perpétuité",
        id="life",
    ),
    pytest.param({"penalties": [{"kind": "death"}]}, "peine de mort", id="death"),
    pytest.param(
        {"penalties": [{"kind": "criminal_imprisonment", "years": 20}]},
        "20 ans de réclusion criminelle",
        id="reclusion-20-years",
    ),
    pytest.param(
        {
            "offence": "vol",
            "prison": 1095,
            "suspended": True,
            "events": [("suspension_revoked", "2012-06-01")],
        },
        "3 ans d'emprisonnement avec sursis — sursis révoqué le 01/06/2012",
        id="revoked-sursis",
    ),
]


@pytest.mark.parametrize("kind", [1, 2, 3])
@pytest.mark.parametrize("sentence, printed", SENTENCES)
def test_the_sentence_prints_on_each_bulletin(
    kind, sentence, printed, make_person, convict, issue, settings
):
    settings.SITE_URL = "http://127.0.0.1:8104"
    person = make_person()
    convict(person, "2010-03-01", **({"offence": "meurtre"} | sentence))
    bulletin = issue(person, kind)
    text = pdf_text(bulletin)
    assert f"BULLETIN N°{kind}" in text
    assert "NÉANT" not in text
    assert printed in " ".join(text.split()), text
    # The signer as it is: the test authority, never « qualifiée ».
    assert "autorité de test" in text and "sans valeur légale" in text
    assert "qualifiée" not in text
    # The rules applied, by version.
    assert rules.rules_version_on(bulletin.issued_on) in text
    assert bulletin.rules_version == rules.rules_version_on(bulletin.issued_on)
    # The code in groups of four, and the link on the configured site (not port 8000).
    assert verification_codes.grouped(bulletin.code) in text
    assert "http://127.0.0.1:8104/casier/verifier/" in text
    assert ":8000" not in text


def test_a_clean_record_reads_neant(make_person, issue):
    text = pdf_text(issue(make_person(), 3))
    assert "NÉANT" in text


def test_the_rules_version_changes_with_the_parameters_in_force(db):
    before = rules.rules_version_on(D("2020-01-01"))
    values = rule_parameters.load_parameters(D("2020-01-01"))
    assert before == rule_parameters.rules_version(values)
    assert before != rule_parameters.rules_version(values | {"b3_prison_days": 365})
    assert before.startswith(f"R{rule_parameters.RULESET_REVISION}-")


def test_no_bulletin_while_a_penalty_has_no_legal_nature(make_person, convict, issue):
    from django.core.exceptions import ValidationError

    from guichet.criminal_records.models import Penalty

    person = make_person()
    conviction = convict(person, "2010-03-01", offence="meurtre")
    Penalty.objects.create(conviction=conviction, kind="other", description="RCP")
    with pytest.raises(ValidationError, match="qualifiez-la"):
        issue(person, 3)


@pytest.mark.parametrize("language", ["en", "ha", "dje"])
def test_the_extract_is_french_whatever_the_clerks_language(language, make_person, convict, issue):
    """The extract is the State's document, in French: issued by a clerk whose pages are in
    English, it read « Sexe Male » and its entries were stored in English."""
    from django.utils import translation

    person = make_person()
    convict(person, "2010-03-01", offence="meurtre", penalties=[{"kind": "life_imprisonment"}])
    with translation.override(language):
        bulletin = issue(person, 1)
    text = " ".join(pdf_text(bulletin).split())
    french_sex = {"M": "Masculin", "F": "Féminin"}[person.sex]
    assert f"Sexe {french_sex}" in text, text
    assert "réclusion criminelle à perpétuité" in text
    assert "réclusion criminelle à perpétuité" in str(bulletin.entries)
