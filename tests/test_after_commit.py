"""guichet.after_commit: the per-process thread that runs a request's after-commit work, merging
what is handed over meanwhile."""

import threading

import pytest

from guichet import after_commit


@pytest.fixture
def threaded(settings):
    settings.AFTER_COMMIT_IN_THREAD = True


def test_inline_when_the_mode_is_off(settings):
    settings.AFTER_COMMIT_IN_THREAD = False
    seen = []
    runner = after_commit.Coalescing(
        "test-inline", lambda items: seen.append((items, threading.current_thread()))
    )
    runner.submit([1, 2])
    assert seen == [([1, 2], threading.current_thread())]


def test_work_handed_over_while_the_thread_waits_is_merged_into_one_run(threaded):
    runs = []
    runner = after_commit.Coalescing("test-merge", runs.append, delay=0.2)
    for n in range(5):
        runner.submit([n, n])  # the same id twice is sent once
    assert runner.stop(timeout=10)
    assert runs == [[0, 1, 2, 3, 4]]


def test_work_handed_over_during_a_run_gets_another_run(threaded):
    started, release = threading.Event(), threading.Event()
    runs = []

    def work(items):
        runs.append(items)
        if len(runs) == 1:
            started.set()
            release.wait(10)

    runner = after_commit.Coalescing("test-during", work)
    runner.submit(["a"])
    assert started.wait(10)
    runner.submit(["b"])
    runner.submit(["c"])
    release.set()
    assert runner.stop(timeout=10)
    assert runs == [["a"], ["b", "c"]]


def test_an_error_in_the_work_is_logged_and_the_thread_goes_on(threaded, caplog):
    runs = []

    def work(items):
        runs.append(items)
        if items == ["bad"]:
            raise RuntimeError("boom")

    runner = after_commit.Coalescing("test-error", work)
    runner.submit(["bad"])
    assert runner.drain(timeout=10)
    runner.submit(["good"])
    assert runner.stop(timeout=10)
    assert runs == [["bad"], ["good"]]
    assert "test-error: the work after commit failed" in caplog.text


def test_a_stopped_runner_starts_again_on_the_next_submit(threaded):
    runs = []
    runner = after_commit.Coalescing("test-restart", runs.append)
    runner.submit([1])
    assert runner.stop(timeout=10)
    runner.submit([2])
    assert runner.stop(timeout=10)
    assert runs == [[1], [2]]


def test_drain_all_waits_for_every_runner(threaded):
    release = threading.Event()
    runs = []
    runner = after_commit.Coalescing(
        "test-drain", lambda items: (release.wait(10), runs.append(items))
    )
    runner.submit([1])
    assert not runner.drain(timeout=0.2)  # still running
    release.set()
    assert after_commit.drain_all(timeout=10)
    assert runs == [[1]]
    assert runner.stop(timeout=10)


def test_work_that_meets_a_locked_database_is_tried_again(threaded, monkeypatch):
    """Before: the first « database table is locked » (SQLite: the thread's write meeting a
    request's) logged the failure and left the notices queued (a suite failure on 2026-12-02)."""
    from django.db import OperationalError

    monkeypatch.setattr(after_commit, "LOCKED_RETRY_PAUSES", (0.01, 0.01))
    runs = []

    def work(items):
        runs.append(items)
        if len(runs) < 3:
            raise OperationalError("database table is locked: notifications_message")

    runner = after_commit.Coalescing("test-locked", work)
    runner.submit([7])
    assert runner.stop(timeout=10)
    assert runs == [[7], [7], [7]]


def test_other_failures_and_a_lock_that_lasts_are_logged_once(threaded, monkeypatch, caplog):
    from django.db import OperationalError

    monkeypatch.setattr(after_commit, "LOCKED_RETRY_PAUSES", (0.01, 0.01))
    runs = []

    def locked(items):
        runs.append(items)
        raise OperationalError("database is locked")

    def broken(items):
        runs.append(items)
        raise ValueError("not a lock")

    for name, work, expected in (("test-lasting", locked, 3), ("test-broken", broken, 1)):
        runs.clear()
        caplog.clear()
        runner = after_commit.Coalescing(name, work)
        runner.submit([1])
        assert runner.stop(timeout=10)
        assert len(runs) == expected
        assert [r.message for r in caplog.records] == [f"{name}: the work after commit failed"]
