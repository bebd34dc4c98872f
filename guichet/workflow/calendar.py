"""Working days in Niger: Monday to Friday, minus public holidays.

The holidays of any year come from the `holidays` package (Niger: the fixed days of the law on
public holidays, Easter Monday, the anniversary of 26 July 2023 with its Monday when it falls on a
Sunday, and the Islamic feasts — Laylat al-Qadr, Korité, Tabaski and the day after, the Islamic New
Year, Mouloud — as *estimates*: they depend on the sighting of the moon). Each year the Government
announces the Islamic dates; an administrator enters them as `PublicHoliday` rows (audited, see
admin.py). Rules:
- a year for which an administrator entered moon-dependent rows uses those rows instead of the
  package's estimates (the rows marked "à confirmer" are still estimates);
- exceptional days declared by the Government (rows not moon-dependent) are added to any year;
- a deadline computed across an estimated day says so (`Deadline.estimated`, stored on the case
  as `Case.due_estimated`; `services.recount_deadlines` counts again when a date is announced).
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import holidays as holidays_library
from django.utils import timezone
from django.utils.translation import ngettext

from guichet.process_memo import Memo

SATURDAY = 5
COUNTRY = "NE"


@dataclass(frozen=True)
class Holiday:
    name: str
    estimated: bool = False


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


@lru_cache(maxsize=256)
def library_holidays(year: int) -> tuple[tuple[dt.date, str, bool], ...]:
    """(date, French name, estimated) of every holiday the `holidays` package knows for `year`;
    a day shared by two holidays gives two entries."""
    french = holidays_library.country_holidays(COUNTRY, years=year, language="fr_NE")
    english = holidays_library.country_holidays(COUNTRY, years=year, language="en_US")
    entries = []
    for day in sorted(french):
        names = french[day].split("; ")
        flags = ["(estimated)" in part for part in english[day].split("; ")]
        flags += [False] * (len(names) - len(flags))
        entries.extend((day, name, flag) for name, flag in zip(names, flags, strict=False))
    return tuple(entries)


def fixed_holidays(year: int) -> dict[dt.date, str]:
    """The holidays whose date the law fixes (not estimated): date → name."""
    days: dict[dt.date, str] = {}
    for day, name, estimated in library_holidays(year):
        if not estimated:
            days[day] = f"{days[day]} ; {name}" if day in days else name
    return days


# Every deadline (each complaint filed, each mail registered) reads the holidays of the next weeks.
# They change a few times a year, by an administrator: each process keeps the calendar of a span
# for a minute. The process that saves or deletes a row forgets at once (apps.py connects
# `forget_holidays` to the model's signals); the others follow within HOLIDAY_MEMO_SECONDS.
HOLIDAY_MEMO_SECONDS = 60
_holiday_memo = Memo(HOLIDAY_MEMO_SECONDS, max_entries=64)


def forget_holidays(**_signal) -> None:
    _holiday_memo.forget()


def holiday_calendar(start: dt.date, end: dt.date) -> dict[dt.date, Holiday]:
    """Every public holiday from `start` to `end` inclusive, with whether its date is an estimate.

    The answer is shared (see HOLIDAY_MEMO_SECONDS): callers must not modify it."""
    return _holiday_memo.get((start, end), lambda: _read_holiday_calendar(start, end), keep=_always)


def _always(_value) -> bool:
    return True


def _read_holiday_calendar(start: dt.date, end: dt.date) -> dict[dt.date, Holiday]:
    from guichet.workflow.models import PublicHoliday

    rows = list(PublicHoliday.objects.filter(date__year__gte=start.year, date__year__lte=end.year))
    announced_years = {row.date.year for row in rows if row.moon_dependent}
    days: dict[dt.date, Holiday] = {}
    for year in range(start.year, end.year + 1):
        for day, name, estimated in library_holidays(year):
            if estimated and year in announced_years:
                continue  # the administration's dates for this year replace the estimates
            if day in days:
                # a sure holiday stays sure when an estimated one falls on the same day
                estimated = estimated and days[day].estimated
                name = f"{days[day].name} ; {name}"
            days[day] = Holiday(name, estimated)
    for row in rows:
        days[row.date] = Holiday(row.name, row.to_confirm)
    return {day: holiday for day, holiday in days.items() if start <= day <= end}


def holidays_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Every public holiday from `start` to `end` inclusive: date → name."""
    return {day: holiday.name for day, holiday in holiday_calendar(start, end).items()}


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


ESTIMATE_SUFFIX = " (estimé)"  # how the `holidays` package's French names mark an estimate

# The Government announces an Islamic feast after the moon is sighted, at most a day or so from
# the astronomical estimate: an estimated feast from the start of the count to the day after the
# due date may move the due date once announced (a feast announced one day earlier can fall on it).
ANNOUNCEMENT_MARGIN = dt.timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    """A due date, and the estimated holidays (Islamic feasts not yet announced) its count
    crossed or landed beside: when the Government announces another date, the due date may move.
    `start` and `days` say how it was counted, so that it can be counted again."""

    day: dt.date
    estimated: tuple[dt.date, ...] = ()
    feasts: tuple[str, ...] = field(default=(), compare=False)
    start: dt.date | None = field(default=None, compare=False)
    days: int | None = field(default=None, compare=False)

    @property
    def is_estimate(self) -> bool:
        return bool(self.estimated)

    def estimated_feasts(self) -> list[list[str]]:
        """[[ISO date, name], …]: what `Case.due_estimated` stores."""
        return [
            [day.isoformat(), name] for day, name in zip(self.estimated, self.feasts, strict=True)
        ]

    def notice(self) -> str:
        return estimate_notice(self.feasts)


def feast_name(name: str) -> str:
    return name.replace(ESTIMATE_SUFFIX, "").strip()


def estimate_notice(feasts) -> str:
    """The sentence shown beside a due date counted across estimated feasts ("" when none)."""
    names = list(dict.fromkeys(feast_name(name) for name in feasts))
    if not names:
        return ""
    return ngettext(
        "Date estimée : la fête de %(feasts)s n'est pas encore officiellement fixée.",
        "Date estimée : les fêtes de %(feasts)s ne sont pas encore officiellement fixées.",
        len(names),
    ) % {"feasts": ", ".join(names)}


def working_day_deadline(start, days: int, holidays: dict | None = None) -> Deadline:
    """`days` working days after `start` (a date or datetime; day 0 is `start` itself, so a mail
    received on Friday with 1 working day is due on Monday), with the estimated feasts that may
    move it (see ANNOUNCEMENT_MARGIN). Pass `holidays` (from `holiday_calendar`, covering the
    span) when counting many deadlines."""
    if days < 0:
        raise ValueError("days must be >= 0")
    first = day = _as_date(start)
    # Enough room for weekends and holidays: 7/5 of the span plus a month of holidays.
    calendar = holidays
    if calendar is None:
        calendar = holiday_calendar(day, day + dt.timedelta(days=days * 2 + 40))
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, calendar):
            remaining -= 1
    estimated = [
        (when, holiday.name)
        for when, holiday in sorted(calendar.items())
        if holiday.estimated and first <= when <= day + ANNOUNCEMENT_MARGIN
    ]
    return Deadline(
        day,
        tuple(when for when, _name in estimated),
        feasts=tuple(name for _when, name in estimated),
        start=first,
        days=days,
    )


def add_working_days(start, days: int) -> dt.date:
    """The date `days` working days after `start` (see `working_day_deadline`)."""
    return working_day_deadline(start, days).day


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
