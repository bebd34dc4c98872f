"""A stored timetable, memory-mapped back, answers exactly as the one built from the feed."""

import random
from datetime import datetime, time, timedelta

import numpy as np

from guichet.transit.planner import (
    build_timetable,
    earliest_arrival,
    latest_departure,
    read_feed,
    stop_endpoints,
    store,
)


def _answers(tt, pairs, day):
    out = []
    for a, b, seconds in pairs:
        when = datetime.combine(day, time()) + timedelta(seconds=seconds)
        sources = stop_endpoints(tt, a)
        targets = stop_endpoints(tt, b, arriving=True)
        forward = earliest_arrival(tt, sources, targets, when)
        backward = latest_departure(tt, sources, targets, when + timedelta(hours=2))
        out.append([(j.departure, j.arrival, j.rides, j.legs) for j in forward + backward])
    return out


def test_a_stored_timetable_answers_like_the_built_one(gtfs_dir, tmp_path):
    feed = read_feed(gtfs_dir / "accra_trotro.zip")
    built = build_timetable(feed)
    folder = store.save(build_timetable(feed), tmp_path / "accra-v1")
    loaded = store.load(folder)
    assert isinstance(loaded.departure, np.memmap) and not loaded.departure.flags.writeable
    assert "reversed" in loaded._cache  # arrive-by needs no rebuild
    rng = random.Random(7)
    served = sorted(set(np.unique(feed.stop_times.stop).tolist()))
    pairs = [(*rng.sample(served, 2), rng.randrange(5 * 3600, 20 * 3600)) for _ in range(40)]
    day = built.first_date + timedelta(days=3)
    expected = _answers(built, pairs, day)
    assert sum(bool(x) for x in expected) >= 20
    assert _answers(loaded, pairs, day) == expected


def test_saving_twice_keeps_the_first_and_another_format_is_ignored(tmp_path):
    from .feeds import network, stop

    tt = network(
        [stop("A", 13.5), stop("B", 13.6)], [("T", "R", [("A", "08:00:00"), ("B", "08:10:00")])]
    )
    folder = store.save(tt, tmp_path / "f")
    stamp = (folder / "meta.json").stat().st_mtime_ns
    store.save(tt, folder)
    assert (folder / "meta.json").stat().st_mtime_ns == stamp
    text = (folder / "meta.json").read_text()
    assert f'"format": {store.FORMAT}' in text
    text = text.replace(f'"format": {store.FORMAT}', '"format": 999')
    (folder / "meta.json").write_text(text)
    assert store.load(folder) is None
    assert store.load(tmp_path / "absent") is None
