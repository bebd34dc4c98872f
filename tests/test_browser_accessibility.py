"""Accessibility and small screens, checked in Chromium on every page of the site.

- axe-core (tests/browser_assets/axe.min.js, MPL-2.0, vendored from npm) runs on every citizen page
  in fr, ha, dje and en; any WCAG 2.1 A/AA violation fails, with the rule, the page and the nodes.
- At 360 CSS pixels no page, citizen or agent, scrolls sideways (scrollWidth <= 360).
The pages come from tests/site_pages.py (URL patterns × permission matrix, demo objects in the
path). One browser, one page per URL per language: bounded to seconds per language.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from guichet.accounts.models import User

from . import phone_width
from .phone_width import PHONE_WIDTH, STYLE_LOADS
from .security.agents import signed_in
from .site_pages import Page, demo_citizen, pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "browser_assets" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ["fr", "ha", "dje", "en"]
# A POST-only action (405) or a step that sends elsewhere until its turn comes (302): no page.
NOT_A_PAGE = {302, 303, 405}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    settings.SMS_GATEWAY = "console"
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False
    return pages()


def _session_cookie(live_server, user: User | None) -> list[dict]:
    if user is None:
        return []
    client = signed_in(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}]


def _language_cookie(live_server, language: str) -> dict:
    return {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}


def _citizen() -> User:
    """The demo citizen: a bulletin request (« Mes demandes » is a table) and, the identity
    verified, the table of who consulted the record."""
    return demo_citizen()


def _user_for(role: str) -> User | None:
    if role == "anonymous":
        return None
    if role == "citizen":
        return _citizen()
    demo = User.objects.filter(memberships__role__code=role, username__startswith="demo.")
    return demo.first() or User.objects.filter(memberships__role__code=role).first()


def _visit(page, live_server, item: Page) -> int:
    """The HTTP status of the page (Chromium refuses to show some error answers: 0)."""
    statuses = []
    page.once("response", lambda response: statuses.append(response.status))
    try:
        response = page.goto(f"{live_server.url}{item.path}", wait_until="load")
    except PlaywrightError:
        return statuses[0] if statuses else 0
    return response.status if response else 0


# Controls that must be at least 24 x 24 CSS px (WCAG 2.5.8): links of the stop board and the
# line diagram, radio buttons and check boxes (the complaint's rating, the forms' boxes).
SMALL_TARGETS = (
    ".transit-board a, .transit-routes a, .transit-line-stops a, "
    "input[type=radio], input[type=checkbox]"
)


def _small_targets(page) -> list[str]:
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, box]) => box.width > 0 && (box.width < 24 || box.height < 24))
            .map(([e, box]) => `${e.outerHTML.slice(0, 80)} ${box.width}x${box.height}`)""",
        SMALL_TARGETS,
    )


def _axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 AA violations of the page (axe is in every page: `add_init_script`)."""
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + n.failureSummary),
            }));
        }""",
        WCAG_21_AA,
    )


def _signed_in_by_role(page, live_server, items: list[Page]):
    """The pages grouped by who opens them; the browser signed in as that user for each group."""
    by_role: dict[str, list[Page]] = {}
    for item in items:
        by_role.setdefault(item.role, []).append(item)
    for role, group in by_role.items():
        page.context.clear_cookies()
        page.context.add_cookies(_session_cookie(live_server, _user_for(role)))
        yield group


def _report(failures: list[str]) -> str:
    return f"{len(failures)} problem(s):\n" + "\n".join(failures)


@pytest.mark.parametrize("browser_page", ["js"], indirect=True)
def test_citizen_pages_pass_axe_in_every_language_and_fit_a_phone(browser_page, live_server, demo):
    citizen_pages, _agent_pages = demo
    assert len(citizen_pages) >= 20, citizen_pages
    page = browser_page
    # Injected by Chromium into every document of the context, once compiled: evaluating it
    # again on each of the ~160 pages cost ≈ 90 ms per page.
    page.context.add_init_script(AXE)
    failures = []
    for items in _signed_in_by_role(page, live_server, citizen_pages):
        for language in LANGUAGES:
            page.context.add_cookies([_language_cookie(live_server, language)])
            for item in items:
                status = _visit(page, live_server, item)
                where = f"[{language}] {item.name} {item.path}"
                if status in NOT_A_PAGE:
                    continue
                if status != 200:
                    failures.append(f"{where}: HTTP {status}")
                    continue
                if not phone_width.styled(page):
                    failures.append(f"{where}: stylesheet not applied after {STYLE_LOADS} loads")
                    continue
                if page.locator("html").get_attribute("lang") != language:
                    failures.append(f"{where}: not shown in {language}")
                width = phone_width.width(page)
                if width > PHONE_WIDTH:
                    failures.append(f"{where}: {width} px wide at {PHONE_WIDTH} px")
                failures += [f"{where}: target under 24 px: {t}" for t in _small_targets(page)]
                for violation in _axe_violations(page):
                    nodes = "\n      ".join(violation["nodes"])
                    failures.append(
                        f"{where}: {violation['id']} ({violation['impact']}) "
                        f"{violation['help']}\n      {nodes}"
                    )
    assert not failures, _report(failures)


@pytest.mark.parametrize("browser_page", ["nojs"], indirect=True)
def test_agent_pages_fit_a_phone(browser_page, live_server, demo):
    _citizen_pages, agent_pages = demo
    assert len(agent_pages) >= 20, agent_pages
    page = browser_page
    failures, seen = [], 0
    for items in _signed_in_by_role(page, live_server, agent_pages):
        for item in items:
            status = _visit(page, live_server, item)
            if status in NOT_A_PAGE or status == 404:
                continue  # a POST-only action, a redirect; another organisation's demo object
            where = f"[{item.role}] {item.name} {item.path}"
            if status != 200:
                failures.append(f"{where}: HTTP {status}")
                continue
            seen += 1
            if not phone_width.styled(page):
                failures.append(f"{where}: stylesheet not applied after {STYLE_LOADS} loads")
                continue
            width = phone_width.width(page)
            if width > PHONE_WIDTH:
                failures.append(f"{where}: {width} px wide at {PHONE_WIDTH} px")
    assert seen >= 20, f"only {seen} agents' pages opened"
    assert not failures, _report(failures)


@pytest.mark.browser
@pytest.mark.parametrize("browser_page", ["js"], indirect=True)
def test_the_axe_check_finds_what_it_is_meant_to_find(browser_page):
    """The check above can fail: axe, injected as it is there, reports an image without text and
    an unlabelled field (the page is served by the browser itself, no server involved)."""
    page = browser_page
    page.context.add_init_script(AXE)
    body = (
        '<!doctype html><html lang="fr"><head><title>Essai</title></head><body><main>'
        '<img src="data:,"><input type="text" name="q"></main></body></html>'
    )
    page.route(
        "http://guichet.test/",
        lambda route: route.fulfill(status=200, content_type="text/html", body=body),
    )
    page.goto("http://guichet.test/")
    found = {violation["id"] for violation in _axe_violations(page)}
    assert {"image-alt", "label"} <= found, found


def test_a_dropped_stylesheet_is_loaded_again_before_the_page_is_measured(browser_page):
    """The first request for the stylesheet fails, as under a loaded CI server: the page is
    measured styled (360 px), not unstyled (the 366 px of a table without its CSS)."""
    page = browser_page
    body = (
        '<!doctype html><html lang="fr"><head><title>Essai</title>'
        '<link rel="stylesheet" href="/static/css/guichet.css"></head><body>'
        '<div class="wide">' + "x" * 60 + "</div></body></html>"
    )
    css = ":root { --brand: #0b6b3a; } body { margin: 0; } .wide { overflow-wrap: anywhere; }"
    requests = []

    def stylesheet(route):
        requests.append(route.request.url)
        if len(requests) == 1:
            route.abort()
        else:
            route.fulfill(status=200, content_type="text/css", body=css)

    page.route("http://guichet.test/static/css/guichet.css*", stylesheet)
    page.route(
        "http://guichet.test/",
        lambda route: route.fulfill(status=200, content_type="text/html", body=body),
    )
    pages = []
    page.on(
        "request", lambda request: pages.append(request.url) if request.url.endswith("/") else None
    )
    page.goto("http://guichet.test/", wait_until="load")
    assert phone_width.width(page) > PHONE_WIDTH  # unstyled: what the check measured before
    assert phone_width.styled(page)
    assert len(requests) == 2
    assert pages == ["http://guichet.test/"]  # the page itself not asked again (a POST would be)
    assert phone_width.width(page) == PHONE_WIDTH
