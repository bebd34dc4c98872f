"""The width of a page on a phone, measured styled (browser tests).

A stylesheet request that the busy test server drops leaves the page unstyled, and unstyled pages
are wider than a phone (/courrier/1/: 366 px): measuring them tested the server, not the layout.
So the stylesheets are asked for again, up to STYLE_LOADS requests in all, without reloading the
page: a page shown after a form's POST would be posted again by a reload."""

import time

from playwright.sync_api import Error as PlaywrightError

PHONE_WIDTH = 360
STYLE_LOADS = 3
STYLE_WAIT_SECONDS = 5

# A page linking the site's stylesheet has its custom properties once the sheet applies.
_STYLED = """() => !document.querySelector('link[rel=stylesheet][href*="guichet"]')
    || getComputedStyle(document.documentElement).getPropertyValue("--brand").trim() !== ''"""

# Each stylesheet link again, its address made new so that the browser requests it again.
_ASK_AGAIN = """(attempt) => {
    for (const link of document.querySelectorAll('link[rel=stylesheet]')) {
        const again = link.cloneNode();
        again.href = link.href + (link.href.includes('?') ? '&' : '?') + 'again=' + attempt;
        link.after(again);
    }
}"""


def _evaluate(page, script, argument=None):
    try:
        return page.evaluate(script, argument)
    except PlaywrightError:  # the page sent the browser on (a refresh): look where it landed
        page.wait_for_load_state()
        return page.evaluate(script, argument)


def styled(page) -> bool:
    """True once the page has its stylesheet; False if it never got it in STYLE_LOADS requests."""
    if _evaluate(page, _STYLED):
        return True
    for attempt in range(1, STYLE_LOADS):
        _evaluate(page, _ASK_AGAIN, attempt)
        deadline = time.monotonic() + STYLE_WAIT_SECONDS
        while time.monotonic() < deadline:
            if _evaluate(page, _STYLED):
                return True
            time.sleep(0.05)
    return False


def width(page) -> int:
    """The page's width (scrollWidth), CSS pixels."""
    return _evaluate(page, "document.documentElement.scrollWidth")


def fits(page) -> bool:
    """The page, styled, does not scroll sideways on a phone."""
    assert styled(page), f"{page.url}: the stylesheet never loaded"
    return width(page) <= PHONE_WIDTH
