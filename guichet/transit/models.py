"""GTFS Schedule tables of named feeds, their validation notices and realtime delays.

One `Feed` row per published network; every GTFS table row belongs to one feed, so that
re-importing a name replaces it whole in one transaction. GTFS identifiers are kept as the
strings of the feed (`stop_id`, `trip_id`, …), unique per feed; times are stored as seconds
since midnight of the service day (GTFS: times may exceed 24:00:00).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Organisation
from guichet.data_translations import TranslatedFields


class Feed(TranslatedFields):
    TRANSLATED_FIELDS = ("title",)
    TRANSLATION_KEY = "name"

    class Source(models.TextChoices):
        IMPORT = "import", _("Importé")
        EDITOR = "editor", _("Saisi dans l'éditeur")

    name = models.SlugField(_("nom"), max_length=64, unique=True)
    title = models.CharField(_("titre"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="transit_feeds"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.IMPORT)
    timezone = models.CharField(_("fuseau horaire"), max_length=64, default="Africa/Niamey")
    # Bumped by every import or edit: the in-process timetable cache is keyed by it.
    version = models.PositiveIntegerField(default=1)
    illustrative = models.BooleanField(
        _("illustratif"), default=False, help_text=_("Réseau d'exemple, pas un horaire réel.")
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stop_time_count = models.PositiveIntegerField(default=0)
    # Validator notice counts by code: {code: {"severity": …, "count": n}}.
    validation_summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("réseau (GTFS)")
        verbose_name_plural = _("réseaux (GTFS)")

    def __str__(self) -> str:
        return self.translated("title") or self.name


class FeedRow(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk} ({self.feed_id})"


class Agency(FeedRow):
    agency_id = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=255)
    url = models.CharField(max_length=255, blank=True)
    timezone = models.CharField(max_length=64)
    lang = models.CharField(max_length=20, blank=True)
    phone = models.CharField(max_length=64, blank=True)
    fare_url = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "agency_id"], name="transit_agency_unique")
        ]


class Stop(FeedRow):
    class LocationType(models.IntegerChoices):
        STOP = 0, _("Arrêt")
        STATION = 1, _("Station")
        ENTRANCE = 2, _("Entrée")
        GENERIC_NODE = 3, _("Nœud")
        BOARDING_AREA = 4, _("Zone d'embarquement")

    stop_id = models.CharField(max_length=100)
    code = models.CharField(max_length=50, blank=True)
    name = models.CharField(max_length=255, blank=True)
    desc = models.TextField(blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    zone_id = models.CharField(max_length=100, blank=True)
    url = models.CharField(max_length=255, blank=True)
    location_type = models.PositiveSmallIntegerField(
        choices=LocationType.choices, default=LocationType.STOP
    )
    # GTFS stop_id of the parent station (same feed); kept as the string, like the file.
    parent_station = models.CharField(max_length=100, blank=True, db_index=True)
    timezone = models.CharField(max_length=64, blank=True)
    wheelchair_boarding = models.PositiveSmallIntegerField(default=0)
    platform_code = models.CharField(max_length=50, blank=True)
    # Lower case without accents, for name search (SMS, journey form).
    search_name = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "stop_id"], name="transit_stop_unique")
        ]

    def __str__(self) -> str:
        return self.name or self.stop_id


class Route(FeedRow):
    route_id = models.CharField(max_length=100)
    agency_id = models.CharField(max_length=100, blank=True)
    short_name = models.CharField(max_length=100, blank=True)
    long_name = models.CharField(max_length=255, blank=True)
    desc = models.TextField(blank=True)
    route_type = models.PositiveSmallIntegerField(default=3)
    url = models.CharField(max_length=255, blank=True)
    color = models.CharField(max_length=6, blank=True)
    text_color = models.CharField(max_length=6, blank=True)
    sort_order = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["sort_order", "short_name", "long_name"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "route_id"], name="transit_route_unique")
        ]

    def __str__(self) -> str:
        return self.short_name or self.long_name or self.route_id


class Trip(FeedRow):
    trip_id = models.CharField(max_length=150)
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="trips")
    service_id = models.CharField(max_length=100)
    headsign = models.CharField(max_length=255, blank=True)
    short_name = models.CharField(max_length=100, blank=True)
    direction_id = models.PositiveSmallIntegerField(null=True, blank=True)
    block_id = models.CharField(max_length=100, blank=True)
    shape_id = models.CharField(max_length=100, blank=True)
    wheelchair_accessible = models.PositiveSmallIntegerField(default=0)
    bikes_allowed = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "trip_id"], name="transit_trip_unique")
        ]


class StopTime(FeedRow):
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="stop_times")
    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="stop_times")
    stop_sequence = models.PositiveIntegerField()
    # Seconds since midnight of the service day (may exceed 86400); null between timepoints.
    arrival_time = models.PositiveIntegerField(null=True, blank=True)
    departure_time = models.PositiveIntegerField(null=True, blank=True)
    stop_headsign = models.CharField(max_length=255, blank=True)
    pickup_type = models.PositiveSmallIntegerField(default=0)
    drop_off_type = models.PositiveSmallIntegerField(default=0)
    shape_dist_traveled = models.FloatField(null=True, blank=True)
    timepoint = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["trip", "stop_sequence"]
        indexes = [models.Index(fields=["trip", "stop_sequence"])]


class Calendar(FeedRow):
    service_id = models.CharField(max_length=100)
    monday = models.BooleanField()
    tuesday = models.BooleanField()
    wednesday = models.BooleanField()
    thursday = models.BooleanField()
    friday = models.BooleanField()
    saturday = models.BooleanField()
    sunday = models.BooleanField()
    start_date = models.DateField()
    end_date = models.DateField()

    DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "service_id"], name="transit_calendar_unique")
        ]


class CalendarDate(FeedRow):
    class Exception(models.IntegerChoices):
        ADDED = 1, _("Service ajouté")
        REMOVED = 2, _("Service supprimé")

    service_id = models.CharField(max_length=100)
    date = models.DateField()
    exception_type = models.PositiveSmallIntegerField(choices=Exception.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "service_id", "date"], name="transit_calendar_date_unique"
            )
        ]


class Frequency(FeedRow):
    """GTFS: frequencies.txt — exact_times 0 = headway-based, 1 = schedule-based."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="frequencies")
    start_time = models.PositiveIntegerField()
    end_time = models.PositiveIntegerField()
    headway_secs = models.PositiveIntegerField()
    exact_times = models.PositiveSmallIntegerField(default=0)


class Transfer(FeedRow):
    from_stop_id = models.CharField(max_length=100, blank=True)
    to_stop_id = models.CharField(max_length=100, blank=True)
    from_route_id = models.CharField(max_length=100, blank=True)
    to_route_id = models.CharField(max_length=100, blank=True)
    from_trip_id = models.CharField(max_length=150, blank=True)
    to_trip_id = models.CharField(max_length=150, blank=True)
    transfer_type = models.PositiveSmallIntegerField(default=0)
    min_transfer_time = models.PositiveIntegerField(null=True, blank=True)


class ShapePoint(FeedRow):
    shape_id = models.CharField(max_length=100)
    lat = models.FloatField()
    lon = models.FloatField()
    sequence = models.PositiveIntegerField()
    dist_traveled = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["feed", "shape_id", "sequence"])]


class FeedInfo(FeedRow):
    publisher_name = models.CharField(max_length=255)
    publisher_url = models.CharField(max_length=255)
    lang = models.CharField(max_length=20)
    default_lang = models.CharField(max_length=20, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    version = models.CharField(max_length=100, blank=True)
    contact_email = models.CharField(max_length=255, blank=True)
    contact_url = models.CharField(max_length=255, blank=True)


class ValidationNotice(FeedRow):
    """A warning (or information) of the validator, kept with the feed it was found in."""

    code = models.CharField(max_length=80)
    severity = models.CharField(max_length=10)
    file = models.CharField(max_length=40, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    field = models.CharField(max_length=60, blank=True)
    count = models.PositiveIntegerField(default=1)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["severity", "code", "file", "line"]


class RealtimeDelay(FeedRow):
    """GTFS-RT TripUpdate, per trip and stop: a delay from `stop_sequence` on, or a cancellation."""

    trip_id = models.CharField(max_length=150)
    stop_sequence = models.PositiveIntegerField(null=True, blank=True)
    stop_id = models.CharField(max_length=100, blank=True)
    delay = models.IntegerField(default=0)
    cancelled = models.BooleanField(default=False)
    start_date = models.DateField(null=True, blank=True)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["trip_id", "stop_sequence"]
        indexes = [models.Index(fields=["feed", "trip_id"])]


class TraceSurvey(models.Model):
    """A route mapped from the street (docs/transit.md, « Cartographier un réseau informel »):
    GPS traces of one direction of one route, the proposal the trace engine computes from them
    (``guichet.transit.traces``) as the agent has edited it, and the feed version it became."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="surveys")
    short_name = models.CharField(_("numéro ou nom court"), max_length=100)
    long_name = models.CharField(_("nom long"), max_length=255, blank=True)
    headsign = models.CharField(_("destination affichée"), max_length=255, blank=True)
    route_type = models.PositiveSmallIntegerField(default=3)
    # {"stops": [...], "shape": [[lat, lon], ...], "bands": [...]}: see trace_proposals.py.
    proposal = models.JSONField(default=dict, blank=True)
    published_version = models.PositiveIntegerField(null=True, blank=True)
    published_route_id = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("relevé de ligne")
        verbose_name_plural = _("relevés de ligne")

    def __str__(self) -> str:
        return self.short_name


class SurveyTrace(models.Model):
    """One recorded ride: its points as parsed (epoch seconds UTC, degrees)."""

    survey = models.ForeignKey(TraceSurvey, on_delete=models.CASCADE, related_name="traces")
    name = models.CharField(max_length=255, blank=True)
    points = models.JSONField(default=dict)  # {"t": [...], "lat": [...], "lon": [...]}
    started_at = models.DateTimeField()
    point_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return self.name or str(self.pk)
