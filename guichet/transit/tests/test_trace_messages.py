"""The trace reader imports no Django, so its errors used to reach transport agents in French
whatever their language. Each error is now a template with its values, translated where it is
shown (`trace_services.read_trace`)."""

import json

import pytest
from django.utils import translation

from guichet.transit.services import TransitError
from guichet.transit.trace_services import read_trace
from guichet.transit.traces import TraceError, parse_trace
from tests.translatable_checks import LANGUAGES, assert_translated

GPX = '<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{}</trkseg></trk></gpx>'
POINT = '<trkpt lat="{lat}" lon="2.1"><time>{time}</time></trkpt>'


def _gpx(*points: str) -> bytes:
    return GPX.format("".join(points)).encode()


def _line(coordinates, times=None) -> bytes:
    properties = {"coordTimes": times} if times is not None else {}
    geometry = {"type": "LineString", "coordinates": coordinates}
    return json.dumps({"type": "Feature", "geometry": geometry, "properties": properties}).encode()


# Every error the reader raises, by the file that gives it.
BAD_FILES = {
    "not UTF-8": b"\xff\xfe<gpx/>\xe9",
    "unknown format": b"trace du 3 mars",
    "GPX with a DOCTYPE": b"<!DOCTYPE gpx><gpx/>",
    "malformed GPX": b"<gpx><trk>",
    "GPX point without time": _gpx('<trkpt lat="13.5" lon="2.1"></trkpt>'),
    "GPX point without lat/lon": _gpx(
        '<trkpt lat="x" lon="2.1"><time>2026-01-01T08:00:00Z</time></trkpt>'
    ),
    "unreadable time": _gpx(POINT.format(lat=13.5, time="huit heures")),
    "one point only": _gpx(POINT.format(lat=13.5, time="2026-01-01T08:00:00Z")),
    "latitude out of range": _gpx(
        POINT.format(lat=95, time="2026-01-01T08:00:00Z"),
        POINT.format(lat=96, time="2026-01-01T08:01:00Z"),
    ),
    "malformed GeoJSON": b"{not json",
    "GeoJSON point without time": json.dumps(
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.1, 13.5]}}
    ).encode(),
    "GeoJSON line without coordTimes": _line([[2.1, 13.5], [2.2, 13.6]]),
    "coordTimes shorter than the line": _line([[2.1, 13.5], [2.2, 13.6]], ["2026-01-01T08:00:00Z"]),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_every_trace_error_is_translated(case, language):
    with pytest.raises(TraceError) as raised:
        parse_trace(BAD_FILES[case], "trace.gpx")
    assert_translated(raised.value, language, case)


def test_an_agent_reading_english_gets_the_trace_error_in_english():
    with translation.override("en"), pytest.raises(TransitError) as raised:
        read_trace(b"trace du 3 mars", "bus.gpx")
    assert str(raised.value) == "“bus.gpx”: Unknown format: GPX or GeoJSON expected."
