"""The whole trace-to-GTFS path in a 360 px browser, with and without JavaScript: new survey,
trace upload, proposal, edits, publication as a validated feed version."""

import re

import pytest
from playwright.sync_api import expect

from guichet.transit.models import Feed, Frequency
from tests import phone_width

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "readonly"]
    ),
]


def _log_in(page, live_server, user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def _feed(agent, name):
    """An editor network of the agent's unit (Niamey's timezone), without any route yet."""
    from guichet.accounts.models import Organisation
    from guichet.transit import services

    organisation = Organisation.objects.get(code="MT-DTT")
    return services.create_feed(
        actor=agent, organisation=organisation, name=name, title=name, agency_name="TUN",
        agency_url="https://t.ne",
    )  # fmt: skip


def test_agent_maps_a_route_from_traces_and_publishes_it(
    browser_page, live_server, make_agent, tmp_path
):
    from guichet.transit.tests.test_trace_tool import geojson, gpx, short_route, traces_of

    agent = make_agent("agent.releve", "transport_agent", "MT-DTT")
    _feed(agent, "acc")
    rt = short_route(4)
    paths = []
    for k, trace in enumerate(traces_of(rt, n=3)):
        path = tmp_path / (f"t{k}.gpx" if k % 2 == 0 else f"t{k}.geojson")
        path.write_bytes(gpx(trace) if k % 2 == 0 else geojson(trace).encode())
        paths.append(str(path))
    page = browser_page
    _log_in(page, live_server, agent)
    page.goto(f"{live_server.url}/transport/gestion/acc/")
    page.get_by_role("link", name="Relever une ligne sur le terrain (traces GPS)").click()
    page.fill("#id_short_name", "344")
    page.fill("#id_headsign", "Kaneshie")
    page.get_by_role("button", name="Créer le relevé").click()
    page.set_input_files("#id_files", paths)
    page.get_by_role("button", name="Envoyer les traces").click()
    assert "3 traces ajoutées." in page.inner_text("main")
    page.get_by_role("button", name="Calculer la proposition").click()
    page.wait_for_selector("svg.transit-survey-map")
    assert page.locator("svg.transit-survey-map .stop").count() == 4
    page.get_by_role("button", name="Publier la ligne").click()
    assert "Nommez chaque nouvel arrêt" in page.inner_text("main")
    for i in range(4):
        page.fill(f"#id_name-{i}", f"Arrêt {i + 1}")
    page.fill("#id_headway-2", "10")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    assert "Modifications enregistrées." in page.inner_text("main")
    page.get_by_role("button", name="Publier la ligne").click()
    assert "Ligne publiée" in page.inner_text("main")
    assert phone_width.fits(page)
    feed = Feed.objects.get(name="acc")
    (freq,) = Frequency.objects.filter(feed=feed)
    assert (freq.start_time, freq.end_time, freq.headway_secs) == (36000, 57600, 600)
    assert freq.trip.stop_times.count() == 4 and freq.trip.shape_id


def test_the_optional_recorder_uploads_the_phone_positions(
    browser_page, live_server, make_agent, request
):
    """With JavaScript: positions read every 5 s become a trace of the survey. Without it, the
    page says to upload a file from a tracker app."""
    from guichet.transit import trace_services
    from guichet.transit.models import SurveyTrace

    agent = make_agent("agent.releve", "transport_agent", "MT-DTT")
    feed = _feed(agent, "nia")
    survey = trace_services.create_survey(actor=agent, feed=feed, short_name="12")
    page = browser_page
    _log_in(page, live_server, agent)
    url = f"{live_server.url}/transport/gestion/nia/releves/{survey.pk}/enregistrer/"
    if request.node.callspec.params["browser_page"] == "nojs":
        page.goto(url)
        assert "OsmAnd" in page.inner_text("main")
        return
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 13.5118, "longitude": 2.1122})
    page.goto(url)
    page.get_by_role("button", name="Démarrer").click()
    status = expect(page.locator("#transit-recorder-status"))
    status.to_have_text(re.compile(r"^1 "))
    page.context.set_geolocation({"latitude": 13.5140, "longitude": 2.1100})
    status.to_have_text(re.compile(r"^2 "), timeout=12000)
    page.get_by_role("button", name="Arrêter").click()
    page.get_by_role("button", name="Envoyer la trace").click()
    assert "1 trace ajoutée." in page.inner_text("main")
    (trace,) = SurveyTrace.objects.filter(survey=survey)
    assert trace.point_count == 2 and trace.points["lat"] == [13.5118, 13.514]
