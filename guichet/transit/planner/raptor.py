"""The RAPTOR kernel (Delling, Pajor, Werneck 2012, "Round-Based Public Transit Routing").

One round per ride. Labels are kept per round: `arrival[k, s]` is the earliest arrival at stop s
by a ride, using at most k rides; `board[k, s]` the earliest time one can board a vehicle at s
after at most k rides (a transfer included). Keeping them per round, and comparing a new label
with the label of the same round only, makes the kernel reusable across rRAPTOR runs (labels of
later departures stay valid upper bounds for earlier ones).

Trips of three service days are scanned: day D-1, D and D+1, with time offsets given by the
caller (-86400, 0, +86400 forwards; the opposite backwards), since a trip of the previous day
still running after midnight (GTFS times ≥ 24:00:00) is a trip of today for the traveller. Trips
of different days may overtake one another, so each pattern scan follows one current trip per day.
"""

import numpy as np

try:
    from numba import njit
except ImportError:  # `make run` installs no numba (requirements/run.txt): plain Python kernels

    def njit(*args, **options):
        """numba's decorator when numba is absent: the same functions run as plain Python, fast
        enough for the embedded demo's small network; production installs numba (the `prod`
        extra). NUMBA_DISABLE_JIT=1 runs the kernels the same way with numba installed."""
        if len(args) == 1 and callable(args[0]) and not options:
            return args[0]
        return lambda function: function


INFINITY = np.int32(1 << 30)
FROM_SOURCE = -2  # board label parent: the journey starts here
NO_RULE = -2  # _rule_seconds: no trip- or route-specific row applies


@njit(cache=True)
def _rule_seconds(rules, lo, hi, from_stop, from_trip, from_route, to_trip, to_route):
    """Seconds (or -1, forbidden) of the most specific transfers.txt row for this pair of
    vehicles among rules[lo:hi] (the rows leading to one stop), NO_RULE when none applies."""
    (r_from_stop, r_from_trip, r_to_trip, r_from_route, r_to_route, r_seconds, r_rank) = rules
    best_rank = -1
    seconds = NO_RULE
    for r in range(lo, hi):
        if r_from_stop[r] != from_stop:
            continue
        if r_from_trip[r] >= 0 and r_from_trip[r] != from_trip:
            continue
        if r_to_trip[r] >= 0 and r_to_trip[r] != to_trip:
            continue
        if r_from_route[r] >= 0 and r_from_route[r] != from_route:
            continue
        if r_to_route[r] >= 0 and r_to_route[r] != to_route:
            continue
        if r_rank[r] > best_rank:
            best_rank = r_rank[r]
            seconds = r_seconds[r]
    return seconds


@njit(cache=True)
def _earliest_slot_with_rules(
    departure,
    row,
    m,
    offset,
    limit,
    disabled,
    slot_base,
    slot_trip,
    trip_route,
    ready,
    origin_stop,
    origin_trip,
    origin_time,
    rules,
    lo,
    hi,
):
    """`_earliest_slot` where the vehicle that brought the label (origin_trip, arrived at
    origin_stop at origin_time) may have a specific rule for some candidate trips: each
    candidate needs origin_time + its rule's seconds (or the label's `ready` without one)."""
    lo_slot, hi_slot = 0, limit
    wanted = origin_time - offset
    while lo_slot < hi_slot:
        mid = (lo_slot + hi_slot) >> 1
        if departure[row + mid] < wanted:
            lo_slot = mid + 1
        else:
            hi_slot = mid
    origin_route = trip_route[origin_trip]
    for j in range(lo_slot, limit):
        if disabled[slot_base + j]:
            continue
        trip = slot_trip[slot_base + j]
        seconds = _rule_seconds(
            rules, lo, hi, origin_stop, origin_trip, origin_route, trip, trip_route[trip]
        )
        if seconds == NO_RULE:
            needed = ready
        elif seconds < 0:
            continue  # transfer_type 3 for this pair of vehicles
        else:
            needed = origin_time + seconds
        if departure[row + j] + offset >= needed:
            return j
    return -1


@njit(cache=True)
def _earliest_slot(departure, row, m, wanted, limit, disabled, slot_base):
    """First trip j < limit with departure[row + j] >= wanted that is not disabled, else -1."""
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi) >> 1
        if departure[row + mid] < wanted:
            lo = mid + 1
        else:
            hi = mid
    while lo < limit and disabled[slot_base + lo]:
        lo += 1
    return lo if lo < limit else -1


@njit(cache=True)
def run_raptor(
    # timetable
    stop_start,
    pattern_stops,
    pattern_pickup,
    pattern_drop_off,
    trip_slot_start,
    time_start,
    arrival_times,
    departure_times,
    slot_disabled,
    stop_route_start,
    stop_route_pattern,
    stop_route_position,
    foot_start,
    foot_to,
    foot_seconds,
    foot_distance,
    same_stop_seconds,
    slot_trip,
    trip_route,
    # trip- and route-specific transfers (specific.py): label rules, then the exact-rule index
    rules,  # (from_stop, from_trip, to_trip, from_route, to_route, seconds, rank), by to_stop
    rule_to_start,
    stop_rule_flag,
    exact,  # (from_start, from_position, from_slot, from_rule, to_start, to_position,
    #          to_slot, to_rule, stop_to, seconds)
    # query
    active,  # uint8 per pattern, bit k = runs on day D-1+k
    offsets,  # int32[3], time offset of days D-1, D, D+1
    stop_ok,  # uint8 per stop: boarding/alighting allowed (wheelchair filter)
    max_walk_m,
    source_stops,
    source_times,
    source_walked,  # uint8 per source: 1 when reaching it is a walk from the place
    target_walk,  # int32 per stop, INFINITY where not a target
    rounds,
    # labels, kept by the caller between rRAPTOR runs
    arrival,
    board,
    parent_pattern,
    parent_slot,
    parent_day,
    parent_position,
    board_from,
    target_best,  # int32[rounds + 1]: best arrival at the destination with ≤ k rides
    board_trip,  # trip whose arrival made the board label (-1: the source)
    board_time,  # that arrival's time at board_from
    parent_rule,  # exact rule the ride was boarded by (-1: the board label)
    rule_time,  # [k, exact rule]: arrival of its from-trip with k rides, then its ride:
    rule_pattern,
    rule_slot,
    rule_day,
    rule_position,
    rule_parent,  # the exact rule that ride was boarded by, or -1
):
    n_stops = len(same_stop_seconds)
    n_patterns = len(active)
    marked = np.zeros(n_stops, dtype=np.uint8)
    arrived = np.zeros(n_stops, dtype=np.uint8)
    queue_position = np.full(n_patterns, -1, dtype=np.int32)
    queue = np.empty(n_patterns, dtype=np.int32)
    improved_stops = np.empty(n_stops, dtype=np.int32)

    any_marked = False
    exact_marked = False
    for i in range(len(source_stops)):
        s = source_stops[i]
        t = source_times[i]
        if t < board[0, s]:
            board[0, s] = t
            board_from[0, s] = FROM_SOURCE
            marked[s] = 1
            any_marked = True
            # A walk-only journey is one walk: the source is the place itself, or the target.
            single = source_walked[i] == 0 or target_walk[s] == 0
            if target_walk[s] < INFINITY and single and t + target_walk[s] < target_best[0]:
                target_best[0] = t + target_walk[s]

    (x_from_start, x_from_position, x_from_slot, x_from_rule) = exact[:4]
    (x_to_start, x_to_position, x_to_slot, x_to_rule, x_stop_to, x_seconds) = exact[4:]
    current_slot = np.empty(3, dtype=np.int32)
    current_position = np.empty(3, dtype=np.int32)
    current_rule = np.empty(3, dtype=np.int32)
    for k in range(1, rounds + 1):
        if not any_marked:
            break
        # Labels with at most k rides are at least as good as those with k - 1.
        for s in range(n_stops):
            if arrival[k - 1, s] < arrival[k, s]:
                arrival[k, s] = arrival[k - 1, s]
            if board[k - 1, s] < board[k, s]:
                board[k, s] = board[k - 1, s]
                board_trip[k, s] = board_trip[k - 1, s]
                board_time[k, s] = board_time[k - 1, s]
        if target_best[k - 1] < target_best[k]:
            target_best[k] = target_best[k - 1]

        # Collect the patterns through marked stops, each from its earliest marked position.
        n_queue = 0
        for s in range(n_stops):
            if not marked[s]:
                continue
            marked[s] = 0
            for r in range(stop_route_start[s], stop_route_start[s + 1]):
                p = stop_route_pattern[r]
                if active[p] == 0:
                    continue
                position = stop_route_position[r]
                if queue_position[p] < 0:
                    queue[n_queue] = p
                    n_queue += 1
                    queue_position[p] = position
                elif position < queue_position[p]:
                    queue_position[p] = position

        # Scan each pattern once, following the earliest catchable trip of each service day.
        n_improved = 0
        for q in range(n_queue):
            p = queue[q]
            first = queue_position[p]
            queue_position[p] = -1
            base = stop_start[p]
            n = stop_start[p + 1] - base
            slot_base = trip_slot_start[p]
            m = trip_slot_start[p + 1] - slot_base
            t0 = time_start[p]
            days = active[p]
            for d in range(3):
                current_slot[d] = -1
            x_from = x_from_start[p]
            x_from_end = x_from_start[p + 1]
            while x_from < x_from_end and x_from_position[x_from] < first:
                x_from += 1
            x_to = x_to_start[p]
            x_to_end = x_to_start[p + 1]
            while x_to < x_to_end and x_to_position[x_to] < first:
                x_to += 1
            for i in range(first, n):
                s = pattern_stops[base + i]
                row = t0 + i * m
                if pattern_drop_off[base + i] and stop_ok[s]:
                    best = INFINITY
                    best_day = -1
                    for d in range(3):
                        if current_slot[d] >= 0:
                            t = arrival_times[row + current_slot[d]] + offsets[d]
                            if t < best:
                                best = t
                                best_day = d
                    if best < arrival[k, s] and best < target_best[k]:
                        arrival[k, s] = best
                        parent_pattern[k, s] = p
                        parent_slot[k, s] = current_slot[best_day]
                        parent_day[k, s] = best_day
                        parent_position[k, s] = current_position[best_day]
                        parent_rule[k, s] = current_rule[best_day]
                        if not arrived[s]:
                            arrived[s] = 1
                            improved_stops[n_improved] = s
                            n_improved += 1
                        if target_walk[s] < INFINITY and best + target_walk[s] < target_best[k]:
                            target_best[k] = best + target_walk[s]
                # Exact rules from this trip at this stop: its arrival is kept for the rule.
                while x_from < x_from_end and x_from_position[x_from] == i:
                    x = x_from_rule[x_from]
                    j = x_from_slot[x_from]
                    x_from += 1
                    if not (pattern_drop_off[base + i] and stop_ok[s]):
                        continue
                    for d in range(3):
                        # Trips never overtake: a later trip than the one followed could be
                        # boarded where that one was, when it was boarded by the stop's label.
                        if current_slot[d] < 0 or j < current_slot[d]:
                            continue
                        if j > current_slot[d] and current_rule[d] >= 0:
                            continue
                        t = arrival_times[row + j] + offsets[d]
                        if t < rule_time[k, x] and t < target_best[k]:
                            rule_time[k, x] = t
                            rule_pattern[k, x] = p
                            rule_slot[k, x] = j
                            rule_day[k, x] = d
                            rule_position[k, x] = current_position[d]
                            rule_parent[k, x] = current_rule[d]
                            marked[x_stop_to[x]] = 1
                            exact_marked = True
                if i + 1 < n and pattern_pickup[base + i] and stop_ok[s]:
                    ready = board[k - 1, s]
                    if ready < INFINITY:
                        ruled = stop_rule_flag[s] and board_trip[k - 1, s] >= 0
                        for d in range(3):
                            if not (days >> d) & 1:
                                continue
                            limit = current_slot[d] if current_slot[d] >= 0 else m
                            if ruled:
                                j = _earliest_slot_with_rules(
                                    departure_times,
                                    row,
                                    m,
                                    offsets[d],
                                    limit,
                                    slot_disabled,
                                    slot_base,
                                    slot_trip,
                                    trip_route,
                                    ready,
                                    board_from[k - 1, s],
                                    board_trip[k - 1, s],
                                    board_time[k - 1, s],
                                    rules,
                                    rule_to_start[s],
                                    rule_to_start[s + 1],
                                )
                            else:
                                j = _earliest_slot(
                                    departure_times,
                                    row,
                                    m,
                                    ready - offsets[d],
                                    limit,
                                    slot_disabled,
                                    slot_base,
                                )
                            if j >= 0:
                                current_slot[d] = j
                                current_position[d] = i
                                current_rule[d] = -1
                # Exact rules to a trip of this pattern here: board it after the rule's time.
                while x_to < x_to_end and x_to_position[x_to] == i:
                    x = x_to_rule[x_to]
                    j = x_to_slot[x_to]
                    x_to += 1
                    if rule_time[k - 1, x] >= INFINITY or slot_disabled[slot_base + j]:
                        continue
                    if not (i + 1 < n and pattern_pickup[base + i] and stop_ok[s]):
                        continue
                    ready = rule_time[k - 1, x] + x_seconds[x]
                    for d in range(3):
                        if not (days >> d) & 1:
                            continue
                        if current_slot[d] >= 0 and current_slot[d] <= j:
                            continue
                        if departure_times[row + j] + offsets[d] >= ready:
                            current_slot[d] = j
                            current_position[d] = i
                            current_rule[d] = x

        # Transfers: one change of vehicle (same stop, transfers.txt link or walk) per arrival.
        any_marked = exact_marked
        exact_marked = False
        for x in range(n_improved):
            s = improved_stops[x]
            arrived[s] = 0
            t = arrival[k, s]
            p = parent_pattern[k, s]
            trip = slot_trip[trip_slot_start[p] + parent_slot[k, s]]
            wait = same_stop_seconds[s]
            if wait >= 0 and t + wait < board[k, s] and t + wait < target_best[k]:
                board[k, s] = t + wait
                board_from[k, s] = s
                board_trip[k, s] = trip
                board_time[k, s] = t
                marked[s] = 1
                any_marked = True
            for f in range(foot_start[s], foot_start[s + 1]):
                if foot_distance[f] > max_walk_m:
                    continue  # geometric walks only; transfers.txt links have distance -1
                to = foot_to[f]
                ready = t + foot_seconds[f]
                if ready < board[k, to] and ready < target_best[k]:
                    board[k, to] = ready
                    board_from[k, to] = s
                    board_trip[k, to] = trip
                    board_time[k, to] = t
                    marked[to] = 1
                    any_marked = True
    return k


def new_labels(rounds: int, n_stops: int, n_exact: int = 0) -> dict[str, np.ndarray]:
    """Fresh label arrays for `run_raptor`, sized for `rounds` rides and `n_exact` exact rules."""
    shape = (rounds + 1, n_stops)
    per_rule = (rounds + 1, n_exact)
    return {
        "board_trip": np.full(shape, -1, dtype=np.int32),
        "board_time": np.full(shape, INFINITY, dtype=np.int32),
        "parent_rule": np.full(shape, -1, dtype=np.int32),
        "rule_time": np.full(per_rule, INFINITY, dtype=np.int32),
        "rule_pattern": np.full(per_rule, -1, dtype=np.int32),
        "rule_slot": np.full(per_rule, -1, dtype=np.int32),
        "rule_day": np.full(per_rule, -1, dtype=np.int8),
        "rule_position": np.full(per_rule, -1, dtype=np.int32),
        "rule_parent": np.full(per_rule, -1, dtype=np.int32),
        "arrival": np.full(shape, INFINITY, dtype=np.int32),
        "board": np.full(shape, INFINITY, dtype=np.int32),
        "parent_pattern": np.full(shape, -1, dtype=np.int32),
        "parent_slot": np.full(shape, -1, dtype=np.int32),
        "parent_day": np.full(shape, -1, dtype=np.int8),
        "parent_position": np.full(shape, -1, dtype=np.int32),
        "board_from": np.full(shape, -1, dtype=np.int32),
        "target_best": np.full(rounds + 1, INFINITY, dtype=np.int32),
    }
