"""A document never claims a better signature than its certificate gives."""

import datetime as dt

from asn1crypto import core
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from guichet.signing import authority, qualification


def _certificate(*, qc_statement_ids=(), issuer_name="AC Justice du Niger"):
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "TGI-NIAMEY")]))
        .issuer_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, issuer_name)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
    )
    if qc_statement_ids:
        statements = qualification._QcStatements(
            [
                qualification._QcStatement({"statement_id": core.ObjectIdentifier(oid)})
                for oid in qc_statement_ids
            ]
        )
        builder = builder.add_extension(
            x509.UnrecognizedExtension(qualification.QC_STATEMENTS_OID, statements.dump()),
            critical=False,
        )
    return key, builder.sign(key, hashes.SHA256())


def test_qualified_only_with_the_etsi_qc_compliance_statement():
    assert qualification.is_qualified(_certificate(qc_statement_ids=["0.4.0.1862.1.1"])[1])
    # Another QC statement (QcSSCD alone) or none at all: not a qualified certificate.
    assert not qualification.is_qualified(_certificate(qc_statement_ids=["0.4.0.1862.1.4"])[1])
    assert not qualification.is_qualified(_certificate()[1])


def test_the_test_authority_says_it_has_no_legal_value(settings, tmp_path):
    settings.SIGNING_DIR = tmp_path
    settings.SIGNING_ALLOW_TEST_AUTHORITY = True
    status = qualification.signer_status("TGI-NIAMEY")
    assert status.test_authority and not status.qualified
    assert "autorité de test" in status.statement and "sans valeur légale" in status.statement
    assert "qualifiée" not in status.statement


def _install(tmp_path, settings, cert, key):
    folder = tmp_path / "signers" / "tgi-niamey"
    folder.mkdir(parents=True)
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    settings.SIGNING_DIR = tmp_path
    settings.SIGNING_ALLOW_TEST_AUTHORITY = False


def test_a_qualified_certificate_is_called_qualified(settings, tmp_path):
    key, cert = _certificate(qc_statement_ids=["0.4.0.1862.1.1"])
    _install(tmp_path, settings, cert, key)
    status = qualification.signer_status("TGI-NIAMEY")
    assert status.qualified and "qualifiée" in status.statement and "TGI-NIAMEY" in status.statement


def test_a_production_certificate_without_qc_statement_is_only_advanced(settings, tmp_path):
    key, cert = _certificate()
    _install(tmp_path, settings, cert, key)
    status = qualification.signer_status("TGI-NIAMEY")
    assert not status.qualified and not status.test_authority
    assert "avancée" in status.statement and "qualifiée" not in status.statement


def test_a_copy_of_a_test_certificate_is_still_the_test_authority(settings, tmp_path):
    key, cert = _certificate(issuer_name=authority.ROOT_COMMON_NAME)
    _install(tmp_path, settings, cert, key)
    assert qualification.signer_status("TGI-NIAMEY").test_authority
