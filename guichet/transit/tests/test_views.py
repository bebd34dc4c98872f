import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_lists_networks(client, small):
    response = client.get(reverse("transit:home"))
    assert response.status_code == 200
    assert "petit" in response.content.decode()


def test_route_page_draws_its_stops_as_svg(client, small):
    html = client.get("/transport/petit/lignes/R1/").content.decode()
    assert "<svg" in html and html.count("<circle") == 3
    assert "Rond-point Kennedy" in html and "Aéroport" in html


def test_route_diagram_drawing_is_hidden_and_its_stops_are_html_links(client, small):
    """Links nested in an SVG role=img are not reachable by screen readers (axe: nested-interactive):
    the drawing is decoration, the stops an HTML list of links, each row 36 px high."""
    html = client.get("/transport/petit/lignes/R1/").content.decode()
    svg = re.search(r"<svg\b[^>]*>.*?</svg>", html, re.S)[0]
    assert 'aria-hidden="true"' in svg
    assert "<a " not in svg and "<text" not in svg
    stops = re.search(r'<ol class="transit-line-stops">(.*?)</ol>', html, re.S)[1]
    assert stops.count('<a href="/transport/petit/arrets/') == 3


def test_stop_page_lists_departures(client, small):
    html = client.get("/transport/petit/arrets/KEN/", {"at": "2026-12-07T07:00"}).content.decode()
    assert "08:00" in html and "Aéroport" in html


def test_unknown_stop_and_feed_404(client, small):
    assert client.get("/transport/petit/arrets/LUNE/").status_code == 404
    assert client.get("/transport/nulle-part/").status_code == 404


def test_journey_form_resolves_names_then_plans(client, small):
    html = client.get(
        "/transport/petit/itineraire/",
        {
            "from": "kennedy",
            "to": "harobanda",
            "date": "2026-12-07",
            "when": "07:55",
        },
    ).content.decode()
    assert "08:00" in html and "08:20" in html
    assert "ligne 1" in html


def test_journey_form_asks_to_choose_between_close_names(client, organisations):
    from guichet.transit import demo

    demo.load(lambda line: None)
    html = client.get("/transport/niamey/itineraire/", {"from": "marche", "to": "aeroport"})
    text = html.content.decode()
    assert 'name="from_id"' in text and "Petit Marché" in text and "Grand Marché" in text


def test_illustrative_network_says_so(client, organisations):
    from guichet.transit import demo

    demo.load(lambda line: None)
    html = client.get("/transport/niamey/").content.decode()
    assert "illustratif" in html


def test_list_pages_run_a_bounded_number_of_queries(client, small, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/transport/")
    with django_assert_max_num_queries(6):
        client.get("/transport/petit/")


def test_a_new_name_typed_replaces_the_earlier_choice(client, small):
    html = client.get(
        "/transport/petit/itineraire/",
        {
            "from": "harobanda",
            "from_id": "KEN",
            "to": "aeroport",
            "date": "2026-12-07",
            "when": "07:55",
        },
    ).content.decode()
    assert 'name="from_id" value="HAR"' in html
