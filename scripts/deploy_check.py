"""`manage.py check --deploy --fail-level WARNING` as production would run it (make test).

Production settings come from the environment only, so this gives the check what an operator must
provide — a secret key, a real SMS gateway and time-stamping authority, and an audit signing key of
its own (an Ed25519 key generated for this run in a temporary folder, removed afterwards) — and
fails on any warning that is left."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="guichet-deploy-check-") as folder:
        key_file = Path(folder) / "audit-signing-key.pem"
        key_file.write_bytes(
            Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        key_file.chmod(0o600)
        environment = {
            **os.environ,
            "GUICHET_DEBUG": "0",
            "GUICHET_SMS_GATEWAY": "kannel",
            "GUICHET_TSA_URL": "https://tsa.guichet.example.ne/rfc3161",
            "GUICHET_SECRET_KEY": "ci-only-" + "0" * 60 + "-not-secret-at-all-x",
            "GUICHET_ALLOWED_HOSTS": "guichet.example.ne",
            "GUICHET_AUDIT_SIGNING_KEY_FILE": str(key_file),
            "GUICHET_AUDIT_GENERATED_KEY": "0",
        }
        command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
        return subprocess.call(command, cwd=ROOT, env=environment)


if __name__ == "__main__":
    sys.exit(main())
