"""What GTFS Schedule files hold, as this validator checks them, and MobilityData's notice codes.

The files, their columns with a kind and whether they are required, the primary keys, and every
code `guichet.transit.validation` emits with the severity MobilityData's validator gives it
(GTFS Schedule reference: https://gtfs.org/documentation/schedule/reference/).
"""

ERROR, WARNING, INFO = "ERROR", "WARNING", "INFO"

# Every code this validator emits, with the severity MobilityData gives it.
SEVERITIES = {
    "csv_parsing_failed": ERROR,
    "decreasing_or_equal_stop_time_distance": ERROR,
    "decreasing_shape_distance": ERROR,
    "duplicate_key": ERROR,
    "empty_file": ERROR,
    "empty_row": WARNING,
    "foreign_key_violation": ERROR,
    "inconsistent_agency_timezone": ERROR,
    "invalid_color": ERROR,
    "invalid_date": ERROR,
    "invalid_float": ERROR,
    "invalid_integer": ERROR,
    "invalid_row_length": ERROR,
    "invalid_time": ERROR,
    "invalid_timezone": ERROR,
    "leading_or_trailing_whitespaces": WARNING,
    "location_with_unexpected_stop_time": ERROR,
    "location_without_parent_station": ERROR,
    "missing_calendar_and_calendar_date_files": ERROR,
    "missing_required_column": ERROR,
    "missing_required_field": ERROR,
    "missing_required_file": ERROR,
    "missing_trip_edge": ERROR,
    "number_out_of_range": ERROR,
    "overlapping_frequency": ERROR,
    "point_near_origin": ERROR,
    "route_both_short_and_long_name_missing": ERROR,
    "start_and_end_range_out_of_order": ERROR,
    "stop_time_with_arrival_before_previous_departure_time": ERROR,
    "stop_time_timepoint_without_times": ERROR,
    "stop_time_with_only_arrival_or_departure_time": ERROR,
    "stop_too_far_from_shape": WARNING,
    "stop_without_stop_time": WARNING,
    "transfer_with_invalid_stop_location_type": ERROR,
    "transfer_with_invalid_trip_and_route": ERROR,
    "transfer_with_invalid_trip_and_stop": ERROR,
    "unknown_column": INFO,
    "unknown_file": INFO,
    "unusable_trip": WARNING,
    "unused_shape": WARNING,
    "unused_trip": WARNING,
    "wrong_parent_location_type": ERROR,
}

SAMPLES_PER_CODE = 50
# MobilityData: a stop farther than this from its trip's shape draws stop_too_far_from_shape.
STOP_TO_SHAPE_BUFFER_M = 100.0
EARTH_RADIUS_M = 6_371_000.0

# Field kinds: id, text, url, tz, lat, lon, time, date, color, int:<min>:<max>, float, email
SCHEMA: dict[str, dict[str, tuple[str, bool]]] = {
    "agency.txt": {
        "agency_id": ("id", False),
        "agency_name": ("text", True),
        "agency_url": ("url", True),
        "agency_timezone": ("tz", True),
        "agency_lang": ("text", False),
        "agency_phone": ("text", False),
        "agency_fare_url": ("url", False),
        "agency_email": ("text", False),
    },
    "stops.txt": {
        "stop_id": ("id", True),
        "stop_code": ("text", False),
        "stop_name": ("text", False),
        "tts_stop_name": ("text", False),
        "stop_desc": ("text", False),
        "stop_lat": ("lat", False),
        "stop_lon": ("lon", False),
        "zone_id": ("id", False),
        "stop_url": ("url", False),
        "location_type": ("int:0:4", False),
        "parent_station": ("id", False),
        "stop_timezone": ("tz", False),
        "wheelchair_boarding": ("int:0:2", False),
        "level_id": ("id", False),
        "platform_code": ("text", False),
    },
    "routes.txt": {
        "route_id": ("id", True),
        "agency_id": ("id", False),
        "route_short_name": ("text", False),
        "route_long_name": ("text", False),
        "route_desc": ("text", False),
        "route_type": ("int:0:1702", True),
        "route_url": ("url", False),
        "route_color": ("color", False),
        "route_text_color": ("color", False),
        "route_sort_order": ("int:0:", False),
        "continuous_pickup": ("int:0:3", False),
        "continuous_drop_off": ("int:0:3", False),
        "network_id": ("id", False),
    },
    "trips.txt": {
        "route_id": ("id", True),
        "service_id": ("id", True),
        "trip_id": ("id", True),
        "trip_headsign": ("text", False),
        "trip_short_name": ("text", False),
        "direction_id": ("int:0:1", False),
        "block_id": ("id", False),
        "shape_id": ("id", False),
        "wheelchair_accessible": ("int:0:2", False),
        "bikes_allowed": ("int:0:2", False),
    },
    "stop_times.txt": {
        "trip_id": ("id", True),
        "arrival_time": ("time", False),
        "departure_time": ("time", False),
        "stop_id": ("id", True),
        "stop_sequence": ("int:0:", True),
        "stop_headsign": ("text", False),
        "pickup_type": ("int:0:3", False),
        "drop_off_type": ("int:0:3", False),
        "continuous_pickup": ("int:0:3", False),
        "continuous_drop_off": ("int:0:3", False),
        "shape_dist_traveled": ("float:0", False),
        "timepoint": ("int:0:1", False),
    },
    "calendar.txt": {
        "service_id": ("id", True),
        **{
            day: ("int:0:1", True)
            for day in (
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
            )
        },
        "start_date": ("date", True),
        "end_date": ("date", True),
    },
    "calendar_dates.txt": {
        "service_id": ("id", True),
        "date": ("date", True),
        "exception_type": ("int:1:2", True),
    },
    "shapes.txt": {
        "shape_id": ("id", True),
        "shape_pt_lat": ("lat", True),
        "shape_pt_lon": ("lon", True),
        "shape_pt_sequence": ("int:0:", True),
        "shape_dist_traveled": ("float:0", False),
    },
    "frequencies.txt": {
        "trip_id": ("id", True),
        "start_time": ("time", True),
        "end_time": ("time", True),
        "headway_secs": ("int:1:", True),
        "exact_times": ("int:0:1", False),
    },
    "transfers.txt": {
        "from_stop_id": ("id", False),
        "to_stop_id": ("id", False),
        "from_route_id": ("id", False),
        "to_route_id": ("id", False),
        "from_trip_id": ("id", False),
        "to_trip_id": ("id", False),
        "transfer_type": ("int:0:5", True),
        "min_transfer_time": ("int:0:", False),
    },
    "feed_info.txt": {
        "feed_publisher_name": ("text", True),
        "feed_publisher_url": ("url", True),
        "feed_lang": ("text", True),
        "default_lang": ("text", False),
        "feed_start_date": ("date", False),
        "feed_end_date": ("date", False),
        "feed_version": ("text", False),
        "feed_contact_email": ("text", False),
        "feed_contact_url": ("url", False),
    },
}

REQUIRED_FILES = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
# Other files of the GTFS reference, which this platform does not store: not "unknown".
OTHER_GTFS_FILES = {
    "fare_attributes.txt",
    "fare_rules.txt",
    "timeframes.txt",
    "fare_media.txt",
    "fare_products.txt",
    "fare_leg_rules.txt",
    "fare_leg_join_rules.txt",
    "fare_transfer_rules.txt",
    "areas.txt",
    "stop_areas.txt",
    "networks.txt",
    "route_networks.txt",
    "pathways.txt",
    "levels.txt",
    "location_groups.txt",
    "location_group_stops.txt",
    "locations.geojson",
    "booking_rules.txt",
    "translations.txt",
    "attributions.txt",
    "rider_categories.txt",
}
PRIMARY_KEYS = {
    "agency.txt": ("agency_id",),
    "stops.txt": ("stop_id",),
    "routes.txt": ("route_id",),
    "trips.txt": ("trip_id",),
    "calendar.txt": ("service_id",),
    "calendar_dates.txt": ("service_id", "date"),
    "shapes.txt": ("shape_id", "shape_pt_sequence"),
    "frequencies.txt": ("trip_id", "start_time"),
}


# Kinds with no format to check beyond presence.
_PLAIN = frozenset({"text", "id", "url"})
