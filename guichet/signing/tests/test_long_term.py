"""PAdES-B-LTA: every signature carries an RFC 3161 timestamp, the chains' certificates and CRLs in
the DSS and a document timestamp; verified independently with pyHanko's AdES validator
(ETSI EN 319 102-1 § 5.6.3), including long after the signer's certificate has expired."""

import dataclasses
import datetime as dt
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from guichet.signing import authority, run_coroutine, sign_pdf, verify_pdf
from guichet.signing.authority import SigningConfigurationError
from tests.pdf_samples import unsigned_pdf


def _pdf() -> bytes:
    return unsigned_pdf("Journal officiel, numéro de test")


def _root():
    key_path, cert_path = authority._ensure_test_root()
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    return key, x509.load_pem_x509_certificate(cert_path.read_bytes())


def _short_lived_signer(settings, tmp_path, days: int = 2):
    """A signer whose certificate, issued by the test root, expires in `days` days."""
    root_key, root_cert = _root()
    key, cert = authority.make_signer_certificate(
        root_key, root_cert, "SGG", lifetime=dt.timedelta(days=days)
    )
    folder = tmp_path / "short"
    folder.mkdir()
    (folder / "key.pem").write_bytes(authority._key_pem(key))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    settings.SIGNING_SIGNERS = {
        "sgg": {
            "key": folder / "key.pem",
            "cert": folder / "cert.pem",
            "chain": [authority._ensure_test_root()[1]],
        }
    }
    return cert


def _asn1(cert):
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _ades_lta(signed: bytes, at: dt.datetime):
    """pyHanko's own LTA validation at `at`, trusting only the test root, revocation data required
    for every certificate and taken only from the file (plus the CRL the root publishes at `at`,
    which a verifier fetches for the newest document timestamp)."""
    from asn1crypto import crl as asn1_crl
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.ades import ades_lta_validation
    from pyhanko.sign.validation.policy_decl import (
        LocalKnowledge,
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
    from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
    from pyhanko_certvalidator.registry import SimpleTrustManager
    from pyhanko_certvalidator.revinfo.archival import CRLContainer

    root_key, root_cert = _root()
    current_crl = authority.make_crl(root_key, root_cert, at=at)
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=[_asn1(root_cert)]),
                revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
            local_knowledge=LocalKnowledge(
                known_crls=[
                    CRLContainer(
                        asn1_crl.CertificateList.load(
                            current_crl.public_bytes(serialization.Encoding.DER)
                        )
                    )
                ]
            ),
        )
    )

    async def validate():
        reader = PdfFileReader(BytesIO(signed))
        return await ades_lta_validation(
            reader.embedded_regular_signatures[0],
            spec,
            timing_info=ValidationTimingInfo(at, at, point_in_time_validation=True),
        )

    # Through guichet.signing's runner: Playwright's sync API may hold a running loop in this
    # thread when browser tests ran earlier in the same worker.
    return run_coroutine(validate)


def _passed(result) -> bool:
    from pyhanko.sign.ades.report import AdESPassed

    return result.ades_subindic == AdESPassed.OK


def _sign_without_timestamp(pdf: bytes, signer: str) -> bytes:
    """The old PAdES-B-B signature, as the control: no timestamp, no validation data."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata

    files = authority.signer_files(signer)
    simple = signers.SimpleSigner.load(
        key_file=str(files.key), cert_file=str(files.cert), ca_chain_files=[str(files.chain[0])]
    )
    metadata = PdfSignatureMetadata(
        field_name="Sig", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    output = BytesIO()
    pdf_signer = signers.PdfSigner(metadata, signer=simple)
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    run_coroutine(lambda: pdf_signer.async_sign_pdf(writer, output=output))
    return output.getvalue()


def test_a_signature_carries_a_timestamp_validation_data_and_a_document_timestamp():
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    signed = sign_pdf(_pdf(), signer="sgg", reason="Journal officiel")
    reader = PdfFileReader(BytesIO(signed))
    signature = reader.embedded_regular_signatures[0]
    assert list(extract_tst_data_iter(signature.signer_info, signed=False))  # RFC 3161
    assert len(reader.embedded_timestamp_signatures) >= 1  # the archive (document) timestamp
    dss = DocumentSecurityStore.read_dss(reader)
    assert dss.crls, "the test root's CRL is embedded"
    subjects = {cert.subject.native["common_name"] for cert in dss.load_certs()}
    assert {"SGG", authority.TSA_COMMON_NAME, authority.ROOT_COMMON_NAME} <= subjects


def test_pyhanko_validates_the_signature_as_pades_lta_today():
    signed = sign_pdf(_pdf(), signer="sgg", reason="Journal officiel")
    result = _ades_lta(signed, dt.datetime.now(dt.UTC))
    assert _passed(result), result.failure_msg
    assert result.oldest_evidence_record_timestamp is not None


def test_the_signature_still_validates_after_the_signer_certificate_expired(settings, tmp_path):
    cert = _short_lived_signer(settings, tmp_path, days=2)
    signed = sign_pdf(_pdf(), signer="sgg", reason="Journal officiel")
    after_expiry = cert.not_valid_after_utc + dt.timedelta(days=365)
    result = _ades_lta(signed, after_expiry)
    assert _passed(result), result.failure_msg
    assert result.best_signature_time < cert.not_valid_after_utc


def test_without_timestamp_the_same_signature_fails_after_expiry(settings, tmp_path):
    """The control: the validator does tell an expired B-B signature from a B-LTA one."""
    cert = _short_lived_signer(settings, tmp_path, days=2)
    signed = _sign_without_timestamp(_pdf(), "sgg")
    after_expiry = cert.not_valid_after_utc + dt.timedelta(days=365)
    assert not _passed(_ades_lta(signed, after_expiry))


def test_verification_reports_the_timestamp_and_its_authority():
    before = dt.datetime.now(dt.UTC)
    result = verify_pdf(sign_pdf(_pdf(), signer="sgg", reason="Journal officiel"))
    assert result.authentic, result.problem
    assert result.long_term
    assert result.timestamp_authority == authority.TSA_COMMON_NAME
    assert before - dt.timedelta(seconds=5) <= result.timestamped_at <= dt.datetime.now(dt.UTC)


def test_verify_pdf_accepts_an_expired_signer_thanks_to_its_timestamp(settings, tmp_path):
    import time_machine

    cert = _short_lived_signer(settings, tmp_path, days=2)
    timestamped = sign_pdf(_pdf(), signer="sgg", reason="Journal officiel")
    plain = _sign_without_timestamp(_pdf(), "sgg")
    with time_machine.travel(cert.not_valid_after_utc + dt.timedelta(days=30), tick=False):
        assert verify_pdf(timestamped).authentic, verify_pdf(timestamped).problem
        refused = verify_pdf(plain)
    assert not refused.authentic and not refused.trusted


def test_no_tsa_and_no_test_authority_refuses_to_sign(settings):
    from guichet.signing.timestamping import timestamper

    settings.SIGNING_ALLOW_TEST_AUTHORITY = False
    with pytest.raises(SigningConfigurationError, match="GUICHET_TSA_URL"):
        timestamper()


def test_certificates_from_before_the_crls_are_replaced(settings):
    files = authority.signer_files("sgg")
    root_key, root_cert = _root()
    old = (
        x509.CertificateBuilder()
        .subject_name(root_cert.subject)
        .issuer_name(root_cert.subject)
        .public_key(root_key.public_key())
        .serial_number(1)
        .not_valid_before(root_cert.not_valid_before_utc)
        .not_valid_after(root_cert.not_valid_after_utc)
        .sign(root_key, authority.hashes.SHA256())
    )
    files.cert.write_bytes(old.public_bytes(serialization.Encoding.PEM))
    renewed = authority.signer_files("sgg")
    assert authority._names_test_crl(renewed.cert)
    assert verify_pdf(sign_pdf(_pdf(), signer="sgg", reason="JO")).authentic


def test_production_without_a_tsa_is_warned_about_by_the_deploy_check(settings):
    from django.core.checks import run_checks

    settings.DEBUG = False
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "guichet.W003" in ids
    settings.SIGNING_TSA_URL = "https://tsa.example.ne/rfc3161"
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "guichet.W003" not in ids


def test_the_signing_spec_replaces_nothing_in_the_dataclass():
    # guards the helper above against a pyHanko API change that would make it vacuous
    from pyhanko.sign.validation.policy_decl import SignatureValidationSpec

    assert "local_knowledge" in {f.name for f in dataclasses.fields(SignatureValidationSpec)}
