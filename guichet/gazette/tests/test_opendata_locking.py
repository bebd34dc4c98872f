"""Two open-data builds at once: the second waits for the first's lock (a transactional test,
apart from test_opendata.py, whose tests share one journal in a rolled-back transaction)."""

import pytest

from guichet.gazette import opendata


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_builds_at_once_run_one_after_the_other(monkeypatch):
    # Else the later one to finish writes a manifest without the other's year.
    import threading

    from django.db import connection as main_connection

    entered, release = threading.Event(), threading.Event()
    order: list[str] = []
    assemble = opendata._assemble

    def slow(parts):
        order.append(threading.current_thread().name)
        if threading.current_thread().name == "first":
            entered.set()
            release.wait(10)
        return assemble(parts)

    monkeypatch.setattr(opendata, "_assemble", slow)

    def run():
        from django.db import connection

        try:
            opendata.build()
        finally:
            connection.close()

    first = threading.Thread(target=run, name="first")
    first.start()
    assert entered.wait(10)
    second = threading.Thread(target=run, name="second")
    second.start()
    second.join(1.5)
    assert second.is_alive() and order == ["first"]  # waiting for the first build's lock
    release.set()
    first.join(10)
    second.join(10)
    assert order == ["first", "second"]
    main_connection.close()
