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


def _log_in(page, live_server, user):
    """The editor's session, opened by Django's test client and handed to the browser."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, databases=["default", "readonly"])
def test_an_editor_enters_an_amendment_article_by_article(
    browser_page, live_server, make_agent, settings, tmp_path
):
    settings.SIGNING_DIR = tmp_path / "pki"
    editor = make_agent("editeur.jo", "gazette_editor", "SGG-JO")
    law = draft(
        editor,
        ("loi", "2017-28", D(2017, 5, 3)),
        "relative à la protection des données à caractère personnel",
        articles("Texte initial un.", "Texte initial deux.", "Texte initial trois."),
    )
    worker = threading.Thread(target=publish, args=(editor, [law], D(2017, 7, 4)))
    worker.start()
    worker.join()
    amending = draft(
        editor, ("loi", "2019-71", D(2019, 12, 24)), "modifiant la loi n° 2017-28 du 3 mai 2017"
    )
    page = browser_page
    _log_in(page, live_server, editor)
    url = f"{live_server.url}/journal-officiel/redaction/textes/{amending.pk}/"
    changes = [
        {"change": "replace", "target_eid": "2", "text": "Article deux réécrit en 2019."},
        {"change": "insert", "num": "2 bis", "after_eid": "2", "text": "Article inséré en 2019."},
        {"change": "repeal", "target_eid": "Article 3"},
    ]
    for change in changes:
        page.goto(url)
        form = page.locator("form:has(input[name=action][value=amendment])")
        page.click("summary:has-text('Saisir une modification')")
        form.locator("input[name=amendment-target]").fill("Loi n° 2017-28")
        form.locator("select[name=amendment-change]").select_option(change["change"])
        for field in ("target_eid", "num", "after_eid"):
            if field in change:
                form.locator(f"input[name=amendment-{field}]").fill(change[field])
        if "text" in change:
            form.locator("textarea[name=amendment-text]").fill(change["text"])
        form.locator("button").click()
        page.wait_for_selector("text=Modification enregistrée.")
    assert amending.amendments_made.count() == 3

    worker = threading.Thread(target=publish, args=(editor, [amending], D(2020, 1, 15)))
    worker.start()
    worker.join()
    page.goto(f"{live_server.url}/akn/ne/act/loi/2017/28?date=2018-01-01")
    before = page.inner_text(".jo-body")
    assert "Texte initial deux." in before and "Texte initial trois." in before
    assert "inséré" not in before
    page.goto(f"{live_server.url}/akn/ne/act/loi/2017/28?date=2020-06-01")
    after = page.inner_text(".jo-body")
    assert "Article deux réécrit en 2019." in after and "Texte initial deux." not in after
    assert after.index("réécrit") < after.index("Article inséré en 2019.")
    assert "Texte initial trois." not in after
    assert "Texte initial un." in after
