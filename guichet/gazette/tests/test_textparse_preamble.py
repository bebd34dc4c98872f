"""The lines between a text's title and its first article, as Nigerien and French texts set them:
each is kept as a preamble line, typed in capitals without accents or in lower case with them.
Before, « Le Premier ministre, », « Sur le rapport … », « Considérant … », « LE MINISTRE … » and
« DECRETE : » (no accent) were refused as unrecognised lines."""

import pytest

from guichet.gazette.textparse import parse_body

BODIES = {
    "French decree (Légifrance)": (
        "Le Premier ministre,\n"
        "Sur le rapport du ministre de la justice,\n"
        "Vu le code de procédure pénale ;\n"
        "Considérant la nécessité d'adapter les délais ;\n"
        "Le Conseil d'Etat (section de l'intérieur) entendu,\n"
        "Décrète :\n"
        "Article 1er\nLe délai est fixé à deux mois.\n"
        "Art. 2. — Le ministre de la justice est chargé de l'exécution du présent décret."
    ),
    "Nigerien decree, capitals without accents": (
        "LE PRESIDENT DE LA REPUBLIQUE, CHEF DE L'ETAT,\n"
        "VU la Constitution du 25 novembre 2010 ;\n"
        "SUR RAPPORT du Ministre de la Justice, Garde des Sceaux ;\n"
        "APRES AVIS de la Cour Supreme ;\n"
        "LE CONSEIL DES MINISTRES ENTENDU,\n"
        "DECRETE :\n"
        "Article premier : Le présent décret fixe les attributions du ministre.\n"
        "Article 2 : Le présent décret sera publié au Journal officiel."
    ),
    "ministerial order": (
        "LE MINISTRE DE LA JUSTICE, GARDE DES SCEAUX,\n"
        "Vu le décret n° 2016-207/PRN du 11 mai 2016 ;\n"
        "ARRETE :\n"
        "Article premier : Il est créé une commission."
    ),
    "law promulgated": (
        "L'Assemblée nationale a délibéré et adopté,\n"
        "Le Président de la République promulgue la loi dont la teneur suit :\n"
        "Article premier : La présente loi s'applique à tout traitement."
    ),
    "French law": (
        "Le Sénat et l'Assemblée nationale ont adopté,\n"
        "Le Président de la République promulgue la loi dont la teneur suit :\n"
        "Article 1\nLa présente loi entre en vigueur le lendemain de sa publication."
    ),
}


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_every_preamble_line_is_kept(kind):
    body = BODIES[kind]
    parsed = parse_body(body)
    assert [str(problem) for problem in parsed.problems] == []
    first_article = next(i for i, line in enumerate(body.splitlines()) if line.startswith("Art"))
    preamble = [part.text for part in parsed.parts if part.kind == "preamble"]
    assert preamble == [line.rstrip() for line in body.splitlines()[:first_article]]
    assert parsed.counts.articles == sum(part.kind == "article" for part in parsed.parts) >= 1


def test_a_line_that_is_no_preamble_is_still_reported():
    parsed = parse_body("Le délai est fixé à deux mois.\nArticle premier : Essai.")
    assert [str(problem) for problem in parsed.problems] == [
        "Ligne non reconnue avant le premier article : « Le délai est fixé à deux mois. »"
    ]
