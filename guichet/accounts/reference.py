"""Reference data every deployment starts with: regions, main communes, roles, the programme's
administrations and the courts. Loaded by a data migration; an administrator maintains it after."""

# ISO 3166-2:NE codes.
REGIONS = [
    ("NE-1", "Agadez"),
    ("NE-2", "Diffa"),
    ("NE-3", "Dosso"),
    ("NE-4", "Maradi"),
    ("NE-5", "Tahoua"),
    ("NE-6", "Tillabéri"),
    ("NE-7", "Zinder"),
    ("NE-8", "Niamey"),
]

# The main urban communes of each region (Niger counts 266 communes; an administrator adds the rest).
COMMUNES = {
    "NE-1": ["Agadez", "Arlit", "Bilma", "Iférouane", "Ingall", "Tchirozérine"],
    "NE-2": ["Diffa", "Maïné-Soroa", "N'Guigmi", "Goudoumaria", "Bosso"],
    "NE-3": ["Dosso", "Birni N'Gaouré", "Dogondoutchi", "Gaya", "Loga", "Doutchi"],
    "NE-4": [
        "Maradi I",
        "Maradi II",
        "Maradi III",
        "Tessaoua",
        "Dakoro",
        "Madarounfa",
        "Mayahi",
        "Aguié",
        "Guidan Roumdji",
    ],
    "NE-5": [
        "Tahoua I",
        "Tahoua II",
        "Birni N'Konni",
        "Madaoua",
        "Bouza",
        "Illéla",
        "Keita",
        "Abalak",
        "Tchintabaraden",
    ],
    "NE-6": ["Tillabéri", "Téra", "Filingué", "Ouallam", "Kollo", "Say", "Torodi", "Ayorou"],
    "NE-7": [
        "Zinder I",
        "Zinder II",
        "Zinder III",
        "Zinder IV",
        "Zinder V",
        "Magaria",
        "Matamèye",
        "Mirriah",
        "Tanout",
        "Gouré",
    ],
    "NE-8": ["Niamey I", "Niamey II", "Niamey III", "Niamey IV", "Niamey V"],
}

# code, name, requires_2fa, reads_criminal_records
ROLES = [
    ("platform_admin", "Administrateur de la plateforme", True, False),
    ("mail_clerk", "Agent du bureau du courrier", False, False),
    ("complaints_handler", "Agent de traitement des plaintes", False, False),
    ("head_of_service", "Chef de service", False, False),
    ("court_clerk", "Greffier", True, True),
    ("judge", "Magistrat", True, True),
    ("administration", "Administration habilitée (bulletin n° 2)", True, True),
    ("transport_agent", "Agent de l'administration des transports", False, False),
    ("gazette_editor", "Agent du Journal officiel (SGG)", False, False),
]

# code, name, short name, kind, parent code, region code, court level
ORGANISATIONS = [
    ("PRN", "Présidence de la République", "PRN", "presidency", None, "NE-8", ""),
    (
        "PRN-CAB",
        "Cabinet du Président de la République",
        "CAB/PRN",
        "directorate",
        "PRN",
        "NE-8",
        "",
    ),
    ("PRN-SG", "Secrétariat général de la Présidence", "SG/PRN", "directorate", "PRN", "NE-8", ""),
    ("PRN-BC", "Bureau du courrier de la Présidence", "BC/PRN", "service", "PRN-SG", "NE-8", ""),
    (
        "PRN-MED",
        "Médiateur de la République — requêtes des citoyens",
        "MED",
        "service",
        "PRN",
        "NE-8",
        "",
    ),
    ("SGG", "Secrétariat général du Gouvernement", "SGG", "general_secretariat", None, "NE-8", ""),
    ("SGG-JO", "Direction du Journal officiel", "DJO", "directorate", "SGG", "NE-8", ""),
    ("SGG-DAJ", "Direction des affaires juridiques", "DAJ", "directorate", "SGG", "NE-8", ""),
    ("SGG-BC", "Bureau du courrier du SGG", "BC/SGG", "service", "SGG", "NE-8", ""),
    ("MJ", "Ministère de la Justice, Garde des Sceaux", "MJ", "ministry", None, "NE-8", ""),
    (
        "MJ-SG",
        "Secrétariat général du Ministère de la Justice",
        "SG/MJ",
        "directorate",
        "MJ",
        "NE-8",
        "",
    ),
    (
        "MJ-DACG",
        "Direction des affaires criminelles et des grâces",
        "DACG",
        "directorate",
        "MJ",
        "NE-8",
        "",
    ),
    (
        "MJ-BC",
        "Bureau du courrier du Ministère de la Justice",
        "BC/MJ",
        "service",
        "MJ-SG",
        "NE-8",
        "",
    ),
    ("CA-NIAMEY", "Cour d'appel de Niamey", "CA Niamey", "court", "MJ", "NE-8", "appeal"),
    ("CA-ZINDER", "Cour d'appel de Zinder", "CA Zinder", "court", "MJ", "NE-7", "appeal"),
    (
        "TGI-NIAMEY",
        "Tribunal de grande instance hors classe de Niamey",
        "TGI Niamey",
        "court",
        "CA-NIAMEY",
        "NE-8",
        "tgi",
    ),
    (
        "TGI-DOSSO",
        "Tribunal de grande instance de Dosso",
        "TGI Dosso",
        "court",
        "CA-NIAMEY",
        "NE-3",
        "tgi",
    ),
    (
        "TGI-TILLABERI",
        "Tribunal de grande instance de Tillabéri",
        "TGI Tillabéri",
        "court",
        "CA-NIAMEY",
        "NE-6",
        "tgi",
    ),
    (
        "TGI-TAHOUA",
        "Tribunal de grande instance de Tahoua",
        "TGI Tahoua",
        "court",
        "CA-NIAMEY",
        "NE-5",
        "tgi",
    ),
    (
        "TGI-ZINDER",
        "Tribunal de grande instance de Zinder",
        "TGI Zinder",
        "court",
        "CA-ZINDER",
        "NE-7",
        "tgi",
    ),
    (
        "TGI-MARADI",
        "Tribunal de grande instance de Maradi",
        "TGI Maradi",
        "court",
        "CA-ZINDER",
        "NE-4",
        "tgi",
    ),
    (
        "TGI-DIFFA",
        "Tribunal de grande instance de Diffa",
        "TGI Diffa",
        "court",
        "CA-ZINDER",
        "NE-2",
        "tgi",
    ),
    (
        "TGI-AGADEZ",
        "Tribunal de grande instance d'Agadez",
        "TGI Agadez",
        "court",
        "CA-ZINDER",
        "NE-1",
        "tgi",
    ),
    (
        "MSP",
        "Ministère de la Santé publique, de la Population et des Affaires sociales",
        "MSP/P/AS",
        "ministry",
        None,
        "NE-8",
        "",
    ),
    (
        "MSP-SG",
        "Secrétariat général du Ministère de la Santé publique",
        "SG/MSP",
        "directorate",
        "MSP",
        "NE-8",
        "",
    ),
    ("MSP-DRH", "Direction des ressources humaines", "DRH/MSP", "directorate", "MSP", "NE-8", ""),
    (
        "MSP-DQ",
        "Direction de la qualité des soins et des plaintes des usagers",
        "DQ/MSP",
        "directorate",
        "MSP",
        "NE-8",
        "",
    ),
    (
        "MSP-BC",
        "Bureau du courrier du Ministère de la Santé publique",
        "BC/MSP",
        "service",
        "MSP-SG",
        "NE-8",
        "",
    ),
    ("MT", "Ministère des Transports", "MT", "ministry", None, "NE-8", ""),
    (
        "MT-SG",
        "Secrétariat général du Ministère des Transports",
        "SG/MT",
        "directorate",
        "MT",
        "NE-8",
        "",
    ),
    ("MT-DTT", "Direction des transports terrestres", "DTT", "directorate", "MT", "NE-8", ""),
    ("MT-STU", "Service des transports urbains", "STU", "service", "MT-DTT", "NE-8", ""),
    (
        "MT-BC",
        "Bureau du courrier du Ministère des Transports",
        "BC/MT",
        "service",
        "MT-SG",
        "NE-8",
        "",
    ),
]


def load(Region, Commune, Role, Organisation) -> None:
    """Create or update the reference rows; safe to run again."""
    regions = {}
    for code, name in REGIONS:
        regions[code], _ = Region.objects.update_or_create(code=code, defaults={"name": name})
    for region_code, names in COMMUNES.items():
        for index, name in enumerate(names, start=1):
            Commune.objects.update_or_create(
                code=f"{region_code}-{index:02d}",
                defaults={"region": regions[region_code], "name": name},
            )
    for code, name, requires_2fa, reads_records in ROLES:
        Role.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "requires_2fa": requires_2fa,
                "reads_criminal_records": reads_records,
            },
        )
    organisations = {}
    for code, name, short, kind, parent, region, level in ORGANISATIONS:
        org = Organisation.objects.filter(code=code).first() or Organisation(code=code)
        org.name, org.short_name, org.kind, org.court_level = name, short, kind, level
        org.parent = organisations.get(parent)
        org.region = regions.get(region)
        # Historical models in migrations have no custom save(): keep the path right here too.
        org.path = (org.parent.path if org.parent else "") + f"{code}/"
        org.save()
        organisations[code] = org
