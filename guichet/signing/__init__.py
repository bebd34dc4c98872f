"""PAdES signing and verification of PDF documents (pyHanko), shared by every service.

    sign_pdf(pdf_bytes, *, signer="TGI-NIAMEY", reason="…", location="Niamey") -> bytes
    verify_pdf(pdf_bytes) -> VerificationResult

Signatures are PAdES-B-LTA (ETSI EN 319 142-1 § 6): the CMS signature carries an RFC 3161
signature timestamp, the document security store (DSS) holds the certificates and revocation
lists that validate the signer's and the TSA's chains, and a document timestamp covers it all, so
that the signature stays verifiable after the signer's certificate expires.

Where the keys come from, and which roots are trusted, is `guichet.signing.authority`'s business;
which time-stamping authority stamps, `guichet.signing.timestamping`'s.
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
from guichet.translatable import gettext_noop

__all__ = ["SigningConfigurationError", "VerificationResult", "sign_pdf", "verify_pdf"]

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "SignatureGuichet"


def run_coroutine(make_coroutine):
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
    validation data). `problem` explains in French why it is not authentic ("" when it is): a
    msgid marked with gettext_noop, translated where it is shown (`gettext(result.problem)`,
    `{% translate result.problem %}`), since the person checking a document reads their language.
    """

    authentic: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    signer_name: str = ""
    signed_at: datetime | None = None
    problem: str = ""
    # The RFC 3161 signature timestamp: when a time-stamping authority saw the signature, and who.
    timestamped_at: datetime | None = None
    timestamp_authority: str = ""
    # Validation data embedded and sealed by a document timestamp (PAdES-B-LTA).
    long_term: bool = False


def _signing_validation_context(roots):
    """What the signer knows of the chains when it signs: our roots, the CRLs it embeds, and
    (unless the test authority signs) whatever revocation data it fetches online."""
    from asn1crypto import crl as asn1_crl
    from pyhanko_certvalidator import ValidationContext

    from guichet.signing.authority import revocation_lists, test_authority_allowed

    settings_fetch = getattr(_settings(), "SIGNING_FETCH_REVOCATION", None)
    allow_fetching = (not test_authority_allowed()) if settings_fetch is None else settings_fetch
    return ValidationContext(
        trust_roots=roots,
        crls=[asn1_crl.CertificateList.load(data) for data in revocation_lists()],
        allow_fetching=bool(allow_fetching),
        revocation_mode="hard-fail",
    )


def _settings():
    from django.conf import settings

    return settings


def sign_pdf(pdf_bytes: bytes, *, signer: str, reason: str, location: str = "Niamey") -> bytes:
    """Sign `pdf_bytes` as `signer` in PAdES-B-LTA and return the PDF.

    Signature timestamp from the configured TSA, certificate chains and CRLs in the DSS, then a
    document timestamp. Raises SigningConfigurationError when a key, a root or the TSA is missing."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner

    from guichet.signing.timestamping import timestamper

    files = signer_files(signer)
    try:
        simple = signers.SimpleSigner.load(
            key_file=str(files.key),
            cert_file=str(files.cert),
            ca_chain_files=[str(path) for path in files.chain] or None,
            key_passphrase=files.passphrase,
        )
        roots = [load_cert_from_pemder(str(path)) for path in trust_root_paths()]
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
        embed_validation_info=True,
        use_pades_lta=True,
        validation_context=_signing_validation_context(roots),
    )
    pdf_signer = PdfSigner(metadata, signer=simple, timestamper=timestamper())
    output = BytesIO()
    try:
        run_coroutine(lambda: pdf_signer.async_sign_pdf(writer, output=output))
    except SigningConfigurationError:
        raise
    except Exception as exc:
        # A TSA that does not answer, or a chain whose revocation status cannot be established:
        # the document is not signed rather than signed without its long-term data.
        logger.error("PAdES-B-LTA signature for %s failed: %s", signer, exc)
        raise SigningConfigurationError(
            f"Signature PAdES-B-LTA impossible pour « {signer} » : {exc}"
        ) from exc
    return output.getvalue()


def _refused(problem: str, **flags) -> VerificationResult:
    values = {"intact": False, "trusted": False, "covers_whole_file": False} | flags
    return VerificationResult(authentic=False, problem=problem, **values)


def _common_name(cert) -> str:
    return cert.subject.native.get("common_name", "") if cert is not None else ""


def verify_pdf(pdf_bytes: bytes) -> VerificationResult:
    """Judge a PDF's signatures against our trusted roots; never raises on bad input.

    pyHanko may report a signature as `valid` although the file was extended afterwards by an
    incremental update; so we require `intact` (the signed bytes hash to the signed digest),
    `trusted` (the chain ends at one of our roots) and coverage of the entire file, or of the entire
    signed revision followed only by long-term-validation updates (DSS, document timestamps).

    A signer's chain that no longer validates today (its certificate expired) is judged at the
    time of its RFC 3161 signature timestamp, provided that timestamp is itself intact and
    trusted: the timestamp proves the signature existed while the certificate was valid.
    """
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not pdf_bytes or not pdf_bytes.lstrip()[:5].startswith(b"%PDF"):
        return _refused(gettext_noop("Ce fichier n'est pas un document PDF."))
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_regular_signatures
        document_timestamps = reader.embedded_timestamp_signatures
    except Exception as exc:
        logger.info("Unreadable PDF submitted for verification: %s", exc)
        return _refused(gettext_noop("Ce fichier PDF est illisible ou endommagé."))
    if not signatures:
        return _refused(gettext_noop("Ce document ne porte aucune signature électronique."))

    try:
        roots = [load_cert_from_pemder(str(path)) for path in trust_root_paths()]
    except (OSError, ValueError) as exc:
        logger.error("Trusted roots unreadable: %s", exc)
        return _refused(
            gettext_noop("La vérification est momentanément impossible (certificats racines).")
        )

    try:
        statuses, stamps = run_coroutine(
            lambda: _validate_all(signatures, document_timestamps, roots)
        )
    except Exception as exc:
        logger.info("Signature validation failed: %s", exc)
        return _refused(gettext_noop("La signature de ce document est malformée."))
    return _judge(statuses, stamps, ends_cleanly=_ends_at_last_revision(pdf_bytes, reader))


def _ends_at_last_revision(pdf_bytes: bytes, reader) -> bool:
    """Nothing but white space follows the last revision's %%EOF (ISO 32000-2 § 7.5.5).

    Long-term-validation updates follow the signed revision, so pyHanko's coverage says only
    "entire revision"; stray bytes appended after the last update form no revision and would go
    unnoticed by its diff analysis."""
    end = pdf_bytes.find(b"%%EOF", reader.last_startxref or 0)
    return end >= 0 and not pdf_bytes[end + 5 :].strip(b" \t\r\n\f\x00")


async def _validate_all(signatures, document_timestamps, roots):
    from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp
    from pyhanko_certvalidator import ValidationContext

    def context(moment=None):
        return ValidationContext(
            trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=moment
        )

    statuses = []
    for embedded in signatures:
        status = await async_validate_pdf_signature(
            embedded, signer_validation_context=context(), ts_validation_context=context()
        )
        stamp = status.timestamp_validity
        stamp_good = stamp is not None and stamp.intact and stamp.valid and stamp.trusted
        if not status.trusted and stamp_good:
            # Past validation: the chain as it stood when the TSA saw the signature.
            status = await async_validate_pdf_signature(
                embedded,
                signer_validation_context=context(stamp.timestamp),
                ts_validation_context=context(),
            )
        statuses.append(status)
    stamps = [
        await async_validate_pdf_timestamp(embedded, validation_context=context())
        for embedded in document_timestamps
    ]
    return statuses, stamps


def _judge(statuses, stamps, *, ends_cleanly: bool) -> VerificationResult:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    last = statuses[-1]
    intact = all(s.intact and s.valid for s in statuses + stamps)
    trusted = all(s.trusted for s in statuses + stamps)
    # Bytes after the signed revision are accepted only as genuine long-term-validation updates
    # (DSS, document timestamps); stray bytes that form no revision (ModificationLevel.NONE with
    # partial coverage) are refused too: the file is then not the one that was signed.
    covers = ends_cleanly and (
        last.coverage == SignatureCoverageLevel.ENTIRE_FILE
        or (
            last.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and last.modification_level == ModificationLevel.LTA_UPDATES
        )
    )
    stamp = last.timestamp_validity

    if not intact:
        problem = gettext_noop(
            "Le contenu signé a été modifié : la signature ne correspond plus au document."
        )
    elif not trusted:
        problem = gettext_noop(
            "La signature n'émane pas d'une autorité de certification reconnue par Guichet."
        )
    elif not covers:
        problem = gettext_noop("Le document a été modifié après sa signature (ajout non signé).")
    else:
        problem = ""
    return VerificationResult(
        authentic=not problem,
        intact=intact,
        trusted=trusted,
        covers_whole_file=covers,
        signer_name=_common_name(last.signing_cert),
        signed_at=last.signer_reported_dt,
        problem=problem,
        timestamped_at=stamp.timestamp if stamp is not None else None,
        timestamp_authority=_common_name(stamp.signing_cert) if stamp is not None else "",
        long_term=bool(stamps) and last.modification_level == ModificationLevel.LTA_UPDATES,
    )
