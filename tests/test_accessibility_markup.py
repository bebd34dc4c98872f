"""Accessibility defects found on the citizen pages (issue 15), checked on the HTML and the CSS so
they cannot come back unnoticed: links nested in the line diagram's SVG, the focus ring's contrast,
table cells without their column's name on small screens, internal identifiers on law pages."""

import re
from html.parser import HTMLParser
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


# --- Column names on stacked table cells: every table of every template (citizens' and agents') ---

_TRANSLATE = re.compile(r"""\{%\s*translate\s+(["'])(.*?)\1\s*%\}""")
_OTHER_TEMPLATE_SYNTAX = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)


def _without_template_syntax(source: str) -> str:
    """The template with each {% translate "x" %} replaced by x and every other tag or variable
    removed, so that a header and a data-label written with the same msgid compare equal."""
    return _OTHER_TEMPLATE_SYNTAX.sub("", _TRANSLATE.sub(lambda m: m[2], source))


class _TableCells(HTMLParser):
    """Collects, for each <table> with a <thead>, its header texts and, for each body cell, its
    column's header, its data-label and whether it spans several columns."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self._stack, self._text = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._stack.append({"headers": [], "cells": [], "in_head": False, "column": -1})
        elif not self._stack:
            return
        table = self._stack[-1] if self._stack else None
        if tag == "thead":
            table["in_head"] = True
        elif tag == "tr":
            table["column"] = -1
        elif tag in ("th", "td"):
            table["column"] += 1
            if table["in_head"]:
                self._text = []
            elif tag == "td":
                table["cells"].append(
                    (table["column"], attrs.get("data-label"), "colspan" in attrs)
                )

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self._stack:
            return
        table = self._stack[-1]
        if tag == "th" and table["in_head"] and self._text is not None:
            table["headers"].append(" ".join("".join(self._text).split()))
            self._text = None
        elif tag == "thead":
            table["in_head"] = False
        elif tag == "table":
            self.tables.append(self._stack.pop())


def _templates_with_tables():
    root = Path(settings.BASE_DIR) / "guichet"
    found = []
    for path in sorted(root.rglob("templates/**/*.html")):
        text = path.read_text()
        if re.search(r"<table\b", text) and re.search(r"<th\b", text):
            found.append(path)
    return found


def _unlabelled_cells(source: str) -> list[str]:
    parser = _TableCells()
    parser.feed(_without_template_syntax(source))
    problems = []
    for table in parser.tables:
        headers = table["headers"]
        if not headers:
            continue
        for column, label, spans in table["cells"]:
            header = headers[column] if column < len(headers) else None
            if spans or header == "":
                continue  # a "nothing here" row across the table, or a column without a name
            if label != header:
                problems.append(f"column {column + 1} ({header!r}): data-label={label!r}")
    return problems


def test_the_checker_finds_a_cell_without_its_column_name():
    good = """<table><thead><tr><th>{% translate "Nom" %}</th><th>{% translate "Date" %}</th></tr></thead>
      <tbody>{% for x in xs %}<tr{% if x.a %} class="a"{% endif %}><td data-label="{% translate 'Nom' %}">{{ x }}</td>
      <td data-label="{% translate "Date" %}">{{ x.d }}</td></tr>{% empty %}<tr><td colspan="2">-</td></tr>
      {% endfor %}</tbody></table>"""
    assert _unlabelled_cells(good) == []
    missing = good.replace("""<td data-label="{% translate "Date" %}">""", "<td>")
    assert _unlabelled_cells(missing) == ["column 2 ('Date'): data-label=None"]
    wrong = good.replace("translate 'Nom'", "translate 'Date'")
    assert _unlabelled_cells(wrong) == ["column 1 ('Nom'): data-label='Date'"]
    row_header = """<table><thead><tr><th>A</th><th>B</th></tr></thead>
      <tbody><tr><th scope="row">x</th><td data-label="B">y</td></tr></tbody></table>"""
    assert _unlabelled_cells(row_header) == []


def test_every_table_cell_carries_its_column_name_for_small_screens():
    templates = _templates_with_tables()
    assert len(templates) >= 15
    problems = {
        str(path.relative_to(settings.BASE_DIR)): found
        for path in templates
        if (found := _unlabelled_cells(path.read_text()))
    }
    assert problems == {}
