"""The production adapter: any RFC 3161 server over HTTP (GUICHET_TSA_URL). A server on 127.0.0.1
answers with tokens of a TSA certificate of its own (issued by the test root), so the test proves
the token in the PDF came from that server and not from the local development TSA."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import tsp
from cryptography.hazmat.primitives import serialization

from guichet.signing import authority, sign_pdf, verify_pdf
from guichet.signing.authority import SigningConfigurationError
from guichet.signing.tests.test_long_term import _asn1, _pdf, _root

SERVER_TSA_NAME = "TSA HTTP de test"


@pytest.fixture
def rfc3161_server():
    from asn1crypto import keys
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    root_key, root_cert = _root()
    key, cert = authority.make_tsa_certificate(root_key, root_cert, SERVER_TSA_NAME)
    stamper = DummyTimeStamper(
        tsa_cert=_asn1(cert),
        tsa_key=keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        certs_to_embed=SimpleCertificateStore.from_certs([_asn1(root_cert)]),
    )
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(self.headers["Content-Type"])
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa", seen
    server.shutdown()
    server.server_close()


def test_signatures_are_timestamped_by_the_configured_rfc3161_server(settings, rfc3161_server):
    url, seen = rfc3161_server
    settings.SIGNING_TSA_URL = url
    result = verify_pdf(sign_pdf(_pdf(), signer="sgg", reason="Journal officiel"))
    assert result.authentic, result.problem
    assert result.timestamp_authority == SERVER_TSA_NAME
    assert seen and all(kind == "application/timestamp-query" for kind in seen)


def test_a_tsa_that_does_not_answer_stops_the_signature(settings):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SIGNING_TSA_URL = f"http://127.0.0.1:{port}/tsa"
    settings.SIGNING_TSA_TIMEOUT = 2
    with pytest.raises(SigningConfigurationError, match="B-LTA"):
        sign_pdf(_pdf(), signer="sgg", reason="Journal officiel")
