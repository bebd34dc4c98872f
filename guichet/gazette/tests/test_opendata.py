"""The open-data build reads the texts in bulk and writes exactly what the per-text reads give."""

import hashlib
import io
import json
import shutil
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from guichet.gazette import akn, demo, opendata, selectors
from guichet.gazette.models import Expression, Work
from guichet.gazette.serializers import work_record


def _member(work) -> str:
    return work.frbr_uri.strip("/").replace("/", "_")


@pytest.fixture(scope="module")
def journal_media(tmp_path_factory):
    """Where the module's journal stored its signed issues and first open-data build."""
    return tmp_path_factory.mktemp("journal-media")


@pytest.fixture(scope="module")
def journal(module_rows, journal_media):
    # Four laws with amendments (several versions), repeals, citations and signed issues: loaded
    # once for the module, each test's changes rolled back (module_rows), files copied (_media).
    def load():
        with (
            override_settings(MEDIA_ROOT=str(journal_media)),
            TestCase.captureOnCommitCallbacks(execute=True),
        ):
            demo.load(lambda line: None)

    module_rows(load)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, journal_media):
    """Each test starts from the files the journal left, in a folder of its own."""
    shutil.copytree(journal_media, tmp_path / "media", dirs_exist_ok=True)
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_every_text_is_exported_as_the_per_text_reads_give_it(journal):
    built = opendata.build()
    path, entry = opendata.stored_file("textes.zip")
    with default_storage.open(path, "rb") as handle:
        content = handle.read()
    assert (
        entry["sha256"]
        == hashlib.sha256(content).hexdigest()
        == built["files"]["textes.zip"]["sha256"]
    )
    archive = zipfile.ZipFile(default_storage.open(path, "rb"))
    works = list(Work.objects.filter(status=Work.Status.PUBLISHED))
    assert built["texts"] == len(works) == 4
    for work in works:
        # The reads the build made per text before it read in bulk.
        expression = selectors.expression_at(work)
        parts = selectors.parts_of(expression)
        expected = json.loads(json.dumps(work_record(work, expression, parts), default=str))
        assert json.loads(archive.read(f"json/{_member(work)}.json")) == expected
        assert archive.read(f"akn/{_member(work)}.xml") == akn.render(work, expression, parts)
    repealed = json.loads(archive.read("json/akn_ne_act_loi_2017_28.json"))
    assert repealed["repealed_on"] and len(repealed["expressions"]) >= 2 and repealed["relations"]


@pytest.mark.django_db
def test_two_builds_of_the_same_journal_give_the_same_bytes(journal):
    first = opendata.build()["files"]
    assert opendata.build()["files"] == first


@pytest.mark.django_db
def test_the_build_reads_the_texts_in_a_fixed_number_of_queries(journal):
    with CaptureQueriesContext(connection) as few:
        list(selectors.texts_for_export())
        opendata.build()
    # A text more (published, frozen) costs no query more.
    law = Work.objects.get(number_normalized="2017-28")
    copy = Work.objects.get(pk=law.pk)
    copy.pk = None
    copy.frbr_uri, copy.number, copy.number_normalized = (
        "/akn/ne/act/loi/2017/99",
        "2017-99",
        "2017-99",
    )
    copy.save()
    for expression in law.expressions.filter(frozen=True):
        expression.pk, expression.work = None, copy
        expression.save()
    with CaptureQueriesContext(connection) as more:
        exported = list(selectors.texts_for_export())
        opendata.build()
    assert len(exported) == 5
    assert len(more) == len(few)


def _part_names(files) -> dict[int, str]:
    return {int(name[3:-4]): name for name in files if name.startswith("jo-")}


@pytest.mark.django_db
def test_a_text_changed_in_one_year_changes_that_year_and_the_archive_only(journal, monkeypatch):
    full = opendata.build()
    parts = _part_names(full["files"])
    assert len(parts) >= 3
    year = max(parts)
    work = Work.objects.filter(status=Work.Status.PUBLISHED, published_on__year=year).first()
    current = selectors.expression_at(work)
    current.parts.filter(order=current.parts.order_by("-order").first().order).update(
        text="Texte corrigé."
    )
    rendered = []
    render = akn.render

    def counting(work, expression, parts):
        rendered.append((work.published_on or work.signed_on).year)
        return render(work, expression, parts)

    monkeypatch.setattr(akn, "render", counting)
    changed = opendata.build(years=[year])
    assert set(rendered) == {year} and changed["rendered"] == [year]
    for name, entry in full["files"].items():
        moved = changed["files"][name] != entry
        assert moved == (name in {parts[year], "textes.zip"}), name
    assert changed["texts"] == full["texts"] and changed["issues"] == full["issues"]
    # What a full build of the journal as it is now gives, byte for byte; the old files are gone.
    assert opendata.build()["files"] == changed["files"]
    old = f"{opendata.ROOT}/{full['files'][parts[year]]['sha256']}/{parts[year]}"
    assert not default_storage.exists(old)
    path, _entry = opendata.stored_file(parts[year])
    with default_storage.open(path, "rb") as handle:
        member = zipfile.ZipFile(handle).read(f"json/{_member(work)}.json")
    assert "Texte corrigé." in member.decode()


@pytest.mark.django_db
def test_a_build_with_nothing_changed_renders_nothing(journal, monkeypatch):
    full = opendata.build()
    monkeypatch.setattr(opendata, "_texts", None)  # rendering would fail
    assert opendata.build(years=[]) == full


@pytest.mark.django_db
def test_the_full_archive_holds_each_years_members_as_stored_there(journal):
    built = opendata.build()
    with default_storage.open(opendata.stored_file("textes.zip")[0], "rb") as handle:
        texts = zipfile.ZipFile(io.BytesIO(handle.read()))
    with default_storage.open(opendata.stored_file("numeros.zip")[0], "rb") as handle:
        issues = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert texts.testzip() is None and issues.testzip() is None
    summaries, copied = [], []
    for year, name in sorted(_part_names(built["files"]).items()):
        with default_storage.open(opendata.stored_file(name)[0], "rb") as handle:
            part = zipfile.ZipFile(io.BytesIO(handle.read()))
        summaries += [s for s in json.loads(part.read("index.json")) if "file" not in s]
        for info in part.infolist():
            if info.filename == "index.json":
                continue
            whole = (issues if info.filename.startswith("pdf/") else texts).getinfo(info.filename)
            assert (whole.CRC, whole.compress_size) == (info.CRC, info.compress_size)
            copied.append(info.filename)
    assert json.loads(texts.read("index.json")) == summaries
    assert len(summaries) == built["texts"] and len(copied) == 2 * built["texts"] + built["issues"]
    assert sorted(copied) == sorted(n for n in texts.namelist() + issues.namelist() if "/" in n)


@pytest.mark.django_db
def test_a_repeal_changes_the_repealed_texts_year_and_its_citers(journal):
    repealing = Work.objects.get(number_normalized="2022-59")
    years = opendata.years_changed_by([repealing])
    expected = {
        Work.objects.get(number_normalized=number).published_on.year
        # Itself, the law it repeals and the one amending it that it repeals too (their records
        # say « repealed by »), and the law amending it (« amended by »).
        for number in ("2022-59", "2017-28", "2019-71", "2023-31")
    }
    assert years == expected


def _with_a_later_version(date, suffix: str) -> Work:
    """Law 2023-31 with a frozen version from `date` whose every part ends with `suffix`."""
    law = Work.objects.get(number_normalized="2023-31")
    latest = law.expressions.order_by("-date").first()
    later = Expression.objects.create(work=law, date=date)
    for part in latest.parts.all():
        part.pk, part.expression = None, later
        part.text = part.text + suffix
        part.save()
    Expression.objects.filter(pk=later.pk).update(frozen=True)
    return law


def _archived_record(law) -> str:
    """The law's JSON record in its year's open-data archive."""
    path, _entry = opendata.stored_file(f"jo-{law.published_on.year}.zip")
    with default_storage.open(path, "rb") as handle:
        return zipfile.ZipFile(handle).read(f"json/{_member(law)}.json").decode()


@pytest.mark.django_db
def test_a_version_coming_into_force_renders_its_year_again(journal, monkeypatch):
    import datetime

    import time_machine

    today = datetime.date.today()
    law = _with_a_later_version(today + datetime.timedelta(days=3), " (version future)")
    opendata.build()
    with time_machine.travel(today + datetime.timedelta(days=4)):
        built = opendata.build(years=[])
    assert built["rendered"] == [law.published_on.year]
    assert "(version future)" in _archived_record(law)


@pytest.mark.django_db
def test_a_version_in_force_from_niamey_s_midnight_is_rendered_that_night(journal):
    # At 23:30 UTC it is already the next day in Niamey (UTC+1): a version dated that day is in
    # force and the archive must give it. The build read "today" as the UTC date and left the
    # former version in the archive for an hour.
    import datetime

    import time_machine

    utc = datetime.UTC
    evening = datetime.datetime(2030, 5, 10, 22, 0, tzinfo=utc)  # 23:00 on 10 May in Niamey
    law = _with_a_later_version(datetime.date(2030, 5, 11), " (version du 11 mai)")
    with time_machine.travel(evening, tick=False):
        assert opendata.build()["rendered"]
    with time_machine.travel(evening + datetime.timedelta(minutes=90), tick=False):
        built = opendata.build(years=[])
    assert built["rendered"] == [law.published_on.year]
    assert "(version du 11 mai)" in _archived_record(law)


def test_the_daily_build_renders_only_what_the_calendar_changed(settings, monkeypatch):
    from guichet.gazette import tasks

    asked = []
    monkeypatch.setattr(opendata, "build", lambda years=None: asked.append(years))
    entry = settings.CELERY_BEAT_SCHEDULE["gazette-open-data"]
    assert entry["task"] == tasks.build_open_data.name
    tasks.build_open_data(*entry["args"])
    assert asked == [[]]  # an incremental build with no year named: the versions due today
