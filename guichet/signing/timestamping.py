"""The time-stamping authority (RFC 3161) behind every signature, as an adapter.

* Production: any RFC 3161 server over HTTP, ``settings.SIGNING_TSA_URL`` (``GUICHET_TSA_URL``),
  optionally with HTTP basic credentials (``GUICHET_TSA_USER`` / ``GUICHET_TSA_PASSWORD``) and a
  timeout (``GUICHET_TSA_TIMEOUT``, seconds).
* Development and tests, with no URL and the test authority allowed: a local TSA (pyHanko's
  ``DummyTimeStamper``) that signs tokens with the test authority's time-stamping certificate.

`timestamper()` returns a pyHanko ``TimeStamper``; `development_tsa_in_production()` is the deploy
check's question.
"""

from __future__ import annotations

import functools

from guichet.signing import authority
from guichet.signing.authority import SigningConfigurationError


def tsa_url() -> str:
    return (getattr(authority._settings(), "SIGNING_TSA_URL", "") or "").strip()


def uses_development_tsa() -> bool:
    return not tsa_url()


def development_tsa_in_production() -> bool:
    """No RFC 3161 server configured while DEBUG is off: timestamps come from the test TSA (when
    the test authority is allowed) or signing fails."""
    return uses_development_tsa() and not authority._settings().DEBUG


def _http_timestamper(url: str):
    from pyhanko.sign.timestamps import HTTPTimeStamper

    settings = authority._settings()
    user = getattr(settings, "SIGNING_TSA_USER", "") or ""
    password = getattr(settings, "SIGNING_TSA_PASSWORD", "") or ""
    return HTTPTimeStamper(
        url,
        auth=(user, password) if user else None,
        timeout=int(getattr(settings, "SIGNING_TSA_TIMEOUT", 10) or 10),
    )


def _local_timestamper():
    files = authority.test_tsa_files()
    return _dummy_timestamper(
        _file_version(files.cert), _file_version(files.key), *map(_file_version, files.chain)
    )


def _file_version(path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=4)
def _dummy_timestamper(cert, key, *chain):
    """One per version of the test TSA's files and process: reading its RSA key back from PEM
    cost ~25 ms of each signature (files are rewritten, never edited in place, so a new version
    has another mtime)."""
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    return DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(cert[0]),
        tsa_key=load_private_key_from_pemder(key[0], passphrase=None),
        certs_to_embed=SimpleCertificateStore.from_certs(
            [load_cert_from_pemder(path) for path, _mtime, _size in chain]
        ),
    )


def timestamper():
    """The TimeStamper that stamps signatures and archive timestamps."""
    url = tsa_url()
    if url:
        return _http_timestamper(url)
    if authority.test_authority_allowed():
        return _local_timestamper()
    raise SigningConfigurationError(
        "Aucune autorité d'horodatage configurée (GUICHET_TSA_URL) : les documents ne peuvent "
        "pas être signés en PAdES-B-LTA."
    )
