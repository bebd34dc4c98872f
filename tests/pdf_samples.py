"""PDFs for tests of the signature checks: a one-page document signed by nobody, and what each
language's reader is told about it."""

from fpdf import FPDF

# « This document bears no electronic signature », as each reader is told (guichet.signing).
NO_SIGNATURE_IN_EACH_LANGUAGE = [
    ("fr", "Ce document ne porte aucune signature électronique."),
    ("en", "This document bears no electronic signature."),
    ("ha", "Wannan takarda ba ta da sa hannun lantarki."),
    ("dje", "Tiira woo sinda kabe daŋyaŋ elektronik."),
]


def unsigned_pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=text)
    return bytes(pdf.output())
