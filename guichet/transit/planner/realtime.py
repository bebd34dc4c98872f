"""Realtime delays as a cheap overlay on a built timetable (GTFS-RT TripUpdates, parsed upstream).

A delayed trip cannot stay in its pattern: its new times might overtake a neighbour, which RAPTOR's
"earliest trip" search forbids. So the overlay disables the trip's slots in their patterns (the
kernel's binary search skips disabled slots) and appends one single-trip pattern per delayed
vehicle. A delay for one trip instance (one service date) must leave the trip's other days alone:
the appended patterns then run on synthetic service rows appended to a copy of `service_days`
(the trip's days minus that date with its scheduled times; that date alone with the delayed ones).
Every other array is shared with the original timetable, untouched.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo

import numpy as np

from .journeys import ServiceClock
from .timetable import Timetable, index_stop_routes

DelayValue = None | Sequence[int] | Mapping[int, int]
# A plain trip_id, or (trip_id, service_date) where a None date means every day.
DelayKey = str | tuple[str, date | None]

_UNCHANGED = object()  # the scheduled times, on the days no dated entry names


def _per_stop_delays(tt: Timetable, trip: int, value: Sequence[int] | Mapping[int, int]):
    sequences = tt.trip_sequences[tt.trip_sequence_start[trip] : tt.trip_sequence_start[trip + 1]]
    if isinstance(value, Mapping):
        # GTFS-RT: a StopTimeUpdate's delay propagates to the following stops until the next
        # update; stops before the first update keep their schedule.
        delays = np.zeros(len(sequences), dtype=np.int32)
        current = 0
        known = {int(k): int(v) for k, v in value.items()}
        for i, sequence in enumerate(sequences):
            current = known.get(int(sequence), current)
            delays[i] = current
        return delays
    delays = np.asarray(value, dtype=np.int32)
    if len(delays) != len(sequences):
        raise ValueError(
            f"trip {tt.trip_ids[trip]!r}: {len(delays)} delays given for {len(sequences)} stops"
        )
    return delays


def _trip_index(tt: Timetable) -> dict[str, int]:
    trip_index = tt._cache.get("trip_index")
    if trip_index is None:
        trip_index = tt._cache["trip_index"] = {t: i for i, t in enumerate(tt.trip_ids)}
    return trip_index


def _by_trip(tt: Timetable, delays: Mapping[DelayKey, DelayValue]) -> dict[int, dict]:
    """{trip index: {service_date or None: value}}, trips unknown to the timetable left out."""
    trip_index = _trip_index(tt)
    grouped: dict[int, dict] = {}
    for key, value in delays.items():
        trip_id, service_date = (key, None) if isinstance(key, str) else key
        trip = trip_index.get(trip_id)
        if trip is None:
            continue  # GTFS-RT often mentions trips outside the static feed (added trips)
        grouped.setdefault(trip, {})[service_date] = value
    return grouped


def apply_delays(timetable: Timetable, delays: Mapping[DelayKey, DelayValue]) -> Timetable:
    """A timetable where the given trip instances are cancelled (None) or delayed (README.md §5).

    A key is a trip_id or (trip_id, service_date): a date names the instance of that GTFS
    service day only (times past 24:00 included), None or a plain trip_id every day it runs;
    a dated entry wins over an undated one for the same trip on its date."""
    tt = timetable
    n_days = tt.service_days.shape[1]
    disabled = tt.slot_disabled.copy()
    slot_pattern = np.repeat(
        np.arange(tt.n_patterns, dtype=np.int32), np.diff(tt.trip_slot_start).astype(np.int64)
    )
    service_rows: list[np.ndarray] = []  # synthetic rows appended to service_days
    row_of: dict[bytes, int] = {}

    def service_row(days: np.ndarray) -> int:
        key = days.tobytes()
        found = row_of.get(key)
        if found is None:
            found = row_of[key] = len(tt.service_days) + len(service_rows)
            service_rows.append(days)
        return found

    stops, pickup, drop, arrival, departure = [], [], [], [], []
    slot_trip, slot_shift, service, wheelchair, route = [], [], [], [], []
    for trip, values in _by_trip(tt, delays).items():
        slots = np.flatnonzero(tt.slot_trip == trip)
        if len(slots) == 0:
            continue
        own = int(tt.pattern_service[slot_pattern[slots[0]]])
        runs = tt.service_days[own]
        everyday = values.get(None, _UNCHANGED)
        dated = {}
        for day, value in values.items():
            if day is None:
                continue
            k = (day - tt.first_date).days
            if 0 <= k < n_days and runs[k]:  # no instance on a day the trip does not run
                dated[k] = value
        if everyday is _UNCHANGED and not dated:
            continue
        disabled[slots] = 1
        # (service row, value) of each overlay pattern of this trip's slots
        plans: list[tuple[int, object]] = []
        if everyday is not None:
            if dated:
                other_days = runs.copy()
                other_days[list(dated)] = False
                if other_days.any():
                    plans.append((service_row(other_days), everyday))
            else:
                plans.append((own, everyday))
        for k, value in dated.items():
            if value is not None:
                one_day = np.zeros(n_days, dtype=bool)
                one_day[k] = True
                plans.append((service_row(one_day), value))
        for row, value in plans:
            shift_by = 0 if value is _UNCHANGED else _per_stop_delays(tt, trip, value)
            for slot in slots:
                p = int(slot_pattern[slot])
                a, b = tt.stop_start[p], tt.stop_start[p + 1]
                m = int(tt.trip_slot_start[p + 1] - tt.trip_slot_start[p])
                j = int(slot - tt.trip_slot_start[p])
                rows = tt.time_start[p] + np.arange(b - a) * m + j
                stops.append(tt.pattern_stops[a:b])
                pickup.append(tt.pattern_pickup[a:b])
                drop.append(tt.pattern_drop_off[a:b])
                arrival.append(tt.arrival[rows] + shift_by)
                departure.append(tt.departure[rows] + shift_by)
                slot_trip.append(trip)
                slot_shift.append(int(tt.slot_shift[slot]))
                service.append(row)
                wheelchair.append(int(tt.pattern_wheelchair[p]))
                route.append(int(tt.pattern_route[p]))
    lengths = np.array([len(s) for s in stops], dtype=np.int64)
    overlay = dataclasses.replace(
        tt,
        slot_disabled=np.concatenate([disabled, np.zeros(len(stops), dtype=np.uint8)]),
        _stop_index=tt._stop_index,
        _cache={},
    )
    if service_rows:
        overlay.service_days = np.concatenate([tt.service_days, np.stack(service_rows)])
    if stops:
        overlay.stop_start = np.concatenate([tt.stop_start, tt.stop_start[-1] + np.cumsum(lengths)])
        overlay.pattern_stops = np.concatenate([tt.pattern_stops, *stops]).astype(np.int32)
        overlay.pattern_pickup = np.concatenate([tt.pattern_pickup, *pickup])
        overlay.pattern_drop_off = np.concatenate([tt.pattern_drop_off, *drop])
        overlay.trip_slot_start = np.concatenate(
            [tt.trip_slot_start, tt.trip_slot_start[-1] + np.arange(1, len(stops) + 1)]
        )
        overlay.time_start = np.concatenate([tt.time_start, tt.time_start[-1] + np.cumsum(lengths)])
        overlay.arrival = np.concatenate([tt.arrival, *arrival]).astype(np.int32)
        overlay.departure = np.concatenate([tt.departure, *departure]).astype(np.int32)
        overlay.slot_trip = np.concatenate([tt.slot_trip, slot_trip]).astype(np.int32)
        overlay.slot_shift = np.concatenate([tt.slot_shift, slot_shift]).astype(np.int32)
        overlay.pattern_service = np.concatenate([tt.pattern_service, service]).astype(np.int32)
        overlay.pattern_wheelchair = np.concatenate([tt.pattern_wheelchair, wheelchair]).astype(
            np.uint8
        )
        overlay.pattern_route = np.concatenate([tt.pattern_route, route]).astype(np.int32)
        index_stop_routes(overlay)
    return overlay


def current_service_date(
    timetable: Timetable, trip_id: str, at: datetime, zone: tzinfo | str | None = None
) -> date | None:
    """The service date of the instance of `trip_id` that a TripUpdate without start_date means.

    GTFS-RT reference, TripDescriptor.start_date: the scheduled start date of the trip instance;
    it must be given to tell apart trips so late that they collide with the next day's, and may
    be left out when no such collision can happen, trip_id then naming the current instance.
    We read "current" at `at` (when the update was received: aware, or naive local time), among
    the trip's instances on the service days before, of and after `at`'s local date (the days a
    query of that date looks at, §4): the instance running at `at` (from its first scheduled
    departure to its last scheduled arrival, every frequency-based vehicle included), else the
    next one to start, else the last one that ran. None when the trip runs on none of those days
    (or is unknown). Scheduled times are used: a delay does not make an instance current."""
    tt = timetable
    trip = _trip_index(tt).get(trip_id)
    if trip is None:
        return None
    slots = np.flatnonzero(tt.slot_trip == trip)
    if len(slots) == 0:
        return None
    first, last = None, None
    pattern_of = np.searchsorted(tt.trip_slot_start, slots, side="right") - 1
    for slot, p in zip(slots, pattern_of, strict=True):
        n = int(tt.stop_start[p + 1] - tt.stop_start[p])
        m = int(tt.trip_slot_start[p + 1] - tt.trip_slot_start[p])
        j = int(slot - tt.trip_slot_start[p])
        start = int(tt.departure[tt.time_start[p] + j])
        end = int(tt.arrival[tt.time_start[p] + (n - 1) * m + j])
        first = start if first is None else min(first, start)
        last = end if last is None else max(last, end)
    clock = ServiceClock(zone)
    if clock.zone is None:
        instant = at.replace(tzinfo=None)
    else:
        instant = at.astimezone(clock.zone) if at.tzinfo else at.replace(tzinfo=clock.zone)
    runs = tt.service_days[int(tt.pattern_service[pattern_of[0]])]
    spans = []
    for k in (-1, 0, 1):
        day = instant.date() + timedelta(days=k)
        index = (day - tt.first_date).days
        if 0 <= index < len(runs) and runs[index]:
            # without a zone, days start at midnight (ServiceClock)
            origin = clock.origin(day) if clock.zone else datetime.combine(day, time())
            spans.append((origin + timedelta(seconds=first), origin + timedelta(seconds=last), day))
    for start, end, day in spans:
        if start <= instant <= end:
            return day
    later = [(start, day) for start, _end, day in spans if start > instant]
    if later:
        return min(later)[1]
    earlier = [(end, day) for _start, end, day in spans if end < instant]
    return max(earlier)[1] if earlier else None
