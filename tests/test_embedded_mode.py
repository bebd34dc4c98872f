"""The embedded mode as a newcomer meets it after `make run`: management commands work without
variables (local.env), PORT reaches the site's address, the favicon and the API indexes answer.
Production (no local.env) stays environment-only, DEBUG off."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import embedded  # noqa: E402  (scripts/embedded.py, stdlib only)

PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps({'debug': settings.DEBUG, 'site': settings.SITE_URL, "
    "'key': settings.SECRET_KEY}))"
)


def _clean_env(**extra) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GUICHET_", "PYTEST", "DATABASE_", "REDIS_")) and key != "PORT"
    }
    env.update(DJANGO_SETTINGS_MODULE="guichet.settings", **extra)
    return env


def _settings_in_subprocess(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_local_env_keeps_its_secret_and_follows_the_port(tmp_path):
    path = tmp_path / "local.env"
    first = embedded.write_local_env(path, "8101")
    second = embedded.write_local_env(path, "8102")
    assert first["GUICHET_SECRET_KEY"] == second["GUICHET_SECRET_KEY"]
    assert len(first["GUICHET_SECRET_KEY"]) >= 50
    assert second["GUICHET_SITE_URL"] == "http://127.0.0.1:8102"
    assert second["GUICHET_DEBUG"] == "1"
    assert path.stat().st_mode & 0o077 == 0


def test_management_commands_work_after_make_run_without_any_variable(tmp_path):
    path = tmp_path / "local.env"
    written = embedded.write_local_env(path, "8107")
    result = _settings_in_subprocess(
        _clean_env(GUICHET_LOCAL_ENV=str(path), GUICHET_VAR_DIR=str(tmp_path))
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "debug": True,
        "site": "http://127.0.0.1:8107",
        "key": written["GUICHET_SECRET_KEY"],
    }


def test_without_local_env_production_needs_its_secret_and_debug_is_off(tmp_path):
    env = _clean_env(GUICHET_LOCAL_ENV=str(tmp_path / "absent.env"))
    refused = _settings_in_subprocess(env)
    assert refused.returncode != 0
    assert "GUICHET_SECRET_KEY must be set" in refused.stderr
    env["GUICHET_SECRET_KEY"] = "x" * 60
    seen = json.loads(_settings_in_subprocess(env).stdout.strip().splitlines()[-1])
    assert seen["debug"] is False


def test_the_environment_wins_over_local_env(tmp_path):
    path = tmp_path / "local.env"
    embedded.write_local_env(path, "8107")
    env = _clean_env(GUICHET_LOCAL_ENV=str(path), GUICHET_SITE_URL="https://guichet.gouv.ne")
    seen = json.loads(_settings_in_subprocess(env).stdout.strip().splitlines()[-1])
    assert seen["site"] == "https://guichet.gouv.ne"


def test_port_reaches_the_site_address_without_local_env(tmp_path):
    env = _clean_env(GUICHET_LOCAL_ENV=str(tmp_path / "absent.env"), GUICHET_DEBUG="1", PORT="8101")
    seen = json.loads(_settings_in_subprocess(env).stdout.strip().splitlines()[-1])
    assert seen["site"] == "http://127.0.0.1:8101"


def test_the_banner_shows_the_address_and_where_sms_codes_appear():
    text = embedded.banner("8107", with_worker=False)
    assert "http://127.0.0.1:8107/" in text
    assert "/sms/simulateur" in text
    assert "Celery" not in text
    assert "Celery" in embedded.banner("8107", with_worker=True)


def test_the_banner_names_the_demo_accounts():
    text = embedded.banner("8107", False, [("demo.courrier", "Agent du courrier", "SGG-BC")])
    assert "mot de passe « demo »" in text
    assert "demo.courrier" in text and "SGG-BC" in text
    assert "demo." not in embedded.banner("8107", with_worker=False)


@pytest.mark.django_db
def test_favicon_is_a_cached_redirect_to_a_tiny_svg(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert "max-age=2592000" in response["Cache-Control"]
    assert (ROOT / "guichet" / "static" / "favicon.svg").stat().st_size < 1024
    assert 'rel="icon"' in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("index", "entry_point"),
    [
        ("/api/transit/", "/api/transit/plan"),
        ("/api/transit/", "/api/transit/stops/{stop_id}/departures"),
        ("/open311/v2/", "/open311/v2/discovery.json"),
        ("/open311/v2/", "/open311/v2/services.json"),
        ("/open311/v2/", "/open311/v2/requests.json"),
    ],
)
def test_api_roots_answer_with_an_index_of_entry_points(client, index, entry_point):
    response = client.get(index)
    assert response.status_code == 200
    urls = [entry["url"] for entry in response.json()["endpoints"]]
    assert f"http://testserver{entry_point}" in urls


@pytest.mark.django_db
def test_every_entry_point_of_the_indexes_is_a_real_route(client):
    from django.urls import resolve

    for index in ("/api/transit/", "/open311/v2/"):
        for entry in client.get(index).json()["endpoints"]:
            path = entry["url"].removeprefix("http://testserver").replace("{stop_id}", "X")
            assert resolve(path).url_name not in {"open311_not_found", None}, path


def test_the_bootstrap_recreates_a_venv_made_by_another_interpreter(tmp_path, capsys):
    import bootstrap_venv

    target = tmp_path / "venv"
    bootstrap_venv.create_venv(target)
    assert bootstrap_venv.venv_matches(target)
    (target / ".interpreter").write_text("3.11.0 /usr\n")  # e.g. made by Debian's python3.11
    assert not bootstrap_venv.venv_matches(target)
    bootstrap_venv.create_venv(target)
    assert "Recreating venv" in capsys.readouterr().out
    assert bootstrap_venv.venv_matches(target)


def test_the_bootstrap_says_in_one_line_what_to_do_with_an_old_python(monkeypatch):
    import bootstrap_venv

    monkeypatch.setattr(sys, "version_info", (3, 10, 12))
    message = bootstrap_venv.check_interpreter()
    assert "needs Python 3.11+" in message
    assert "make run" in message
    assert "\n" not in message
    monkeypatch.undo()
    assert bootstrap_venv.check_interpreter() is None


def test_the_run_lock_holds_no_test_tool_and_the_dev_lock_pins_the_same_versions():
    def pins(name):
        text = (ROOT / "requirements" / name).read_text()
        return {
            line.split(" ")[0] + (line.split(";")[1].strip() if ";" in line else "")
            for line in text.splitlines()
            if "==" in line and not line.startswith(" ")
        }

    run, dev = pins("run.txt"), pins("dev.txt")
    assert run <= dev
    names = {pin.split("==")[0] for pin in run}
    assert not names & {"pytest", "playwright", "hypothesis", "schemathesis", "ruff", "boto3"}
