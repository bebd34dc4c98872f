from django import template

from guichet.transit.gtfs import format_time
from guichet.transit.selectors import clock_text

register = template.Library()


@register.filter
def minutes(seconds) -> int:
    """Whole minutes of a duration in seconds (absolute value)."""
    return abs(int(seconds or 0)) // 60


@register.filter
def clock(seconds) -> str:
    """GTFS seconds since midnight as HH:MM (25:10 stays 25:10)."""
    return format_time(int(seconds))[:5] if seconds is not None else ""


@register.filter
def feed_clock(moment, reference=None) -> str:
    """An aware date-time on its feed's clock (not the site's zone), with « demain » or the
    date when it is not the reference day (default: today)."""
    return clock_text(moment, reference) if moment else ""
