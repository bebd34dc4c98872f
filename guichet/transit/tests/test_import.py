import pytest

from guichet.transit.models import (
    Calendar,
    CalendarDate,
    Feed,
    Frequency,
    Stop,
    StopTime,
    Transfer,
    Trip,
    ValidationNotice,
)
from guichet.transit.services import FeedRefused, import_feed

from .conftest import real_feed


def test_small_feed_imports_every_table(small):
    assert small.timezone == "Africa/Niamey"
    assert Stop.objects.filter(feed=small).count() == 7
    assert Stop.objects.get(feed=small, stop_id="GM1").parent_station == "GM"
    late = StopTime.objects.get(feed=small, trip__trip_id="T2", stop_sequence=3)
    assert late.arrival_time == 24 * 3600 + 25 * 60
    assert Frequency.objects.get(feed=small).headway_secs == 900
    assert Transfer.objects.get(feed=small).min_transfer_time == 120
    assert Calendar.objects.get(feed=small).friday is True
    assert CalendarDate.objects.filter(feed=small).count() == 2
    assert small.stop_time_count == 9


def test_refused_feed_leaves_no_trace(db, make_feed):
    path = make_feed(
        stop_times__txt="trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,08:00:00,08:00:00,NOWHERE,1\n"
    )
    with pytest.raises(FeedRefused) as refused:
        import_feed(path, "casse")
    assert "foreign_key_violation" in refused.value.report.codes()
    assert not Feed.objects.exists()
    assert not Stop.objects.exists()


def test_refused_reimport_keeps_previous_version(small, make_feed):
    path = make_feed(name="bad.zip", routes__txt="route_id,route_type\nR1,3\n")
    with pytest.raises(FeedRefused):
        import_feed(path, "petit")
    small.refresh_from_db()
    assert small.version == 1
    assert Trip.objects.filter(feed=small).count() == 3


def test_reimport_replaces_the_feed_and_bumps_its_version(small, make_feed):
    path = make_feed(
        name="v2.zip",
        trips__txt="route_id,service_id,trip_id\nR1,WK,T1\n",
        stop_times__txt="trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,09:00:00,09:00:00,KEN,1\nT1,09:20:00,09:20:00,AER,2\n",
        frequencies__txt=None,
    )
    result = import_feed(path, "petit")
    assert result.feed.pk == small.pk
    assert result.feed.version == 2
    assert list(Trip.objects.filter(feed=small).values_list("trip_id", flat=True)) == ["T1"]
    assert StopTime.objects.filter(feed=small).count() == 2
    assert Feed.objects.count() == 1


def test_warnings_are_kept_with_the_feed(db, make_feed):
    stops = SMALL_STOPS_WITH_SPACE
    result = import_feed(make_feed(stops__txt=stops), "espaces")
    assert ValidationNotice.objects.filter(
        feed=result.feed, code="leading_or_trailing_whitespaces", line=3, field="stop_lat"
    ).exists()
    assert result.feed.validation_summary["leading_or_trailing_whitespaces"]["count"] == 1


SMALL_STOPS_WITH_SPACE = (
    "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
    "GM,Grand Marché,13.5137,2.1098,1,\n"
    'GM1,Grand Marché quai 1," 13.5137",2.1098,0,GM\n'  # quoted: MobilityData reports it
    "GM2,Grand Marché quai 2,13.5138,2.1099,0,GM\n"
    "KEN,Rond-point Kennedy,13.5230,2.1050,0,\n"
    "UAM,Université Abdou Moumouni,13.5010,2.0890,0,\n"
    "AER,Aéroport,13.4815,2.1836,0,\n"
    "HAR,Harobanda,13.4940,2.1190,0,\n"
)


def test_accra_trotro_frequencies_feed_imports(db):
    result = import_feed(real_feed("accra_trotro.zip"), "accra")
    assert result.feed.stop_time_count > 10000
    assert Frequency.objects.filter(feed=result.feed).count() > 100
    assert result.report.count("ERROR") == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_readers_see_the_old_version_until_the_new_one_commits(small_feed, make_feed):
    import threading

    from django.db import connection

    from guichet.transit import importer

    import_feed(small_feed, "petit")
    reached, proceed, seen = threading.Event(), threading.Event(), {}

    def pause(feed):
        reached.set()
        proceed.wait(30)

    new = make_feed(
        name="v2.zip",
        trips__txt="route_id,service_id,trip_id\nR1,WK,T1\n",
        stop_times__txt="trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,09:00:00,09:00:00,KEN,1\nT1,09:20:00,09:20:00,AER,2\n",
        frequencies__txt=None,
    )

    def write():
        try:
            importer.import_path(new, "petit", before_commit=pause)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    assert reached.wait(30)
    feed = Feed.objects.get(name="petit")
    seen["during"] = (feed.version, Trip.objects.filter(feed=feed).count())
    proceed.set()
    writer.join(30)
    feed.refresh_from_db()
    seen["after"] = (feed.version, Trip.objects.filter(feed=feed).count())
    assert seen == {"during": (1, 3), "after": (2, 1)}


def test_stop_times_in_any_row_order_import_and_plan(db, make_feed):
    from guichet.transit import selectors

    from .test_validation import STOP_TIMES_SHUFFLED

    feed = import_feed(make_feed(stop_times__txt=STOP_TIMES_SHUFFLED), "melange").feed
    request = selectors.parse_plan_request(
        feed, {"from": "KEN", "to": "AER", "depart": "2026-12-07T23:40:00"}
    )
    (journey,) = selectors.plan(feed, request)
    assert journey.legs[0].trip_id == "T2"
    assert (journey.departure.hour, journey.arrival.hour) == (23, 0)
