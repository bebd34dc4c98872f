"""Working days in Niger: Monday to Friday, minus public holidays.

Fixed holidays (Gregorian dates and Easter Monday) are computed here for any year. The Islamic
holidays (Laylat al-Qadr, Eid al-Fitr, Tabaski, Islamic New Year, Mawlid) depend on the sighting of
the moon and are announced each year: an administrator enters them as `PublicHoliday` rows (the
expected dates of 2026 and 2027 are loaded by migration, marked "à confirmer").
"""

import datetime as dt
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Niger's fixed public holidays (month, day, name).
FIXED_HOLIDAYS = (
    (1, 1, _("Jour de l'an")),
    (4, 24, _("Fête de la Concorde")),
    (5, 1, _("Fête du Travail")),
    (8, 3, _("Fête de l'Indépendance")),
    (12, 18, _("Fête de la République")),
    (12, 25, _("Noël")),
)

SATURDAY = 5


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=64)
def fixed_holidays(year: int) -> dict[dt.date, str]:
    days = {dt.date(year, month, day): str(name) for month, day, name in FIXED_HOLIDAYS}
    days[easter_sunday(year) + dt.timedelta(days=1)] = str(_("Lundi de Pâques"))
    return days


def holidays_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Every public holiday from `start` to `end` inclusive: date → name."""
    from guichet.workflow.models import PublicHoliday

    days: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        days.update({d: n for d, n in fixed_holidays(year).items() if start <= d <= end})
    for date, name in PublicHoliday.objects.filter(date__gte=start, date__lte=end).values_list(
        "date", "name"
    ):
        days[date] = name
    return days


def is_working_day(day: dt.date, holidays=None) -> bool:
    if day.weekday() >= SATURDAY:
        return False
    if holidays is None:
        holidays = holidays_between(day, day)
    return day not in holidays


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def add_working_days(start, days: int) -> dt.date:
    """The date `days` working days after `start` (a date or datetime; day 0 is `start` itself,
    so a mail received on Friday with 1 working day is due on Monday)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day = _as_date(start)
    # Enough room for weekends and holidays: 7/5 of the span plus a month of holidays.
    holidays = holidays_between(day, day + dt.timedelta(days=days * 2 + 40))
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def working_days_between(a, b, holidays: dict | None = None) -> int:
    """Working days after `a` up to and including `b` (0 if `b` is not after `a`); the inverse of
    `add_working_days` for a working day `b`. Pass `holidays` (from `holidays_between`) when
    counting many spans, to read them once."""
    a, b = _as_date(a), _as_date(b)
    if b <= a:
        return 0
    if holidays is None:
        holidays = holidays_between(a, b)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of `day` in the local time zone: a deadline "on Tuesday" runs all Tuesday."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def deadline_after(start, days: int) -> dt.datetime:
    """The deadline `days` working days after `start`, as the end of that day."""
    return end_of_day(add_working_days(start, days))
