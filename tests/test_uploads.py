import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet import uploads

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ELF_BYTES = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def test_a_pdf_is_recognised_by_its_content_whatever_its_name():
    upload = SimpleUploadedFile("photo.jpg", PDF_BYTES, content_type="image/jpeg")
    kind = uploads.accepted_kind(upload, {uploads.PDF}, "Refusé")
    assert kind == uploads.FileKind("application/pdf", "pdf")
    assert upload.read() == PDF_BYTES  # rewound for the caller


def test_a_renamed_program_is_refused_and_named_as_such():
    upload = SimpleUploadedFile("scan.pdf", ELF_BYTES, content_type="application/pdf")
    with pytest.raises(ValidationError, match="programme exécutable"):
        uploads.accepted_kind(upload, {uploads.PDF, uploads.PNG}, "Joignez un PDF")


def test_an_unknown_content_is_refused():
    upload = SimpleUploadedFile("note.pdf", b"just some text", content_type="application/pdf")
    with pytest.raises(ValidationError, match="type inconnu"):
        uploads.accepted_kind(upload, {uploads.PDF}, "Joignez un PDF")
