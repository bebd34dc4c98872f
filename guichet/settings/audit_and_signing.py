"""Proofs: the audit trail's signing key and checkpoints, and the signing of documents (PAdES keys
and certificates, time-stamping, revocation data)."""

import os
from pathlib import Path

from guichet.settings.environment import DEBUG, TESTING, VAR_DIR, env_bool, env_list

# --- Audit trail (issue 9): Merkle-tree log, signed checkpoints (docs/deploy.md, « Journal d'audit »)
# Ed25519 private key (PEM, PKCS#8) that signs checkpoints and derives the entries' MAC key.
AUDIT_SIGNING_KEY_FILE = os.environ.get("GUICHET_AUDIT_SIGNING_KEY_FILE", "")
# Development and tests generate one under var/audit/; production must name its own.
AUDIT_ALLOW_GENERATED_KEY = env_bool("GUICHET_AUDIT_GENERATED_KEY", DEBUG or TESTING)
AUDIT_KEY_DIR = VAR_DIR / "audit"
# Public keys (base64, raw Ed25519) of retired signing keys, still accepted on old checkpoints.
AUDIT_TRUSTED_PUBLIC_KEYS = env_list("GUICHET_AUDIT_PREVIOUS_PUBLIC_KEYS")
AUDIT_LOG_ORIGIN = os.environ.get("GUICHET_AUDIT_LOG_ORIGIN", "guichet.ne/audit")
# Copies of every checkpoint outside the database: a path in the default storage (object storage in
# production; empty to disable) and a directory the operator ships elsewhere.
# Tests name their own places (tmp_path), so that no run reads another run's checkpoints.
AUDIT_CHECKPOINT_STORAGE_PATH = os.environ.get(
    "GUICHET_AUDIT_CHECKPOINT_STORAGE_PATH", "" if TESTING else "audit/checkpoints"
)
AUDIT_CHECKPOINT_DIR = os.environ.get("GUICHET_AUDIT_CHECKPOINT_DIR", "")
AUDIT_CHECKPOINT_INTERVAL = int(os.environ.get("GUICHET_AUDIT_CHECKPOINT_INTERVAL", "60"))
# PostgreSQL role of the application: `migrate` (run by the owner role) leaves it no UPDATE,
# DELETE or TRUNCATE on the trail (manage.py audit_grant_app_role does the same by hand).
AUDIT_APP_DB_ROLE = os.environ.get("GUICHET_AUDIT_APP_ROLE", "")

# Documents signing (PAdES). Keys and certificates are files; a test authority is generated for
# development and tests under var/pki when none is configured.
SIGNING_DIR = Path(os.environ.get("GUICHET_SIGNING_DIR", VAR_DIR / "pki"))
SIGNING_ALLOW_TEST_AUTHORITY = env_bool("GUICHET_SIGNING_TEST_AUTHORITY", DEBUG or TESTING)
# PAdES-B-LTA: the RFC 3161 time-stamping authority (empty: the test authority's local TSA, for
# development only), CRL files embedded besides fetched revocation data (comma-separated paths),
# and whether signing fetches CRLs/OCSP online (default: yes unless the test authority signs).
SIGNING_TSA_URL = os.environ.get("GUICHET_TSA_URL", "")
SIGNING_TSA_USER = os.environ.get("GUICHET_TSA_USER", "")
SIGNING_TSA_PASSWORD = os.environ.get("GUICHET_TSA_PASSWORD", "")
SIGNING_TSA_TIMEOUT = int(os.environ.get("GUICHET_TSA_TIMEOUT", "10"))
SIGNING_CRLS = [p for p in os.environ.get("GUICHET_SIGNING_CRLS", "").split(",") if p.strip()]
SIGNING_FETCH_REVOCATION = (
    env_bool("GUICHET_SIGNING_FETCH_REVOCATION", True)
    if "GUICHET_SIGNING_FETCH_REVOCATION" in os.environ
    else None
)
