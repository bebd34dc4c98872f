"""The "registre chrono" as a ministry keeps it: one register per direction (arrivée, départ,
interne), numbered in order, closed by the line « Arrêté le présent registre à N courriers, le … »
that the head of the mail office signs. As CSV and PDF.

Confidential mail appears in the register (its number must, or there would be a gap), but its
subject, correspondent and letter reference are shown only to those who may see the mail.
"""

import datetime as dt
import io
import os

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from guichet import exports
from guichet.correspondence import selectors
from guichet.correspondence.models import Mail

DEJAVU_DIR = os.environ.get("GUICHET_DEJAVU_DIR", "/usr/share/fonts/truetype/dejavu")

# (key, label, width in mm on landscape A4); the labels of the date and correspondent columns
# depend on the register (DIRECTION_LABELS).
COLUMNS = [
    ("reference", gettext_lazy("N° d'enregistrement"), 33),
    ("date", None, 19),
    ("letter", gettext_lazy("Date et référence de la lettre"), 30),
    ("correspondent", None, 44),
    ("subject", gettext_lazy("Objet"), 68),
    ("due", gettext_lazy("Échéance"), 18),
    ("imputation", gettext_lazy("Imputation"), 34),
    ("observations", gettext_lazy("Observations"), 31),
]
DIRECTION_LABELS = {
    Mail.Direction.INCOMING: {
        "title": gettext_lazy("Registre du courrier arrivée"),
        "date": gettext_lazy("Date d'arrivée"),
        "correspondent": gettext_lazy("Expéditeur"),
    },
    Mail.Direction.OUTGOING: {
        "title": gettext_lazy("Registre du courrier départ"),
        "date": gettext_lazy("Date de départ"),
        "correspondent": gettext_lazy("Destinataire"),
    },
    Mail.Direction.INTERNAL: {
        "title": gettext_lazy("Registre du courrier interne"),
        "date": gettext_lazy("Date d'enregistrement"),
        "correspondent": gettext_lazy("Unité émettrice ou destinataire"),
    },
}


def column_label(key: str, label, direction: str) -> str:
    return str(label if label is not None else DIRECTION_LABELS[direction][key])


def _day(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


def _imputation(mail: Mail) -> str:
    """The unit (and agent) in charge, then the copies for information."""
    main, copies = [], []
    for assignment in mail.case.assignments.all():
        if not assignment.active:
            continue
        unit = assignment.to_organisation.short_name or assignment.to_organisation.code
        target = f"{unit} ({assignment.to_user})" if assignment.to_user else unit
        (copies if assignment.for_information else main).append(target)
    text = ", ".join(main)
    if copies:
        text += (" ; " if text else "") + _("copie : %(units)s") % {"units": ", ".join(copies)}
    return text


def _observations(mail: Mail, hidden: bool) -> str:
    notes = [mail.status_label]
    if mail.direction == Mail.Direction.OUTGOING and mail.in_reply_to_id:
        notes.append(_("réponse au %(ref)s") % {"ref": mail.in_reply_to.reference})
    if mail.is_confidential:
        notes.append(mail.get_confidentiality_display().lower())
    return " ; ".join(notes)


def register_rows(entries, user) -> list[dict]:
    visible = set(selectors.mails_visible_to(user).values_list("pk", flat=True))
    rows = []
    for mail in entries:
        hidden = mail.is_confidential and mail.pk not in visible
        correspondent = mail.correspondent or mail.other_unit
        if mail.direction == Mail.Direction.INCOMING:
            date = _day(mail.received_on or mail.registered_at)
        elif mail.direction == Mail.Direction.OUTGOING:
            date = _day(mail.sent_on) or _("non expédié")
        else:
            date = _day(mail.registered_at)
        letter = " — ".join(
            part
            for part in (_day(mail.letter_date), "" if hidden else mail.letter_reference)
            if part
        )
        rows.append(
            {
                "direction_code": mail.direction,
                "direction": mail.get_direction_display(),
                "reference": mail.reference,
                "registered": _day(mail.registered_at),
                "date": date,
                "letter": letter,
                "correspondent": _("(confidentiel)") if hidden else str(correspondent or ""),
                "subject": _("(confidentiel)") if hidden else mail.subject,
                "due": _day(mail.case.due_at),
                "due_notice": mail.case.deadline_notice,
                "imputation": _imputation(mail),
                "observations": _observations(mail, hidden),
            }
        )
    return rows


def register_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    writer = exports.spreadsheet_writer(out, delimiter=";")
    keys = ["reference", "direction", "registered", "date", "letter", "correspondent"]
    keys += ["subject", "due", "due_notice", "imputation", "observations"]
    writer.writerow(
        [
            _("N° d'enregistrement"),
            _("Sens"),
            _("Date d'enregistrement"),
            _("Date d'arrivée ou de départ"),
            _("Date et référence de la lettre"),
            _("Correspondant"),
            _("Objet"),
            _("Échéance"),
            _("Remarque sur l'échéance"),
            _("Imputation"),
            _("Observations"),
        ]
    )
    for row in rows:
        writer.writerow([row[key] for key in keys])
    return out.getvalue()


def closing_line(count: int, on: dt.date) -> str:
    return ngettext(
        "Arrêté le présent registre à %(n)s courrier, le %(date)s.",
        "Arrêté le présent registre à %(n)s courriers, le %(date)s.",
        # French puts 0 in the singular (« 0 courrier »); the French msgids have no catalogue
        # to say so, so 0 is asked as 1.
        count or 1,
    ) % {"n": count, "date": on.strftime("%d/%m/%Y")}


def _pdf_class():
    from fpdf import FPDF

    class RegisterPdf(FPDF):
        def __init__(self):
            super().__init__(orientation="L", unit="mm", format="A4")
            self.title_text = ""
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
            self.set_font(self.font_name, "B", 11)
            self.cell(0, 7, self.text_safe(self.title_text), new_x="LMARGIN", new_y="NEXT")

        def footer(self):
            self.set_y(-12)
            self.set_font(self.font_name, "", 7)
            self.cell(0, 6, f"{self.page_no()}/{{nb}}", align="R")

    return RegisterPdf


def _pdf_cell(row: dict, key: str) -> str:
    """The PDF has no column for « Date estimée … » (landscape A4 is full): it goes to the
    observations, as a clerk would write it there by hand."""
    if key == "observations" and row["due_notice"]:
        return " ; ".join(part for part in (row["observations"], row["due_notice"]) if part)
    return str(row[key])


def register_pdf(
    rows: list[dict], register, start: dt.date, end: dt.date, directions=None
) -> bytes:
    """One register per direction (all three unless `directions` names some), each from a new
    page, each closed by its own line and signature block."""
    directions = directions or [d for d, _label in Mail.Direction.choices]
    pdf = _pdf_class()()
    pdf.alias_nb_pages()
    # The register is closed on the last day of the period (today, for a period not over yet).
    closed_on = min(end, timezone.localdate())
    for direction in directions:
        labels = DIRECTION_LABELS[direction]
        section = [row for row in rows if row["direction_code"] == direction]
        pdf.title_text = _("%(title)s — %(org)s — du %(start)s au %(end)s") % {
            "title": labels["title"],
            "org": register.name,
            "start": start.strftime("%d/%m/%Y"),
            "end": end.strftime("%d/%m/%Y"),
        }
        pdf.add_page()
        pdf.set_font(pdf.font_name, "", 7)
        if section:
            with pdf.table(
                col_widths=[width for *_rest, width in COLUMNS],
                width=sum(width for *_rest, width in COLUMNS),
                line_height=4,
                text_align="LEFT",
                repeat_headings=1,
            ) as table:
                headings = table.row()
                for key, label, _width in COLUMNS:
                    headings.cell(pdf.text_safe(column_label(key, label, direction)))
                for row in section:
                    cells = table.row()
                    for key, _label, _width in COLUMNS:
                        cells.cell(pdf.text_safe(_pdf_cell(row, key)))
        else:
            pdf.cell(0, 8, pdf.text_safe(_("Aucun courrier enregistré sur la période.")))
            pdf.ln(8)
        if pdf.will_page_break(40):
            pdf.add_page()
        pdf.ln(6)
        pdf.set_font(pdf.font_name, "B", 9)
        pdf.cell(
            0,
            6,
            pdf.text_safe(closing_line(len(section), closed_on)),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(4)
        pdf.set_font(pdf.font_name, "", 9)
        pdf.cell(
            0,
            6,
            pdf.text_safe(_("Le chef du bureau du courrier")),
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.cell(
            0,
            6,
            pdf.text_safe(_("(nom, signature et cachet)")),
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
