"""Parse GPX 1.1 (trk/trkseg/trkpt with time) and GeoJSON traces (OsmAnd, tracker apps)."""

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from guichet.translatable import TranslatableError, gettext_noop


class TraceError(TranslatableError):
    """Invalid trace; the message is French, shown to the agent in their language by the Django
    side (`error.translated(gettext)`)."""


@dataclass
class Trace:
    """Points sorted by time: ``t`` epoch seconds (UTC), ``lat``/``lon`` degrees."""

    t: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    name: str = ""


def _time(value, where):
    try:
        if isinstance(value, (int, float)):
            return float(value) / (1000.0 if value > 1e11 else 1.0)
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except (TypeError, ValueError):
        raise TraceError(
            gettext_noop("Heure illisible (%(format)s) : %(value)s."),
            format=where,
            value=repr(value),
        ) from None


def _finish(rows, name):
    if len(rows) < 2:
        raise TraceError(gettext_noop("La trace doit contenir au moins deux points datés."))
    arr = np.array(sorted(rows), dtype=float)
    keep = np.concatenate([[True], np.diff(arr[:, 0]) > 0])
    arr = arr[keep]
    if np.any(np.abs(arr[:, 1]) > 90) or np.any(np.abs(arr[:, 2]) > 180):
        raise TraceError(gettext_noop("Coordonnées hors limites (latitude ±90, longitude ±180)."))
    return Trace(arr[:, 0], arr[:, 1], arr[:, 2], name)


def _gpx(text, name):
    if "<!ENTITY" in text or "<!DOCTYPE" in text:
        raise TraceError(gettext_noop("GPX refusé : les entités et DOCTYPE ne sont pas acceptés."))
    try:
        root = ET.fromstring(text)  # noqa: S314 — DOCTYPE/entities refused above (no XML bombs)
    except ET.ParseError as exc:
        raise TraceError(gettext_noop("GPX mal formé : %(error)s."), error=str(exc)) from None
    rows = []
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] != "trkpt":
            continue
        tm = next((c.text for c in el if c.tag.rsplit("}", 1)[-1] == "time"), None)
        if tm is None:
            raise TraceError(
                gettext_noop("Point GPX sans heure (<time>) : la trace doit être datée.")
            )
        try:
            lat, lon = float(el.get("lat")), float(el.get("lon"))
        except (TypeError, ValueError):
            raise TraceError(gettext_noop("Point GPX sans lat/lon valides.")) from None
        rows.append((_time(tm, "GPX"), lat, lon))
    return _finish(rows, name)


def _geojson(text, name):
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise TraceError(gettext_noop("GeoJSON mal formé : %(error)s."), error=str(exc)) from None
    feats = doc.get("features", [doc]) if isinstance(doc, dict) else []
    rows = []
    for f in feats:
        geom, props = (f or {}).get("geometry") or {}, (f or {}).get("properties") or {}
        kind, coords = geom.get("type"), geom.get("coordinates")
        if kind == "Point":
            if "time" not in props:
                raise TraceError(gettext_noop("Point GeoJSON sans propriété « time »."))
            rows.append((_time(props["time"], "GeoJSON"), coords[1], coords[0]))
        elif kind in ("LineString", "MultiLineString"):
            lines = [coords] if kind == "LineString" else coords
            times = props.get("coordTimes")
            times = [times] if times and kind == "LineString" else times
            if not times or len(times) != len(lines):
                raise TraceError(
                    gettext_noop("Ligne GeoJSON sans « coordTimes » : la trace doit être datée.")
                )
            for line, tl in zip(lines, times, strict=True):
                if len(line) != len(tl):
                    raise TraceError(
                        gettext_noop("« coordTimes » n'a pas autant d'heures que de points.")
                    )
                rows += [(_time(tm, "GeoJSON"), c[1], c[0]) for c, tm in zip(line, tl, strict=True)]
    return _finish(rows, name)


def parse_trace(data, name=""):
    """Parse GPX or GeoJSON bytes/str into a :class:`Trace`; raises :class:`TraceError`."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TraceError(gettext_noop("Le fichier n'est pas en UTF-8.")) from None
    head = data.lstrip()[:1]
    if head == "<":
        return _gpx(data, name)
    if head in "{[" and head:
        return _geojson(data, name)
    raise TraceError(gettext_noop("Format inconnu : attendu GPX ou GeoJSON."))
