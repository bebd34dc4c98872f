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
