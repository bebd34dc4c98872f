import datetime
import io
import zipfile

import pytest

from guichet.transit import services
from guichet.transit.export import write_gtfs
from guichet.transit.models import Feed, Frequency, StopTime
from guichet.transit.services import import_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(make_agent):
    return make_agent("agent.transport", "transport_agent", "MT-DTT")


@pytest.fixture
def niamey(agent, organisations):
    feed = services.create_feed(
        actor=agent,
        organisation=organisations["MT-DTT"],
        name="nia",
        title="Niamey",
        agency_name="TUN",
        agency_url="https://t.ne",
    )
    a = services.create_stop(actor=agent, feed=feed, name="Grand Marché", lat=13.5118, lon=2.1122)
    b = services.create_stop(actor=agent, feed=feed, name="Katako", lat=13.5195, lon=2.0990)
    services.create_service(
        actor=agent,
        feed=feed,
        service_id="TOUS",
        days=["monday", "sunday"],
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 1, 1),
    )
    route = services.create_route(actor=agent, feed=feed, short_name="1", color="#0b6e4f")
    services.create_headway_trip(
        actor=agent,
        feed=feed,
        route=route,
        service_id="TOUS",
        stops=[a, b],
        offsets=[0, 600],
        start=6 * 3600,
        end=21 * 3600,
        headway=900,
    )
    services.create_trip(
        actor=agent,
        feed=feed,
        route=route,
        service_id="TOUS",
        stops=[b, a],
        times=[23 * 3600 + 55 * 60, 24 * 3600 + 10 * 60],
    )
    feed.refresh_from_db()
    return feed


def test_headway_trip_becomes_a_frequency(niamey):
    frequency = Frequency.objects.get(feed=niamey)
    assert (frequency.start_time, frequency.end_time, frequency.headway_secs) == (21600, 75600, 900)
    assert frequency.exact_times == 0


def test_times_must_increase(niamey, agent):
    stops = list(niamey.stop_set.all())
    with pytest.raises(services.TransitError):
        services.create_trip(
            actor=agent,
            feed=niamey,
            route=niamey.route_set.first(),
            service_id="TOUS",
            stops=stops,
            times=[3600, 1800],
        )


def _timetable(feed):
    return sorted(
        StopTime.objects.filter(feed=feed).values_list(
            "trip__trip_id", "stop__stop_id", "stop_sequence", "arrival_time", "departure_time"
        )
    )


def test_export_import_export_gives_the_same_timetable(niamey, tmp_path):
    first = tmp_path / "a.zip"
    write_gtfs(niamey, first)
    again = import_feed(first, "nia-copie").feed
    assert _timetable(again) == _timetable(niamey)
    assert list(
        Frequency.objects.filter(feed=again).values_list(
            "trip__trip_id", "start_time", "end_time", "headway_secs", "exact_times"
        )
    ) == list(
        Frequency.objects.filter(feed=niamey).values_list(
            "trip__trip_id", "start_time", "end_time", "headway_secs", "exact_times"
        )
    )
    second = tmp_path / "b.zip"
    write_gtfs(again, second)
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name


# -- Permission matrix -----------------------------------------------------------------------------

URLS = [
    "/transport/gestion/",
    "/transport/gestion/importer/",
    "/transport/gestion/nouveau/",
    "/transport/gestion/nia/",
    "/transport/gestion/nia/gtfs.zip",
]


@pytest.mark.parametrize("url", URLS)
def test_anonymous_is_sent_to_sign_in(client, niamey, url):
    response = client.get(url)
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "role, org",
    [("mail_clerk", "SGG-BC"), ("judge", "TGI-NIAMEY"), ("complaints_handler", "MSP-DQ")],
)
def test_other_roles_are_refused(client, niamey, make_agent, url, role, org):
    client.force_login(make_agent(f"x.{role}", role, org))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", URLS[3:])
def test_agent_of_another_organisation_gets_404(client, niamey, make_agent, url):
    client.force_login(make_agent("autre.transport", "transport_agent", "MSP-DQ"))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", URLS)
def test_transport_agent_of_the_unit_is_allowed(client, niamey, agent, url):
    client.force_login(agent)
    assert client.get(url).status_code == 200


def test_download_button_gives_a_valid_gtfs_zip(client, niamey, agent, tmp_path):
    client.force_login(agent)
    response = client.get("/transport/gestion/nia/gtfs.zip")
    path = tmp_path / "dl.zip"
    path.write_bytes(b"".join(response.streaming_content))
    from guichet.transit.validation import validate

    report = validate(path)
    assert report.count("ERROR") == 0
    assert "frequencies.txt" in zipfile.ZipFile(io.BytesIO(path.read_bytes())).namelist()


def test_editor_adds_a_headway_service_from_the_form(client, niamey, agent):
    client.force_login(agent)
    response = client.post(
        "/transport/gestion/nia/",
        {
            "action": "headway",
            "headway-route": "L1",
            "headway-service_id": "TOUS",
            "headway-headsign": "Katako",
            "headway-stops": "S1 ; 0\nKatako ; 12",
            "headway-start": "06:00",
            "headway-end": "21:00",
            "headway-headway": "15",
        },
    )
    assert response.status_code == 302
    assert Frequency.objects.filter(feed=niamey).count() == 2
    assert Feed.objects.get(pk=niamey.pk).version > niamey.version


def test_upload_refuses_a_faulty_feed_and_shows_the_report(client, agent, make_feed):
    client.force_login(agent)
    path = make_feed(routes__txt=None)
    with open(path, "rb") as handle:
        response = client.post("/transport/gestion/importer/", {"name": "casse", "file": handle})
    assert response.status_code == 200
    assert "missing_required_file" in response.content.decode()
    assert not Feed.objects.filter(name="casse").exists()


def test_upload_imports_a_valid_feed_for_the_agent_organisation(client, agent, small_feed):
    client.force_login(agent)
    with open(small_feed, "rb") as handle:
        response = client.post("/transport/gestion/importer/", {"name": "petit", "file": handle})
    assert response.status_code == 200
    assert Feed.objects.get(name="petit").organisation.code == "MT-DTT"


def test_editor_adds_a_calendar_with_its_exceptions(client, niamey, agent):
    from guichet.transit.models import CalendarDate

    client.force_login(agent)
    response = client.post(
        "/transport/gestion/nia/",
        {
            "action": "service",
            "service-service_id": "SEMAINE",
            "service-days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "service-start_date": "2026-01-01",
            "service-end_date": "2026-12-31",
            "service-added": "2026-12-19",
            "service-removed": "2026-12-18, 25/12/2026",
        },
    )
    assert response.status_code == 302
    exceptions = CalendarDate.objects.filter(feed=niamey, service_id="SEMAINE")
    assert sorted((str(e.date), e.exception_type) for e in exceptions) == [
        ("2026-12-18", 2),
        ("2026-12-19", 1),
        ("2026-12-25", 2),
    ]


def test_an_unreadable_exception_date_is_refused_in_french(client, niamey, agent):
    from guichet.transit.models import Calendar

    client.force_login(agent)
    response = client.post(
        "/transport/gestion/nia/",
        {
            "action": "service",
            "service-service_id": "SEMAINE",
            "service-days": ["monday"],
            "service-start_date": "2026-01-01",
            "service-end_date": "2026-12-31",
            "service-removed": "le 18 décembre",
        },
    )
    assert response.status_code == 200
    assert "Date illisible" in response.content.decode()
    assert not Calendar.objects.filter(feed=niamey, service_id="SEMAINE").exists()
