"""Demo register for TGI Niamey: spelling variants, convictions with events, one issued bulletin,
and a citizen whose identity the clerk verified, who sees who consulted their record."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from guichet.accounts.models import Commune, Organisation, User
from guichet.audit.actions import CriminalRecords as Actions
from guichet.audit.models import AuditEntry
from guichet.criminal_records import (
    identification,
    services,
    services_register,
    services_requests,
)
from guichet.criminal_records.models import (
    BulletinRequest,
    Conviction,
    CourtOffice,
    IdentityProof,
    Offence,
    Person,
)

# The demo citizen: Mahamadou Issoufou, signed in by phone (the SMS code shows in the console).
CITIZEN_PHONE = "+22790000110"
B1_REASON = "Démonstration : information judiciaire n° 2026/114, cabinet du juge d'instruction"
LOOKUP_REASON = "Démonstration : vérification d'une mention avant délivrance"

# A starting code table; the administrator maintains it (articles to be filled from the penal code).
OFFENCES = [
    ("VOL", "Vol", "delit"),
    ("VOL-AGG", "Vol aggravé", "crime"),
    ("ESCROQ", "Escroquerie", "delit"),
    ("ABUS-CONF", "Abus de confiance", "delit"),
    ("CBV", "Coups et blessures volontaires", "delit"),
    ("HOMICIDE-INV", "Homicide involontaire", "delit"),
    ("MEURTRE", "Meurtre", "crime"),
    ("DETOURN", "Détournement de deniers publics", "delit"),
    ("STUPEF", "Trafic de stupéfiants", "delit"),
    ("CONDUITE-SP", "Conduite sans permis", "contravention"),
    ("TAPAGE", "Tapage nocturne", "contravention"),
]

PERSONS = [
    # key, last name, first names, sex, (y, m, d), commune, father, mother, other spellings
    (
        "issoufou",
        "Issoufou",
        "Mahamadou",
        "M",
        (1985, 3, 14),
        "Niamey I",
        "Issoufou Garba",
        "Zeinabou Moussa",
        "ISSOUFOU Mamadou",
    ),
    (
        "souley",
        "Souley",
        "Abdoulaye",
        "M",
        (1979, None, None),
        "Niamey III",
        "Souley Hamani",
        "Aïchatou Idé",
        "",
    ),
    (
        "souley-bis",
        "Souleye",
        "Abdoulahi",
        "M",
        (1979, 7, 2),
        "Niamey III",
        "Souleye Hamani",
        "Aichatou Ide",
        "",
    ),
    (
        "garba",
        "Garba",
        "Ousmane",
        "M",
        (1990, 11, 30),
        "Niamey II",
        "Garba Issa",
        "Hawa Boubacar",
        "GARBA Usman",
    ),
    ("hamani", "Hamani", "Mariama", "F", (1995, 1, 8), "Niamey IV", "Hamani Djibo", "Fati Ali", ""),
]


def load(out) -> None:
    clerk = User.objects.filter(username="demo.greffier").first()
    if clerk is None:
        out("Casier judiciaire : agent demo.greffier absent, données de démonstration ignorées.")
        return
    for code, label, category in OFFENCES:
        Offence.objects.get_or_create(code=code, defaults={"label": label, "category": category})
    tgi = Organisation.objects.get(code="TGI-NIAMEY")
    CourtOffice.objects.get_or_create(
        court=tgi,
        defaults={
            "stamp_amount": 1000,
            "extra_amount": 150,
            "prosecutor_name": "M. le Procureur de la République (démonstration)",
            "chief_clerk_name": "Ibrahim Souley",
        },
    )
    CourtOffice.objects.get_or_create(
        court=Organisation.objects.get(code="CA-NIAMEY"),
        defaults={"stamp_amount": 5000, "extra_amount": 1500},
    )

    persons = {}
    for key, last, first, sex, (year, month, day), commune, father, mother, spellings in PERSONS:
        existing = Person.objects.filter(last_name=last, first_names=first, birth_year=year).first()
        if existing:
            persons[key] = existing
            continue
        persons[key] = services_register.create_person(
            actor=clerk,
            last_name=last,
            first_names=first,
            sex=sex,
            birth_year=year,
            birth_month=month,
            birth_day=day,
            birth_commune=Commune.objects.filter(name=commune).first()
            or Commune.objects.filter(region__code="NE-8").first(),
            father_name=father,
            mother_name=mother,
            other_spellings=spellings,
        )

    offences = {o.code: o for o in Offence.objects.all()}

    def conviction(person, decided, codes, penalties, events=()):
        date = dt.date.fromisoformat(decided)
        if Conviction.objects.filter(person=person, decision_date=date).exists():
            return
        item = services_register.record_conviction(
            actor=clerk,
            person=person,
            court=tgi,
            decision_date=date,
            decision_number=f"{date.year}/{person.pk:04d}",
            kind=Conviction.Kind.CONTRADICTORY,
            is_final=True,
            offences=[offences[c] for c in codes],
            penalties=penalties,
        )
        for kind, day, reference in events:
            services_register.add_event(
                actor=clerk,
                conviction=item,
                kind=kind,
                date=dt.date.fromisoformat(day),
                reference=reference,
            )

    conviction(
        persons["issoufou"],
        "2012-06-20",
        ["VOL-AGG"],
        [{"kind": "prison", "years": 3}],
        [("served", "2015-06-20", "Levée d'écrou")],
    )
    conviction(
        persons["issoufou"],
        "2018-02-05",
        ["CBV"],
        [
            {"kind": "prison", "months": 6, "suspended": True, "suspension_kind": "simple"},
            {"kind": "fine", "amount": 100000},
        ],
        [("paid", "2018-05-01", "Quittance 2018-331")],
    )
    conviction(
        persons["souley"],
        "2004-09-10",
        ["ESCROQ"],
        [{"kind": "fine", "amount": 250000}],
        [("paid", "2005-01-15", "Quittance 2005-12")],
    )
    conviction(
        persons["garba"],
        "2016-04-12",
        ["DETOURN"],
        [{"kind": "prison", "years": 1}],
        [("pardon", "2016-08-03", "Décret de grâce 2016-380/PRN")],
    )

    administration = User.objects.filter(username="demo.administration").first()
    reason = "Démonstration : recrutement au Ministère de la Santé publique"
    if administration and not BulletinRequest.objects.filter(reason=reason).exists():
        person = persons["issoufou"]
        item = services_requests.submit_agent_request(
            user=administration,
            kind=2,
            reason=reason,
            last_name="Issoufou",
            first_names="Mamadou",
            sex="M",
            birth_date=dt.date(1985, 3, 14),
            birth_year=None,
            birth_commune=person.birth_commune,
            birth_country="",
            father_name="Issoufou Garba",
        )
        identification.link_person(actor=clerk, bulletin_request=item, person=person)
        bulletin = services_requests.issue_bulletin(actor=clerk, bulletin_request=item)
        out(
            "Casier judiciaire : bulletin n°2 délivré, code de vérification "
            f"{bulletin.display_code}"
        )
    _verified_citizen(out, clerk, persons["issoufou"])
    out(
        "Casier judiciaire : demo.greffier (TGI Niamey) instruit les demandes sur /casier/greffe/ ; "
        "demo.juge demande un bulletin n°1, demo.administration un n°2."
    )


def _identity_scan() -> SimpleUploadedFile:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, "Carte nationale d'identite (demonstration) - ISSOUFOU Mahamadou")
    return SimpleUploadedFile("cni.pdf", bytes(pdf.output()), content_type="application/pdf")


def _verified_citizen(out, clerk, person) -> None:
    """The person of the B2 above asks for their own n°3 online; the clerk links it to the record
    and verifies the identity, so « Mes demandes » shows who consulted the record (issue 10):
    the administration's n°2 with its reason, a judge's n°1 (hidden while show_b1_consultations
    is 0, CPP art. 11), and the clerk's own look-up."""
    # As the citizen declares himself, and as the judge's request names him.
    identity = dict(
        last_name="Issoufou",
        first_names="Mahamadou",
        sex="M",
        birth_date=dt.date(1985, 3, 14),
        birth_year=None,
        birth_commune=person.birth_commune,
        birth_country="",
        father_name="Issoufou Garba",
    )
    citizen, _created = User.objects.get_or_create(
        username=CITIZEN_PHONE, defaults={"phone_number": CITIZEN_PHONE, "kind": User.Kind.CITIZEN}
    )
    if not BulletinRequest.objects.filter(requester=citizen, kind=3).exists():
        item = services_requests.submit_citizen_request(
            user=citizen,
            **identity,
            mother_name="Zeinabou Moussa",
            payment_method=BulletinRequest.PaymentMethod.COUNTER,
            identity_proof_kind=IdentityProof.NATIONAL_ID,
            identity_document=_identity_scan(),
        )
        identification.link_person(actor=clerk, bulletin_request=item, person=person)
        identification.verify_identity(actor=clerk, bulletin_request=item)
    judge = User.objects.filter(username="demo.juge").first()
    if judge and not BulletinRequest.objects.filter(reason=B1_REASON).exists():
        item = services_requests.submit_agent_request(
            user=judge,
            kind=1,
            reason=B1_REASON,
            **identity,
        )
        identification.link_person(actor=clerk, bulletin_request=item, person=person)
    if not AuditEntry.objects.filter(action=Actions.PERSON_VIEWED, reason=LOOKUP_REASON).exists():
        services.record_view(actor=clerk, target=person, reason=LOOKUP_REASON)
    out(
        f"Casier judiciaire : le citoyen {CITIZEN_PHONE} (identité vérifiée) voit qui a consulté "
        "sa fiche sur /casier/mes-demandes/."
    )
