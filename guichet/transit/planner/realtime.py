"""Realtime delays as a cheap overlay on a built timetable (GTFS-RT TripUpdates, parsed upstream).

A delayed trip cannot stay in its pattern: its new times might overtake a neighbour, which RAPTOR's
"earliest trip" search forbids. So the overlay disables the trip's slots in their patterns (the
kernel's binary search skips disabled slots) and appends one single-trip pattern per delayed
vehicle. Every other array is shared with the original timetable, untouched.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from .timetable import Timetable, index_stop_routes

DelayValue = None | Sequence[int] | Mapping[int, int]


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


def apply_delays(timetable: Timetable, delays: Mapping[str, DelayValue]) -> Timetable:
    """A timetable where the given trips are cancelled (None) or delayed (see README.md, §5)."""
    tt = timetable
    trip_index = tt._cache.get("trip_index")
    if trip_index is None:
        trip_index = tt._cache["trip_index"] = {t: i for i, t in enumerate(tt.trip_ids)}
    disabled = tt.slot_disabled.copy()
    slot_pattern = np.repeat(
        np.arange(tt.n_patterns, dtype=np.int32), np.diff(tt.trip_slot_start).astype(np.int64)
    )
    stops, pickup, drop, arrival, departure = [], [], [], [], []
    slot_trip, slot_shift, service, wheelchair, route = [], [], [], [], []
    for trip_id, value in delays.items():
        trip = trip_index.get(trip_id)
        if trip is None:
            continue  # GTFS-RT often mentions trips outside the static feed (added trips)
        slots = np.flatnonzero(tt.slot_trip == trip)
        disabled[slots] = 1
        if value is None:
            continue  # cancelled
        shift_by = _per_stop_delays(tt, trip, value)
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
            service.append(int(tt.pattern_service[p]))
            wheelchair.append(int(tt.pattern_wheelchair[p]))
            route.append(int(tt.pattern_route[p]))
    lengths = np.array([len(s) for s in stops], dtype=np.int64)
    overlay = dataclasses.replace(
        tt,
        slot_disabled=np.concatenate([disabled, np.zeros(len(stops), dtype=np.uint8)]),
        _stop_index=tt._stop_index,
        _cache={},
    )
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
