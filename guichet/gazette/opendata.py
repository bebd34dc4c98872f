"""Open data of the Journal, built once per publication into storage and served as files.

A build (`build()`, run by the Celery task `gazette.build_open_data` queued when an issue is
published or an archive imported; in-process when Celery runs eagerly, as in the embedded setup)
writes, under `gazette/opendata/<build>/`:

- `jo-<year>.zip` per year of publication: the texts (AKN XML + JSON record) and the issues
  (signed PDF) of that year, with an `index.json`;
- `textes.zip` (every text, current version: AKN XML + JSON) and `numeros.zip` (every issue's PDF
  and index) — the full archive;
- then `gazette/opendata/manifest.json`, last: each file with its size and SHA-256, the build's
  date and counts. Readers only ever follow the manifest, so a build in progress is never seen
  half written; the previous build's files are removed after the new manifest is in place.

An anonymous request only reads the manifest and streams a stored file: it never builds anything.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import tempfile
import zipfile

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

logger = logging.getLogger(__name__)

ROOT = "gazette/opendata"
MANIFEST = f"{ROOT}/manifest.json"


def manifest() -> dict | None:
    """The current build's manifest, or None before the first build."""
    if not default_storage.exists(MANIFEST):
        return None
    with default_storage.open(MANIFEST, "rb") as handle:
        return json.loads(handle.read().decode("utf-8"))


def stored_file(name: str) -> tuple[str, dict] | None:
    """(storage path, manifest entry) of a published open-data file, or None."""
    current = manifest()
    if current is None:
        return None
    entry = current["files"].get(name)
    return (f"{ROOT}/{current['build']}/{name}", entry) if entry else None


def _texts():
    from guichet.gazette import akn, selectors
    from guichet.gazette.serializers import work_record

    # Read in bulk (a few queries per 500 texts), not per text: the build cost ~60 ms a text.
    for text in selectors.texts_for_export():
        work, expression, parts = text.work, text.expression, text.parts
        base = work.frbr_uri.strip("/").replace("/", "_")
        record = work_record(
            work,
            expression,
            parts,
            expressions=text.expressions,
            repealed_on=text.repealed_on,
            links=text.links,
        )
        yield work, base, akn.render(work, expression, parts), record


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    # A fixed date in every member: the same content gives the same archive bytes.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def build() -> dict:
    """Write every open-data file of the Journal as it is now, then the manifest. Returns it."""
    from guichet.gazette.models import Issue

    build_id = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    files: dict[str, dict] = {}
    spools: dict[str, tempfile.SpooledTemporaryFile] = {}
    archives: dict[str, zipfile.ZipFile] = {}
    indexes: dict[str, list] = {}

    def archive(name: str) -> zipfile.ZipFile:
        if name not in archives:
            # Closed once stored, below (several archives are open at once).
            spools[name] = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
            archives[name] = zipfile.ZipFile(spools[name], "w")
            indexes[name] = []
        return archives[name]

    text_count = 0
    for work, base, xml, record in _texts():
        text_count += 1
        body = json.dumps(record, ensure_ascii=False, indent=1, default=str).encode("utf-8")
        summary = {k: record[k] for k in ("uri", "type", "number", "date", "title")}
        year = (work.published_on or work.signed_on).year
        for name in ("textes.zip", f"jo-{year}.zip"):
            _write(archive(name), f"akn/{base}.xml", xml)
            _write(archive(name), f"json/{base}.json", body)
            indexes[name].append(summary)
    issue_count = 0
    for issue in Issue.objects.filter(status=Issue.Status.PUBLISHED).order_by("date", "number"):
        issue_count += 1
        summary = {
            "number": issue.number,
            "special": issue.special,
            "date": issue.date.isoformat(),
            "sha256": issue.sha256,
            "signed": issue.signed,
            "file": f"pdf/jo-{issue.slug}.pdf",
            "texts": [
                {"uri": e.work.frbr_uri, "pages": [e.page_start, e.page_end]}
                for e in issue.entries.select_related("work").order_by("order")
            ],
        }
        pdf = b""
        if issue.pdf:
            with issue.pdf.open("rb") as handle:
                pdf = handle.read()
        for name in ("numeros.zip", f"jo-{issue.year}.zip"):
            if pdf:
                _write(archive(name), summary["file"], pdf)
            indexes[name].append(summary)
    for name in ("textes.zip", "numeros.zip"):
        archive(name)
    for name, zipped in archives.items():
        _write(
            zipped, "index.json", json.dumps(indexes[name], ensure_ascii=False, indent=1).encode()
        )
        zipped.close()
        spool = spools[name]
        spool.seek(0)
        digest = hashlib.sha256()
        size = 0
        for chunk in iter(lambda spool=spool: spool.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
        spool.seek(0)
        default_storage.save(f"{ROOT}/{build_id}/{name}", File(spool, name=name))
        spool.close()
        files[name] = {"sha256": digest.hexdigest(), "size": size}
    previous = manifest()
    current = {
        "build": build_id,
        "built_at": timezone.now().isoformat(),
        "texts": text_count,
        "issues": issue_count,
        "files": dict(sorted(files.items())),
    }
    if default_storage.exists(MANIFEST):
        default_storage.delete(MANIFEST)
    default_storage.save(MANIFEST, ContentFile(json.dumps(current, indent=1).encode("utf-8")))
    if previous and previous["build"] != build_id:
        for name in previous["files"]:
            path = f"{ROOT}/{previous['build']}/{name}"
            if default_storage.exists(path):
                default_storage.delete(path)
    logger.info("open data built: %s texts, %s issues", text_count, issue_count)
    return current


def queue_build() -> None:
    """Ask for a build after the current transaction commits (the broker being down must not
    undo a publication that has committed)."""
    from django.db import transaction

    def send():
        from guichet.gazette.tasks import build_open_data

        try:
            build_open_data.delay()
        except Exception:
            logger.exception("Could not queue the open-data build")

    transaction.on_commit(send)


def built_on() -> datetime.datetime | None:
    current = manifest()
    return datetime.datetime.fromisoformat(current["built_at"]) if current else None
