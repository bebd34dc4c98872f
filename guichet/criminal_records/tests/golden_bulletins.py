"""The golden table of the criminal record: one person per row, what B1, B2 and B3 show for them
today and as of three earlier dates, and the article each row applies.

Each row is derived from the text it cites (rules.py and docs/criminal_records.md say which texts
are confirmed for Niger), with the default parameters (rule_parameters.PARAMETERS):
contravention recorded above 10 days or 50 000 F; B3 above two years of firm prison; sursis
simple non avenu after 5 years; rehabilitation by law 5 years after a fine, 10 after prison up to
6 months, 15 after prison up to 2 years; penal majority 18; non-final decisions on B1 only.

A row: `convictions` maps a label ("A", "B", …) to the convict() fixture's arguments (decision
date first); `expected` maps a date (or TODAY_KEY) to the labels shown on (B1, B2, B3), as a
string of labels (« AB » = A and B, « » = NÉANT). `texts` checks wording: (date, bulletin,
label) → a substring of that entry's penalties. The default person was born 12/05/1980.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TODAY = "2026-12-01"
TODAY_KEY = "today"

LIFE = {"kind": "life_imprisonment"}
DEATH = {"kind": "death"}


def reclusion(years):
    return {"kind": "criminal_imprisonment", "years": years}


def prison(years=None, months=None, days=None, **extra):
    return {"kind": "prison", "years": years, "months": months, "days": days, **extra}


@dataclass(frozen=True)
class Golden:
    id: str
    article: str
    convictions: dict
    expected: dict
    person: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)


NIGER = "CPP Niger art. 706-719"
B3_ART = "CPP fr. 1959 art. 777 (non confirmé)"
REHAB = "Réhabilitation de plein droit, CPP fr. 1959 art. 782 s. (non confirmé)"
SURSIS = "Loi du 26 mars 1891 art. 1 / CPP fr. 1959 art. 735 (non confirmé)"
SME = "CPP fr. 1959 art. 738 et 745 (sursis avec mise à l'épreuve, non confirmé)"
AMNESTY = "CPP fr. 1959 art. 769 (non confirmé)"
MINORS = "CPP fr. 1959 art. 775-1° et 777 (non confirmé)"
CRIMINAL = "CP Niger art. 1 et 13 s. (peines criminelles) ; CPP fr. 1959 art. 777"
CONTRAVENTION = f"{NIGER} (contraventions > 10 jours ou > 50 000 F) ; CPP fr. 1959 art. 775"

ROWS = [
    # --- What the record holds, and B3 (CPP Niger 706-719; CPP fr. 1959 art. 777) ---
    Golden(
        "delit-short-prison",
        f"{NIGER}: délit inscrit ; {B3_ART}: 2 mois ferme, pas au n°3",
        {"A": {"decided": "2010-03-01", "prison": 60}},
        {
            "2010-02-28": ("", "", ""),
            "2010-03-01": ("A", "A", ""),
            "2018-01-01": ("A", "A", ""),
            TODAY_KEY: ("A", "A", ""),
        },
    ),
    Golden(
        "b3-exactly-two-years",
        f"{B3_ART}: deux ans ferme exactement, pas au n°3",
        {"A": {"decided": "2012-01-01", "penalties": [prison(years=2)]}},
        {
            "2011-12-31": ("", "", ""),
            "2012-01-01": ("A", "A", ""),
            "2016-01-01": ("A", "A", ""),
            TODAY_KEY: ("A", "A", ""),
        },
    ),
    Golden(
        "b3-two-years-and-a-day",
        f"{B3_ART}: plus de deux ans ferme, au n°3",
        {"A": {"decided": "2012-01-01", "penalties": [prison(years=2, days=1)]}},
        {
            "2011-12-31": ("", "", ""),
            "2012-01-01": ("A", "A", "A"),
            "2016-01-01": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
        texts={(TODAY_KEY, 3, "A"): "2 ans et 1 jour d'emprisonnement"},
    ),
    # Lengths are laid on the calendar « de date à date »: twelve months are a year, never 360 days.
    Golden(
        "b3-twenty-four-months-is-two-years",
        f"{B3_ART}: 24 mois ferme, soit deux ans exactement, pas au n°3",
        {"A": {"decided": "2012-01-01", "penalties": [prison(months=24)]}},
        {
            "2011-12-31": ("", "", ""),
            "2012-01-01": ("A", "A", ""),
            "2016-01-01": ("A", "A", ""),
            TODAY_KEY: ("A", "A", ""),
        },
    ),
    Golden(
        "b3-twenty-four-months-and-five-days",
        f"{B3_ART}: 24 mois et 5 jours ferme, plus de deux ans, au n°3",
        {"A": {"decided": "2012-01-01", "penalties": [prison(months=24, days=5)]}},
        {
            "2011-12-31": ("", "", ""),
            "2012-01-01": ("A", "A", "A"),
            "2016-01-01": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
        texts={(TODAY_KEY, 3, "A"): "24 mois et 5 jours d'emprisonnement"},
    ),
    Golden(
        "b3-mention-ordered",
        f"{B3_ART}: mention au n°3 ordonnée par la juridiction",
        {"A": {"decided": "2012-01-01", "penalties": [prison(months=6)], "b3_ordered": True}},
        {
            "2011-12-31": ("", "", ""),
            "2012-01-01": ("A", "A", "A"),
            "2020-01-01": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
    ),
    Golden(
        "long-prison-never-rehabilitated-by-law",
        f"{B3_ART} ; {REHAB}: au-delà de deux ans, réhabilitation judiciaire seulement",
        {
            "A": {
                "decided": "2000-02-01",
                "penalties": [prison(years=3)],
                "events": [("served", "2003-02-01")],
            }
        },
        {
            "2000-01-31": ("", "", ""),
            "2000-02-01": ("A", "A", "A"),
            "2020-01-01": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
    ),
    Golden(
        "several-penalties",
        f"{B3_ART}: emprisonnement, amende et confiscation, chacune imprimée",
        {
            "A": {
                "decided": "2015-06-01",
                "fine": 500_000,
                "penalties": [
                    prison(years=4),
                    {"kind": "complementary", "subkind": "confiscation", "description": "véhicule"},
                ],
            }
        },
        {
            "2015-05-31": ("", "", ""),
            "2015-06-01": ("A", "A", "A"),
            "2020-01-01": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
        texts={(TODAY_KEY, 3, "A"): "confiscation : véhicule"},
    ),
    # --- Rehabilitation by law (REHAB) and by decision ---
    Golden(
        "rehabilitation-short-prison",
        f"{REHAB}: emprisonnement ≤ 6 mois exécuté + 10 ans",
        {"A": {"decided": "2010-03-01", "prison": 90, "events": [("served", "2010-06-01")]}},
        {
            "2010-03-01": ("A", "A", ""),
            "2020-05-31": ("A", "A", ""),
            "2020-06-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
        texts={(TODAY_KEY, 1, "A"): "3 mois d'emprisonnement"},
    ),
    Golden(
        "rehabilitation-medium-prison",
        f"{REHAB}: emprisonnement ≤ 2 ans exécuté + 15 ans",
        {
            "A": {
                "decided": "2005-01-10",
                "penalties": [prison(years=1, months=6)],
                "events": [("served", "2006-07-10")],
            }
        },
        {
            "2006-01-01": ("A", "A", ""),
            "2021-07-09": ("A", "A", ""),
            "2021-07-10": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    Golden(
        "rehabilitation-twenty-four-months-and-eight-days",
        f"{REHAB}: plus de deux ans ferme (24 mois et 8 jours), réhabilitation judiciaire seulement",
        {
            "A": {
                "decided": "2000-02-01",
                "penalties": [prison(months=24, days=8)],
                "events": [("served", "2002-02-09")],
            }
        },
        {
            "2000-01-31": ("", "", ""),
            "2002-02-09": ("A", "A", "A"),
            "2017-02-09": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
    ),
    Golden(
        "rehabilitation-fine",
        f"{REHAB}: amende payée + 5 ans",
        {"A": {"decided": "2010-03-01", "fine": 100_000, "events": [("paid", "2011-01-01")]}},
        {
            "2010-03-01": ("A", "A", ""),
            "2015-12-31": ("A", "A", ""),
            "2016-01-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    Golden(
        "fine-never-paid",
        f"{REHAB}: sans exécution, pas de délai",
        {"A": {"decided": "2010-03-01", "fine": 100_000}},
        {
            "2010-03-01": ("A", "A", ""),
            "2016-01-01": ("A", "A", ""),
            "2022-01-01": ("A", "A", ""),
            TODAY_KEY: ("A", "A", ""),
        },
    ),
    Golden(
        "rehabilitation-community-service",
        f"{REHAB}: travail d'intérêt général exécuté + 5 ans",
        {
            "A": {
                "decided": "2010-03-01",
                "penalties": [{"kind": "community_service", "hours": 120}],
                "events": [("served", "2011-01-01")],
            }
        },
        {
            "2010-03-01": ("A", "A", ""),
            "2015-12-31": ("A", "A", ""),
            "2016-01-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    Golden(
        "rehabilitation-recorded-by-the-clerk",
        f"{REHAB}: réhabilitation de plein droit constatée et inscrite",
        {
            "A": {
                "decided": "2010-03-01",
                "fine": 80_000,
                "events": [("rehabilitation_legal", "2018-01-01")],
            }
        },
        {
            "2010-03-01": ("A", "A", ""),
            "2017-12-31": ("A", "A", ""),
            "2018-01-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    Golden(
        "rehabilitation-judicial",
        "Réhabilitation judiciaire (CPP fr. 1959 art. 785 s., non confirmé): n°1 seulement",
        {
            "A": {
                "decided": "2000-02-01",
                "penalties": [prison(years=3)],
                "events": [("served", "2003-02-01"), ("rehabilitation_judicial", "2010-05-01")],
            }
        },
        {
            "2005-01-01": ("A", "A", "A"),
            "2010-04-30": ("A", "A", "A"),
            "2010-05-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
        texts={(TODAY_KEY, 1, "A"): "3 ans d'emprisonnement"},
    ),
    Golden(
        "pardon-counts-as-execution",
        f"{REHAB}: la grâce vaut exécution",
        {"A": {"decided": "2010-03-01", "prison": 100, "events": [("pardon", "2010-06-01")]}},
        {
            "2010-06-01": ("A", "A", ""),
            "2020-05-31": ("A", "A", ""),
            "2020-06-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    # --- Later convictions of each kind during a rehabilitation delay ---
    Golden(
        "rehabilitation-stopped-by-later-prison",
        f"{REHAB}: « aucune condamnation nouvelle à l'emprisonnement » — un sursis compte",
        {
            "A": {"decided": "2010-03-01", "fine": 100_000, "events": [("paid", "2011-01-01")]},
            "B": {"decided": "2013-01-01", "prison": 30, "suspended": True},
        },
        {
            "2011-06-01": ("A", "A", ""),
            "2016-01-01": ("AB", "AB", ""),
            "2018-01-01": ("AB", "A", ""),
            TODAY_KEY: ("AB", "A", ""),
        },
    ),
    Golden(
        "rehabilitation-not-stopped-by-later-fine",
        f"{REHAB}: une amende n'est pas « l'emprisonnement ou une peine plus grave »",
        {
            "A": {"decided": "2010-03-01", "fine": 100_000, "events": [("paid", "2011-01-01")]},
            "B": {"decided": "2013-01-01", "fine": 20_000},
        },
        {
            "2013-01-01": ("AB", "AB", ""),
            "2015-12-31": ("AB", "AB", ""),
            "2016-01-01": ("AB", "B", ""),
            TODAY_KEY: ("AB", "B", ""),
        },
    ),
    Golden(
        "rehabilitation-not-stopped-by-unrecorded-contravention",
        f"{REHAB} ; {NIGER}: une contravention hors casier n'interrompt rien",
        {
            "A": {"decided": "2010-03-01", "fine": 100_000, "events": [("paid", "2011-01-01")]},
            "B": {"decided": "2013-01-01", "offence": "tapage", "prison": 5},
        },
        {
            "2013-06-01": ("A", "A", ""),
            "2015-12-31": ("A", "A", ""),
            "2016-01-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    Golden(
        "rehabilitation-not-stopped-by-amnestied-conviction",
        f"{REHAB} ; {AMNESTY}: la condamnation amnistiée est effacée",
        {
            "A": {"decided": "2010-03-01", "fine": 100_000, "events": [("paid", "2011-01-01")]},
            "B": {"decided": "2013-01-01", "prison": 60, "events": [("amnesty", "2014-01-01")]},
        },
        {
            "2013-06-01": ("AB", "AB", ""),
            "2014-01-01": ("A", "A", ""),
            "2016-01-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    Golden(
        "rehabilitation-stopped-by-later-crime",
        f"{REHAB} ; {CRIMINAL}: une peine criminelle ultérieure",
        {
            "A": {"decided": "2005-01-01", "fine": 50_000, "events": [("paid", "2006-01-01")]},
            "B": {"decided": "2009-01-01", "offence": "meurtre", "penalties": [LIFE]},
        },
        {
            "2006-01-01": ("A", "A", ""),
            "2009-01-01": ("AB", "AB", "B"),
            "2011-01-01": ("AB", "AB", "B"),
            TODAY_KEY: ("AB", "AB", "B"),
        },
    ),
    # --- Sursis (SURSIS, SME) and later convictions of each kind ---
    Golden(
        "sursis-lapses",
        f"{SURSIS}: non avenu après cinq ans",
        {"A": {"decided": "2010-03-01", "prison": 300, "suspended": True}},
        {
            "2010-03-01": ("A", "A", ""),
            "2015-02-28": ("A", "A", ""),
            "2015-03-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
        texts={(TODAY_KEY, 1, "A"): "10 mois d'emprisonnement avec sursis"},
    ),
    Golden(
        "sursis-twelve-months-of-one-year",
        f"{SURSIS}: « 1 an dont 12 mois avec sursis » est un sursis total, non avenu après cinq ans",
        {
            "A": {
                "decided": "2010-03-01",
                "penalties": [prison(years=1, suspended=True, suspended_months=12)],
            }
        },
        {
            "2010-03-01": ("A", "A", ""),
            "2015-02-28": ("A", "A", ""),
            "2015-03-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    Golden(
        "sursis-partial",
        f"{SURSIS} ; {REHAB}: sursis partiel, la partie ferme suit la réhabilitation",
        {
            "A": {
                "decided": "2010-03-01",
                "penalties": [prison(years=2, suspended=True, suspended_years=1)],
                "events": [("served", "2011-03-01")],
            }
        },
        {
            "2010-03-01": ("A", "A", ""),
            "2026-02-28": ("A", "A", ""),
            "2026-03-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
        texts={("2010-03-01", 2, "A"): "2 ans d'emprisonnement dont 1 an avec sursis"},
    ),
    Golden(
        "sursis-probation-lapses-after-the-delay-fixed",
        f"{SME}: non avenu à la fin du délai d'épreuve fixé (3 ans)",
        {
            "A": {
                "decided": "2010-03-01",
                "penalties": [
                    prison(years=1, suspended=True, suspension_kind="probation", probation_years=3)
                ],
            }
        },
        {
            "2010-03-01": ("A", "A", ""),
            "2013-02-28": ("A", "A", ""),
            "2013-03-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
        texts={(TODAY_KEY, 1, "A"): "avec sursis et mise à l'épreuve (délai d'épreuve : 3 ans)"},
    ),
    Golden(
        "sursis-probation-not-revoked-by-a-later-sentence-alone",
        f"{SME}: seule une révocation prononcée fait échec",
        {
            "A": {
                "decided": "2010-03-01",
                "penalties": [
                    prison(years=1, suspended=True, suspension_kind="probation", probation_years=3)
                ],
            },
            "B": {"decided": "2011-06-01", "prison": 60},
        },
        {
            "2010-03-01": ("A", "A", ""),
            "2011-06-01": ("AB", "AB", ""),
            "2013-03-01": ("AB", "B", ""),
            TODAY_KEY: ("AB", "B", ""),
        },
    ),
    Golden(
        "sursis-revoked",
        f"{SURSIS} ; {B3_ART}: sursis révoqué, emprisonnement ferme de trois ans au n°3",
        {
            "A": {
                "decided": "2010-03-01",
                "prison": 1095,
                "suspended": True,
                "events": [("suspension_revoked", "2011-06-01")],
            }
        },
        {
            "2011-05-31": ("A", "A", ""),
            "2011-06-01": ("A", "A", "A"),
            "2016-01-01": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
        texts={
            (TODAY_KEY, 3, "A"): "avec sursis — sursis révoqué le 01/06/2011",
            (TODAY_KEY, 2, "A"): "sursis révoqué le 01/06/2011",
        },
    ),
    Golden(
        "sursis-kept-by-later-prison-for-delit",
        f"{SURSIS}: nouvelle condamnation à l'emprisonnement pour délit dans le délai",
        {
            "A": {"decided": "2010-03-01", "prison": 300, "suspended": True},
            "B": {"decided": "2012-01-01", "prison": 30},
        },
        {
            "2010-03-01": ("A", "A", ""),
            "2012-01-01": ("AB", "AB", ""),
            "2015-03-01": ("AB", "AB", ""),
            TODAY_KEY: ("AB", "AB", ""),
        },
    ),
    Golden(
        "sursis-kept-by-later-death-sentence",
        f"{SURSIS} ; {CRIMINAL}: « ou à une peine plus grave »",
        {
            "A": {"decided": "2010-03-01", "prison": 300, "suspended": True},
            "B": {"decided": "2012-01-01", "offence": "meurtre", "penalties": [DEATH]},
        },
        {
            "2010-03-01": ("A", "A", ""),
            "2012-01-01": ("AB", "AB", "B"),
            "2015-03-01": ("AB", "AB", "B"),
            TODAY_KEY: ("AB", "AB", "B"),
        },
    ),
    Golden(
        "sursis-lapses-despite-later-fine",
        f"{SURSIS}: une amende pour délit n'y fait pas échec",
        {
            "A": {"decided": "2010-03-01", "prison": 300, "suspended": True},
            "B": {"decided": "2012-01-01", "fine": 60_000},
        },
        {
            "2012-01-01": ("AB", "AB", ""),
            "2015-02-28": ("AB", "AB", ""),
            "2015-03-01": ("AB", "B", ""),
            TODAY_KEY: ("AB", "B", ""),
        },
    ),
    Golden(
        "sursis-lapses-despite-later-community-service",
        f"{SURSIS}: un travail d'intérêt général n'est pas l'emprisonnement",
        {
            "A": {"decided": "2010-03-01", "prison": 300, "suspended": True},
            "B": {
                "decided": "2012-01-01",
                "penalties": [{"kind": "community_service", "hours": 80}],
            },
        },
        {
            "2012-01-01": ("AB", "AB", ""),
            "2015-02-28": ("AB", "AB", ""),
            "2015-03-01": ("AB", "B", ""),
            TODAY_KEY: ("AB", "B", ""),
        },
    ),
    Golden(
        "sursis-lapses-despite-unrecorded-contravention",
        f"{SURSIS} ; {NIGER}: contravention hors casier",
        {
            "A": {"decided": "2010-03-01", "prison": 300, "suspended": True},
            "B": {"decided": "2012-01-01", "offence": "tapage", "fine": 5_000},
        },
        {
            "2010-02-28": ("", "", ""),
            "2012-01-01": ("A", "A", ""),
            "2015-03-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    Golden(
        "sursis-lapses-despite-recorded-contravention",
        f"{SURSIS}: « pour crime ou délit » — une contravention, même inscrite, non",
        {
            "A": {"decided": "2010-03-01", "prison": 300, "suspended": True},
            "B": {"decided": "2012-01-01", "offence": "tapage", "prison": 20},
        },
        {
            "2010-03-01": ("A", "A", ""),
            "2012-01-01": ("AB", "A", ""),
            "2015-03-01": ("AB", "", ""),
            TODAY_KEY: ("AB", "", ""),
        },
    ),
    Golden(
        "sursis-lapses-despite-amnestied-conviction",
        f"{SURSIS} ; {AMNESTY}",
        {
            "A": {"decided": "2010-03-01", "prison": 300, "suspended": True},
            "B": {"decided": "2012-01-01", "prison": 60, "events": [("amnesty", "2013-01-01")]},
        },
        {
            "2012-06-01": ("AB", "AB", ""),
            "2013-01-01": ("A", "A", ""),
            "2015-03-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    Golden(
        "sursis-kept-by-later-non-final-prison",
        f"{SURSIS}: « poursuite suivie de condamnation » — prudence, une décision non définitive "
        "compte (aucun texte confirmé)",
        {
            "A": {"decided": "2010-03-01", "prison": 300, "suspended": True},
            "B": {"decided": "2012-01-01", "prison": 60, "final": False},
        },
        {
            "2010-03-01": ("A", "A", ""),
            "2012-01-01": ("AB", "A", ""),
            "2015-03-01": ("AB", "A", ""),
            TODAY_KEY: ("AB", "A", ""),
        },
    ),
    # --- Amnesty, removal, non-final decisions ---
    Golden(
        "amnesty",
        f"{AMNESTY}: la fiche est retirée de tous les bulletins",
        {
            "A": {
                "decided": "2010-03-01",
                "penalties": [prison(years=3)],
                "events": [("amnesty", "2012-01-01")],
            }
        },
        {
            "2010-03-01": ("A", "A", "A"),
            "2011-12-31": ("A", "A", "A"),
            "2012-01-01": ("", "", ""),
            TODAY_KEY: ("", "", ""),
        },
    ),
    Golden(
        "removal-by-decision",
        "CPP fr. 1959 art. 769 et 778 (retrait ordonné, non confirmé)",
        {"A": {"decided": "2010-03-01", "prison": 60, "events": [("removal", "2011-01-01")]}},
        {
            "2010-03-01": ("A", "A", ""),
            "2010-12-31": ("A", "A", ""),
            "2011-01-01": ("", "", ""),
            TODAY_KEY: ("", "", ""),
        },
    ),
    Golden(
        "non-final-decision",
        "Paramètre non_final_on_b2_b3 (aucun texte confirmé): n°1 seulement",
        {"A": {"decided": "2020-01-10", "penalties": [prison(years=3)], "final": False}},
        {
            "2020-01-09": ("", "", ""),
            "2020-01-10": ("A", "", ""),
            "2023-01-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    # --- Minors (MINORS; majority 18; unknown birth day in the person's favour) ---
    Golden(
        "minor-at-the-offence",
        f"{MINORS}: 17 ans au jour des faits",
        {
            "A": {
                "decided": "2012-06-01",
                "offence_date": "2012-03-01",
                "penalties": [prison(years=3)],
            }
        },
        {
            "2012-05-31": ("", "", ""),
            "2012-06-01": ("A", "", ""),
            "2020-01-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
        person={"birth_year": 1995, "birth_month": 1, "birth_day": 1},
    ),
    Golden(
        "minor-educational-measure",
        f"{MINORS} ; ord. n° 99-11 (mesures éducatives)",
        {
            "A": {
                "decided": "2014-02-01",
                "penalties": [{"kind": "educational_measure", "subkind": "supervised_freedom"}],
            }
        },
        {
            "2014-01-31": ("", "", ""),
            "2014-02-01": ("A", "", ""),
            "2020-01-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
        person={"birth_year": 1998, "birth_month": 1, "birth_day": 1},
        texts={(TODAY_KEY, 1, "A"): "liberté surveillée"},
    ),
    Golden(
        "adult-on-the-eighteenth-birthday",
        f"{MINORS}: 18 ans révolus le jour des faits, majeur",
        {
            "A": {
                "decided": "2008-09-01",
                "offence_date": "2008-06-15",
                "penalties": [prison(years=3)],
            }
        },
        {
            "2008-08-31": ("", "", ""),
            "2008-09-01": ("A", "A", "A"),
            "2015-01-01": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
        person={"birth_year": 1990, "birth_month": 6, "birth_day": 15},
    ),
    Golden(
        "birth-day-unknown-judged-in-favour",
        f"{MINORS}: né en 1990 (jour inconnu) — peut-être encore 17 ans le 15/06/2008",
        {
            "A": {
                "decided": "2008-09-01",
                "offence_date": "2008-06-15",
                "penalties": [prison(years=3)],
            }
        },
        {
            "2008-08-31": ("", "", ""),
            "2008-09-01": ("A", "", ""),
            "2015-01-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
        person={"birth_year": 1990, "birth_month": None, "birth_day": None},
    ),
    # --- Contraventions (NIGER; the class does not matter, only the penalty pronounced) ---
    Golden(
        "contravention-under-both-thresholds",
        f"{CONTRAVENTION}: 10 jours et 50 000 F, non inscrite",
        {"A": {"decided": "2010-03-01", "offence": "tapage", "prison": 10, "fine": 50_000}},
        {
            "2010-03-01": ("", "", ""),
            "2015-01-01": ("", "", ""),
            "2020-01-01": ("", "", ""),
            TODAY_KEY: ("", "", ""),
        },
    ),
    Golden(
        "contravention-first-class-small-fine",
        f"{CONTRAVENTION}: contravention de 1re classe, amende de 20 000 F, non inscrite",
        {"A": {"decided": "2019-04-01", "offence": "contravention-1", "fine": 20_000}},
        {
            "2019-04-01": ("", "", ""),
            "2021-01-01": ("", "", ""),
            "2024-01-01": ("", "", ""),
            TODAY_KEY: ("", "", ""),
        },
    ),
    Golden(
        "contravention-third-class-fine-over-threshold",
        f"{CONTRAVENTION}: amende de 50 001 F, inscrite, n°1 seulement",
        {"A": {"decided": "2019-04-01", "offence": "contravention-3", "fine": 50_001}},
        {
            "2019-03-31": ("", "", ""),
            "2019-04-01": ("A", "", ""),
            "2024-01-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    Golden(
        "contravention-fifth-class-prison-over-threshold",
        f"{CONTRAVENTION}: un mois d'emprisonnement, inscrite, n°1 seulement",
        {
            "A": {
                "decided": "2019-04-01",
                "offence": "contravention-5",
                "penalties": [prison(months=1)],
            }
        },
        {
            "2019-03-31": ("", "", ""),
            "2019-04-01": ("A", "", ""),
            "2024-01-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
    # --- Criminal penalties: life, death, réclusion; pardons and commutations ---
    Golden(
        "life-sentence",
        f"{CRIMINAL}: réclusion criminelle à perpétuité, au n°3",
        {"A": {"decided": "2010-03-01", "offence": "meurtre", "penalties": [LIFE]}},
        {
            "2010-02-28": ("", "", ""),
            "2010-03-01": ("A", "A", "A"),
            "2015-01-01": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
        texts={(TODAY_KEY, 3, "A"): "réclusion criminelle à perpétuité"},
    ),
    Golden(
        "death-sentence",
        f"{CRIMINAL}: peine de mort, au n°3",
        {"A": {"decided": "2012-05-05", "offence": "meurtre", "penalties": [DEATH]}},
        {
            "2012-05-04": ("", "", ""),
            "2012-05-05": ("A", "A", "A"),
            "2020-01-01": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
        texts={(TODAY_KEY, 3, "A"): "peine de mort"},
    ),
    Golden(
        "death-sentence-commuted",
        f"{CRIMINAL} ; commutation par décret de grâce (Constitution, droit de grâce)",
        {
            "A": {
                "decided": "2005-01-01",
                "offence": "meurtre",
                "penalties": [DEATH],
                "events": [
                    (
                        "commutation",
                        "2010-01-01",
                        {"commuted_to": "réclusion criminelle à perpétuité"},
                    )
                ],
            }
        },
        {
            "2004-12-31": ("", "", ""),
            "2005-01-01": ("A", "A", "A"),
            "2010-01-01": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
        texts={
            (TODAY_KEY, 3, "A"): "peine commuée le 01/01/2010 en réclusion criminelle à perpétuité",
            ("2005-01-01", 3, "A"): "peine de mort",
        },
    ),
    Golden(
        "life-sentence-pardoned",
        f"{CRIMINAL} ; {REHAB}: la grâce dispense d'exécuter, la condamnation reste",
        {
            "A": {
                "decided": "2000-01-01",
                "offence": "meurtre",
                "penalties": [LIFE],
                "events": [("pardon", "2015-01-01")],
            }
        },
        {
            "2014-12-31": ("A", "A", "A"),
            "2015-01-01": ("A", "A", "A"),
            "2040-01-01": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
    ),
    Golden(
        "reclusion-twenty-years",
        f"{CRIMINAL}: vingt ans de réclusion criminelle, au n°3, jamais réhabilité de plein droit",
        {
            "A": {
                "decided": "2000-02-01",
                "offence": "meurtre",
                "penalties": [reclusion(20)],
                "events": [("served", "2020-02-01")],
            }
        },
        {
            "2000-01-31": ("", "", ""),
            "2000-02-01": ("A", "A", "A"),
            "2040-01-01": ("A", "A", "A"),
            TODAY_KEY: ("A", "A", "A"),
        },
        texts={(TODAY_KEY, 2, "A"): "20 ans de réclusion criminelle"},
    ),
    Golden(
        "reclusion-then-judicial-rehabilitation",
        f"{CRIMINAL} ; réhabilitation judiciaire (CPP fr. 1959 art. 785 s., non confirmé)",
        {
            "A": {
                "decided": "1999-01-01",
                "offence": "meurtre",
                "penalties": [reclusion(10)],
                "events": [("served", "2009-01-01"), ("rehabilitation_judicial", "2016-05-01")],
            }
        },
        {
            "2008-01-01": ("A", "A", "A"),
            "2016-04-30": ("A", "A", "A"),
            "2016-05-01": ("A", "", ""),
            TODAY_KEY: ("A", "", ""),
        },
    ),
]
