"""Demo register for TGI Niamey: spelling variants, convictions with events, one issued bulletin."""

import datetime as dt

from guichet.accounts.models import Commune, Organisation, User
from guichet.criminal_records import services
from guichet.criminal_records.models import (
    BulletinRequest,
    Conviction,
    CourtOffice,
    Offence,
    Person,
)

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
        persons[key] = services.create_person(
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
        item = services.record_conviction(
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
            services.add_event(
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
        item = services.submit_agent_request(
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
        services.link_person(actor=clerk, bulletin_request=item, person=person)
        bulletin = services.issue_bulletin(actor=clerk, bulletin_request=item)
        out(
            "Casier judiciaire : bulletin n°2 délivré, code de vérification "
            f"{bulletin.display_code}"
        )
    out(
        "Casier judiciaire : demo.greffier (TGI Niamey) instruit les demandes sur /casier/greffe/ ; "
        "demo.juge demande un bulletin n°1, demo.administration un n°2."
    )
