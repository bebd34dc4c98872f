"""PAdES signing and verification of PDF documents (pyHanko), shared by every service.

    sign_pdf(pdf_bytes, *, signer="TGI-NIAMEY", reason="…", location="Niamey") -> bytes
    verify_pdf(pdf_bytes) -> VerificationResult

Where the keys come from, and which roots are trusted, is `guichet.signing.authority`'s business.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from guichet.signing.authority import (
    SigningConfigurationError,
    signer_files,
    trust_root_paths,
)

__all__ = ["SigningConfigurationError", "VerificationResult", "sign_pdf", "verify_pdf"]

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "SignatureGuichet"


def _run(make_coroutine):
    """Run one of pyHanko's coroutines to completion from synchronous code.

    pyHanko's own sync wrappers call asyncio.run(), which fails when the calling thread already
    runs an event loop (an ASGI server, or Playwright's sync API in the same test process); then
    the coroutine runs in a short-lived thread with its own loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


@dataclass(frozen=True)
class VerificationResult:
    """What a reader needs to know about a signed PDF.

    `authentic` is the bottom line: the signature is cryptographically intact, chains to one of our
    roots, and covers the whole file (nothing was appended after signing except long-term
    validation data). `problem` explains in French why it is not authentic ("" when it is).
    """

    authentic: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    signer_name: str = ""
    signed_at: datetime | None = None
    problem: str = ""


def sign_pdf(pdf_bytes: bytes, *, signer: str, reason: str, location: str = "Niamey") -> bytes:
    """Sign `pdf_bytes` as `signer` (PAdES-B-B, certificate chain embedded) and return the PDF."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata

    files = signer_files(signer)
    try:
        simple = signers.SimpleSigner.load(
            key_file=str(files.key),
            cert_file=str(files.cert),
            ca_chain_files=[str(path) for path in files.chain] or None,
            key_passphrase=files.passphrase,
        )
    except (OSError, ValueError) as exc:
        raise SigningConfigurationError(
            f"Clé ou certificat illisible pour « {signer} » : {exc}"
        ) from exc
    if simple is None:
        raise SigningConfigurationError(f"Clé ou certificat illisible pour « {signer} ».")

    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
    metadata = PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        location=location,
        name=simple.signing_cert.subject.native.get("common_name", signer),
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    output = BytesIO()
    _run(lambda: signers.async_sign_pdf(writer, metadata, signer=simple, output=output))
    return output.getvalue()


def _refused(problem: str, **flags) -> VerificationResult:
    values = {"intact": False, "trusted": False, "covers_whole_file": False} | flags
    return VerificationResult(authentic=False, problem=problem, **values)


def verify_pdf(pdf_bytes: bytes) -> VerificationResult:
    """Judge a PDF's signatures against our trusted roots; never raises on bad input.

    pyHanko may report a signature as `valid` although the file was extended afterwards by an
    incremental update; so we require `intact` (the signed bytes hash to the signed digest),
    `trusted` (the chain ends at one of our roots) and coverage of the entire file, or of the entire
    signed revision followed only by long-term-validation updates.
    """
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    if not pdf_bytes or not pdf_bytes.lstrip()[:5].startswith(b"%PDF"):
        return _refused("Ce fichier n'est pas un document PDF.")
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:
        logger.info("Unreadable PDF submitted for verification: %s", exc)
        return _refused("Ce fichier PDF est illisible ou endommagé.")
    if not signatures:
        return _refused("Ce document ne porte aucune signature électronique.")

    try:
        roots = [load_cert_from_pemder(str(path)) for path in trust_root_paths()]
    except (OSError, ValueError) as exc:
        logger.error("Trusted roots unreadable: %s", exc)
        return _refused("La vérification est momentanément impossible (certificats racines).")

    # The last signature must vouch for the final state of the file; earlier ones are checked too.
    async def validate_all():
        results = []
        for embedded in signatures:
            context = ValidationContext(
                trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
            )
            results.append(
                await async_validate_pdf_signature(embedded, signer_validation_context=context)
            )
        return results

    try:
        statuses = _run(validate_all)
    except Exception as exc:
        logger.info("Signature validation failed: %s", exc)
        return _refused("La signature de ce document est malformée.")

    last = statuses[-1]
    intact = all(s.intact and s.valid for s in statuses)
    trusted = all(s.trusted for s in statuses)
    # Bytes after the signed revision are accepted only as genuine long-term-validation updates
    # (DSS, document timestamps); stray bytes that form no revision (ModificationLevel.NONE with
    # partial coverage) are refused too: the file is then not the one that was signed.
    covers = last.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        last.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and last.modification_level == ModificationLevel.LTA_UPDATES
    )
    cert = last.signing_cert
    signer_name = cert.subject.native.get("common_name", "") if cert is not None else ""
    signed_at = last.signer_reported_dt

    if not intact:
        problem = "Le contenu signé a été modifié : la signature ne correspond plus au document."
    elif not trusted:
        problem = "La signature n'émane pas d'une autorité de certification reconnue par Guichet."
    elif not covers:
        problem = "Le document a été modifié après sa signature (ajout non signé)."
    else:
        problem = ""
    return VerificationResult(
        authentic=not problem,
        intact=intact,
        trusted=trusted,
        covers_whole_file=covers,
        signer_name=signer_name,
        signed_at=signed_at,
        problem=problem,
    )
