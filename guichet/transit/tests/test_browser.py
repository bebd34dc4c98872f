import pytest

from guichet.transit import demo
from tests import phone_width

# The live server thread reads through its own "readonly" connection; reference rows
# (organisations) are flushed with the data, so they are serialized and restored.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "readonly"]
    ),
]


def test_citizen_plans_a_journey(browser_page, live_server):
    demo.load(lambda line: None)
    page = browser_page
    page.goto(f"{live_server.url}/transport/")
    page.get_by_role("link", name="Calculer un itinéraire").first.click()
    page.fill("#from", "katako")
    page.fill("#to", "aeroport")
    page.fill("#date", "2026-12-09")
    page.fill("#when", "07:00")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_selector("section.journey")
    text = page.locator("section.journey").first.inner_text()
    assert "07:00" in text and "07:32" in text
    assert phone_width.fits(page)


def test_pages_of_a_feed_in_another_timezone_use_its_clock(browser_page, live_server, tmp_path):
    """A New York feed: the journey and the board read New York time, not Niamey's."""
    import datetime
    import zoneinfo

    import time_machine

    from guichet.accounts.models import Organisation
    from guichet.transit.services import import_feed
    from guichet.transit.tests.conftest import SMALL, write_feed

    files = dict(
        SMALL, **{"agency.txt": SMALL["agency.txt"].replace("Africa/Niamey", "America/New_York")}
    )
    import_feed(
        write_feed(tmp_path, files), "nyc", organisation=Organisation.objects.get(code="MT-DTT")
    )
    # Monday 7 December 2026, 07:00 in New York; the server thread sees the same clock.
    moment = datetime.datetime(2026, 12, 7, 7, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    with time_machine.travel(moment, tick=True):
        page = browser_page
        page.goto(f"{live_server.url}/transport/nyc/itineraire/")
        page.fill("#from", "kennedy")
        page.fill("#to", "aeroport")
        page.fill("#when", "07:55")
        page.get_by_role("button", name="Rechercher").click()
        page.wait_for_selector("section.journey")
        text = page.locator("section.journey").first.inner_text()
        assert "08:00 → 08:30" in text and "direct" in text, text
        assert "08:00 — ligne 1" in text and "14:00" not in text, text
        page.goto(f"{live_server.url}/transport/nyc/arrets/KEN/")
        board = page.locator("table.transit-board").inner_text()
        assert "08:00" in board and "14:00" not in board, board
