"""Demo data of the EIG programme: the first promotion, its call open, the five administrations'
challenges (the services this platform hosts), ANSI's team, a jury and a few applications."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from guichet.accounts.demo import create_agents
from guichet.accounts.models import Region, Role, User
from guichet.talents import services
from guichet.talents.models import (
    Application,
    Candidate,
    Challenge,
    Criterion,
    Profile,
    Promotion,
)

# username, first name, last name, role, organisation
AGENTS = [
    ("demo.eig.ansi", "Zeinabou", "Maïga", Role.PROGRAMME_MANAGER, "ANSI"),
    ("demo.eig.jury", "Amadou", "Boubacar", Role.JURY_MEMBER, "ANSI"),
    ("demo.eig.jury2", "Rakia", "Moussa", Role.JURY_MEMBER, "ANSI"),
    ("demo.eig.juryjustice", "Salissou", "Adamou", Role.JURY_MEMBER, "MJ"),
    ("demo.eig.prn", "Nafissa", "Ali", Role.CHALLENGE_OWNER, "PRN"),
    ("demo.eig.justice", "Issa", "Mamane", Role.CHALLENGE_OWNER, "MJ"),
    ("demo.eig.sgg", "Habsatou", "Sani", Role.CHALLENGE_OWNER, "SGG"),
    ("demo.eig.sante", "Oumarou", "Harouna", Role.CHALLENGE_OWNER, "MSP"),
    ("demo.eig.transports", "Balkissa", "Yacouba", Role.CHALLENGE_OWNER, "MT"),
]

# owner, title, problem, who suffers, data, impact, profiles, mentor, mentor title, location
CHALLENGES = [
    (
        "demo.eig.prn",
        "Que chaque courrier adressé à l'État reçoive sa réponse",
        "Les lettres adressées à la Présidence sont enregistrées à la main dans des registres "
        "papier ; on ne sait pas où en est un courrier ni qui doit y répondre.",
        "Les citoyens et les administrations qui écrivent à la Présidence, et les agents du bureau "
        "du courrier.",
        "Registres chrono papier depuis 2015, modèles de lettres, organigramme des services.",
        "Chaque courrier numéroté, imputé et suivi jusqu'à sa réponse, dans les délais.",
        ["developpeur", "designer"],
        "Mme Hadiza Abdou",
        "Cheffe du bureau du courrier",
        "Niamey, Présidence de la République",
    ),
    (
        "demo.eig.justice",
        "Le casier judiciaire numérique",
        "Obtenir un extrait de casier judiciaire demande de se rendre au tribunal de son lieu de "
        "naissance ; les fiches sont sur papier et les homonymes fréquents.",
        "Les candidats à un emploi, les Nigériens nés loin de leur lieu de résidence, les greffes.",
        "Fichier des fiches papier par tribunal, codes pénal et de procédure pénale.",
        "Un bulletin n° 3 juste, demandé en ligne et vérifiable par l'employeur.",
        ["developpeur", "data-scientist", "juriste-numerique"],
        "M. Abdourahamane Issa",
        "Directeur des affaires criminelles et des grâces",
        "Niamey, ministère de la Justice",
    ),
    (
        "demo.eig.sgg",
        "Le Journal officiel en ligne",
        "Les textes publiés au Journal officiel sont difficiles à trouver, à citer et à "
        "consolider après leurs modifications.",
        "Les juristes, les administrations, les entreprises et tout citoyen qui cherche la loi.",
        "Numéros du Journal officiel en PDF depuis 1960, fichier des textes du SGG.",
        "Chaque texte en ligne, recherchable, citable et vérifiable, à jour de ses modifications.",
        ["developpeur", "data-scientist", "juriste-numerique"],
        "Mme Mariama Garba",
        "Directrice du Journal officiel",
        "Niamey, Secrétariat général du Gouvernement",
    ),
    (
        "demo.eig.sante",
        "Écouter les usagers des centres de santé",
        "Les plaintes des usagers (attente, frais indus, ruptures de médicaments) se perdent ; "
        "le ministère ne sait pas où agir en premier.",
        "Les patients et leurs familles, les centres de santé intégrés, les districts sanitaires.",
        "Rapports d'inspection, annuaire des formations sanitaires.",
        "Une plainte déposée par SMS reçoit une réponse ; les problèmes récurrents sont visibles.",
        ["designer", "data-scientist"],
        "Dr Ramatou Souley",
        "Directrice de la qualité des soins",
        "Niamey, ministère de la Santé publique",
    ),
    (
        "demo.eig.transports",
        "Cartographier les minibus de Niamey",
        "Les minibus et taxis collectifs de Niamey n'ont ni horaires ni plan : impossible de "
        "planifier un trajet ou une politique de transport.",
        "Les voyageurs, les transporteurs, la ville de Niamey.",
        "Traces GPS à collecter, liste des gares routières, exemple des matatus de Nairobi.",
        "Le réseau informel publié en GTFS et un calculateur d'itinéraires par SMS.",
        ["developpeur", "data-scientist"],
        "M. Moussa Hamidou",
        "Directeur des transports terrestres",
        "Niamey, ministère des Transports",
    ),
]

CRITERIA = [
    (Criterion.Round.REVIEW, "Compréhension du défi", "3"),
    (Criterion.Round.REVIEW, "Compétences techniques", "3"),
    (Criterion.Round.REVIEW, "Motivation et engagement", "2"),
    (Criterion.Round.INTERVIEW, "Capacité à travailler avec l'administration", "2"),
    (Criterion.Round.INTERVIEW, "Démonstration technique", "3"),
]

# phone, name, region, sex, birth year, profiles, skills, choices (challenge index)
CANDIDATES = [
    (
        "+22796110001",
        "Aminatou Harouna",
        "NE-8",
        "F",
        1996,
        ["developpeur"],
        "Python, Django, PostgreSQL",
        [1, 2],
    ),
    (
        "+22796110002",
        "Souleymane Illa",
        "NE-4",
        "M",
        1993,
        ["data-scientist"],
        "R, Python, statistiques publiques",
        [2, 4],
    ),
    (
        "+22796110003",
        "Fati Abdoulaye",
        "NE-7",
        "F",
        1999,
        ["designer"],
        "Recherche utilisateur, Figma, accessibilité",
        [3, 0],
    ),
]

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def load(out) -> None:
    agents = create_agents(AGENTS)
    now = timezone.now()
    promotion, created = Promotion.objects.get_or_create(
        slug="promotion-2027",
        defaults={
            "name": "Promotion 2027",
            "description": "La première promotion EIG Niger : cinq défis, cinq administrations.",
            "call_opens_at": now - timedelta(days=10),
            "call_closes_at": now + timedelta(days=45),
            "interviews_from": (now + timedelta(days=55)).date(),
            "interviews_until": (now + timedelta(days=70)).date(),
            "starts_on": (now + timedelta(days=120)).date(),
            "ends_on": (now + timedelta(days=430)).date(),
        },
    )
    if created:
        for order, (round_, label, weight) in enumerate(CRITERIA):
            Criterion.objects.create(
                promotion=promotion, round=round_, label=label, weight=Decimal(weight), order=order
            )
    challenges = []
    for (
        owner,
        title,
        problem,
        who,
        data,
        impact,
        profiles,
        mentor,
        mentor_title,
        place,
    ) in CHALLENGES:
        challenge = Challenge.objects.filter(title=title).first()
        if challenge is None:
            user = agents[owner]
            challenge = services.draft_challenge(
                actor=user,
                organisation=user.memberships.get().organisation,
                profiles=Profile.objects.filter(code__in=profiles),
                title=title,
                problem=problem,
                who_suffers=who,
                data_and_systems=data,
                expected_impact=impact,
                mentor_name=mentor,
                mentor_title=mentor_title,
                location=place,
            )
            services.submit_challenge(challenge, actor=user)
            challenge = services.review_challenge(
                challenge,
                actor=agents["demo.eig.ansi"],
                decision="accept",
                reason="",
                promotion=promotion,
            )
        challenges.append(challenge)
    for phone, name, region, sex, year, profiles, skills, picks in CANDIDATES:
        user, _created = User.objects.get_or_create(
            username=phone, defaults={"phone_number": phone, "kind": User.Kind.CITIZEN}
        )
        if Candidate.objects.filter(user=user).exists():
            continue
        candidate = Candidate.objects.create(
            user=user,
            full_name=name,
            email=f"{phone[1:]}@demo.guichet.ne",
            email_verified_at=now,
            region=Region.objects.get(code=region),
            sex=sex,
            birth_year=year,
            skills=skills,
            availability="Disponible dès le début du programme",
        )
        candidate.profiles.set(Profile.objects.filter(code__in=profiles))
        candidate.cv.save("cv-demo.pdf", ContentFile(MINIMAL_PDF), save=True)
        application = services.save_application(
            candidate,
            promotion,
            [
                (
                    challenges[i],
                    "Ce défi correspond à ce que je sais faire et à ce qui me tient à cœur.",
                )
                for i in picks
            ],
        )
        # Sent without the confirmation SMS and e-mail: the demo's people are fictional.
        Application.objects.filter(pk=application.pk).update(
            status=Application.Status.SUBMITTED, submitted_at=now
        )
    out(
        "Programme EIG : Promotion 2027 ouverte, 5 défis ; ANSI demo.eig.ansi, jury demo.eig.jury, "
        "porteurs demo.eig.justice, demo.eig.sgg… (mot de passe « demo »)."
    )
