"""Files the platform writes for others to open: spreadsheets (CSV) and XML documents.

CSV — OWASP "CSV Injection": a cell beginning with = + - @, a tab or a carriage return is read by
spreadsheet programs as a formula (`=HYPERLINK(…)` in a complaint became a link in the handler's
Excel). Every CSV export writes through `spreadsheet_writer`, which prefixes such cells with an
apostrophe, as OWASP advises. (Data interchange files read by programs — GTFS — are not
spreadsheets and keep their values exactly.)

XML — XML 1.0 §2.2 (Char production): only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
[#x10000-#x10FFFF] may appear in a document; a control character typed in a complaint made the
Open311 XML malformed. Every XML writer passes its text through `xml_text`.
"""

import csv
import re

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 §2.2: everything outside the Char production.
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def neutralised_cell(value) -> object:
    """The value as a spreadsheet will show it, never run it: text starting like a formula
    gets a leading apostrophe. Numbers are left as numbers (a negative amount is no formula)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class _NeutralisingWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([neutralised_cell(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def spreadsheet_writer(out, **csv_options) -> _NeutralisingWriter:
    """A csv.writer whose cells cannot be formulas; use it for every CSV meant for people."""
    return _NeutralisingWriter(csv.writer(out, **csv_options))


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 does not allow (C0 controls but tab and newlines,
    lone surrogates, U+FFFE and U+FFFF)."""
    return _NOT_XML_CHAR.sub("", value)
