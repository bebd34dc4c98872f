"""Open data of the Journal, built into storage after each publication and served as files.

A build (`build(years)`, run by the Celery task `gazette.build_open_data` queued when an issue is
published or an archive imported; in-process when Celery runs eagerly, as in the embedded setup)
writes, under `gazette/opendata/<sha256>/` (each file named after its own content):

- `jo-<year>.zip` per year of publication: the texts (AKN XML + JSON record) and the issues
  (signed PDF) of that year, with an `index.json`. Only the years a publication changed are
  rendered again (`years_changed_by`); the others are kept as they are stored;
- `textes.zip` (every text, current version: AKN XML + JSON) and `numeros.zip` (every issue's PDF
  and index) — the full archive, assembled from the per-year parts by copying their members'
  compressed bytes (`opendata_zip`), so it never renders a text again;
- then `gazette/opendata/manifest.json`, last: each file with its size and SHA-256, the build's
  date and counts. Readers only ever follow the manifest, so a build in progress is never seen
  half written; the previous build's files that the new one does not use are removed after the
  new manifest is in place.

The same content gives the same bytes, whether a year was rendered now or kept, so a full build
(`build()`) and a chain of incremental ones give the same files.
An anonymous request only reads the manifest and streams a stored file: it never builds anything.
"""

from __future__ import annotations

import datetime
import json
import logging
import zipfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from guichet.gazette.opendata_zip import Spool

logger = logging.getLogger(__name__)

ROOT = "gazette/opendata"
MANIFEST = f"{ROOT}/manifest.json"
LAYOUT = 2  # files named after their SHA-256 (1: after the build, all rewritten each time)


def manifest() -> dict | None:
    """The current build's manifest, or None before the first build."""
    if not default_storage.exists(MANIFEST):
        return None
    with default_storage.open(MANIFEST, "rb") as handle:
        return json.loads(handle.read().decode("utf-8"))


def _path(current: dict, name: str) -> str:
    if current.get("layout") == LAYOUT:
        return f"{ROOT}/{current['files'][name]['sha256']}/{name}"
    return f"{ROOT}/{current['build']}/{name}"


def stored_file(name: str) -> tuple[str, dict] | None:
    """(storage path, manifest entry) of a published open-data file, or None."""
    current = manifest()
    if current is None:
        return None
    entry = current["files"].get(name)
    return (_path(current, name), entry) if entry else None


def _year(work) -> int:
    return (work.published_on or work.signed_on).year


def years_changed_by(works) -> set[int]:
    """The years of open data whose content `works` (just published or imported) change: theirs,
    and those of the texts they amend, repeal or cite and of the published texts citing them —
    each text's JSON record lists its links both ways."""
    from guichet.gazette.models import Amendment, Relation, Work

    ids = [work.pk for work in works]
    related = (
        set(Relation.objects.filter(subject_id__in=ids).values_list("target_id", flat=True))
        | set(Relation.objects.filter(target_id__in=ids).values_list("subject_id", flat=True))
        | set(Amendment.objects.filter(amending_id__in=ids).values_list("target_id", flat=True))
    )
    years = {_year(work) for work in works}
    for published_on, signed_on in Work.objects.filter(
        pk__in=related - set(ids), status=Work.Status.PUBLISHED
    ).values_list("published_on", "signed_on"):
        years.add((published_on or signed_on).year)
    return years


def _years_in_journal() -> set[int]:
    from django.db.models.functions import Coalesce, ExtractYear

    from guichet.gazette import selectors
    from guichet.gazette.models import Issue

    texts = (
        selectors.published_works()
        .filter(expressions__frozen=True)
        .annotate(part_year=ExtractYear(Coalesce("published_on", "signed_on")))
        .values_list("part_year", flat=True)
        .distinct()
    )
    issues = Issue.objects.filter(status=Issue.Status.PUBLISHED).values_list("year", flat=True)
    return set(texts) | set(issues.distinct())


def _years_due(since: datetime.date, today: datetime.date) -> set[int]:
    """Years of the texts whose current version changed by the calendar alone: a version dated
    after `since` (the last build's day) and not after today has come into force."""
    from guichet.gazette.models import Expression, Work

    return {
        (published_on or signed_on).year
        for published_on, signed_on in Expression.objects.filter(
            frozen=True, date__gt=since, date__lte=today, work__status=Work.Status.PUBLISHED
        ).values_list("work__published_on", "work__signed_on")
    }


def _texts(years):
    from guichet.gazette import akn, selectors
    from guichet.gazette.serializers import work_record

    # Read in bulk (a few queries per 500 texts), not per text: the build cost ~60 ms a text.
    for text in selectors.texts_for_export(years=years):
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


def _issue_summary(issue) -> dict:
    return {
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


def _index(items: list) -> bytes:
    return json.dumps(items, ensure_ascii=False, indent=1).encode()


def _render_years(years: set[int]) -> dict[str, dict]:
    """Render `jo-<year>.zip` of each of `years` that has texts or issues; store them. Returns
    their manifest entries, by file name."""
    from guichet.gazette.models import Issue

    spools: dict[int, Spool] = {}
    indexes: dict[int, list] = {}

    def part(year: int) -> Spool:
        if year not in spools:
            spools[year], indexes[year] = Spool(), []
        return spools[year]

    for work, base, xml, record in _texts(years):
        body = json.dumps(record, ensure_ascii=False, indent=1, default=str).encode("utf-8")
        year = _year(work)
        part(year).write(f"akn/{base}.xml", xml)
        part(year).write(f"json/{base}.json", body)
        indexes[year].append({k: record[k] for k in ("uri", "type", "number", "date", "title")})
    for issue in Issue.objects.filter(status=Issue.Status.PUBLISHED, year__in=years).order_by(
        "date", "number"
    ):
        summary = _issue_summary(issue)
        if issue.pdf:
            with issue.pdf.open("rb") as handle:
                part(issue.year).write(summary["file"], handle.read())
        else:
            part(issue.year)
        indexes[issue.year].append(summary)
    files = {}
    for year, spool in sorted(spools.items()):
        spool.write("index.json", _index(indexes[year]))
        files[f"jo-{year}.zip"] = spool.store(f"{ROOT}/{{sha256}}/jo-{year}.zip")
    return files


def _assemble(parts: dict[str, dict]) -> tuple[dict[str, dict], int, int]:
    """`textes.zip` and `numeros.zip` from the stored per-year parts, in year order: their members
    copied as compressed there, the indexes joined. Returns (entries, text count, issue count)."""
    texts, issues = Spool(), Spool()
    text_index: list = []
    issue_index: list = []
    for name in sorted(parts, key=lambda name: int(name[3:-4])):
        path = f"{ROOT}/{parts[name]['sha256']}/{name}"
        with default_storage.open(path, "rb") as handle, zipfile.ZipFile(handle) as part:
            for info in part.infolist():
                if info.filename == "index.json":
                    for summary in json.loads(part.read(info)):
                        (issue_index if "file" in summary else text_index).append(summary)
                else:
                    (issues if info.filename.startswith("pdf/") else texts).copy_from(part, info)
    texts.write("index.json", _index(text_index))
    issues.write("index.json", _index(issue_index))
    entries = {
        "textes.zip": texts.store(f"{ROOT}/{{sha256}}/textes.zip"),
        "numeros.zip": issues.store(f"{ROOT}/{{sha256}}/numeros.zip"),
    }
    return entries, len(text_index), len(issue_index)


# The namespace of the build's key lock (guichet.locks.key): one build at a time on PostgreSQL.
BUILD_LOCKS = 11


def build(years=None) -> dict:
    """Write the open data of the Journal as it is now, then the manifest; return it.

    `years`: the years whose content changed (`years_changed_by`); only those parts are rendered
    again, with the years new to the journal and those whose current version changed with the
    calendar since the last build. None (or no previous build) renders every year.

    Builds run one after the other on PostgreSQL (a key lock held for the build's read-only
    transaction): each reads the manifest the previous one wrote, so two publications' builds
    never drop each other's year. SQLite (the embedded mode, one process) takes no lock: an
    IMMEDIATE transaction there would stop every write for the build's duration.
    """
    from django.db import connection, transaction

    from guichet import locks

    if connection.vendor != "postgresql":
        return _build(years)
    with transaction.atomic():
        locks.key(BUILD_LOCKS, "build")
        return _build(years)


def _build(years) -> dict:
    old = manifest()
    # Files of the former layout are not reused (every year rendered again, once).
    previous = old if old is not None and old.get("layout") == LAYOUT else None
    in_journal = _years_in_journal()
    now = timezone.now()
    kept: dict[str, dict] = {}
    if previous is None or years is None:
        rebuilt = set(in_journal)
    else:
        known = {int(name[3:-4]) for name in previous["files"] if name.startswith("jo-")}
        # Versions come into force on Niamey's days, not UTC's (23:30 UTC is already tomorrow).
        since = timezone.localdate(datetime.datetime.fromisoformat(previous["built_at"]))
        due = _years_due(since, timezone.localdate(now))
        rebuilt = (set(years) | (in_journal - known) | due) & in_journal
        if not rebuilt and known == in_journal:
            return previous  # nothing changed: the files in place are the journal's
        kept = {
            f"jo-{year}.zip": previous["files"][f"jo-{year}.zip"]
            for year in sorted((known & in_journal) - rebuilt)
        }
    files = {**kept, **_render_years(rebuilt)}
    archive, text_count, issue_count = _assemble(files)
    files.update(archive)
    current = {
        "build": now.strftime("%Y%m%dT%H%M%S%f"),
        "built_at": now.isoformat(),
        "layout": LAYOUT,
        "texts": text_count,
        "issues": issue_count,
        "rendered": sorted(rebuilt),
        "files": dict(sorted(files.items())),
    }
    if default_storage.exists(MANIFEST):
        default_storage.delete(MANIFEST)
    default_storage.save(MANIFEST, ContentFile(json.dumps(current, indent=1).encode("utf-8")))
    if old is not None:
        in_use = {_path(current, name) for name in current["files"]}
        for name in old["files"]:
            path = _path(old, name)
            if path not in in_use and default_storage.exists(path):
                default_storage.delete(path)
    logger.info(
        "open data built: %s texts, %s issues, years rendered: %s",
        text_count,
        issue_count,
        sorted(rebuilt),
    )
    return current


def queue_build(years=None) -> None:
    """Ask for a build of `years` (None: every year) after the current transaction commits (the
    broker being down must not undo a publication that has committed)."""
    from django.db import transaction

    wanted = None if years is None else sorted(years)

    def send():
        from guichet.gazette.tasks import build_open_data

        try:
            build_open_data.delay(wanted)
        except Exception:
            logger.exception("Could not queue the open-data build")

    transaction.on_commit(send)


def built_on() -> datetime.datetime | None:
    current = manifest()
    return datetime.datetime.fromisoformat(current["built_at"]) if current else None
