"""Law n° 2022-59 (issue 14): where an identity is hidden, a PDF loses its author — document
information and XMP — and keeps its pages as they were."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
)

from guichet import uploads

XMP = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:creator><rdf:Seq><rdf:li>Moussa Issa</rdf:li></rdf:Seq></dc:creator>
<xmp:CreatorTool>Microsoft Word 2019</xmp:CreatorTool>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def _signed_pdf() -> bytes:
    """Two pages with text, /Author « Moussa Issa », a catalogue XMP packet and a page one."""
    writer = PdfWriter()
    for text in (b"Facture du centre de sante", b"Page deux : recu"):
        page = writer.add_blank_page(width=595, height=842)
        content = DecodedStreamObject()
        content.set_data(b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET")
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        page[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata(
        {
            "/Author": "Moussa Issa",
            "/Creator": "Microsoft Word 2019",
            "/Producer": "Microsoft: Print To PDF",
            "/Title": "Plainte de Moussa Issa",
        }
    )
    packet = DecodedStreamObject()
    packet.set_data(XMP)
    packet.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    writer._root_object[NameObject("/Metadata")] = writer._add_object(packet)
    writer.pages[0][NameObject("/Metadata")] = writer._add_object(packet)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("plainte.pdf", data, content_type="application/pdf")


def test_the_author_and_the_xmp_are_removed_and_the_pages_kept():
    original = _signed_pdf()
    before = PdfReader(io.BytesIO(original))
    assert before.metadata.author == "Moussa Issa" and before.xmp_metadata is not None
    cleaned = uploads.without_pdf_metadata(_upload(original)).read()
    after = PdfReader(io.BytesIO(cleaned))
    assert not after.metadata  # no /Author, /Creator, /Producer, /Title
    assert after.xmp_metadata is None
    assert "/Metadata" not in after.pages[0]
    assert b"Moussa" not in cleaned and b"Microsoft" not in cleaned
    assert len(after.pages) == len(before.pages) == 2
    for page_before, page_after in zip(before.pages, after.pages, strict=True):
        assert page_after.get_contents().get_data() == page_before.get_contents().get_data()
        assert page_after.mediabox == page_before.mediabox
        assert page_after.extract_text() == page_before.extract_text()


def test_an_image_or_another_file_is_left_to_the_image_rules():
    text = SimpleUploadedFile("note.txt", b"bonjour", content_type="text/plain")
    assert uploads.without_pdf_metadata(text) is text


def test_a_pdf_keeps_its_metadata_where_no_identity_is_hidden():
    kept = uploads.without_identifying_metadata(_upload(_signed_pdf()), hidden_identity=False)
    assert PdfReader(kept).metadata.author == "Moussa Issa"
    hidden = uploads.without_identifying_metadata(_upload(_signed_pdf()), hidden_identity=True)
    assert not PdfReader(hidden).metadata


def test_an_encrypted_pdf_is_refused_in_french():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_signed_pdf())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ValidationError, match="mot de passe"):
        uploads.without_pdf_metadata(_upload(out.getvalue()))
