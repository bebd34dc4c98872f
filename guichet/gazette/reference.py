"""Reference data: the authority codes found in the numbers of texts, with their periods of use.

Heads of state's codes follow Niger's regimes (constitutions of 1960, 1989, 1992, 1996, 1999, 2010,
the military councils of 1974, 1996, 1999, 2010 and 2023). The dates are those of the regimes'
changes; ministries' codes are given from the government that introduced the current spelling and
left open. Agents of the SGG complete and correct them in the admin (they are data, not code).
"""

import datetime

D = datetime.date

# code, name, kind, valid_from, valid_to
AUTHORITIES = [
    ("PCM", "Président du Conseil des ministres", "government", D(1958, 12, 18), D(1960, 11, 8)),
    ("PRN", "Président de la République", "head_of_state", D(1960, 11, 9), D(1974, 4, 15)),
    (
        "PCMS",
        "Président du Conseil militaire suprême",
        "council",
        D(1974, 4, 15),
        D(1989, 12, 23),
    ),
    ("PRN", "Président de la République", "head_of_state", D(1989, 12, 24), D(1996, 1, 26)),
    ("PCSN", "Président du Conseil de salut national", "council", D(1996, 1, 27), D(1996, 8, 6)),
    ("PRN", "Président de la République", "head_of_state", D(1996, 8, 7), D(1999, 4, 9)),
    (
        "PCRN",
        "Président du Conseil de réconciliation nationale",
        "council",
        D(1999, 4, 11),
        D(1999, 12, 21),
    ),
    ("PRN", "Président de la République", "head_of_state", D(1999, 12, 22), D(2010, 2, 17)),
    (
        "PCSRD",
        "Président du Conseil suprême pour la restauration de la démocratie",
        "council",
        D(2010, 2, 18),
        D(2011, 4, 6),
    ),
    (
        "CSRD",
        "Conseil suprême pour la restauration de la démocratie",
        "council",
        D(2010, 2, 18),
        D(2011, 4, 6),
    ),
    ("PRN", "Président de la République", "head_of_state", D(2011, 4, 7), D(2023, 7, 25)),
    (
        "PCNSP",
        "Président du Conseil national pour la sauvegarde de la patrie",
        "council",
        D(2023, 7, 26),
        None,
    ),
    (
        "CNSP",
        "Conseil national pour la sauvegarde de la patrie",
        "council",
        D(2023, 7, 26),
        None,
    ),
    ("PRN", "Président de la République", "head_of_state", D(2023, 7, 26), None),
    ("PM", "Premier ministre", "government", D(1983, 1, 24), None),
    ("SGG", "Secrétariat général du Gouvernement", "government", D(1960, 11, 9), None),
    ("MJ", "Ministère de la Justice", "ministry", D(1960, 11, 9), None),
    ("MF", "Ministère des Finances", "ministry", D(1960, 11, 9), None),
    ("MAE", "Ministère des Affaires étrangères", "ministry", D(1960, 11, 9), None),
    ("MDN", "Ministère de la Défense nationale", "ministry", D(1960, 11, 9), None),
    ("MSP", "Ministère de la Santé publique", "ministry", D(1960, 11, 9), None),
    ("MEN", "Ministère de l'Éducation nationale", "ministry", D(1960, 11, 9), None),
    ("MT", "Ministère des Transports", "ministry", D(1960, 11, 9), None),
    (
        "MISP",
        "Ministère de l'Intérieur, de la Sécurité publique, de la Décentralisation et des "
        "Affaires coutumières et religieuses",
        "ministry",
        D(2011, 4, 21),
        D(2021, 4, 7),
    ),
    (
        "MISP",
        "Ministère de l'Intérieur et de la Sécurité publique",
        "ministry",
        D(1999, 12, 30),
        D(2011, 4, 20),
    ),
    (
        "MISD",
        "Ministère de l'Intérieur, de la Sécurité publique et de la Décentralisation",
        "ministry",
        D(2021, 4, 8),
        None,
    ),
    ("MPT", "Ministère des Postes et Télécommunications", "ministry", D(1960, 11, 9), None),
    (
        "MCNTI",
        "Ministère de la Communication et des Nouvelles technologies de l'information",
        "ministry",
        D(2011, 4, 21),
        None,
    ),
]


def load_authorities(Authority) -> None:
    """Idempotent: used by the data migration and by the demo."""
    for code, name, kind, valid_from, valid_to in AUTHORITIES:
        Authority.objects.update_or_create(
            code=code,
            valid_from=valid_from,
            defaults={"name": name, "kind": kind, "valid_to": valid_to},
        )
