"""Demo data: Niger's personal-data law, as it really went — law n° 2017-28 of 3 May 2017, amended
by law n° 2019-71 of 24 December 2019, repealed and replaced by law n° 2022-59 of 16 December 2022
(itself amended by law n° 2023-31 of 4 July 2023) — in published, signed issues.

What is confirmed from public sources (Le Sahel, ANP, the JO of 4 July 2017 as scanned): the
numbers, dates and titles above; the visas of law 2017-28; the wording of its first article, of the
definition of personal data and of its scope (articles 1 to 3, paraphrased closely); the creation of
the HAPDP; that law 2022-59 repeals the 2017 and 2019 laws and attaches the HAPDP to the Prime
Minister's office, and that law 2023-31 attaches it to the Presidency. Everything else (the other
articles, the wording of the 2019 amendment, issue numbers and publication dates other than
4 July 2017) is a short demo stand-in, marked "[résumé]" in the text.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from guichet.gazette import amendments, publication, services
from guichet.gazette.content import PartInput
from guichet.gazette.models import Issue, Work

D = datetime.date

VISAS_2017 = [
    "Vu la Constitution du 25 novembre 2010 ;",
    "Le Conseil des ministres entendu,",
    "L'Assemblée nationale a délibéré et adopté,",
    "Le Président de la République promulgue la loi dont la teneur suit :",
]

LAW_2017 = [
    PartInput("chapter", "préliminaire", "Définitions"),
    PartInput(
        "article",
        "1",
        text="Les définitions des instruments juridiques de la CEDEAO, de l'Union africaine ou de "
        "l'Union internationale des télécommunications prévalent pour les termes non définis par "
        "la présente loi.",
    ),
    PartInput(
        "article",
        "2",
        text="Au sens de la présente loi, on entend par données à caractère personnel : toute "
        "information de quelque nature qu'elle soit et indépendamment de son support, y compris "
        "le son et l'image, relative à une personne physique identifiée ou identifiable "
        "directement ou indirectement, par référence à un numéro d'identification ou à un ou "
        "plusieurs éléments propres à son identité physique, physiologique, génétique, "
        "psychique, culturelle, sociale ou économique.",
    ),
    PartInput("chapter", "I", "Objet et champ d'application"),
    PartInput(
        "article",
        "3",
        text="Sont soumis aux dispositions de la présente loi : toute collecte, tout traitement, "
        "toute transmission, tout stockage et toute utilisation des données à caractère "
        "personnel par une personne physique, l'État, les collectivités locales, les personnes "
        "morales de droit public ou de droit privé ; tout traitement automatisé ou non de "
        "données contenues ou appelées à figurer dans un fichier.",
    ),
    PartInput("chapter", "II", "De l'autorité de protection"),
    PartInput(
        "article",
        "4",
        text="[résumé] Il est créé une autorité administrative indépendante, la Haute Autorité de "
        "protection des données à caractère personnel (HAPDP), chargée de veiller à ce que les "
        "traitements des données à caractère personnel soient mis en œuvre conformément à la "
        "présente loi.",
    ),
    PartInput(
        "article",
        "5",
        text="[résumé] La Haute Autorité est composée de membres désignés pour leur compétence "
        "juridique et technique.",
    ),
    PartInput(
        "article",
        "6",
        text="[résumé] La présente loi sera publiée au Journal officiel et exécutée comme loi de "
        "l'État.",
    ),
]

LAW_2019 = [
    PartInput("preamble", text="Vu la Constitution du 25 novembre 2010 ;"),
    PartInput(
        "preamble",
        text="Vu la loi n° 2017-28 du 3 mai 2017 relative à la protection des données à "
        "caractère personnel ;",
    ),
    PartInput(
        "article",
        "1",
        text="[résumé] L'article 5 de la loi n° 2017-28 du 3 mai 2017 est modifié ainsi qu'il suit.",
    ),
    PartInput(
        "article",
        "2",
        text="[résumé] Un article 5 bis relatif aux ressources de la Haute Autorité est inséré "
        "après l'article 5 de la loi n° 2017-28 du 3 mai 2017.",
    ),
    PartInput("article", "3", text="La présente loi sera publiée au Journal officiel."),
]

LAW_2022 = [
    PartInput("preamble", text="Vu la Constitution du 25 novembre 2010 ;"),
    PartInput(
        "preamble",
        text="Vu la loi n° 2017-28 du 3 mai 2017 relative à la protection des données à "
        "caractère personnel, modifiée par la loi n° 2019-71 du 24 décembre 2019 ;",
    ),
    PartInput("chapter", "I", "Dispositions générales"),
    PartInput(
        "article",
        "1",
        text="[résumé] La présente loi a pour objet de régir la protection des données à "
        "caractère personnel, y compris dans l'usage de la biométrie, des mégadonnées, des "
        "données ouvertes et de la vidéosurveillance.",
    ),
    PartInput(
        "article",
        "2",
        text="[résumé] La Haute Autorité de protection des données à caractère personnel (HAPDP) "
        "est rattachée au cabinet du Premier ministre.",
    ),
    PartInput("chapter", "XVI", "Dispositions transitoires et finales"),
    PartInput(
        "article",
        "112",
        text="Sont abrogées toutes dispositions antérieures contraires, notamment la loi "
        "n° 2017-28 du 3 mai 2017 relative à la protection des données à caractère personnel "
        "et la loi n° 2019-71 du 24 décembre 2019 qui l'a modifiée.",
    ),
]

LAW_2023 = [
    PartInput(
        "article",
        "1",
        text="[résumé] L'article 2 de la loi n° 2022-59 du 16 décembre 2022 est modifié : la "
        "Haute Autorité est rattachée à la Présidence de la République.",
    ),
]


def _text(actor, doctype, number, signed_on, title, parts):
    return services.create_text(
        actor=actor, doctype=doctype, number=number, signed_on=signed_on, title=title, parts=parts
    )


def _ready(actor, work):
    for relation in work.relations_out.filter(detected=True, confirmed=False):
        services.review_citation(relation, accept=True, actor=actor)
    services.advance(work, "review", actor=actor)
    services.advance(work, "sign", actor=actor)


def _publish(actor, works, day, number, special=False):
    issue = publication.create_issue(actor=actor, date=day, number=number, special=special)
    for work in works:
        publication.schedule(work, issue, actor=actor)
    return publication.publish_issue(issue, actor=actor)


def load(out) -> None:
    if Work.objects.filter(doctype="loi", number_normalized="2017-28").exists():
        out("Journal officiel : données de démonstration déjà chargées.")
        return
    actor = get_user_model().objects.filter(username="demo.sgg").first()
    with transaction.atomic():
        law_2017 = _text(
            actor,
            "loi",
            "2017-28",
            D(2017, 5, 3),
            "Loi relative à la protection des données à caractère personnel",
            [PartInput("preamble", text=v) for v in VISAS_2017] + LAW_2017,
        )
        _ready(actor, law_2017)
        _publish(actor, [law_2017], D(2017, 7, 4), number=13)

        law_2019 = _text(
            actor,
            "loi",
            "2019-71",
            D(2019, 12, 24),
            "Loi modifiant la loi n° 2017-28 du 3 mai 2017 relative à la protection des données "
            "à caractère personnel",
            LAW_2019,
        )
        amendments.add_amendment(
            law_2019,
            law_2017,
            actor=actor,
            action="replace",
            target_eid="art_5",
            text="[résumé] La Haute Autorité est composée de membres désignés pour leur compétence "
            "juridique et technique ; ils prêtent serment avant leur entrée en fonction.",
        )
        amendments.add_amendment(
            law_2019,
            law_2017,
            actor=actor,
            action="insert",
            target_eid="art_5bis",
            num="5 bis",
            after_eid="art_5",
            text="[résumé] La Haute Autorité perçoit des redevances pour les prestations qu'elle "
            "rend ; elles font partie de ses ressources.",
        )
        _ready(actor, law_2019)
        _publish(actor, [law_2019], D(2019, 12, 31), number=1, special=True)

        law_2022 = _text(
            actor,
            "loi",
            "2022-59",
            D(2022, 12, 16),
            "Loi relative à la protection des données à caractère personnel",
            LAW_2022,
        )
        _ready(actor, law_2022)
        services.add_relation(law_2022, "repeals", law_2017, actor=actor)
        services.add_relation(law_2022, "repeals", law_2019, actor=actor)
        _publish(actor, [law_2022], D(2022, 12, 30), number=2, special=True)

        law_2023 = _text(
            actor,
            "loi",
            "2023-31",
            D(2023, 7, 4),
            "Loi modifiant la loi n° 2022-59 du 16 décembre 2022 relative à la protection des "
            "données à caractère personnel",
            LAW_2023,
        )
        amendments.add_amendment(
            law_2023,
            law_2022,
            actor=actor,
            action="replace",
            target_eid="art_2",
            text="[résumé] La Haute Autorité de protection des données à caractère personnel "
            "(HAPDP) est rattachée à la Présidence de la République.",
        )
        _ready(actor, law_2023)
        _publish(actor, [law_2023], D(2023, 7, 10), number=14)
    issues = Issue.objects.filter(status=Issue.Status.PUBLISHED).count()
    out(
        f"Journal officiel : 4 lois publiées dans {issues} numéros (2017-28 modifiée en 2019, "
        "abrogée par 2022-59, elle-même modifiée en 2023)."
    )
