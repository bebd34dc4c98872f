"""Publishing a mapped route: the feed exported as GTFS, the route added to it, and the result
validated and imported like any upload (a new feed version, FEED_IMPORTED in the audit trail).

What is added (GTFS Schedule reference): one routes.txt row; the proposal's new stops
(stops.txt, location_type 0); shapes.txt for its shape; per hour band that has a headway, one
template trip (trips.txt + stop_times.txt, times = band start + offsets) and one frequencies.txt
row (exact_times 0: headway-based, as minibuses run, « toutes les N minutes »). Publishing the same
survey again replaces the rows it published before (same route_id), so edits can be republished.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import tempfile
import zipfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from guichet.audit.services import record
from guichet.transit import audit_actions, services
from guichet.transit.export import write_gtfs
from guichet.transit.gtfs import format_date, format_time
from guichet.transit.importer import ImportResult
from guichet.transit.models import Agency, Calendar, Route, Stop, TraceSurvey
from guichet.transit.services import TransitError

DAILY_SERVICE = "releve-quotidien"


def _read(archive: zipfile.ZipFile) -> dict[str, tuple[list[str], list[dict]]]:
    tables = {}
    for name in archive.namelist():
        with archive.open(name) as member:
            reader = csv.DictReader(io.TextIOWrapper(member, "utf-8-sig"))
            rows = list(reader)
            tables[name] = (list(reader.fieldnames or []), rows)
    return tables


def _append(tables, name: str, rows: list[dict]) -> None:
    header, existing = tables.get(name, ([], []))
    for row in rows:
        for column in row:
            if column not in header:
                header.append(column)
    tables[name] = (header, existing + rows)


def _write(tables, path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, (header, rows) in tables.items():
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, header, lineterminator="\n", restval="")
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(name, buffer.getvalue())


def _route_id(survey: TraceSurvey) -> str:
    if survey.published_route_id:
        return survey.published_route_id
    base = slugify(survey.short_name) or "ligne"
    taken = set(Route.objects.filter(feed=survey.feed).values_list("route_id", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _without_route(tables, route_id: str) -> None:
    """Drop what an earlier publication of this route wrote (its trips, times, frequencies,
    shape; its new stops stay unless no other trip serves them — the validator would flag them)."""
    header, trips = tables.get("trips.txt", ([], []))
    gone = {t["trip_id"] for t in trips if t.get("route_id") == route_id}
    shapes = {t.get("shape_id") for t in trips if t.get("route_id") == route_id} - {""}
    tables["trips.txt"] = (header, [t for t in trips if t["trip_id"] not in gone])
    for name, key, drop in (
        ("stop_times.txt", "trip_id", gone),
        ("frequencies.txt", "trip_id", gone),
        ("shapes.txt", "shape_id", shapes),
    ):
        if name in tables:
            header, rows = tables[name]
            tables[name] = (header, [r for r in rows if r.get(key) not in drop])
    header, routes = tables["routes.txt"]
    tables["routes.txt"] = (header, [r for r in routes if r["route_id"] != route_id])
    served = {r["stop_id"] for r in tables["stop_times.txt"][1]}
    prefix = f"{route_id}-"
    header, stops = tables["stops.txt"]
    tables["stops.txt"] = (
        header,
        [s for s in stops if not s["stop_id"].startswith(prefix) or s["stop_id"] in served],
    )


def gtfs_rows(survey: TraceSurvey, route_id: str, service_id: str, taken_stop_ids) -> dict:
    """The rows the survey adds, per GTFS file; raises TransitError if it cannot be published."""
    proposal = survey.proposal or {}
    kept = [s for s in proposal.get("stops", []) if not s.get("drop")]
    if len(kept) < 2:
        raise TransitError(_("Gardez au moins deux arrêts pour publier la ligne."))
    unnamed = [i + 1 for i, s in enumerate(kept) if not s["existing"] and not s["name"].strip()]
    if unnamed:
        raise TransitError(
            _("Nommez chaque nouvel arrêt avant de publier (arrêts n° %(list)s).")
            % {"list": ", ".join(map(str, unnamed))}
        )
    bands = [b for b in proposal["bands"] if b.get("headway")]
    if not bands:
        raise TransitError(
            _("Donnez l'intervalle entre deux départs pour au moins une tranche horaire.")
        )
    index = [i for i, s in enumerate(proposal["stops"]) if not s.get("drop")]
    stops, ids, taken = [], [], set(taken_stop_ids)
    for n, stop in enumerate(kept, start=1):
        if stop["existing"]:
            ids.append(stop["stop_id"])
            continue
        stop_id, k = f"{route_id}-{n}", n
        while stop_id in taken:
            k += 1000
            stop_id = f"{route_id}-{k}"
        taken.add(stop_id)
        ids.append(stop_id)
        stops.append(
            {
                "stop_id": stop_id,
                "stop_name": stop["name"].strip(),
                "stop_lat": f"{stop['lat']:.6f}",
                "stop_lon": f"{stop['lon']:.6f}",
                "location_type": "0",
            }
        )
    shape_id = f"{route_id}-trace"
    shapes = [
        {
            "shape_id": shape_id,
            "shape_pt_lat": f"{lat:.6f}",
            "shape_pt_lon": f"{lon:.6f}",
            "shape_pt_sequence": str(seq),
        }
        for seq, (lat, lon) in enumerate(proposal.get("shape", []), start=1)
    ]
    trips, stop_times, frequencies = [], [], []
    for band in bands:
        trip_id = f"{route_id}-{band['start'] // 3600:02d}h"
        first = band["arrival"][index[0]]
        trips.append(
            {
                "route_id": route_id,
                "service_id": service_id,
                "trip_id": trip_id,
                "trip_headsign": survey.headsign,
                "shape_id": shape_id if shapes else "",
            }
        )
        for seq, (i, stop_id) in enumerate(zip(index, ids, strict=True), start=1):
            arrival = band["start"] + band["arrival"][i] - first
            departure = band["start"] + max(band["departure"][i], band["arrival"][i]) - first
            if seq == len(index):
                departure = arrival
            stop_times.append(
                {
                    "trip_id": trip_id,
                    "arrival_time": format_time(arrival),
                    "departure_time": format_time(departure),
                    "stop_id": stop_id,
                    "stop_sequence": str(seq),
                }
            )
        frequencies.append(
            {
                "trip_id": trip_id,
                "start_time": format_time(band["start"]),
                "end_time": format_time(band["end"]),
                "headway_secs": str(band["headway"]),
                "exact_times": "0",
            }
        )
    agency = Agency.objects.filter(feed=survey.feed).order_by("pk").first()
    route = {
        "route_id": route_id,
        "agency_id": agency.agency_id if agency else "",
        "route_short_name": survey.short_name,
        "route_long_name": survey.long_name,
        "route_type": str(survey.route_type),
    }
    return {
        "routes.txt": [route],
        "stops.txt": stops,
        "trips.txt": trips,
        "stop_times.txt": stop_times,
        "frequencies.txt": frequencies,
        "shapes.txt": shapes,
    }


def service_choices(feed) -> list[tuple[str, str]]:
    days = [(c, c) for c in Calendar.objects.filter(feed=feed).values_list("service_id", flat=True)]
    if DAILY_SERVICE not in dict(days):
        days.append(("", _("Nouveau calendrier : tous les jours pendant un an")))
    return days


def _daily_calendar(today: datetime.date) -> dict:
    end = today.replace(year=today.year + 1) if (today.month, today.day) != (2, 29) else today
    return {"service_id": DAILY_SERVICE, **dict.fromkeys(Calendar.DAYS, "1")} | {
        "start_date": format_date(today),
        "end_date": format_date(end + datetime.timedelta(days=365 if end == today else 0)),
    }


def publish_survey(*, actor, survey: TraceSurvey, service_id: str = "") -> ImportResult:
    """Export the feed, add the survey's route, validate and import the result as the feed's
    next version. Raises FeedRefused (with the validator's report) or TransitError; then
    nothing is written."""
    feed = survey.feed
    if service_id and not Calendar.objects.filter(feed=feed, service_id=service_id).exists():
        raise TransitError(_("Calendrier inconnu : « %(id)s ».") % {"id": service_id})
    route_id = _route_id(survey)
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", route_id):
        raise TransitError(_("Identifiant de ligne invalide : « %(id)s ».") % {"id": route_id})
    with tempfile.TemporaryDirectory() as folder:
        exported = Path(folder) / "current.zip"
        write_gtfs(feed, exported)
        with zipfile.ZipFile(exported) as archive:
            tables = _read(archive)
        _without_route(tables, route_id)
        taken = {s["stop_id"] for s in tables["stops.txt"][1]} | set(
            Stop.objects.filter(feed=feed).values_list("stop_id", flat=True)
        )
        rows = gtfs_rows(survey, route_id, service_id or DAILY_SERVICE, taken)
        if not service_id:
            _header, calendars = tables.get("calendar.txt", ([], []))
            if not any(c["service_id"] == DAILY_SERVICE for c in calendars):
                rows["calendar.txt"] = [_daily_calendar(timezone.localdate())]
        for name, new in rows.items():
            if new:
                _append(tables, name, new)
        path = Path(folder) / "published.zip"
        _write(tables, path)
        with transaction.atomic():
            result = services.import_feed(
                path, feed.name, actor=actor, organisation=feed.organisation, title=feed.title
            )
            TraceSurvey.objects.filter(pk=survey.pk).update(
                published_version=result.feed.version,
                published_route_id=route_id,
                updated_at=timezone.now(),
            )
            record(
                audit_actions.SURVEY_PUBLISHED,
                actor=actor,
                organisation=feed.organisation,
                target=survey,
                data={
                    "route_id": route_id,
                    "version": result.feed.version,
                    "trips": len(rows["trips.txt"]),
                    "new_stops": len(rows["stops.txt"]),
                },
            )
    return result
