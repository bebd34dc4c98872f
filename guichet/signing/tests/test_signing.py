"""Signing and verification: authentic, altered two ways, and signed by an authority we don't trust."""

from io import BytesIO

import pytest
from cryptography.hazmat.primitives import serialization
from fpdf import FPDF

from guichet.signing import sign_pdf, verify_pdf
from guichet.signing.authority import (
    SigningConfigurationError,
    make_crl,
    make_root,
    make_signer_certificate,
)


def _pdf(text: str = "Bulletin de test") -> bytes:
    pdf = FPDF()
    pdf.set_compression(False)  # keeps the text visible in the bytes, for the tampering test
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=text)
    return bytes(pdf.output())


def test_signed_pdf_is_authentic():
    signed = sign_pdf(_pdf(), signer="TGI-NIAMEY", reason="Extrait de casier judiciaire")
    result = verify_pdf(signed)
    assert result.authentic, result.problem
    assert result.intact and result.trusted and result.covers_whole_file
    assert result.signer_name == "TGI-NIAMEY"
    assert result.signed_at is not None
    assert result.problem == ""


def test_test_authority_is_reused_between_signatures(settings):
    sign_pdf(_pdf(), signer="sgg", reason="Journal officiel")
    root = (settings.SIGNING_DIR / "test-authority" / "root.cert.pem").read_bytes()
    sign_pdf(_pdf(), signer="sgg", reason="Journal officiel")
    assert (settings.SIGNING_DIR / "test-authority" / "root.cert.pem").read_bytes() == root


def test_bytes_changed_inside_signed_range_are_detected():
    signed = sign_pdf(_pdf("Aucune condamnation"), signer="TGI-NIAMEY", reason="Extrait")
    assert b"Aucune condamnation" in signed
    tampered = signed.replace(b"Aucune condamnation", b"Autre condamnation!")
    result = verify_pdf(tampered)
    assert not result.authentic
    assert not result.intact
    assert "modifi" in result.problem


def test_incremental_update_after_signing_is_detected():
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = sign_pdf(_pdf("Aucune condamnation"), signer="TGI-NIAMEY", reason="Extrait")
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    writer.add_stream_to_page(
        0,
        writer.add_object(
            generic.StreamObject(stream_data=b"BT /F1 14 Tf 20 200 Td (Condamne a 5 ans) Tj ET")
        ),
    )
    out = BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert result.intact  # the signed revision itself is untouched…
    assert not result.covers_whole_file  # …but it no longer vouches for what is displayed
    assert not result.authentic


def test_bytes_appended_after_signing_are_refused():
    signed = sign_pdf(_pdf(), signer="TGI-NIAMEY", reason="Extrait")
    result = verify_pdf(signed + b"\n% appended after signing\n")
    assert result.intact and not result.covers_whole_file and not result.authentic


def test_signature_from_an_untrusted_authority_is_not_trusted(settings, tmp_path):
    root_key, root_cert = make_root("Autorité inconnue")
    key, cert = make_signer_certificate(root_key, root_cert, "TGI-NIAMEY")
    folder = tmp_path / "rogue"
    folder.mkdir()
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "ca.pem").write_bytes(root_cert.public_bytes(serialization.Encoding.PEM))
    (folder / "ca.crl").write_bytes(
        make_crl(root_key, root_cert).public_bytes(serialization.Encoding.DER)
    )
    settings.SIGNING_SIGNERS = {
        "TGI-NIAMEY": {
            "key": folder / "key.pem",
            "cert": folder / "cert.pem",
            "chain": [folder / "ca.pem"],
        }
    }
    # The rogue authority trusts itself when it signs (B-LTA validates the chain it embeds)…
    settings.SIGNING_TRUST_ROOTS = [folder / "ca.pem"]
    settings.SIGNING_CRLS = [folder / "ca.crl"]
    signed = sign_pdf(_pdf(), signer="TGI-NIAMEY", reason="Extrait")
    # …but Guichet does not trust it.
    settings.SIGNING_SIGNERS = {}
    settings.SIGNING_TRUST_ROOTS = []
    result = verify_pdf(signed)
    assert result.intact
    assert not result.trusted
    assert not result.authentic
    assert "autorité" in result.problem


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"", "pas un document PDF"),
        (b"GIF89a garbage", "pas un document PDF"),
        (b"%PDF-1.7\n garbage without xref", "illisible"),
    ],
)
def test_garbage_is_refused_without_exception(data, problem):
    result = verify_pdf(data)
    assert not result.authentic
    assert problem in result.problem


def test_unsigned_pdf_is_not_authentic():
    result = verify_pdf(_pdf())
    assert not result.authentic
    assert "aucune signature" in result.problem


def test_without_test_authority_an_unconfigured_signer_is_an_error(settings):
    settings.SIGNING_ALLOW_TEST_AUTHORITY = False
    with pytest.raises(SigningConfigurationError):
        sign_pdf(_pdf(), signer="TGI-ZINDER", reason="Extrait")


def test_works_while_the_thread_runs_an_event_loop():
    # ASGI servers and Playwright's sync API keep a loop running in the calling thread.
    import asyncio

    async def inside_a_loop():
        signed = sign_pdf(_pdf(), signer="TGI-NIAMEY", reason="Extrait")
        return verify_pdf(signed)

    # A thread of its own, so that the test does not depend on what else runs in this process.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result().authentic
