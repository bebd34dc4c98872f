"""The restore drill (docs/deploy.md, "Backups and restore"), run by CI on PostgreSQL.

A production-mode Guichet (DEBUG off, its own database and media folder) gets data and a signed
audit checkpoint; deploy/backup.sh backs it up; deploy/restore.sh restores it into a fresh
database and an empty media folder: row counts match and `manage.py verify_audit` passes there.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conditions import missing_requirement
from tests.production_env import clean_environment, postgres_url, scratch_databases

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")

pytestmark = pytest.mark.postgres

SOURCE_DATA = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from guichet.accounts import demo as accounts
from guichet.complaints import demo as complaints
from guichet.audit.services import publish_checkpoint
accounts.load(print)
complaints.load(print)
default_storage.save("drill/scan.txt", ContentFile(b"a stored file"))
print(publish_checkpoint().tree_size)
"""


@pytest.fixture
def databases():
    names = [f"guichet_drill_{kind}_{os.getpid()}" for kind in ("source", "restored")]
    with scratch_databases(*names) as urls:
        yield urls


def _environment(tmp_path: Path, database_url: str, media: str) -> dict[str, str]:
    key = tmp_path / "audit-key.pem"
    if not key.exists():
        subprocess.run(
            ["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(key)], check=True
        )
    return clean_environment(
        DATABASE_URL=database_url,
        GUICHET_SECRET_KEY="drill-" + "x" * 60,
        GUICHET_ALLOWED_HOSTS="127.0.0.1",
        GUICHET_AUDIT_SIGNING_KEY_FILE=str(key),
        GUICHET_MEDIA_ROOT=str(tmp_path / media),
        GUICHET_VAR_DIR=str(tmp_path / f"var-{media}"),
        GUICHET_SIGNING_DIR=str(tmp_path / "pki"),
        GUICHET_SMS_GATEWAY="console",
        GUICHET_TRANSIT_WARM_ON_START="0",
    )


def _run(command: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_backup_then_restore_into_a_fresh_database_verifies(tmp_path, databases):
    for tool in ("pg_dump", "pg_restore", "openssl"):
        if not shutil.which(tool):
            missing_requirement(f"{tool} is not installed (postgresql-client)")
    source_url, restored_url = databases
    started = time.monotonic()
    source = _environment(tmp_path, source_url, "media-source")
    _run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], source)
    _run([PY, "manage.py", "shell", "-c", SOURCE_DATA], {**source, "GUICHET_DEBUG": "1"})

    _run([str(ROOT / "deploy" / "backup.sh"), str(tmp_path / "backup")], source)
    backup = tmp_path / "backup"
    assert (backup / "guichet.dump").stat().st_size > 0
    assert (backup / "files" / "drill" / "scan.txt").read_bytes() == b"a stored file"
    assert any((backup / "files" / "audit" / "checkpoints").iterdir())

    restored = _environment(tmp_path, restored_url, "media-restored")
    result = _run([str(ROOT / "deploy" / "restore.sh"), str(backup)], restored)
    assert "row counts match" in result.stdout
    assert "the audit trail verifies" in result.stdout
    assert (tmp_path / "media-restored" / "drill" / "scan.txt").read_bytes() == b"a stored file"
    print(f"restore drill: {time.monotonic() - started:.1f} s")

    # Restoring twice into the same database is refused: a restore never mixes two states.
    again = subprocess.run(
        [str(ROOT / "deploy" / "restore.sh"), str(backup)],
        cwd=ROOT, env=restored, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert again.returncode != 0
    assert "not empty" in again.stdout


def test_restore_refuses_a_damaged_backup(tmp_path):
    backup = tmp_path / "backup"
    (backup / "files").mkdir(parents=True)
    (backup / "guichet.dump").write_bytes(b"dump")
    subprocess.run("sha256sum guichet.dump > SHA256SUMS", shell=True, cwd=backup, check=True)
    (backup / "guichet.dump").write_bytes(b"tampered")
    result = subprocess.run(
        [str(ROOT / "deploy" / "restore.sh"), str(backup)],
        cwd=ROOT, env=clean_environment(DATABASE_URL=postgres_url("unused")),
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "damaged" in result.stderr
