import pytest

from guichet.transit.models import Stop

pytestmark = pytest.mark.django_db

MONDAY = "2026-12-07"


def get(client, **params):
    return client.get("/api/transit/plan", params)


def test_plan_returns_pareto_set_with_offsets(client, small):
    response = get(
        client, feed="petit", **{"from": "KEN", "to": "HAR"}, depart=f"{MONDAY}T07:55:00+01:00"
    )
    assert response.status_code == 200
    journeys = response.json()["journeys"]
    first = journeys[0]
    assert first["departure"] == f"{MONDAY}T08:00:00+01:00"
    assert first["arrival"] == f"{MONDAY}T08:20:00+01:00"
    assert first["transfers"] == 1
    assert [leg["mode"] for leg in first["legs"]] == ["transit", "walk", "transit"]
    assert first["legs"][0] == {
        "mode": "transit",
        "route_id": "R1",
        "trip_id": "T1",
        "from_stop": "KEN",
        "to_stop": "GM1",
        "departure": f"{MONDAY}T08:00:00+01:00",
        "arrival": f"{MONDAY}T08:10:00+01:00",
    }
    arrivals = [j["arrival"] for j in journeys]
    assert arrivals == sorted(arrivals)


def test_plan_in_utc_is_converted_to_feed_time(client, small):
    response = get(
        client, feed="petit", **{"from": "KEN", "to": "AER"}, depart=f"{MONDAY}T06:55:00Z"
    )
    assert response.json()["journeys"][0]["departure"] == f"{MONDAY}T08:00:00+01:00"


def test_trip_past_midnight(client, small):
    response = get(
        client, feed="petit", **{"from": "KEN", "to": "AER"}, depart=f"{MONDAY}T23:45:00"
    )
    journey = response.json()["journeys"][0]
    assert journey["arrival"] == "2026-12-08T00:25:00+01:00"


def test_arrive_by(client, small):
    response = get(
        client, feed="petit", **{"from": "KEN", "to": "AER"}, arrive=f"{MONDAY}T09:00:00"
    )
    journey = response.json()["journeys"][0]
    assert journey["departure"] == f"{MONDAY}T08:00:00+01:00"


def test_from_coordinates_starts_with_a_walk(client, small):
    response = get(
        client, feed="petit", **{"from": "13.5232,2.1051", "to": "AER"}, depart=f"{MONDAY}T07:50:00"
    )
    legs = response.json()["journeys"][0]["legs"]
    assert legs[0]["mode"] == "walk" and legs[0]["from_stop"] is None
    assert legs[0]["to_stop"] == "KEN"


def test_max_transfers_zero_keeps_direct_journeys_only(client, small):
    response = get(
        client,
        feed="petit",
        **{"from": "KEN", "to": "HAR"},
        depart=f"{MONDAY}T07:55:00",
        max_transfers=0,
    )
    assert response.json()["journeys"] == []


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"from": "KEN", "to": "AER", "depart": "demain"}, "depart"),
        ({"to": "AER", "depart": f"{MONDAY}T08:00"}, "from"),
        ({"from": "KEN", "to": "AER", "max_walk_m": "beaucoup"}, "max_walk_m"),
        ({"from": "KEN", "to": "AER", "max_transfers": "-1"}, "max_transfers"),
        ({"from": "KEN", "to": "AER", "wheelchair": "peut-être"}, "wheelchair"),
        ({"from": "95,2", "to": "AER"}, "from"),
    ],
)
def test_malformed_parameters_answer_400_naming_them(client, small, params, parameter):
    response = get(client, feed="petit", **params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert parameter in response.json()["detail"]


# ISO 8601 date-times at the ends of the calendar: valid, but outside it once in the feed's zone.
@pytest.mark.parametrize(
    "name, value",
    [
        ("depart", "0001-01-01T00:00:00+05:00"),
        ("depart", "9999-12-31T23:59:00-05:00"),
        ("arrive", "0001-01-01T00:00:00+01:00"),
    ],
)
def test_a_date_time_outside_the_calendar_answers_400_naming_it(client, small, name, value):
    response = get(client, feed="petit", **{"from": "KEN", "to": "AER", name: value})
    assert response.status_code == 400
    assert response.json()["parameter"] == name
    assert value in response.json()["detail"]


def test_a_board_time_outside_the_calendar_answers_400(client, small):
    response = client.get(
        "/api/transit/stops/GM/departures", {"feed": "petit", "at": "0001-01-01T00:00+05:00"}
    )
    assert response.status_code == 400
    assert response.json()["parameter"] == "at"


def test_unknown_feed_and_stop_answer_404_in_french(client, small):
    response = get(client, feed="nulle-part", **{"from": "KEN", "to": "AER"})
    assert response.status_code == 404
    assert "Réseau inconnu" in response.json()["detail"]
    response = get(client, feed="petit", **{"from": "KEN", "to": "LUNE"})
    assert response.status_code == 404
    assert "Arrêt inconnu" in response.json()["detail"]


def test_departures(client, small):
    response = client.get(
        "/api/transit/stops/GM/departures", {"feed": "petit", "at": f"{MONDAY}T08:05:00"}
    )
    assert response.status_code == 200
    rows = response.json()["departures"]
    assert rows[0]["trip_id"] == "T1" and rows[0]["departure"] == f"{MONDAY}T08:11:00+01:00"
    assert rows[1]["trip_id"] == "F1" and rows[1]["departure"] == f"{MONDAY}T08:12:00+01:00"
    assert rows[0]["delay_s"] is None


def test_departures_unknown_stop_404(client, small):
    response = client.get("/api/transit/stops/LUNE/departures", {"feed": "petit"})
    assert response.status_code == 404


def test_edit_invalidates_cached_timetable(client, small, make_agent):
    from guichet.transit import services

    get(client, feed="petit", **{"from": "KEN", "to": "AER"}, depart=f"{MONDAY}T08:00:00")
    services.create_stop(actor=None, feed=small, name="Wadata", lat=13.53, lon=2.13, stop_id="WAD")
    small.refresh_from_db()
    response = get(
        client, feed="petit", **{"from": "WAD", "to": "AER"}, depart=f"{MONDAY}T08:00:00"
    )
    assert response.status_code == 200  # known after the rebuild, not 404
    assert Stop.objects.filter(feed=small, stop_id="WAD").exists()


def test_schema_documents_the_plan_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/transit/plan" in text and "/api/transit/stops/{stop_id}/departures" in text
    assert "max_transfers" in text


def test_plan_journey_command_prints_json_like_the_api(small):
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "plan_journey",
        "--feed",
        "petit",
        "--from",
        "KEN",
        "--to",
        "AER",
        "--depart",
        f"{MONDAY}T07:55:00",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["journeys"][0]["arrival"] == f"{MONDAY}T08:30:00+01:00"


def test_import_and_export_commands(small, tmp_path):
    import io

    from django.core.management import call_command

    target = tmp_path / "out.zip"
    call_command("export_gtfs", "petit", str(target), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_gtfs", str(target), "--name", "petit-bis", stdout=out)
    assert "0 erreurs, " in out.getvalue() and "stop_times.txt 9" in out.getvalue()


def test_import_command_refuses_and_prints_the_report(db, make_feed):
    import io

    from django.core.management import CommandError, call_command

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_gtfs", str(make_feed(stops__txt=None)), "--name", "x", stderr=err)
    assert "missing_required_file" in err.getvalue()


def test_wheelchair_filter_drops_trips_not_known_accessible(client, small):
    response = get(
        client,
        feed="petit",
        **{"from": "KEN", "to": "AER"},
        depart=f"{MONDAY}T07:55:00",
        wheelchair="true",
    )
    assert response.status_code == 200
    assert response.json()["journeys"] == []


def test_max_walk_zero_from_coordinates_walks_nowhere(client, small):
    # 300 m north of Kennedy: with max_walk_m=0 there is no stop to start from.
    response = get(
        client,
        feed="petit",
        **{"from": "13.5257,2.1050", "to": "AER"},
        depart=f"{MONDAY}T07:50:00",
        max_walk_m=0,
    )
    assert response.status_code == 404 and response.json()["parameter"] == "from"
    assert "50 m" in response.json()["detail"]


def test_max_walk_zero_snaps_coordinates_to_the_nearest_stop_and_says_so(client, small):
    response = get(
        client,
        feed="petit",
        **{"from": "13.5232,2.1051", "to": "AER"},
        depart=f"{MONDAY}T07:50:00",
        max_walk_m=0,
    )
    body = response.json()
    legs = body["journeys"][0]["legs"]
    assert [leg["mode"] for leg in legs] == ["transit"] and legs[0]["from_stop"] == "KEN"
    assert body["snapped"] == [
        {"parameter": "from", "stop_id": "KEN", "distance_m": 25, "radius_m": 50}
    ]
