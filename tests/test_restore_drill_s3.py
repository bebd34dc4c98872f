"""The restore drill's object-storage branch (docs/deploy.md, "Backups and restore"), run by CI on
PostgreSQL against moto's standalone S3 server: a production-mode Guichet whose files are in a
bucket (GUICHET_S3_*) is backed up by deploy/backup.sh — database and bucket — and restored by
deploy/restore.sh into a fresh database and a fresh, empty bucket: the row counts match, every
object comes back with the same key and bytes, and `manage.py verify_audit` passes there (its
checkpoints live in the bucket too).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest

from tests.conditions import missing_requirement
from tests.production_env import clean_environment, scratch_databases

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
BACKUP, RESTORE = str(ROOT / "deploy" / "backup.sh"), str(ROOT / "deploy" / "restore.sh")

pytestmark = pytest.mark.postgres

# A binary file under a key with a space and an accent, and a text one: both must come back.
BINARY = bytes(range(256)) * 40
SOURCE_DATA = f"""
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from guichet.accounts import demo as accounts
from guichet.audit.services import publish_checkpoint
accounts.load(print)
default_storage.save("drill/scan.txt", ContentFile(b"a stored file"))
default_storage.save("drill/pièce jointe.bin", ContentFile({BINARY!r}))
print(publish_checkpoint().tree_size)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_endpoint():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # moto imports for long on a loaded machine
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    missing_requirement("moto's S3 server does not start (pip: moto[server])")
                time.sleep(0.2)
        else:
            pytest.fail("moto's S3 server did not answer within 120 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _s3(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="drill",
        aws_secret_access_key="drill",
    )


def _objects(client, bucket: str) -> dict[str, bytes]:
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return found


@pytest.fixture
def databases():
    names = [f"guichet_s3drill_{kind}_{os.getpid()}" for kind in ("source", "restored")]
    with scratch_databases(*names) as urls:
        yield urls


def _environment(tmp_path: Path, database_url: str, endpoint: str, bucket: str) -> dict:
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
        GUICHET_S3_BUCKET=bucket,
        GUICHET_S3_ENDPOINT_URL=endpoint,
        GUICHET_S3_REGION="us-east-1",
        GUICHET_S3_ACCESS_KEY="drill",
        GUICHET_S3_SECRET_KEY="drill",
        # Nothing of the drill may land on a local disk but the backup folder.
        GUICHET_MEDIA_ROOT=str(tmp_path / "no-media-here"),
        GUICHET_VAR_DIR=str(tmp_path / f"var-{bucket}"),
        GUICHET_SIGNING_DIR=str(tmp_path / "pki"),
        GUICHET_SMS_GATEWAY="console",
        GUICHET_TRANSIT_WARM_ON_START="0",
    )


def _run(command: list[str], environment: dict, ok: bool = True) -> subprocess.CompletedProcess:
    # A generous limit: on the shared 2-core machine under load 30, migrate alone passed 120 s.
    result = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=900, check=False
    )
    if ok:
        assert result.returncode == 0, (
            f"{command}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


@pytest.fixture
def backed_up(tmp_path, databases, s3_endpoint):
    """A source Guichet with files and checkpoints in the bucket "source", backed up."""
    for tool in ("pg_dump", "pg_restore", "openssl"):
        if not __import__("shutil").which(tool):
            missing_requirement(f"{tool} is not installed (postgresql-client)")
    client = _s3(s3_endpoint)
    for bucket in ("source", "restored", "occupied"):
        client.create_bucket(Bucket=bucket)
    source = _environment(tmp_path, databases[0], s3_endpoint, "source")
    _run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], source)
    _run([PY, "manage.py", "shell", "-c", SOURCE_DATA], {**source, "GUICHET_DEBUG": "1"})
    _run([BACKUP, str(tmp_path / "backup")], source)
    return tmp_path / "backup", client, databases[1]


def test_backup_then_restore_into_a_fresh_database_and_bucket_verifies(tmp_path, backed_up):
    backup, client, restored_url = backed_up
    stored = _objects(client, "source")
    assert stored["drill/scan.txt"] == b"a stored file"
    assert stored["drill/pièce jointe.bin"] == BINARY
    assert any(key.startswith("audit/checkpoints/") for key in stored)
    assert (backup / "files.kind").read_text().strip() == "s3"
    # The backup holds every object, byte for byte, under its key.
    copied = {
        path.relative_to(backup / "files").as_posix(): path.read_bytes()
        for path in (backup / "files").rglob("*")
        if path.is_file()
    }
    assert copied == stored

    restored = _environment(tmp_path, restored_url, client.meta.endpoint_url, "restored")
    result = _run([RESTORE, str(backup)], restored)
    assert "row counts match" in result.stdout
    assert "the audit trail verifies" in result.stdout
    assert _objects(client, "restored") == stored
    assert not (tmp_path / "no-media-here").exists()


def test_restore_refuses_a_bucket_that_is_not_empty(tmp_path, backed_up):
    backup, client, restored_url = backed_up
    client.put_object(Bucket="occupied", Key="left/over.txt", Body=b"another state")
    restored = _environment(tmp_path, restored_url, client.meta.endpoint_url, "occupied")
    result = _run([RESTORE, str(backup)], restored, ok=False)
    assert result.returncode != 0
    assert "bucket occupied is not empty" in result.stdout + result.stderr
    # Refused before anything was written: the database is still empty.
    with psycopg.connect(restored_url) as connection:
        assert connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone() == (0,)
