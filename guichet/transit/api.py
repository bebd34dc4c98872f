"""REST API of the transit service: journey planning and stop boards (DRF, drf-spectacular)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from guichet.transit import selectors

_leg = inline_serializer(
    "TransitLeg",
    {
        "mode": serializers.ChoiceField(choices=["transit", "walk"]),
        "route_id": serializers.CharField(allow_null=True),
        "trip_id": serializers.CharField(allow_null=True),
        "from_stop": serializers.CharField(allow_null=True, help_text="null: the place given"),
        "to_stop": serializers.CharField(allow_null=True, help_text="null: the place given"),
        "departure": serializers.DateTimeField(),
        "arrival": serializers.DateTimeField(),
    },
)
_journey = inline_serializer(
    "TransitJourney",
    {
        "departure": serializers.DateTimeField(),
        "arrival": serializers.DateTimeField(),
        "transfers": serializers.IntegerField(),
        "legs": _leg.__class__(many=True),
    },
)
_snapped = inline_serializer(
    "TransitSnappedPlace",
    {
        "parameter": serializers.CharField(help_text="from or to"),
        "stop_id": serializers.CharField(),
        "distance_m": serializers.IntegerField(),
        "radius_m": serializers.IntegerField(),
    },
)
PlanResponse = inline_serializer(
    "TransitPlan",
    {
        "journeys": _journey.__class__(many=True),
        "snapped": _snapped.__class__(
            many=True,
            required=False,
            help_text="with max_walk_m=0, places given by coordinates taken as their nearest "
            "stop within radius_m, without walking",
        ),
    },
)
ErrorResponse = inline_serializer(
    "TransitError", {"detail": serializers.CharField(), "parameter": serializers.CharField()}
)
DeparturesResponse = inline_serializer(
    "TransitDepartures",
    {
        "stop_id": serializers.CharField(),
        "stop_name": serializers.CharField(),
        "departures": inline_serializer(
            "TransitDeparture",
            {
                "route_id": serializers.CharField(),
                "route": serializers.CharField(),
                "trip_id": serializers.CharField(),
                "headsign": serializers.CharField(),
                "stop_id": serializers.CharField(),
                "departure": serializers.DateTimeField(help_text="realtime when known"),
                "delay_s": serializers.IntegerField(allow_null=True),
            },
            many=True,
        ),
    },
)


def _error(error: selectors.PlanError) -> Response:
    return Response({"detail": error.message, "parameter": error.parameter}, status=error.status)


_place = "STOP_ID, or latitude,longitude (e.g. 13.5137,2.1098)"
# What selectors.parse_place accepts: some text besides spaces (blank is « missing », a 400).
_PLACE = {"type": "string", "pattern": r"^[^\x00]*[^\x00\s][^\x00]*$"}


def _bounded(low: int, high: int) -> dict:
    """An integer parameter read by selectors._int_param: out of [low, high] is a 400."""
    return {"type": "integer", "minimum": low, "maximum": high}


@extend_schema(
    summary="Plan a journey",
    description=(
        "Pareto-optimal journeys by arrival time and number of transfers, earliest arrival "
        "first. Datetimes are in the feed's timezone, with their offset. Walks between stops "
        "up to max_walk_m (great-circle distance × 1.3 at 1.2 m/s)."
    ),
    parameters=[
        OpenApiParameter("feed", str, required=True, description="Feed name"),
        OpenApiParameter("from", _PLACE, required=True, description=_place),
        OpenApiParameter("to", _PLACE, required=True, description=_place),
        OpenApiParameter("depart", OpenApiTypes.DATETIME, description="ISO 8601; default now"),
        OpenApiParameter("arrive", OpenApiTypes.DATETIME, description="arrive-by, ISO 8601"),
        OpenApiParameter(
            "max_walk_m",
            _bounded(0, 400),
            description="0–400, default 400; 0: no walk at all, coordinates are taken as the "
            "nearest stop within 50 m",
        ),
        OpenApiParameter(
            "max_transfers", _bounded(0, selectors.MAX_TRANSFERS), description="0–8, default 8"
        ),
        OpenApiParameter("wheelchair", bool, description="accessible trips and stops only"),
    ],
    responses={200: PlanResponse, 400: ErrorResponse, 404: ErrorResponse},
    tags=["transit"],
)
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([])
def plan(request):
    try:
        feed = selectors.feed_by_name(request.query_params.get("feed", ""))
        plan_request = selectors.parse_plan_request(feed, request.query_params)
        journeys = selectors.plan(feed, plan_request)
    except selectors.PlanError as error:
        return _error(error)
    answer = {"journeys": [selectors.journey_json(feed, j) for j in journeys]}
    if plan_request.snapped:
        answer["snapped"] = plan_request.snapped
    return Response(answer)


@extend_schema(
    summary="Next departures from a stop",
    description="Next departures at or after `at` (default now); a station includes its platforms.",
    parameters=[
        OpenApiParameter("feed", str, required=True, description="Feed name"),
        OpenApiParameter("at", OpenApiTypes.DATETIME, description="ISO 8601; default now"),
        OpenApiParameter("limit", _bounded(1, 50), description="1–50, default 10"),
    ],
    responses={200: DeparturesResponse, 400: ErrorResponse, 404: ErrorResponse},
    tags=["transit"],
)
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([])
def stop_departures(request, stop_id: str):
    try:
        feed = selectors.feed_by_name(request.query_params.get("feed", ""))
        stop = selectors.stop_by_id(feed, stop_id)
        at = selectors.parse_when(feed, request.query_params.get("at"), "at")
        limit = selectors._int_param(request.query_params.get("limit"), "limit", 1, 50) or 10
        board = selectors.departures(feed, stop, at, limit=limit)
    except selectors.PlanError as error:
        return _error(error)
    return Response(
        {
            "stop_id": stop.stop_id,
            "stop_name": stop.name,
            "departures": [
                {
                    "route_id": row.route_id,
                    "route": row.route,
                    "trip_id": row.trip_id,
                    "headsign": row.headsign,
                    "stop_id": row.stop_id,
                    "departure": row.departure.isoformat(),
                    "delay_s": row.delay_s,
                }
                for row in board
            ],
        }
    )
