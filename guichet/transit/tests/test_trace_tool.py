"""The trace-to-GTFS tool from the editor's pages: upload traces of an Accra trotro route (simulated
from the feed's shape and times, as in test_traces.py), compute and edit the proposal, publish it
as a validated feed version (frequencies.txt, shapes.txt)."""

import datetime
import io
import json

import numpy as np
import pytest

from guichet.audit.models import AuditEntry
from guichet.transit import audit_actions, services
from guichet.transit.models import Feed, Frequency, ShapePoint, Stop, SurveyTrace, TraceSurvey
from guichet.transit.tests.test_traces import DAY0, _route, _simulate

pytestmark = pytest.mark.django_db


def gpx(trace) -> bytes:
    points = "".join(
        f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><time>'
        f"{datetime.datetime.fromtimestamp(t, datetime.UTC).isoformat()}</time></trkpt>"
        for t, lat, lon in zip(trace.t, trace.lat, trace.lon, strict=True)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def geojson(trace) -> str:
    return json.dumps(
        {
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [
                    [float(b), float(a)] for a, b in zip(trace.lat, trace.lon, strict=True)
                ],
            },
            "properties": {
                "coordTimes": [
                    datetime.datetime.fromtimestamp(t, datetime.UTC).isoformat() for t in trace.t
                ]
            },
        }
    )


def short_route(stops=6):
    """The first ``stops`` stops of Accra trip 344: enough for the pages, quick to simulate."""
    rt = _route("344")
    for key in ("ch", "times", "stops"):
        rt[key] = rt[key][:stops]
    rt["sxy"] = rt["sxy"][:stops]
    return rt


def traces_of(rt, n=4, seed=7):
    rng = np.random.default_rng(seed)
    # 09:00 Accra (UTC+0) is 10:00 in Niamey: the 10–16 h band of a Niamey feed.
    return [_simulate(rt, DAY0 + 3 * 3600 + k * rt["headway"], rng) for k in range(n)]


@pytest.fixture
def agent(make_agent):
    return make_agent("agent.releve", "transport_agent", "MT-DTT")


@pytest.fixture
def accra(agent, organisations):
    feed = services.create_feed(
        actor=agent,
        organisation=organisations["MT-DTT"],
        name="acc",
        title="Accra",
        agency_name="Trotro",
        agency_url="https://t.gh",
    )
    return feed


def _files(traces):
    out = []
    for k, trace in enumerate(traces):
        if k % 2:
            out.append(io.BytesIO(geojson(trace).encode()))
            out[-1].name = f"trajet{k}.geojson"
        else:
            out.append(io.BytesIO(gpx(trace)))
            out[-1].name = f"trajet{k}.gpx"
    return out


def _new_survey(client, feed="acc"):
    response = client.post(
        f"/transport/gestion/{feed}/releves/",
        {
            "short_name": "344",
            "long_name": "Circle - Kaneshie",
            "headsign": "Kaneshie",
            "route_type": 3,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return TraceSurvey.objects.get(short_name="344")


def _edit_data(survey, **overrides):
    """The proposal form as the page fills it, every new stop named."""
    data = {"action": "edit"}
    for i, stop in enumerate(survey.proposal["stops"]):
        data[f"name-{i}"] = stop["name"] or f"Arrêt {i + 1}"
        data[f"lat-{i}"] = stop["lat"]
        data[f"lon-{i}"] = stop["lon"]
        data[f"merge-{i}"] = stop["stop_id"] if stop["existing"] else ""
    for b, band in enumerate(survey.proposal["bands"]):
        for i, value in enumerate(band["arrival"]):
            data[f"time-{b}-{i}"] = value / 60
        if band["headway"]:
            data[f"headway-{b}"] = band["headway"] / 60
    data.update(overrides)
    return data


def test_agent_maps_a_route_and_publishes_it_as_a_feed_version(client, agent, accra):
    rt = short_route()
    near = rt["stops"][2]
    services.create_stop(
        actor=agent, feed=accra, name=near["stop_name"], lat=float(near["stop_lat"]),
        lon=float(near["stop_lon"]), stop_id="ACC3",
    )  # fmt: skip
    client.force_login(agent)
    survey = _new_survey(client)
    url = f"/transport/gestion/acc/releves/{survey.pk}/"
    response = client.post(url, {"action": "upload", "files": _files(traces_of(rt))})
    assert response.status_code == 302
    assert SurveyTrace.objects.filter(survey=survey).count() == 4
    assert client.post(url, {"action": "propose"}).status_code == 302
    survey.refresh_from_db()
    stops = survey.proposal["stops"]
    # Recovered within the engine's tolerances (test_traces.py): one stop per source stop.
    assert len(stops) == len(rt["stops"]), [s["stop_id"] for s in stops]
    assert any(c["stop_id"] == "ACC3" for s in stops for c in s["candidates"]) or any(
        s["existing"] for s in stops
    )
    page = client.get(url).content.decode()
    # Start times in the feed's timezone (Niamey, UTC+1): the first ride left at 09:00 UTC.
    assert "04/03/2019 10:00 (Africa/Niamey)" in page
    assert "<svg" in page and 'class="shape"' in page and page.count('class="stop') >= 6
    measured = [b for b in survey.proposal["bands"] if b["measured"]]
    assert [b["start"] // 3600 for b in measured] == [10]
    band = survey.proposal["bands"].index(measured[0])
    assert abs(measured[0]["headway"] - rt["headway"]) <= 0.15 * rt["headway"]
    # Edit: merge the third stop with the existing one, drop the fifth, 12 min headway, and
    # service from 16 h to 20 h too (the band no trace covered borrows the measured times).
    data = _edit_data(
        survey, **{"merge-2": "ACC3", "drop-4": "on", f"headway-{band}": 12, "headway-3": 20}
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    response = client.post(url, {"action": "publish", "service_id": ""})
    assert response.status_code == 302, response.content.decode()[-3000:]
    feed = Feed.objects.get(name="acc")
    survey.refresh_from_db()
    assert survey.published_version == feed.version and survey.published_route_id == "344"
    freqs = Frequency.objects.filter(feed=feed).order_by("start_time")
    assert [(f.start_time // 3600, f.end_time // 3600, f.headway_secs) for f in freqs] == [
        (10, 16, 720),
        (16, 20, 1200),
    ]
    trip = freqs[0].trip
    served = list(trip.stop_times.order_by("stop_sequence").values_list("stop__stop_id", flat=True))
    assert len(served) == len(rt["stops"]) - 1 and served[2] == "ACC3"
    assert served[0] == "344-1" and trip.stop_times.first().arrival_time == 10 * 3600
    assert Stop.objects.filter(feed=feed, stop_id="ACC3").count() == 1
    assert ShapePoint.objects.filter(feed=feed, shape_id=trip.shape_id).count() >= 2
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        audit_actions.SURVEY_CREATED,
        audit_actions.TRACE_ADDED,
        audit_actions.PROPOSAL_COMPUTED,
        audit_actions.PROPOSAL_EDITED,
        audit_actions.SURVEY_PUBLISHED,
        "transit.feed.imported",
    } <= actions
    # Published again after an edit: the route's rows are replaced, not doubled.
    client.post(url, _edit_data(survey, **{f"headway-{band}": 15}))
    assert client.post(url, {"action": "publish", "service_id": ""}).status_code == 302
    freqs = Frequency.objects.filter(feed__name="acc").order_by("start_time")
    assert [f.headway_secs for f in freqs] == [900, 1200]


def test_bad_traces_are_refused_in_french_and_nothing_is_stored(client, agent, accra, settings):
    client.force_login(agent)
    survey = _new_survey(client)
    url = f"/transport/gestion/acc/releves/{survey.pk}/"
    good = _files(traces_of(short_route(3), n=1))[0]
    bad = io.BytesIO(b'{"type": "Feature", "geometry": {"type": "LineString", "coordinates": '
                     b'[[2.1, 13.5], [2.2, 13.6]]}, "properties": {}}')  # fmt: skip
    bad.name = "sans-heures.geojson"
    response = client.post(url, {"action": "upload", "files": [good, bad]})
    text = response.content.decode()
    assert response.status_code == 400 and "sans-heures.geojson" in text and "coordTimes" in text
    assert not SurveyTrace.objects.exists()
    settings.TRANSIT_TRACE_MAX_BYTES = 1000
    good.seek(0)
    response = client.post(url, {"action": "upload", "files": [good]})
    assert response.status_code == 400 and "fichier trop gros" in response.content.decode()
    response = client.post(url, {"action": "upload"})
    assert "Choisissez au moins un fichier" in response.content.decode()
    response = client.post(url, {"action": "propose"})
    assert response.status_code == 400 and "au moins deux traces" in response.content.decode()
    assert not SurveyTrace.objects.exists()


def _proposed(client, agent):
    """A survey of four stops, three traces, its proposal computed: (survey, its page's URL)."""
    client.force_login(agent)
    survey = _new_survey(client)
    url = f"/transport/gestion/acc/releves/{survey.pk}/"
    client.post(url, {"action": "upload", "files": _files(traces_of(short_route(4), n=3))})
    client.post(url, {"action": "propose"})
    survey.refresh_from_db()
    return survey, url


def test_publishing_refuses_unnamed_new_stops(client, agent, accra):
    _survey, url = _proposed(client, agent)
    version = Feed.objects.get(name="acc").version
    response = client.post(url, {"action": "publish", "service_id": ""})
    assert response.status_code == 400 and "Nommez chaque nouvel arrêt" in response.content.decode()
    assert Feed.objects.get(name="acc").version == version


def test_times_must_increase_along_the_route(client, agent, accra):
    survey, url = _proposed(client, agent)
    response = client.post(url, _edit_data(survey, **{"time-0-1": 99, "time-0-2": 1}))
    assert response.status_code == 400 and "doivent croître" in response.content.decode()


def test_another_organisations_survey_is_not_found(client, agent, accra, make_agent):
    client.force_login(agent)
    survey = _new_survey(client)
    client.force_login(make_agent("autre.transport", "transport_agent", "MSP-DQ"))
    for suffix in ("", "enregistrer/"):
        assert client.get(f"/transport/gestion/acc/releves/{survey.pk}/{suffix}").status_code == 404
    response = client.post(f"/transport/gestion/acc/releves/{survey.pk}/", {"action": "propose"})
    assert response.status_code == 404


def test_recorder_page_says_what_to_do_without_javascript(client, agent, accra):
    client.force_login(agent)
    survey = _new_survey(client)
    page = client.get(f"/transport/gestion/acc/releves/{survey.pk}/enregistrer/").content.decode()
    assert "<noscript>" in page and "recorder.js" in page and 'name="recorded"' in page
