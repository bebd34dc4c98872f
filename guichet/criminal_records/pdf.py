"""The extract as a PDF: French official layout, verification code, QR code, then signed (PAdES)."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from fpdf import FPDF

FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
]
KIND_TITLES = {
    1: "BULLETIN N°1",
    2: "BULLETIN N°2",
    3: "BULLETIN N°3",
}


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("criminal_records:verify_code", args=[code])


def _font(pdf: FPDF) -> tuple[str, bool]:
    """DejaVu when installed (every accent and the F CFA sign); else a core font, ASCII-folded."""
    regular = next((p for p in FONT_CANDIDATES if p.exists()), None)
    if regular:
        pdf.add_font("DejaVu", "", str(regular))
        bold = regular.with_name("DejaVuSans-Bold.ttf")
        pdf.add_font("DejaVu", "B", str(bold if bold.exists() else regular))
        return "DejaVu", True
    return "helvetica", False


def render_bulletin(
    *, bulletin, person, office, entries: list[dict], signer_titles, signature_statement: str
) -> bytes:
    """The unsigned PDF; `signer_titles` = (prosecutor title, chief clerk title);
    `signature_statement` says exactly what signs it (guichet.signing.qualification)."""
    pdf = FPDF(format="A4")
    pdf.set_title(f"Extrait du casier judiciaire — {KIND_TITLES[bulletin.kind].title()}")
    pdf.set_author(bulletin.court.name)
    pdf.set_creator("Guichet")
    family, unicode_ok = _font(pdf)

    def text(value: str) -> str:
        if unicode_ok:
            return value
        import unicodedata

        return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()

    pdf.add_page()
    pdf.set_auto_page_break(auto=True, margin=20)
    width = pdf.epw
    pdf.set_font(family, "B", 11)
    pdf.cell(width / 2, 6, text("MINISTÈRE DE LA JUSTICE"))
    pdf.cell(width / 2, 6, text("RÉPUBLIQUE DU NIGER"), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    pdf.cell(width / 2, 5, text(bulletin.court.name))
    pdf.cell(
        width / 2,
        5,
        text("Fraternité – Travail – Progrès"),
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(width / 2, 5, text("Service du casier judiciaire"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(family, "B", 15)
    pdf.cell(
        width, 8, text("EXTRAIT DU CASIER JUDICIAIRE"), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(family, "B", 12)
    pdf.cell(width, 7, text(KIND_TITLES[bulletin.kind]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font(family, "", 10)
    identity = [
        ("Nom", person.last_name.upper()),
        ("Prénoms", person.first_names),
        ("Sexe", person.get_sex_display()),
        _birth_line(person),
        ("À", person.birthplace_display),
        ("Fils/fille de", person.father_name or "—"),
        ("et de", person.mother_name or "—"),
        ("Nationalité", person.nationality),
    ]
    for label, value in identity:
        pdf.set_font(family, "B", 10)
        pdf.cell(40, 6, text(label))
        pdf.set_font(family, "", 10)
        pdf.cell(width - 40, 6, text(str(value)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font(family, "B", 11)
    pdf.cell(width, 7, text("Condamnations"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    if not entries:
        pdf.set_font(family, "B", 14)
        pdf.cell(width, 12, text("NÉANT"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 10)
    for number, entry in enumerate(entries, start=1):
        lines = [
            f"{number}. {entry['court']} — décision du {_fr_date(entry['decision_date'])}"
            + (f" n° {entry['decision_number']}" if entry["decision_number"] else "")
            + f" ({entry['kind'].lower()}{'' if entry['final'] else ', non définitive'})",
            "Infractions : " + ("; ".join(entry["offences"]) or "—"),
            "Peines : " + ("; ".join(entry["penalties"]) or "—"),
        ]
        if entry.get("mentions"):
            lines.append("Mentions : " + "; ".join(entry["mentions"]))
        for line in lines:
            pdf.multi_cell(width, 5, text(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    pdf.ln(4)
    pdf.multi_cell(
        width,
        5,
        text(
            f"Délivré à {office_city(bulletin.court)}, le {bulletin.issued_on:%d/%m/%Y}, "
            f"pour servir et valoir ce que de droit."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    prosecutor_title, clerk_title = signer_titles
    pdf.set_font(family, "B", 10)
    pdf.cell(width / 2, 6, text(prosecutor_title))
    pdf.cell(width / 2, 6, text(clerk_title), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.cell(width / 2, 6, text(office.prosecutor_name if office else ""))
    pdf.cell(
        width / 2,
        6,
        text(office.chief_clerk_name if office else ""),
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(family, "B", 8)
    pdf.multi_cell(
        width, 5, text(f"({signature_statement})"), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    if bulletin.rules_version:
        pdf.set_font(family, "", 8)
        pdf.multi_cell(
            width,
            4,
            text(
                f"Règles du casier appliquées : version {bulletin.rules_version} "
                f"(paramètres en vigueur le {bulletin.issued_on:%d/%m/%Y})"
            ),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    # Verification: the code and its QR code, in the bottom margin area of the last page.
    url = verification_url(bulletin.code)
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    pdf.ln(6)
    y = pdf.get_y()
    if y > pdf.h - 60:
        pdf.add_page()
        y = pdf.get_y()
    pdf.image(qr, x=pdf.l_margin, y=y, w=32, h=32)
    pdf.set_xy(pdf.l_margin + 36, y + 4)
    pdf.set_font(family, "B", 9)
    pdf.multi_cell(
        width - 36,
        5,
        text("Vérifier l'authenticité de ce document :"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_x(pdf.l_margin + 36)
    pdf.set_font(family, "", 9)
    pdf.multi_cell(width - 36, 5, text(url), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + 36)
    pdf.multi_cell(
        width - 36, 5, text(f"Code : {bulletin.display_code}"), new_x="LMARGIN", new_y="NEXT"
    )
    return bytes(pdf.output())


def _birth_line(person) -> tuple[str, str]:
    """« Né(e) le 12/05/1980 », or « Né(e) vers 1980 (à 2 ans près) » as the register says it:
    an approximate year is never printed as a certain one."""
    margin = person.birth_year_margin
    if not margin:
        return ("Né(e) le", person.birth_display)
    return ("Né(e)", f"vers {person.birth_display} (à {margin} an{'s' if margin > 1 else ''} près)")


def office_city(court) -> str:
    name = court.short_name or court.name
    return name.split()[-1] if name else "Niamey"


def _fr_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"
