"""Fixtures of the transit tests: small hand-made GTFS feeds and the real feeds' folder."""

import os
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from guichet.transit import timetables
from tests.conditions import missing_requirement


def gtfs_data_dir() -> Path:
    default = Path(settings.BASE_DIR).parent / "shared" / "data" / "gtfs"
    return Path(os.environ.get("GUICHET_GTFS_DATA", default))


def real_feed(name: str) -> Path:
    path = gtfs_data_dir() / name
    if not path.exists():
        missing_requirement(f"real GTFS feed {path} is absent (set GUICHET_GTFS_DATA)")
    return path


# A small valid network: two routes crossing at "Grand Marché", one trip past midnight,
# a frequency-based trip, a station with two platforms and a transfer row.
SMALL = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
    "SNTN,Société test,https://example.ne,Africa/Niamey\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
    "GM,Grand Marché,13.5137,2.1098,1,\n"
    "GM1,Grand Marché quai 1,13.5137,2.1098,0,GM\n"
    "GM2,Grand Marché quai 2,13.5138,2.1099,0,GM\n"
    "KEN,Rond-point Kennedy,13.5230,2.1050,0,\n"
    "UAM,Université Abdou Moumouni,13.5010,2.0890,0,\n"
    "AER,Aéroport,13.4815,2.1836,0,\n"
    "HAR,Harobanda,13.4940,2.1190,0,\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\n"
    "R1,SNTN,1,Kennedy - Aéroport,3\n"
    "R2,SNTN,2,Université - Harobanda,3\n",
    "trips.txt": "route_id,service_id,trip_id,trip_headsign\n"
    "R1,WK,T1,Aéroport\n"
    "R1,WK,T2,Aéroport\n"
    "R2,WK,F1,Harobanda\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "T1,08:00:00,08:00:00,KEN,1\n"
    "T1,08:10:00,08:11:00,GM1,2\n"
    "T1,08:30:00,08:30:00,AER,3\n"
    "T2,23:50:00,23:50:00,KEN,1\n"
    "T2,24:05:00,24:06:00,GM1,2\n"
    "T2,24:25:00,24:25:00,AER,3\n"
    "F1,06:00:00,06:00:00,UAM,1\n"
    "F1,06:12:00,06:12:00,GM2,2\n"
    "F1,06:20:00,06:20:00,HAR,3\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
    "start_date,end_date\n"
    "WK,1,1,1,1,1,0,0,20260101,20271231\n",
    "calendar_dates.txt": "service_id,date,exception_type\nWK,20261225,2\nWK,20261226,1\n",
    "frequencies.txt": "trip_id,start_time,end_time,headway_secs,exact_times\n"
    "F1,06:00:00,21:00:00,900,0\n",
    "transfers.txt": "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nGM,GM,2,120\n",
    "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang,feed_version\n"
    "Ministère des Transports,https://transports.gouv.ne,fr,2026-1\n",
}


def write_feed(folder: Path, files: dict[str, str], name: str = "feed.zip") -> Path:
    """Zip `files` (name → CSV text) into folder/name."""
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        for file_name, text in files.items():
            if text is not None:
                archive.writestr(file_name, text)
    return path


@pytest.fixture
def small_feed(tmp_path) -> Path:
    return write_feed(tmp_path, SMALL)


@pytest.fixture
def make_feed(tmp_path):
    """make_feed(**changes): SMALL with some files replaced (None removes a file)."""

    def make(name="feed.zip", **changes) -> Path:
        files = dict(SMALL)
        for key, text in changes.items():
            files[key.replace("__", ".")] = text
        return write_feed(tmp_path, files, name)

    return make


@pytest.fixture(autouse=True)
def _fresh_timetables():
    timetables.forget()
    yield
    timetables.forget()


@pytest.fixture
def small(db, small_feed, organisations):
    from guichet.transit.services import import_feed

    return import_feed(small_feed, "petit", organisation=organisations["MT-DTT"]).feed
