"""Attack suite, issue 9: production fails loudly with development adapters."""

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from guichet.notifications.gateways import sms_gateway


def _deploy_ids():
    return {message.id for message in run_checks(include_deployment_checks=True)}


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SMS_GATEWAY = "console"
    settings.SMS_GATEWAY_CHOSEN = False
    settings.SIGNING_ALLOW_TEST_AUTHORITY = False


def test_a_defaulted_console_gateway_is_refused_and_warned_about(production):
    with pytest.raises(ImproperlyConfigured, match="GUICHET_SMS_GATEWAY"):
        sms_gateway()
    assert "guichet.W001" in _deploy_ids()


def test_a_console_gateway_chosen_on_purpose_runs_without_a_warning(production, settings):
    settings.SMS_GATEWAY_CHOSEN = True
    assert sms_gateway().name == "console"
    assert "guichet.W001" not in _deploy_ids()


def test_a_real_gateway_gives_no_warning(production, settings):
    settings.SMS_GATEWAY = "kannel"
    assert "guichet.W001" not in _deploy_ids()


def test_the_test_signing_authority_in_production_is_warned_about(production, settings):
    assert "guichet.W002" not in _deploy_ids()
    settings.SIGNING_ALLOW_TEST_AUTHORITY = True
    assert "guichet.W002" in _deploy_ids()


def test_the_settings_module_remembers_whether_the_gateway_was_chosen(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        k: v for k, v in os.environ.items() if k not in {"GUICHET_SMS_GATEWAY", "GUICHET_TESTING"}
    }
    env.update(
        GUICHET_DEBUG="0",
        GUICHET_SECRET_KEY="x" * 60,
        GUICHET_ALLOWED_HOSTS="example.ne",
        GUICHET_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "guichet.W001" in result.stderr + result.stdout


# --- The audit trail's signing key (guichet.W010 to W012) -----------------------------------


@pytest.fixture
def audit_production(settings, tmp_path):
    from guichet.audit.keys import _load

    settings.DEBUG = False
    settings.AUDIT_KEY_DIR = tmp_path / "audit"
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    _load.cache_clear()
    yield settings
    _load.cache_clear()


def test_a_generated_audit_key_in_production_is_warned_about(audit_production):
    audit_production.AUDIT_SIGNING_KEY_FILE = ""
    audit_production.AUDIT_ALLOW_GENERATED_KEY = True
    assert "guichet.W010" in _deploy_ids()


def test_a_missing_or_unreadable_audit_key_in_production_is_warned_about(
    audit_production, tmp_path
):
    audit_production.AUDIT_SIGNING_KEY_FILE = ""
    audit_production.AUDIT_ALLOW_GENERATED_KEY = False
    assert "guichet.W011" in _deploy_ids()
    not_a_key = tmp_path / "key.pem"
    not_a_key.write_text("not a key")
    audit_production.AUDIT_SIGNING_KEY_FILE = str(not_a_key)
    assert "guichet.W011" in _deploy_ids()


def test_a_named_audit_key_with_external_copies_gives_no_warning(audit_production, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = tmp_path / "audit-key.pem"
    key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    audit_production.AUDIT_SIGNING_KEY_FILE = str(key)
    audit_production.AUDIT_ALLOW_GENERATED_KEY = False
    assert not {"guichet.W010", "guichet.W011", "guichet.W012"} & _deploy_ids()


def test_checkpoints_written_nowhere_outside_the_database_are_warned_about(audit_production):
    audit_production.AUDIT_CHECKPOINT_DIR = ""
    audit_production.AUDIT_CHECKPOINT_STORAGE_PATH = ""
    assert "guichet.W012" in _deploy_ids()
