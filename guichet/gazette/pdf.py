"""The issue's PDF, laid out like the paper Journal: cover, table of contents, texts, page numbers
running on through the year (an issue starting at page 1 203 numbers its pages 1 203, 1 204, …).

Fonts: DejaVu Sans (Unicode) when the system has it (Debian: fonts-dejavu-core). fpdf2 ships no
TrueType font, only the PDF core fonts, which know Latin-1 only; without DejaVu the text falls back
to Helvetica and characters outside Latin-1 (’, œ, …) are replaced by their closest Latin-1 form.
"""

from __future__ import annotations

import datetime
import logging
import math
import os
import unicodedata
from dataclasses import dataclass, field

from fpdf import FPDF

from guichet.gazette.numbering import format_date

DEJAVU_DIR = os.environ.get("GUICHET_DEJAVU_DIR", "/usr/share/fonts/truetype/dejavu")
ENTRIES_PER_TOC_PAGE = 10
# fontTools logs every glyph it subsets at INFO: noise in every publication.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass
class PdfPart:
    kind: str
    num: str
    heading: str
    text: str


@dataclass
class PdfText:
    label: str  # "Loi n° 2017-28 du 3 mai 2017"
    title: str
    parts: list[PdfPart] = field(default_factory=list)


@dataclass
class PdfIssue:
    number: int
    date: datetime.date
    special: bool
    first_page: int
    texts: list[PdfText]


_LATIN1_REPLACEMENTS = {
    "’": "'",
    "‘": "'",
    "œ": "oe",
    "Œ": "OE",
    "“": '"',
    "”": '"',
    "…": "...",
    "–": "-",
    "—": "-",
    "\u202f": " ",
    "€": "EUR",
}


class _JournalPdf(FPDF):
    def __init__(self, issue: PdfIssue, fonts: dict | None = None):
        """`fonts`: those of the layout pass of the same issue, which was never output (output
        subsets a font in place); parsing DejaVu again cost a fifth of each PDF's CPU."""
        super().__init__(format="A4")
        self.issue = issue
        self.unicode = os.path.exists(os.path.join(DEJAVU_DIR, "DejaVuSans.ttf"))
        if self.unicode and fonts:
            self.fonts.update(fonts)
            self.family = "Body"
        elif self.unicode:
            self.add_font("Body", "", os.path.join(DEJAVU_DIR, "DejaVuSans.ttf"))
            self.add_font("Body", "B", os.path.join(DEJAVU_DIR, "DejaVuSans-Bold.ttf"))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 18, 18)
        # Same bytes for the same issue: the creation date is the issue's date.
        self.set_creation_date(
            datetime.datetime.combine(issue.date, datetime.time(8, 0), tzinfo=datetime.UTC)
        )
        self.set_title(self.t(self.heading()))
        self.set_author("Secrétariat général du Gouvernement")
        self.set_lang("fr")

    def t(self, text: str) -> str:
        if self.unicode:
            return text
        for char, replacement in _LATIN1_REPLACEMENTS.items():
            text = text.replace(char, replacement)
        out = []
        for char in text:
            try:
                char.encode("latin-1")
                out.append(char)
            except UnicodeEncodeError:
                base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
                out.append(base or "?")
        return "".join(out)

    def heading(self) -> str:
        kind = "Numéro spécial" if self.issue.special else "N°"
        return (
            f"Journal officiel de la République du Niger — {kind} {self.issue.number} du "
            f"{format_date(self.issue.date)}"
        )

    def printed_page(self) -> int:
        return self.issue.first_page + self.page_no() - 1

    def header(self):
        if self.page_no() == 1:
            return
        self.set_font(self.family, "", 8)
        self.cell(0, 5, self.t(self.heading()), align="C", new_x="LMARGIN", new_y="NEXT")
        self.line(18, self.get_y(), 192, self.get_y())
        self.ln(4)

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 5, f"{self.printed_page():,}".replace(",", " "), align="C")


def _render(issue: PdfIssue, toc_pages: int, starts: list[int] | None, fonts: dict | None = None):
    pdf = _JournalPdf(issue, fonts)
    family = pdf.family
    # Cover.
    pdf.add_page()
    pdf.set_font(family, "B", 14)
    pdf.ln(20)
    pdf.cell(0, 8, pdf.t("RÉPUBLIQUE DU NIGER"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.cell(
        0, 6, pdf.t("Fraternité – Travail – Progrès"), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(20)
    pdf.set_font(family, "B", 24)
    pdf.cell(0, 12, pdf.t("JOURNAL OFFICIEL"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 12)
    pdf.cell(0, 8, pdf.t("DE LA RÉPUBLIQUE DU NIGER"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font(family, "B", 14)
    kind = "NUMÉRO SPÉCIAL N°" if issue.special else "N°"
    pdf.cell(
        0,
        8,
        pdf.t(f"{kind} {issue.number} — {format_date(issue.date)}"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(30)
    pdf.set_font(family, "", 9)
    pdf.multi_cell(
        0,
        5,
        pdf.t(
            "Publié par le Secrétariat général du Gouvernement. Ce fichier est signé "
            "électroniquement : sa signature et son empreinte SHA-256 se vérifient sur la page "
            "« Vérifier un document » du Journal officiel en ligne."
        ),
        align="C",
    )
    # Table of contents, on its own pages.
    for index in range(toc_pages):
        pdf.add_page()
        if index == 0:
            pdf.set_font(family, "B", 13)
            pdf.cell(0, 8, pdf.t("SOMMAIRE"), align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        pdf.set_font(family, "", 9)
        chunk = issue.texts[index * ENTRIES_PER_TOC_PAGE : (index + 1) * ENTRIES_PER_TOC_PAGE]
        for offset, text in enumerate(chunk):
            number = index * ENTRIES_PER_TOC_PAGE + offset
            page = starts[number] if starts else 0
            y = pdf.get_y()
            pdf.set_font(family, "B", 9)
            pdf.multi_cell(150, 5, pdf.t(text.label), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(family, "", 9)
            pdf.multi_cell(150, 5, pdf.t(text.title[:160]), new_x="LMARGIN", new_y="NEXT")
            end_y = pdf.get_y()
            pdf.set_xy(170, y)
            pdf.cell(22, 5, f"p. {page}", align="R")
            pdf.set_xy(18, end_y + 2)
    # The texts, each starting on a new page as in the paper edition.
    found_starts = []
    ends = []
    for text in issue.texts:
        pdf.add_page()
        found_starts.append(pdf.printed_page())
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(0, 6, pdf.t(text.label.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "B", 10)
        pdf.multi_cell(0, 5, pdf.t(text.title), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        for part in text.parts:
            if part.kind in ("title", "chapter", "section"):
                pdf.ln(2)
                pdf.set_font(family, "B", 10)
                label = " ".join(x for x in (part.num, part.heading) if x)
                pdf.multi_cell(0, 5, pdf.t(label), align="C", new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
            elif part.kind == "article":
                pdf.set_font(family, "B", 10)
                head = f"Article {part.num}" + (f" : {part.heading}" if part.heading else "")
                pdf.multi_cell(0, 5, pdf.t(head), new_x="LMARGIN", new_y="NEXT")
                pdf.set_font(family, "", 10)
                if part.text:
                    pdf.multi_cell(0, 5, pdf.t(part.text), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
            else:
                pdf.set_font(family, "", 10)
                pdf.multi_cell(0, 5, pdf.t(part.text), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
        ends.append(pdf.printed_page())
    return pdf, found_starts, ends


def build_issue_pdf(issue: PdfIssue) -> tuple[bytes, list[tuple[int, int]]]:
    """The PDF and, for each text, its first and last printed page.

    Two passes: the first finds where each text starts, the second prints those pages in the table
    of contents (the contents' length is known beforehand, so the pages do not move).
    """
    toc_pages = max(1, math.ceil(len(issue.texts) / ENTRIES_PER_TOC_PAGE))
    layout, starts, _ = _render(issue, toc_pages, None)
    pdf, final_starts, ends = _render(issue, toc_pages, starts, fonts=layout.fonts)
    return bytes(pdf.output()), list(zip(final_starts, ends, strict=True))
