"""The "registre chrono": every mail numbered in a register over a period, as CSV and PDF.

Confidential mail appears in the register (its number must, or there would be a gap), but its
subject and correspondent are shown only to those who may see the mail.
"""

import datetime as dt
import io
import os

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF

from guichet import exports
from guichet.correspondence import selectors

DEJAVU_DIR = os.environ.get("GUICHET_DEJAVU_DIR", "/usr/share/fonts/truetype/dejavu")
COLUMNS = [
    ("reference", gettext_lazy("N° d'enregistrement"), 38),
    ("date", gettext_lazy("Date"), 18),
    ("direction", gettext_lazy("Sens"), 14),
    ("correspondent", gettext_lazy("Correspondant"), 52),
    ("subject", gettext_lazy("Objet"), 85),
    ("unit", gettext_lazy("Service"), 38),
    ("status", gettext_lazy("Statut"), 22),
]


def register_rows(entries, user) -> list[dict]:
    visible = set(selectors.mails_visible_to(user).values_list("pk", flat=True))
    rows = []
    for mail in entries:
        hidden = mail.is_confidential and mail.pk not in visible
        correspondent = mail.correspondent or mail.other_unit
        rows.append(
            {
                "reference": mail.reference,
                "date": timezone.localtime(mail.registered_at).strftime("%d/%m/%Y"),
                "direction": mail.get_direction_display(),
                "correspondent": _("(confidentiel)") if hidden else str(correspondent or ""),
                "subject": _("(confidentiel)") if hidden else mail.subject,
                "letter_reference": "" if hidden else mail.letter_reference,
                "unit": mail.case.organisation.short_name or mail.case.organisation.code,
                "status": mail.case.get_status_display(),
                "due": (
                    timezone.localtime(mail.case.due_at).strftime("%d/%m/%Y")
                    if mail.case.due_at
                    else ""
                ),
            }
        )
    return rows


def register_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    writer = exports.spreadsheet_writer(out, delimiter=";")
    keys = [key for key, _label, _w in COLUMNS] + ["letter_reference", "due"]
    writer.writerow(
        [str(label) for _key, label, _w in COLUMNS] + [_("Référence de la lettre"), _("Échéance")]
    )
    for row in rows:
        writer.writerow([row[key] for key in keys])
    return out.getvalue()


class _RegisterPdf(FPDF):
    def __init__(self, title: str):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.title_text = title
        self.font_name = "Helvetica"
        regular = os.path.join(DEJAVU_DIR, "DejaVuSans.ttf")
        bold = os.path.join(DEJAVU_DIR, "DejaVuSans-Bold.ttf")
        if os.path.exists(regular) and os.path.exists(bold):
            self.add_font("DejaVu", "", regular)
            self.add_font("DejaVu", "B", bold)
            self.font_name = "DejaVu"
        self.set_auto_page_break(auto=True, margin=15)

    def text_safe(self, text: str) -> str:
        if self.font_name == "DejaVu":
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    def header(self):
        self.set_font(self.font_name, "B", 12)
        self.cell(0, 8, self.text_safe(self.title_text), new_x="LMARGIN", new_y="NEXT")

    def footer(self):
        self.set_y(-12)
        self.set_font(self.font_name, "", 7)
        self.cell(0, 6, f"{self.page_no()}/{{nb}}", align="R")


def register_pdf(rows: list[dict], register, start: dt.date, end: dt.date) -> bytes:
    title = _("Registre chronologique du courrier — %(org)s — du %(start)s au %(end)s") % {
        "org": register.name,
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
    }
    pdf = _RegisterPdf(title)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(pdf.font_name, "", 7)
    if not rows:
        pdf.cell(0, 8, pdf.text_safe(_("Aucun courrier enregistré sur la période.")))
    else:
        with pdf.table(
            col_widths=[width for *_rest, width in COLUMNS],
            width=sum(width for *_rest, width in COLUMNS),
            line_height=4,
            text_align="LEFT",
            repeat_headings=1,
        ) as table:
            headings = table.row()
            for _key, label, _width in COLUMNS:
                headings.cell(pdf.text_safe(str(label)))
            for row in rows:
                cells = table.row()
                for key, _label, _width in COLUMNS:
                    cells.cell(pdf.text_safe(str(row[key])))
    pdf.ln(4)
    pdf.cell(
        0,
        6,
        pdf.text_safe(
            _("%(n)s courrier(s). Édité le %(now)s.")
            % {"n": len(rows), "now": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
        ),
    )
    return bytes(pdf.output())
