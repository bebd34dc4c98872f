import pytest

from guichet.transit import demo

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
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
