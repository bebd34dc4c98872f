"""Demo organisations' agents: one per role, password "demo" (DEBUG only)."""

from django.contrib.auth.hashers import make_password

from guichet.accounts.models import Membership, Organisation, Role, User

DEMO_PASSWORD = "demo"

# username, first name, last name, role, organisation
DEMO_AGENTS = [
    ("demo.admin", "Aïchatou", "Issoufou", Role.PLATFORM_ADMIN, "PRN"),
    ("demo.courrier", "Moussa", "Abdou", Role.MAIL_CLERK, "SGG-BC"),
    ("demo.plaintes", "Hadiza", "Mahamadou", Role.COMPLAINTS_HANDLER, "MSP-DQ"),
    ("demo.greffier", "Ibrahim", "Souley", Role.COURT_CLERK, "TGI-NIAMEY"),
    ("demo.juge", "Mariama", "Hamani", Role.JUDGE, "TGI-NIAMEY"),
    ("demo.administration", "Ousmane", "Garba", Role.ADMINISTRATION, "MSP-DRH"),
    ("demo.transport", "Abdoulaye", "Seydou", Role.TRANSPORT_AGENT, "MT-DTT"),
    ("demo.sgg", "Fatouma", "Idrissa", Role.GAZETTE_EDITOR, "SGG-JO"),
    ("demo.chef", "Halima", "Oumarou", Role.HEAD_OF_SERVICE, "SGG"),
]


def create_agents(agents) -> dict[str, User]:
    """Demo agents (username, first name, last name, role, organisation), password "demo";
    running it twice changes nothing. Other apps' demos call it for their own agents."""
    # One Argon2 hash for every demo agent (each hash costs ~0.3 s).
    password_hash = None
    users = {}
    for username, first, last, role_code, org_code in agents:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "kind": User.Kind.AGENT,
                "email": f"{username}@demo.guichet.ne",
                "is_staff": role_code == Role.PLATFORM_ADMIN,
                "is_superuser": role_code == Role.PLATFORM_ADMIN,
            },
        )
        if created:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user.password = password_hash
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user,
            organisation=Organisation.objects.get(code=org_code),
            role=Role.objects.get(code=role_code),
        )
        users[username] = user
    return users


def load(out) -> None:
    create_agents(DEMO_AGENTS)
    out("Comptes de démonstration (mot de passe « demo ») :")
    for username, _first, _last, role_code, org_code in DEMO_AGENTS:
        role = Role.objects.get(code=role_code)
        out(f"  {username:<22} {role.name} — {org_code}")
    out("Citoyens : connexion par téléphone (+227…), le code SMS s'affiche dans la console.")
