"""Every write of the trace-to-GTFS tool: one transaction each, with its audit entry.

A field agent rides a route and records it (a GPX or GeoJSON file from OsmAnd or any tracker, or
the recorder page); from several traces of the same direction the engine
(``guichet.transit.traces``) proposes the shape, the stops, the travel times per hour band and the
headways; the agent edits the proposal, then publishes it: the feed is exported, the route is
added to it (frequencies.txt, shapes.txt) and the result is validated and imported like any feed
(a new version). See docs/transit.md, « Cartographier un réseau informel ».

The stored proposal (``TraceSurvey.proposal``) is plain JSON::

    {"stops": [{"stop_id": "new-1" or an existing stop_id, "existing": bool, "name", "lat",
                "lon", "drop": bool, "candidates": [{"stop_id", "name", "distance"}]}],
     "shape": [[lat, lon], ...],
     "bands": [{"start": s, "end": s, "arrival": [s...], "departure": [s...],
                "headway": s or null, "measured": bool}],
     "traces": n}

Times are seconds from the departure at the first stop; ``start``/``end`` are seconds since
midnight of the service day (GTFS: frequencies.txt start_time/end_time).
"""

from __future__ import annotations

import datetime
import itertools
import math

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from guichet import locks
from guichet.audit.services import record
from guichet.transit import audit_actions
from guichet.transit.models import Feed, Stop, SurveyTrace, TraceSurvey
from guichet.transit.services import TransitError
from guichet.transit.traces import TraceError, parse_trace, propose
from guichet.transit.traces.parse import Trace
from guichet.transit.traces.proposal import Params

# Limits (overridable by settings of the same name): a file, its points, the traces of a route.
TRACE_MAX_BYTES = 5_000_000
TRACE_MAX_POINTS = 10_000
TRACE_MAX_HOURS = 6
TRACES_PER_SURVEY = 30
# Existing stops offered as merge candidates: within this radius (m) of a proposed stop.
CANDIDATE_RADIUS = 150.0


def _limit(name: str, default):
    return getattr(settings, f"TRANSIT_{name}", default)


def _audit(action, actor, survey, **data):
    record(action, actor=actor, organisation=survey.feed.organisation, target=survey, data=data)


@transaction.atomic
def create_survey(
    *,
    actor,
    feed: Feed,
    short_name: str,
    long_name: str = "",
    headsign: str = "",
    route_type: int = 3,
) -> TraceSurvey:
    if not short_name.strip():
        raise TransitError(_("Donnez un numéro ou un nom court à la ligne relevée."))
    survey = TraceSurvey.objects.create(
        feed=feed,
        short_name=short_name.strip(),
        long_name=long_name.strip(),
        headsign=headsign.strip(),
        route_type=route_type,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _audit(audit_actions.SURVEY_CREATED, actor, survey, short_name=survey.short_name)
    return survey


def read_trace(data: bytes, name: str = "") -> Trace:
    """Parse and check one uploaded trace; raises TransitError with a French message."""
    max_bytes = _limit("TRACE_MAX_BYTES", TRACE_MAX_BYTES)
    if len(data) > max_bytes:
        raise TransitError(
            _("« %(name)s » : fichier trop gros (%(size)s Ko, au plus %(limit)s Ko).")
            % {"name": name, "size": len(data) // 1000, "limit": max_bytes // 1000}
        )
    try:
        trace = parse_trace(data, name)
    except TraceError as error:
        raise TransitError(
            _("« %(name)s » : %(error)s") % {"name": name, "error": error.translated(_)}
        ) from None
    max_points = _limit("TRACE_MAX_POINTS", TRACE_MAX_POINTS)
    if len(trace.t) > max_points:
        raise TransitError(
            _(
                "« %(name)s » : %(n)s points, au plus %(limit)s (un point toutes les 2 à 5 "
                "secondes suffit)."
            )
            % {"name": name, "n": len(trace.t), "limit": max_points}
        )
    hours = (trace.t[-1] - trace.t[0]) / 3600
    if hours > _limit("TRACE_MAX_HOURS", TRACE_MAX_HOURS):
        raise TransitError(
            _("« %(name)s » dure %(h)s h : une trace couvre un seul trajet de la ligne.")
            % {"name": name, "h": round(hours, 1)}
        )
    if not (math.isfinite(trace.lat.sum()) and math.isfinite(trace.lon.sum())):
        raise TransitError(_("« %(name)s » : coordonnées illisibles.") % {"name": name})
    return trace


@transaction.atomic
def add_traces(*, actor, survey: TraceSurvey, files: list[tuple[str, bytes]]) -> list[SurveyTrace]:
    """Add every trace of ``files`` ((name, content) pairs), or none if one is refused."""
    survey = locks.rows(TraceSurvey.objects.all()).get(pk=survey.pk)
    if not files:
        raise TransitError(_("Choisissez au moins un fichier de trace (GPX ou GeoJSON)."))
    limit = _limit("TRACES_PER_SURVEY", TRACES_PER_SURVEY)
    if survey.traces.count() + len(files) > limit:
        raise TransitError(_("Au plus %(limit)s traces par ligne relevée.") % {"limit": limit})
    parsed = [read_trace(data, name) for name, data in files]
    added = []
    for (name, _data), trace in zip(files, parsed, strict=True):
        added.append(
            SurveyTrace.objects.create(
                survey=survey,
                name=name[:255],
                points={
                    "t": [round(float(v), 1) for v in trace.t],
                    "lat": [round(float(v), 7) for v in trace.lat],
                    "lon": [round(float(v), 7) for v in trace.lon],
                },
                started_at=datetime.datetime.fromtimestamp(float(trace.t[0]), datetime.UTC),
                point_count=len(trace.t),
                uploaded_by=actor if getattr(actor, "pk", None) else None,
            )
        )
    _audit(
        audit_actions.TRACE_ADDED,
        actor,
        survey,
        traces=[t.pk for t in added],
        points=sum(t.point_count for t in added),
    )
    return added


@transaction.atomic
def delete_trace(*, actor, trace: SurveyTrace) -> None:
    survey = trace.survey
    _audit(audit_actions.TRACE_DELETED, actor, survey, trace=trace.pk, name=trace.name)
    trace.delete()


def _stop_candidates(feed: Feed):
    return [
        {"stop_id": s.stop_id, "name": s.name, "lat": s.lat, "lon": s.lon}
        for s in Stop.objects.filter(
            feed=feed, location_type=Stop.LocationType.STOP, lat__isnull=False, lon__isnull=False
        ).only("stop_id", "name", "lat", "lon")
    ]


def _metres(lat1, lon1, lat2, lon2) -> float:
    k = math.pi / 180
    x = (lon2 - lon1) * k * math.cos((lat1 + lat2) / 2 * k)
    return 6371000.0 * math.hypot(x, (lat2 - lat1) * k)


def _nearby(stop, existing, radius):
    """Existing stops within ``radius`` m of a proposed stop, nearest first (at most 3)."""
    box = radius / 111_000 * 2
    near = []
    for s in existing:
        if abs(s["lat"] - stop["lat"]) > box or abs(s["lon"] - stop["lon"]) > box * 2:
            continue
        d = _metres(stop["lat"], stop["lon"], s["lat"], s["lon"])
        if d <= radius:
            near.append({"stop_id": s["stop_id"], "name": s["name"], "distance": round(d)})
    return sorted(near, key=lambda c: c["distance"])[:3]


def proposal_json(proposal, existing, params: Params) -> dict:
    """The engine's :class:`Proposal` as the editable JSON described in the module docstring:
    every hour band of ``params`` is listed; a band no trace covered borrows the times of the
    nearest measured band (``measured`` false) and has no headway until the agent gives one."""
    stops = []
    for stop in proposal.stops:
        candidates = _nearby(stop, existing, CANDIDATE_RADIUS)
        stops.append(
            {
                "stop_id": stop["stop_id"],
                "existing": bool(stop.get("existing")),
                "name": stop.get("name", ""),
                "lat": round(float(stop["lat"]), 6),
                "lon": round(float(stop["lon"]), 6),
                "drop": False,
                "candidates": candidates,
            }
        )
    measured = {tuple(p["band"]): p for p in proposal.stop_times}
    headways = {}
    for start, _end, headway in proposal.frequencies:
        headways[int(start[:2])] = headway
    bands = []
    for h0, h1 in params.bands:
        times = measured.get((h0, h1))
        if times is None and measured:
            nearest = min(measured, key=lambda b: abs((b[0] + b[1]) / 2 - (h0 + h1) / 2))
            times = measured[nearest]
        bands.append(
            {
                "start": h0 * 3600,
                "end": h1 * 3600,
                "arrival": list(times["arrival"]) if times else [0] * len(stops),
                "departure": list(times["departure"]) if times else [0] * len(stops),
                "headway": headways.get(h0),
                "measured": (h0, h1) in measured,
            }
        )
    return {
        "stops": stops,
        "shape": [[round(lat, 6), round(lon, 6)] for lat, lon in proposal.shape],
        "bands": bands,
    }


@transaction.atomic
def compute_proposal(*, actor, survey: TraceSurvey) -> dict:
    """Run the engine on every trace of ``survey`` (times of day in the feed's timezone) and
    store its proposal, replacing any earlier edit."""
    survey = locks.rows(TraceSurvey.objects.select_related("feed")).get(pk=survey.pk)
    traces = [
        Trace(*(np.asarray(t.points[k], dtype=float) for k in ("t", "lat", "lon")), t.name)
        for t in survey.traces.all()
    ]
    if len(traces) < 2:
        raise TransitError(
            _("Il faut au moins deux traces de la ligne pour proposer ses arrêts et ses temps.")
        )
    existing = _stop_candidates(survey.feed)
    params = Params()
    result = propose(traces, existing_stops=existing, tz=survey.feed.timezone, params=params)
    if len(result.stops) < 2:
        raise TransitError(
            _(
                "Moins de deux arrêts reconnus : les véhicules ne marquent pas d'arrêt communs "
                "aux traces. Vérifiez que les traces suivent la même ligne dans le même sens."
            )
        )
    survey.proposal = proposal_json(result, existing, params) | {"traces": len(traces)}
    survey.save(update_fields=["proposal", "updated_at"])
    _audit(
        audit_actions.PROPOSAL_COMPUTED,
        actor,
        survey,
        traces=len(traces),
        stops=len(result.stops),
    )
    return survey.proposal


@transaction.atomic
def edit_proposal(*, actor, survey: TraceSurvey, stops: list[dict], bands: list[dict]) -> dict:
    """Apply the agent's edits: per stop ``name``, ``lat``, ``lon``, ``drop`` and ``merge`` (an
    existing stop_id among its candidates, or ""); per band ``arrival`` (seconds from the first
    stop, one per stop) and ``headway`` (seconds or None). Checked here, whatever the form did."""
    survey = locks.rows(TraceSurvey.objects.all()).get(pk=survey.pk)
    proposal = survey.proposal
    if not proposal.get("stops"):
        raise TransitError(_("Calculez d'abord la proposition."))
    if len(stops) != len(proposal["stops"]) or len(bands) != len(proposal["bands"]):
        raise TransitError(_("La proposition a changé entre-temps : rechargez la page."))
    existing = {s["stop_id"]: s for s in _stop_candidates(survey.feed)}
    for stop, edit in zip(proposal["stops"], stops, strict=True):
        merge = edit.get("merge") or ""
        stop["drop"] = bool(edit.get("drop"))
        if merge:
            offered = {c["stop_id"] for c in stop["candidates"]} | (
                {stop["stop_id"]} if stop["existing"] else set()
            )
            if merge not in offered or merge not in existing:
                raise TransitError(
                    _("Arrêt « %(id)s » : il n'est pas proche de l'arrêt proposé.") % {"id": merge}
                )
            target = existing[merge]
            stop.update(existing=True, stop_id=merge, name=target["name"])
            stop.update(lat=target["lat"], lon=target["lon"])
        else:
            if stop["existing"]:
                stop["stop_id"] = f"new-{proposal['stops'].index(stop) + 1}"
                stop["existing"] = False
            lat, lon = float(edit["lat"]), float(edit["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise TransitError(
                    _("Coordonnées invalides : %(lat)s, %(lon)s.") % {"lat": lat, "lon": lon}
                )
            stop.update(name=(edit.get("name") or "").strip()[:200], lat=lat, lon=lon)
    kept = [i for i, s in enumerate(proposal["stops"]) if not s["drop"]]
    for band, edit in zip(proposal["bands"], bands, strict=True):
        arrival = [int(v) for v in edit["arrival"]]
        if len(arrival) != len(proposal["stops"]) or min(arrival, default=0) < 0:
            raise TransitError(_("Temps de parcours invalides."))
        ordered = [arrival[i] for i in kept]
        if any(b < a for a, b in itertools.pairwise(ordered)):
            raise TransitError(
                _("Tranche %(band)s : les temps doivent croître d'un arrêt au suivant.")
                % {"band": band_label(band)}
            )
        dwell = [max(d - a, 0) for a, d in zip(band["arrival"], band["departure"], strict=True)]
        band["arrival"] = arrival
        nxt = [*arrival[1:], arrival[-1]]
        band["departure"] = [
            min(a + w, n) if i + 1 < len(arrival) else a
            for i, (a, w, n) in enumerate(zip(arrival, dwell, nxt, strict=True))
        ]
        headway = edit.get("headway")
        if headway is not None and not (60 <= int(headway) <= 4 * 3600):
            raise TransitError(_("L'intervalle doit être compris entre 1 et 240 minutes."))
        band["headway"] = int(headway) if headway is not None else None
    survey.proposal = proposal
    survey.save(update_fields=["proposal", "updated_at"])
    _audit(
        audit_actions.PROPOSAL_EDITED,
        actor,
        survey,
        dropped=[s["stop_id"] for s in proposal["stops"] if s["drop"]],
        headways=[b["headway"] for b in proposal["bands"]],
    )
    return proposal


def band_label(band: dict) -> str:
    return f"{band['start'] // 3600:02d} h – {band['end'] // 3600:02d} h"
