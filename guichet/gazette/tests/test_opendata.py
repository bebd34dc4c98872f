"""The open-data build reads the texts in bulk and writes exactly what the per-text reads give."""

import hashlib
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.gazette import akn, demo, opendata, selectors
from guichet.gazette.models import Work
from guichet.gazette.serializers import work_record


def _member(work) -> str:
    return work.frbr_uri.strip("/").replace("/", "_")


@pytest.fixture
def journal(django_capture_on_commit_callbacks):
    # Four laws with amendments (several versions), repeals, citations and signed issues.
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(lambda line: None)


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
