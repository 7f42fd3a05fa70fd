"""Report periods (docs/reports.md, "The period"): day, week, month or custom, as local days of the
business-hours zone, the period before for comparisons, and the time-series buckets. Pure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

DAY, WEEK, MONTH, CUSTOM = "day", "week", "month", "custom"
PERIOD_KINDS = (DAY, WEEK, MONTH, CUSTOM)
MAX_PERIOD_DAYS = 366               # a leap year; anything longer is refused
# Time series: hourly for one day, daily up to about two months, weekly beyond.
DAILY_UP_TO_DAYS = 62
HOUR, WEEKLY = "hour", "week"


class InvalidPeriod(ValueError):
    """A period a report cannot cover; `field` names the request parameter, the message is German."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Period:
    """[start, end): aware datetimes at local midnights of the business-hours zone."""

    kind: str
    first_day: date          # local, inclusive
    last_day: date           # local, inclusive
    time_zone: str

    @property
    def start(self) -> datetime:
        return _local_midnight(self.first_day, self.time_zone)

    @property
    def end(self) -> datetime:
        return _local_midnight(self.last_day + timedelta(days=1), self.time_zone)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def previous(self) -> "Period":
        """The period just before, of the same kind: the previous month for a month, else the same number of days."""
        if self.kind == MONTH:
            last = self.first_day - timedelta(days=1)
            return Period(MONTH, last.replace(day=1), last, self.time_zone)
        length = timedelta(days=self.days)
        return Period(self.kind, self.first_day - length, self.last_day - length, self.time_zone)

    @property
    def granularity(self) -> str:
        if self.days == 1:
            return HOUR
        return DAY if self.days <= DAILY_UP_TO_DAYS else WEEKLY

    def to_dict(self) -> dict[str, str]:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(self.time_zone)
        return {"kind": self.kind, "from": self.first_day.isoformat(), "to": self.last_day.isoformat(),
                "start": self.start.astimezone(zone).isoformat(), "end": self.end.astimezone(zone).isoformat(),
                "time_zone": self.time_zone,
                "granularity": self.granularity}


def _local_midnight(day: date, time_zone: str) -> datetime:
    """In UTC: Python subtracts two datetimes of the same zone as wall-clock times, ignoring a clock change."""
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(time_zone)).astimezone(timezone.utc)


# Reports cover the shop's own history: outside these years a date is a typo (and year 1 has no previous week).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _parse_day(field: str, raw: str | None) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidPeriod(field, "Datum im Format JJJJ-MM-TT erwartet.") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidPeriod(field, f"Datum zwischen {FIRST_DAY.year} und {LAST_DAY.year} erwartet.")
    return day


def parse_period(kind: str | None, anchor: str | None, first: str | None, last: str | None,
                 today: date, time_zone: str) -> Period:
    """day/week/month around `anchor` (default today), or custom from `first` to `last` (both inclusive)."""
    kind = kind or WEEK
    if kind not in PERIOD_KINDS:
        raise InvalidPeriod("period", "Zeitraum: day, week, month oder custom erwartet.")
    if kind == CUSTOM:
        first_day, last_day = _parse_day("from", first), _parse_day("to", last)
        if first_day is None or last_day is None:
            raise InvalidPeriod("from" if first_day is None else "to",
                                "Für einen eigenen Zeitraum bitte Beginn und Ende angeben.")
        if last_day < first_day:
            raise InvalidPeriod("to", "Das Ende des Zeitraums liegt vor seinem Beginn.")
        if (last_day - first_day).days + 1 > MAX_PERIOD_DAYS:
            raise InvalidPeriod("to", f"Ein Zeitraum darf höchstens {MAX_PERIOD_DAYS} Tage lang sein.")
        return Period(CUSTOM, first_day, last_day, time_zone)
    day = _parse_day("date", anchor) or today
    if kind == DAY:
        return Period(DAY, day, day, time_zone)
    if kind == WEEK:   # ISO week, Monday to Sunday
        monday = day - timedelta(days=day.weekday())
        return Period(WEEK, monday, monday + timedelta(days=6), time_zone)
    first_day = day.replace(day=1)
    next_month = (first_day + timedelta(days=32)).replace(day=1)
    return Period(MONTH, first_day, next_month - timedelta(days=1), time_zone)


def bucket_of(moment: datetime, period: Period) -> str:
    """The label of the time-series bucket holding `moment` (local time): hour, day or ISO week start."""
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo(period.time_zone))
    if period.granularity == HOUR:
        return local.strftime("%Y-%m-%dT%H:00")
    if period.granularity == DAY:
        return local.date().isoformat()
    return (local.date() - timedelta(days=local.weekday())).isoformat()


def bucket_of_day(day: date, period: Period) -> str:
    """bucket_of for a local day, when the bucket is a day or a week."""
    if period.granularity == DAY:
        return day.isoformat()
    return (day - timedelta(days=day.weekday())).isoformat()


def buckets(period: Period) -> list[str]:
    """Every bucket label of the period in order, so that empty hours/days/weeks show as zero."""
    if period.granularity == HOUR:
        return [f"{period.first_day.isoformat()}T{hour:02d}:00" for hour in range(24)]
    if period.granularity == DAY:
        return [(period.first_day + timedelta(days=n)).isoformat() for n in range(period.days)]
    monday = period.first_day - timedelta(days=period.first_day.weekday())
    labels = []
    while monday <= period.last_day:
        labels.append(monday.isoformat())
        monday += timedelta(days=7)
    return labels
