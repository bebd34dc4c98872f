"""Compiled timetables: written once per imported feed version, mapped after a restart without
rebuilding from the database; one lock per feed."""

import numpy as np
import pytest

from guichet.transit import selectors, timetables

pytestmark = pytest.mark.django_db
MONDAY = "2026-12-07"


@pytest.fixture
def stored(settings, tmp_path, small_feed, organisations, django_capture_on_commit_callbacks):
    from guichet.transit.services import import_feed

    settings.TRANSIT_TIMETABLE_DIR = str(tmp_path / "store")
    with django_capture_on_commit_callbacks(execute=True):
        return import_feed(small_feed, "petit", organisation=organisations["MT-DTT"]).feed


def _plan(feed):
    request = selectors.parse_plan_request(
        feed, {"from": "KEN", "to": "HAR", "depart": f"{MONDAY}T07:55"}
    )
    return [(j.departure, j.arrival, j.legs) for j in selectors.plan(feed, request)]


def test_an_import_writes_the_compiled_timetable(stored):
    path = timetables.stored_path(stored)
    assert (path / "meta.json").exists() and (path / "departure.npy").exists()


def test_after_a_restart_the_timetable_is_mapped_not_rebuilt(stored, monkeypatch):
    expected = _plan(stored)
    assert expected
    timetables.forget()  # a new process

    def no_rebuild(feed):
        raise AssertionError("rebuilt from the database")

    monkeypatch.setattr(timetables, "build", no_rebuild)
    tt = timetables.timetable_for(stored)
    assert isinstance(tt.departure, np.memmap)
    assert _plan(stored) == expected


def test_a_new_version_is_compiled_and_the_old_one_removed(stored):
    from guichet.transit.models import Feed

    old = timetables.stored_path(stored)
    timetables.timetable_for(stored)
    Feed.objects.filter(pk=stored.pk).update(version=stored.version + 1)
    feed = Feed.objects.get(pk=stored.pk)
    timetables.timetable_for(feed)
    assert (timetables.stored_path(feed) / "meta.json").exists()
    assert not old.exists()


def test_a_stored_timetable_of_other_content_is_not_used(stored, monkeypatch):
    from guichet.transit.models import Feed

    # Same name, pk and version but another size (e.g. a database restored): rebuilt.
    Feed.objects.filter(pk=stored.pk).update(stop_time_count=stored.stop_time_count + 1)
    feed = Feed.objects.get(pk=stored.pk)
    timetables.forget()
    calls = []
    original = timetables.build
    monkeypatch.setattr(timetables, "build", lambda f: calls.append(f) or original(f))
    timetables.timetable_for(feed)
    assert len(calls) == 1


def test_one_lock_per_feed():
    assert timetables._feed_lock("a") is timetables._feed_lock("a")
    assert timetables._feed_lock("a") is not timetables._feed_lock("b")


def test_warm_command_maps_every_feed(stored, capsys):
    from django.core.management import call_command

    timetables.forget()
    call_command("warm_timetables")
    out = capsys.readouterr().out
    assert "petit (version 1)" in out and str(timetables.stored_path(stored)) in out
    assert "petit" in timetables._cache
