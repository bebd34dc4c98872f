"""Reference data of the EIG programme, loaded by a data migration: the programme's roles, the
agency that runs it (ANSI) and the profiles it recruits."""

# code, name, requires_2fa, reads_criminal_records — as in guichet.accounts.reference.ROLES.
ROLES = [
    ("challenge_owner", "Porteur de défi (programme EIG)", False, False),
    # ANSI's staff see candidates' personal data and export it: second factor required.
    ("programme_manager", "Équipe du programme EIG (ANSI)", True, False),
    ("jury_member", "Membre du jury (programme EIG)", False, False),
]

# code, name, short name, kind, parent code, region code
ANSI = (
    "ANSI",
    "Agence nationale pour la société de l'information",
    "ANSI",
    "other",
    None,
    "NE-8",
)

# code, name
PROFILES = [
    ("developpeur", "Développeur·se"),
    ("designer", "Designer"),
    ("data-scientist", "Data scientist"),
    ("juriste-numerique", "Juriste du numérique"),
]


def load(Region, Role, Organisation, Profile) -> None:
    for code, name, requires_2fa, reads_records in ROLES:
        Role.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "requires_2fa": requires_2fa,
                "reads_criminal_records": reads_records,
            },
        )
    code, name, short_name, kind, _parent, region_code = ANSI
    org = Organisation.objects.filter(code=code).first() or Organisation(code=code)
    org.name, org.short_name, org.kind = name, short_name, kind
    org.region = Region.objects.filter(code=region_code).first()
    org.path = f"{code}/"  # a root unit (historical models do not run Organisation.save)
    org.save()
    for order, (code, name) in enumerate(PROFILES):
        Profile.objects.update_or_create(code=code, defaults={"name": name, "order": order})
