"""A server-rendered SVG map of a survey: the recorded traces (thin, grey), the proposed shape
(thick) and the numbered stops, so the proposal can be checked with no JavaScript and no tiles."""

from __future__ import annotations

import math

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, MARGIN = 400, 300, 12
MAX_POINTS = 400  # per drawn line: enough at this size, and the page stays small


def _thin(points: list, limit: int = MAX_POINTS) -> list:
    step = max(1, math.ceil(len(points) / limit))
    return points[::step] + ([points[-1]] if points and (len(points) - 1) % step else [])


def survey_svg(proposal: dict, traces: list[dict], title: str) -> SafeString:
    """``traces``: each {"lat": [...], "lon": [...]}; ``proposal`` as in trace_services."""
    lines = [_thin(list(zip(t["lat"], t["lon"], strict=True))) for t in traces]
    shape = [tuple(p) for p in proposal.get("shape", [])]
    stops = list(proposal.get("stops", []))
    every = [p for line in lines for p in line] + shape + [(s["lat"], s["lon"]) for s in stops]
    if not every:
        return SafeString("")
    lat0 = sum(p[0] for p in every) / len(every)
    k = math.cos(math.radians(lat0))
    xs = [p[1] * k for p in every]
    ys = [p[0] for p in every]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    scale = min((WIDTH - 2 * MARGIN) / span, (HEIGHT - 2 * MARGIN) / span)
    x0, y1 = min(xs), max(ys)

    def xy(lat, lon):
        return (MARGIN + (lon * k - x0) * scale, MARGIN + (y1 - lat) * scale)

    def path(points):
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(*p) for p in points))

    traces_svg = format_html_join(
        "", '<polyline class="trace" points="{}"/>', ((path(line),) for line in lines if line)
    )
    shape_svg = format_html('<polyline class="shape" points="{}"/>', path(shape)) if shape else ""

    def stop_row(n, stop):
        x, y = xy(stop["lat"], stop["lon"])
        kind = (
            "stop dropped" if stop.get("drop") else "stop existing" if stop["existing"] else "stop"
        )
        label = f"{n}. {stop['name'] or stop['stop_id']}"
        return (kind, f"{x:.1f}", f"{y:.1f}", f"{x + 7:.1f}", f"{y - 5:.1f}", n, label)

    stops_svg = format_html_join(
        "",
        '<g class="{}"><circle cx="{}" cy="{}" r="5"/>'
        '<text x="{}" y="{}">{}</text><title>{}</title></g>',
        (stop_row(n, s) for n, s in enumerate(stops, start=1)),
    )
    return format_html(
        '<svg class="transit-survey-map" viewBox="0 0 {} {}" role="img" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        traces_svg,
        shape_svg,
        stops_svg,
    )
