"""A reader searches the Journal and opens a text, in Chromium, with and without JavaScript."""

import threading

import pytest

from guichet.gazette.tests.factories import D, articles, draft, publish


@pytest.mark.browser
# The live server thread opens its own "readonly" connection (a mirror of the test database).
# The data is committed and flushed after each run, reference rows included: the text is
# published without an agent or authority, which need none of them.
@pytest.mark.django_db(transaction=True, databases=["default", "readonly"])
def test_search_and_open_a_text(browser_page, live_server):
    editor = None
    law = draft(
        editor,
        ("loi", "2017-28", D(2017, 5, 3)),
        "Loi relative à la protection des données à caractère personnel",
        articles("Les données à caractère personnel sont protégées.", "La loi est abrogée."),
    )
    # Playwright's event loop runs in this thread; pyHanko signs through asyncio.run, which
    # refuses to nest: publish from a thread of its own.
    worker = threading.Thread(target=publish, args=(editor, [law], D(2017, 7, 4)))
    worker.start()
    worker.join()
    page = browser_page
    page.goto(f"{live_server.url}/journal-officiel/")
    page.fill("input[name=q]", "donnees personnelles")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector(".jo-results")
    assert "1 texte trouvé" in page.inner_text("#resultats")
    assert page.inner_text(".jo-snippet mark").lower().startswith("donn")
    page.click(".jo-hit-title")
    page.wait_for_selector("h1")
    assert "Loi n° 2017-28 du 3 mai 2017" in page.inner_text("h1")
    assert page.url.endswith("/akn/ne/act/loi/2017/28")
    assert "Les données à caractère personnel sont protégées." in page.inner_text(".jo-body")
