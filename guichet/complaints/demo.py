"""Demo data: complaint categories for the five administrations, the Open311 key
"demo-open311-key" (DEBUG only) and a few complaints in several states."""

from django.conf import settings

from guichet.accounts.models import Organisation, Region, User
from guichet.complaints import services
from guichet.complaints.models import Category, Complaint, Open311Partner
from guichet.workflow import services as workflow

DEMO_OPEN311_KEY = "demo-open311-key"

# code, name, group, handling unit, working days, keywords, description
CATEGORIES = [
    (
        "sante-accueil",
        "Accueil dans un centre de santé",
        "Santé",
        "MSP-DQ",
        10,
        "CSI hôpital attente accueil",
        "Attente, fermeture, comportement du personnel.",
    ),
    (
        "sante-medicaments",
        "Médicaments",
        "Santé",
        "MSP-DQ",
        5,
        "pharmacie rupture médicament",
        "Rupture, prix, médicaments vendus au lieu d'être gratuits.",
    ),
    (
        "sante-frais",
        "Frais de soins",
        "Santé",
        "MSP-DQ",
        10,
        "frais gratuité facture",
        "Frais demandés pour des soins gratuits, factures.",
    ),
    (
        "transport-taxis",
        "Taxis et bus",
        "Transport",
        "MT-STU",
        10,
        "taxi bus tarif chauffeur",
        "Tarifs, refus de course, comportement des chauffeurs.",
    ),
    (
        "transport-permis",
        "Permis de conduire et cartes grises",
        "Transport",
        "MT-DTT",
        15,
        "permis carte grise",
        "Délais et frais de délivrance.",
    ),
    (
        "justice-lenteur",
        "Lenteur d'une procédure",
        "Justice",
        "MJ-SG",
        20,
        "tribunal procès délai",
        "Une affaire en justice qui n'avance pas.",
    ),
    (
        "justice-casier",
        "Casier judiciaire",
        "Justice",
        "MJ-DACG",
        10,
        "casier bulletin",
        "Délivrance du bulletin n° 3.",
    ),
    (
        "sgg-textes",
        "Accès aux textes officiels",
        "Secrétariat général du Gouvernement",
        "SGG-JO",
        10,
        "journal officiel loi décret",
        "Un texte introuvable ou illisible au Journal officiel.",
    ),
    (
        "autre",
        "Autre plainte (Médiateur de la République)",
        "Autre",
        "PRN-MED",
        15,
        "médiateur administration",
        "Toute autre difficulté avec une administration.",
    ),
]

# category, description, region, what happens after filing
COMPLAINTS = [
    (
        "sante-accueil",
        "Le CSI de Lazaret était fermé mardi à 10 h, une dizaine de malades attendaient dehors.",
        "NE-8",
        "answered",
    ),
    (
        "sante-medicaments",
        "Pas de paracétamol au CSI de Dan Goulbi depuis trois semaines.",
        "NE-4",
        "in_progress",
    ),
    (
        "sante-frais",
        "On m'a fait payer la consultation prénatale, qui est gratuite.",
        "NE-7",
        "closed",
    ),
    (
        "transport-taxis",
        "Le taxi a exigé 500 F au lieu de 300 F entre le Petit marché et Harobanda.",
        "NE-8",
        "received",
    ),
    (
        "justice-lenteur",
        "Mon affaire de terrain au TGI de Dosso est renvoyée depuis deux ans.",
        "NE-3",
        "assigned",
    ),
    ("autre", "La mairie ne délivre plus d'actes de naissance depuis un mois.", "NE-5", "rejected"),
]


def load(out) -> None:
    for code, name, group, org, days, keywords, description in CATEGORIES:
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "organisation": Organisation.objects.get(code=org),
                "response_days": days,
                "keywords": keywords,
                "description": description,
            },
        )
    out(f"Plaintes : {len(CATEGORIES)} catégories.")

    if (
        settings.DEBUG
        and not Open311Partner.objects.filter(
            key_hash=Open311Partner.hash_key(DEMO_OPEN311_KEY)
        ).exists()
    ):
        services.issue_open311_key("Démonstration Open311", key=DEMO_OPEN311_KEY)
    if settings.DEBUG:
        out(f"Open311 : clé de démonstration « {DEMO_OPEN311_KEY} » (/open311/v2/).")

    handler = User.objects.filter(username="demo.plaintes").first()
    for code, description, region_code, state in COMPLAINTS:
        if Complaint.objects.filter(description=description).exists():
            continue
        category = Category.objects.get(code=code)
        complaint = services.file_complaint(
            category=category,
            description=description,
            channel=Complaint.Channel.WEB,
            region=Region.objects.get(code=region_code),
            hide_identity=code == "justice-lenteur",
        ).complaint
        _advance(complaint, state, handler)
    for complaint in Complaint.objects.select_related("case", "category").order_by("created_at"):
        out(
            f"  {complaint.display_reference}  {complaint.case.get_status_display():<24} "
            f"{complaint.category.name}"
        )
    out(
        "Suivi : /plaintes/suivi/<référence>/ ; agents : demo.plaintes (Santé) sur /plaintes/agents/."
    )


def _advance(complaint: Complaint, state: str, handler) -> None:
    case = complaint.case
    actor = handler if handler and case.organisation.code.startswith("MSP") else None
    if state == "received":
        return
    if state == "rejected":
        workflow.reject(case, actor=actor, reason="Les actes d'état civil relèvent de la mairie.")
        return
    agent = actor if actor is not None else None
    workflow.assign(case, actor=actor, organisation=case.organisation, agent=agent)
    if state == "assigned":
        return
    workflow.start(case, actor=actor)
    workflow.add_note(case, actor=actor, text="Appeler le responsable du centre.")
    if state == "in_progress":
        return
    workflow.answer(
        case,
        actor=actor,
        public_text="Le responsable a été rappelé à l'ordre ; les horaires sont affichés.",
    )
    if state == "closed":
        services.citizen_confirm(complaint)
        services.rate_answer(complaint, 4, "Réponse rapide.")
