"""What a signer's certificate is worth, so that a document never claims more than it has.

* Signed by the development/test authority (authority.py): the document must say so and that it
  has no legal value.
* « Signature électronique qualifiée » only when the signer's certificate is a qualified
  certificate: it carries the QCStatements extension (RFC 3739, OID 1.3.6.1.5.5.7.1.3) with the
  statement id-etsi-qcs-QcCompliance (0.4.0.1862.1.1), as ETSI EN 319 412-5 defines it.
* Otherwise: an advanced electronic signature (PAdES) of the named signer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asn1crypto import core
from cryptography import x509
from cryptography.x509.oid import NameOID

from guichet.signing import authority

QC_STATEMENTS_OID = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3")
QC_COMPLIANCE = "0.4.0.1862.1.1"  # ETSI EN 319 412-5, id-etsi-qcs-QcCompliance


class _QcStatement(core.Sequence):
    _fields = [
        ("statement_id", core.ObjectIdentifier),
        ("statement_info", core.Any, {"optional": True}),
    ]


class _QcStatements(core.SequenceOf):
    _child_spec = _QcStatement


@dataclass(frozen=True)
class SignerStatus:
    test_authority: bool
    qualified: bool
    subject: str

    @property
    def statement(self) -> str:
        """The sentence a signed document prints about its signature (French)."""
        if self.test_authority:
            return (
                "Signé par l'autorité de test de Guichet — document de démonstration, "
                "sans valeur légale"
            )
        if self.qualified:
            return f"Signature électronique qualifiée (PAdES) de : {self.subject}"
        return f"Signature électronique avancée (PAdES) de : {self.subject}"


def is_qualified(certificate: x509.Certificate) -> bool:
    try:
        extension = certificate.extensions.get_extension_for_oid(QC_STATEMENTS_OID)
    except x509.ExtensionNotFound:
        return False
    raw = extension.value.value if hasattr(extension.value, "value") else b""
    try:
        statements = _QcStatements.load(raw)
        return any(s["statement_id"].dotted == QC_COMPLIANCE for s in statements)
    except (ValueError, TypeError):
        return False


def _common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else name.rfc4514_string()


def signer_status(signer: str) -> SignerStatus:
    """What the certificate that signs for `signer` is (same lookup as sign_pdf)."""
    files = authority.signer_files(signer)
    certificate = x509.load_pem_x509_certificate(Path(files.cert).read_bytes())
    test_dir = (authority.signing_dir() / authority.TEST_AUTHORITY_DIR).resolve()
    from_test_dir = test_dir in Path(files.cert).resolve().parents
    test = from_test_dir or _common_name(certificate.issuer) == authority.ROOT_COMMON_NAME
    return SignerStatus(
        test_authority=test,
        qualified=not test and is_qualified(certificate),
        subject=_common_name(certificate.subject),
    )
