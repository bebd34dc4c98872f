"""Keys and certificates of the signers, and the roots that verification trusts.

Two sources, in this order:

1. Production: per-signer files named in ``settings.SIGNING_SIGNERS`` (see docs/criminal_records.md):
   ``{"TGI-NIAMEY": {"key": "/etc/guichet/pki/tgi-niamey.key.pem",
   "cert": "/etc/guichet/pki/tgi-niamey.cert.pem", "chain": ["/etc/guichet/pki/ca.pem"],
   "passphrase_env": "GUICHET_PKI_TGI_NIAMEY_PASS"}}``; or, with no entry for a signer, the
   directory layout ``SIGNING_DIR/signers/<name>/{key.pem,cert.pem,chain.pem}``. Trusted roots are
   ``settings.SIGNING_TRUST_ROOTS`` (a list of PEM paths) plus every ``SIGNING_DIR/trust/*.pem``.
2. Development and tests (``settings.SIGNING_ALLOW_TEST_AUTHORITY``): a test certificate authority
   generated on first use under ``SIGNING_DIR/test-authority/`` (root + one certificate per signer
   + one time-stamping certificate for the development TSA), reused afterwards. Its root is trusted
   only while the test authority is allowed. Its certificates name a CRL distribution point and
   the root issues a fresh, empty CRL on demand (`test_crl`), embedded by PAdES-B-LTA signatures.

Revocation lists that signing embeds besides the fetched ones: ``settings.SIGNING_CRLS`` (DER or
PEM paths), plus the test authority's CRL while it is allowed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from guichet import locks

TEST_AUTHORITY_DIR = "test-authority"
ROOT_COMMON_NAME = "Guichet — autorité de test (non valable hors développement)"
TSA_COMMON_NAME = "Guichet — horodatage de test (non valable hors développement)"
# Never resolvable (RFC 6761 .invalid): the CRL is embedded in the PDF, never fetched.
TEST_CRL_URL = "http://pki.guichet.invalid/test-authority/root.crl"
TEST_CRL_VALIDITY = dt.timedelta(days=7)


class SigningConfigurationError(Exception):
    """A signer has no key, or its files cannot be read: an operator must fix the configuration."""


@dataclass(frozen=True)
class SignerFiles:
    key: Path
    cert: Path
    chain: tuple[Path, ...]
    passphrase: bytes | None = None


def _settings():
    from django.conf import settings

    return settings


def signing_dir() -> Path:
    return Path(getattr(_settings(), "SIGNING_DIR", Path("var") / "pki"))


def test_authority_allowed() -> bool:
    return bool(getattr(_settings(), "SIGNING_ALLOW_TEST_AUTHORITY", False))


def test_authority_in_production() -> bool:
    """The deploy check's question (guichet.accounts.checks): test authority with DEBUG off."""
    return test_authority_allowed() and not _settings().DEBUG


def file_name_for(signer: str) -> str:
    """Signer names are codes ("sgg", "TGI-NIAMEY"); on disk they are lower-case slugs."""
    slug = re.sub(r"[^a-z0-9-]+", "-", signer.strip().lower()).strip("-")
    if not slug:
        raise SigningConfigurationError(f"Nom de signataire invalide : {signer!r}")
    return slug


def signer_files(signer: str) -> SignerFiles:
    """The key, certificate and chain that sign for `signer`, creating test ones if allowed."""
    configured = getattr(_settings(), "SIGNING_SIGNERS", {}) or {}
    entry = (
        configured.get(signer) or configured.get(signer.lower()) or configured.get(signer.upper())
    )
    if entry:
        passphrase = None
        if entry.get("passphrase_env"):
            passphrase = os.environ.get(entry["passphrase_env"], "").encode() or None
        return SignerFiles(
            key=Path(entry["key"]),
            cert=Path(entry["cert"]),
            chain=tuple(Path(p) for p in entry.get("chain", [])),
            passphrase=passphrase,
        )
    folder = signing_dir() / "signers" / file_name_for(signer)
    if (folder / "key.pem").exists() and (folder / "cert.pem").exists():
        chain = (folder / "chain.pem",) if (folder / "chain.pem").exists() else ()
        return SignerFiles(key=folder / "key.pem", cert=folder / "cert.pem", chain=chain)
    if test_authority_allowed():
        return _test_signer_files(signer)
    raise SigningConfigurationError(
        f"Aucune clé de signature configurée pour « {signer} » (SIGNING_SIGNERS ou {folder})."
    )


def trust_root_paths() -> list[Path]:
    """PEM files of the roots whose chains verification accepts."""
    paths = [Path(p) for p in getattr(_settings(), "SIGNING_TRUST_ROOTS", []) or []]
    trust_dir = signing_dir() / "trust"
    if trust_dir.is_dir():
        paths.extend(sorted(trust_dir.glob("*.pem")))
    if test_authority_allowed():
        paths.append(_ensure_test_root()[1])
    return paths


# --- The test authority -------------------------------------------------------------------------


def _test_dir() -> Path:
    return signing_dir() / TEST_AUTHORITY_DIR


@contextmanager
def _locked():
    """One process at a time creates keys, so that two test runs never overwrite each other."""
    folder = _test_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with locks.file(folder / ".lock"):
        yield


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "République du Niger"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Guichet"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_root(common_name: str = ROOT_COMMON_NAME, years: int = 20):
    """A self-signed CA (also used by the tests to play an untrusted authority)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = _name(common_name)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _leaf_certificate(root_key, root_cert, key, common_name, *, lifetime, eku, commitment):
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(root_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + lifetime)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=commitment,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        # RFC 3161 § 2.3: a TSA certificate's only extended key usage is timeStamping, critical.
        .add_extension(
            x509.ExtendedKeyUsage([eku]), critical=eku == ExtendedKeyUsageOID.TIME_STAMPING
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(TEST_CRL_URL)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )


def make_signer_certificate(
    root_key, root_cert, common_name: str, years: int = 5, *, lifetime: dt.timedelta | None = None
):
    """A document-signing certificate: digital signature + non-repudiation, as pyHanko expects,
    naming the test CRL's distribution point (so that its revocation status is checked)."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _leaf_certificate(
        root_key,
        root_cert,
        key,
        common_name,
        lifetime=lifetime or dt.timedelta(days=365 * years),
        eku=ExtendedKeyUsageOID.EMAIL_PROTECTION,
        commitment=True,
    )
    return key, cert


def make_tsa_certificate(root_key, root_cert, common_name: str = TSA_COMMON_NAME, years: int = 30):
    """A time-stamping unit's certificate (RFC 3161 § 2.3). RSA, because pyHanko's local TSA
    (DummyTimeStamper) signs with RSA only. It outlives the signers' certificates: the archive
    timestamp is what keeps an expired signer's signature verifiable."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _leaf_certificate(
        root_key,
        root_cert,
        key,
        common_name,
        lifetime=dt.timedelta(days=365 * years),
        eku=ExtendedKeyUsageOID.TIME_STAMPING,
        commitment=False,
    )
    return key, cert


def make_crl(root_key, root_cert, *, at: dt.datetime | None = None, revoked=()):
    """A CRL of `root_cert` issued at `at` (now by default), valid TEST_CRL_VALIDITY, listing the
    serial numbers in `revoked`."""
    at = at or dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(root_cert.subject)
        .last_update(at - dt.timedelta(minutes=1))
        .next_update(at + TEST_CRL_VALIDITY)
        .add_extension(x509.CRLNumber(int(at.timestamp() * 1000)), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
    )
    for serial in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(at - dt.timedelta(minutes=2))
            .build()
        )
    return builder.sign(root_key, hashes.SHA256())


def _names_test_crl(cert_path: Path) -> bool:
    """Certificates made before the test authority published CRLs are replaced."""
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    try:
        cert.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    except x509.ExtensionNotFound:
        return False
    return True


def _ensure_test_root() -> tuple[Path, Path]:
    folder = _test_dir()
    key_path, cert_path = folder / "root.key.pem", folder / "root.cert.pem"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    with _locked():
        if not (key_path.exists() and cert_path.exists()):
            key, cert = make_root()
            _write_atomically(key_path, _key_pem(key))
            _write_atomically(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def _test_root():
    key_path, cert_path = _ensure_test_root()
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    return key, x509.load_pem_x509_certificate(cert_path.read_bytes())


def _ensure_test_leaf(key_path: Path, cert_path: Path, make) -> None:
    def usable() -> bool:
        return key_path.exists() and cert_path.exists() and _names_test_crl(cert_path)

    if usable():
        return
    with _locked():
        if not usable():
            key_path.parent.mkdir(parents=True, exist_ok=True)
            key, cert = make(*_test_root())
            _write_atomically(key_path, _key_pem(key))
            _write_atomically(cert_path, cert.public_bytes(serialization.Encoding.PEM))


def _test_signer_files(signer: str) -> SignerFiles:
    root_cert_path = _ensure_test_root()[1]
    folder = _test_dir() / "signers"
    slug = file_name_for(signer)
    key_path, cert_path = folder / f"{slug}.key.pem", folder / f"{slug}.cert.pem"
    _ensure_test_leaf(
        key_path,
        cert_path,
        lambda root_key, root_cert: make_signer_certificate(
            root_key, root_cert, signer.strip().upper()
        ),
    )
    return SignerFiles(key=key_path, cert=cert_path, chain=(root_cert_path,))


def test_tsa_files() -> SignerFiles:
    """Key and certificate of the development time-stamping authority (test authority only)."""
    if not test_authority_allowed():
        raise SigningConfigurationError(
            "L'horodatage de test n'est permis qu'avec l'autorité de test "
            "(configurez GUICHET_TSA_URL)."
        )
    root_cert_path = _ensure_test_root()[1]
    key_path, cert_path = _test_dir() / "tsa.key.pem", _test_dir() / "tsa.cert.pem"
    _ensure_test_leaf(key_path, cert_path, make_tsa_certificate)
    return SignerFiles(key=key_path, cert=cert_path, chain=(root_cert_path,))


def test_crl() -> x509.CertificateRevocationList:
    """The test root's current CRL (issued now, nothing revoked)."""
    return make_crl(*_test_root())


def revocation_lists() -> list[bytes]:
    """DER CRLs that signing embeds in the document security store, besides fetched ones."""
    lists = []
    for path in getattr(_settings(), "SIGNING_CRLS", []) or []:
        data = Path(path).read_bytes()
        if data.lstrip().startswith(b"-----"):
            data = x509.load_pem_x509_crl(data).public_bytes(serialization.Encoding.DER)
        lists.append(data)
    if test_authority_allowed():
        lists.append(test_crl().public_bytes(serialization.Encoding.DER))
    return lists
