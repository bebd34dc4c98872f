"""SMS « BUS » on real stop names: any punctuation in names, every split tried, abbreviations
and typos, numbered choices answered by the next SMS, the network from the environment."""

import datetime
import importlib.util
import runpy
import zoneinfo

import pytest
import time_machine

from guichet.transit import names
from guichet.transit.channels import answer_bus, fits, sms_length

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
MONDAY_0700 = datetime.datetime(2026, 12, 7, 7, 0, tzinfo=NEW_YORK)
LAT = 1 / 111195  # degrees per metre

QUEENS = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
    "MTA,MTA,https://mta.example,America/New_York\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
    "501,Main St/Roosevelt Av,40.7590,-73.8300\n"
    "502,Main St/39 Av,40.7560,-73.8290\n"
    "503,Main St/Kissena Blvd,40.7530,-73.8280\n"
    f"504,Kissena Blvd/Holly Av,{40.7530 + 20 * LAT:.7f},-73.8280\n"
    "505,Jamaica Av/162 St,40.7020,-73.7980\n"
    "506,Jamaica Av/168 St,40.7050,-73.7930\n"
    "507,Parsons Blvd/Hillside Av,40.7120,-73.8030\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\n"
    "Q17,MTA,Q17,Flushing - Jamaica,3\n"
    "Q25,MTA,Q25,Kissena - Jamaica,3\n",
    "trips.txt": "route_id,service_id,trip_id,trip_headsign\n"
    "Q17,WK,Q17-1,Jamaica\n"
    "Q25,WK,Q25-1,Jamaica\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "Q17-1,07:10:00,07:10:00,501,1\n"
    "Q17-1,07:14:00,07:14:00,502,2\n"
    "Q17-1,07:18:00,07:18:00,503,3\n"
    "Q17-1,07:40:00,07:40:00,505,4\n"
    "Q25-1,07:05:00,07:05:00,504,1\n"
    "Q25-1,07:30:00,07:30:00,507,2\n"
    "Q25-1,07:45:00,07:45:00,506,3\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
    "start_date,end_date\nWK,1,1,1,1,1,0,0,20260101,20271231\n",
}


@pytest.fixture
def queens(db, tmp_path, organisations, settings):
    from guichet.transit.services import import_feed
    from guichet.transit.tests.conftest import write_feed

    settings.TRANSIT_SMS_FEED = "queens"
    return import_feed(
        write_feed(tmp_path, QUEENS), "queens", organisation=organisations["MT-DTT"]
    ).feed


@time_machine.travel(MONDAY_0700, tick=False)
@pytest.mark.parametrize(
    "text",
    [
        "Main St/Roosevelt Av > Jamaica Av/162 St",
        "main street / roosevelt avenue > jamaica av 162 st",
        "Main St/Roosevelt Av\nJamaica Av/162 St",
        "main st roosevelt av vers jamaica av/162 st",
        "Main St/Roosevelt Av - Jamaica Av/162 St",
        "main st roosevelt av jamaica av 162 st",
        "Mian St/Roosvelt Av > Jamaica Av/162 St",
    ],
)
def test_names_full_of_slashes_are_split_and_matched(queens, text):
    reply = answer_bus(text)
    assert reply == "07:10 ligne Q17 Main St/Roosevelt Av>Jamaica Av/162 St. arr 07:40", reply


@time_machine.travel(MONDAY_0700, tick=False)
def test_a_short_walk_is_said_not_dropped(queens):
    # Main St/Kissena Blvd and Kissena Blvd/Holly Av are 20 m apart: a 22 s walk.
    reply = answer_bus("Main St/Kissena Blvd > Jamaica Av/168 St")
    assert reply.startswith("marche 22 s>Kissena Blvd/Holly Av, 07:05 ligne Q25 "), reply
    assert "LQ25" not in reply


@time_machine.travel(MONDAY_0700, tick=False)
def test_an_unclear_name_gets_numbered_choices_and_the_next_sms_picks(queens):
    from guichet.notifications.channels import find_sms_command
    from guichet.transit.channels import bus_by_sms

    reply = bus_by_sms("+12125550100", "Main St > Jamaica Av/162 St")
    assert "1) Main St/" in reply and "2) Main St/" in reply and "3) Main St/" in reply, reply
    assert fits(reply)
    chosen = reply.split("2) ", 1)[1].split(" 3) ")[0]
    answer = find_sms_command("2").handler("+12125550100", "")
    assert "ligne Q17" in answer and answer.endswith("arr 07:40"), answer
    # The journey starts at the stop chosen (or walks from it to a better one).
    assert answer.startswith((f"07:18 ligne Q17 {chosen}>", "marche")), (chosen, answer)
    # The choice is spent; someone else's « 2 » has nothing pending.
    assert "Aucun choix" in find_sms_command("2").handler("+12125550100", "")
    assert "Aucun choix" in bus_by_sms("+12125550199", "2")


@time_machine.travel(MONDAY_0700, tick=False)
def test_bus_2_also_picks(queens):
    from guichet.transit.channels import bus_by_sms

    bus_by_sms("+12125550101", "Main St > Jamaica Av/162 St")
    assert "ligne Q17" in bus_by_sms("+12125550101", "2")


@time_machine.travel(MONDAY_0700, tick=False)
def test_a_long_answer_fits_one_gsm7_sms(queens, tmp_path, organisations, settings):
    from guichet.transit.services import import_feed
    from guichet.transit.tests.conftest import write_feed

    long_names = dict(QUEENS)
    long_names["stops.txt"] = (
        QUEENS["stops.txt"]
        .replace("Main St/Kissena Blvd", "Main Street/Kissena Boulevard [north side] — École")
        .replace("Kissena Blvd/Holly Av", "Kissena Boulevard/Holly Avenue {opposite} Hôpital")
        .replace("Jamaica Av/168 St", "Jamaica Avenue/168 Street ~ Terminal Côté Sud")
    )
    import_feed(write_feed(tmp_path, long_names), "long", organisation=organisations["MT-DTT"])
    settings.TRANSIT_SMS_FEED = "long"
    reply = answer_bus("main street kissena boulevard > jamaica avenue 168 street")
    length, limit = sms_length(reply)
    assert limit == 160 and length <= 160, (length, reply)
    assert reply.startswith("marche 22 s>") and "ligne Q25" in reply and "arr 07:45" in reply


def _chain_of_rides(rides: int) -> dict[str, str]:
    """Stops 1 km apart (no walk between them), one route from each to the next, each trip
    leaving two minutes after the previous one arrives: a journey of `rides` rides."""
    files = dict(QUEENS)
    files["stops.txt"] = "stop_id,stop_name,stop_lat,stop_lon\n" + "".join(
        f"C{k},Boulevard Numero {k} devant la Grande Mosquee,{40.70 + k * 1000 * LAT:.7f},-73.8\n"
        for k in range(rides + 1)
    )
    files["routes.txt"] = "route_id,route_short_name,route_type\n" + "".join(
        f"L{k},{k},3\n" for k in range(rides)
    )
    files["trips.txt"] = "route_id,service_id,trip_id\n" + "".join(
        f"L{k},WK,L{k}-1\n" for k in range(rides)
    )
    files["stop_times.txt"] = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "".join(
            f"L{k}-1,07:{10 * k + 10:02d}:00,07:{10 * k + 10:02d}:00,C{k},1\n"
            f"L{k}-1,07:{10 * k + 18:02d}:00,07:{10 * k + 18:02d}:00,C{k + 1},2\n"
            for k in range(rides)
        )
    )
    return files


@time_machine.travel(MONDAY_0700, tick=False)
def test_an_answer_too_long_for_one_sms_keeps_the_last_ride_and_the_arrival(
    db, tmp_path, organisations, settings
):
    from guichet.transit.services import import_feed
    from guichet.transit.tests.conftest import write_feed

    import_feed(write_feed(tmp_path, _chain_of_rides(5)), "chaine", organisation=None)
    settings.TRANSIT_SMS_FEED = "chaine"
    reply = answer_bus("boulevard numero 0 > boulevard numero 5")
    assert fits(reply), (sms_length(reply), reply)
    assert reply.startswith("07:10 ligne 0 "), reply
    assert "07:50 ligne 4 " in reply and reply.endswith(". arr 07:58"), reply


def test_the_sms_network_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUICHET_TRANSIT_SMS_FEED", "nyc-bus")
    monkeypatch.setenv("GUICHET_TRANSIT_SMS_KEYWORDS", "metro=nyc-subway, TROTRO=accra")
    # The module of the settings package that reads them, run afresh.
    # (found, not imported: the settings sit above every app in the layers)
    module = importlib.util.find_spec("guichet.settings.public_services")
    values = runpy.run_path(module.origin)
    assert values["TRANSIT_SMS_FEED"] == "nyc-bus"
    assert values["TRANSIT_SMS_KEYWORDS"] == {"METRO": "nyc-subway", "TROTRO": "accra"}


@time_machine.travel(MONDAY_0700, tick=False)
def test_a_keyword_names_its_network(queens, settings):
    from guichet.transit.channels import sms_feed

    settings.TRANSIT_SMS_FEED = "ailleurs"
    settings.TRANSIT_SMS_KEYWORDS = {"QUEENS": "queens"}
    assert sms_feed("queens").name == "queens"


def test_search_scores_only_the_names_sharing_trigrams(monkeypatch):
    index = names.NameIndex((str(i), f"Stop {i:05d}/Avenue {i % 97}") for i in range(20000))
    index.search("stop 12345 avenue 26")
    scored = []
    original = names.NameIndex.score
    monkeypatch.setattr(
        names.NameIndex, "score", lambda self, q, n: scored.append(n) or original(self, q, n)
    )
    found = index.search("stop 12345 avenue 26")
    assert found[0].name == "Stop 12345/Avenue 26"
    assert len(scored) <= names.CANDIDATES


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("bd de la republique", "Boulevard de la République"),
        ("boulvard republique", "Boulevard de la République"),
        ("av de l'islam", "Avenue de l'Islam"),
        ("st louis", "Saint-Louis"),
        ("MAIN ST / ROOSEVELT", "Main Street/Roosevelt Avenue"),
    ],
)
def test_abbreviations_accents_case_and_typos(typed, name):
    index = names.NameIndex(
        [
            ("1", "Boulevard de la République"),
            ("2", "Avenue de l'Islam"),
            ("3", "Saint-Louis"),
            ("4", "Main Street/Roosevelt Avenue"),
            ("5", "Rond-point Kennedy"),
        ]
    )
    assert index.search(typed, limit=1)[0].name == name
