"""deploy/: the systemd units pass `systemd-analyze verify`, the nginx site passes `nginx -t`.

The units name the production paths (/srv/guichet/venv, /etc/guichet/guichet.env); the check points
them at this checkout's .venv and an empty environment file, which is what systemd needs to find
the commands. Each check is also shown to fail on a broken file, so a pass means something.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conditions import missing_requirement

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = [
    "guichet-gunicorn@.service",
    "guichet-celery-worker.service",
    "guichet-celery-beat.service",
]


def _tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if not path:
        missing_requirement(f"{name} is not installed (Debian package; .ci/run installs it)")
    return path


def _units_for_this_machine(folder: Path) -> list[Path]:
    environment_file = folder / "guichet.env"
    environment_file.write_text("GUICHET_DEBUG=0\n")
    venv_bin = ROOT / ".venv" / "bin"
    written = []
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text()
        text = text.replace("/srv/guichet/venv/bin/", f"{venv_bin}/")
        text = text.replace("/etc/guichet/guichet.env", str(environment_file))
        # A template is verified through one of its instances.
        target = folder / name.replace("@.service", "@8001.service")
        target.write_text(text)
        written.append(target)
    return written


def _verify(units: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_tool("systemd-analyze"), "verify", "--man=no", *map(str, units)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=units[0].parent,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
    )


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    units = _units_for_this_machine(tmp_path)
    result = _verify(units)
    assert result.returncode == 0, result.stderr
    ours = [line for line in result.stderr.splitlines() if "guichet" in line]
    assert ours == [], ours  # no unknown key, no ignored line, no missing command


def test_systemd_analyze_verify_catches_a_broken_unit(tmp_path):
    units = _units_for_this_machine(tmp_path)
    broken = units[1]
    broken.write_text(broken.read_text().replace(f"{ROOT}/.venv/bin/celery", "/nonexistent/celery"))
    result = _verify(units)
    assert result.returncode != 0
    assert "/nonexistent/celery" in result.stderr


def _nginx_test(tmp_path: Path, site: str) -> subprocess.CompletedProcess:
    (tmp_path / "tls").mkdir()
    (tmp_path / "static").mkdir()
    subprocess.run(
        [_tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=guichet.gouv.ne", "-keyout", str(tmp_path / "tls" / "privkey.pem"),
         "-out", str(tmp_path / "tls" / "fullchain.pem")],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    site = (
        site.replace("/etc/ssl/guichet/", f"{tmp_path}/tls/")
        .replace("/srv/guichet/static/", f"{tmp_path}/static/")
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ include /etc/nginx/mime.types; include {tmp_path}/site.conf; }}\n"
    )
    return subprocess.run(
        [_tool("nginx"), "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_the_nginx_site_passes_nginx_t(tmp_path):
    result = _nginx_test(tmp_path, (DEPLOY / "nginx" / "guichet.conf").read_text())
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_t_catches_a_broken_site(tmp_path):
    site = (DEPLOY / "nginx" / "guichet.conf").read_text().replace("gzip on;", "gzip maybe;")
    result = _nginx_test(tmp_path, site)
    assert result.returncode != 0
    assert "gzip" in result.stderr


@pytest.mark.parametrize(
    "directive",
    [
        # The proxy appends the peer to X-Forwarded-For (docs/deploy.md, "Client addresses").
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "ssl_certificate ",
        "gzip on;",
        "gzip_static on;",
        "location /static/",
    ],
)
def test_the_nginx_site_sets_what_docs_deploy_promises(directive):
    assert directive in (DEPLOY / "nginx" / "guichet.conf").read_text()
