"""Business hours: when people are there to take over from the bot. Pure; times are checked in the shop's zone."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIME_ZONE = "Europe/Berlin"
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GERMAN_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
# A week plus the longest plausible holiday stretch; beyond that the schedule is effectively closed.
SEARCH_DAYS = 31

Interval = tuple[time, time]


class InvalidBusinessHours(ValueError):
    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        self.message = message
        super().__init__(f"{field_name}: {message}")


def _default_week() -> dict[str, tuple[Interval, ...]]:
    workday = ((time(8, 0), time(20, 0)),)
    return {"mon": workday, "tue": workday, "wed": workday, "thu": workday, "fri": workday,
            "sat": ((time(9, 0), time(16, 0)),), "sun": ()}


@dataclass(frozen=True)
class BusinessHours:
    weekly: dict[str, tuple[Interval, ...]] = field(default_factory=_default_week)
    time_zone: str = DEFAULT_TIME_ZONE
    holidays: frozenset[date] = frozenset()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def _intervals_on(self, day: date) -> tuple[Interval, ...]:
        if day in self.holidays:
            return ()
        return self.weekly.get(WEEKDAY_KEYS[day.weekday()], ())

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(self.zone)
        return any(start <= local.time() < end for start, end in self._intervals_on(local.date()))

    def next_opening(self, now: datetime) -> datetime | None:
        """The next moment the shop opens, strictly after `now` if closed, `now` itself if open; None if never."""
        if self.is_open(now):
            return now
        local = now.astimezone(self.zone)
        for offset in range(SEARCH_DAYS + 1):
            day = local.date() + timedelta(days=offset)
            for start, _end in sorted(self._intervals_on(day)):
                opening = datetime.combine(day, start, tzinfo=self.zone)
                if opening > local:
                    return opening
        return None

    def opening_phrase(self, now: datetime) -> str | None:
        """German phrase for when people are back: "heute ab 9:00 Uhr", "morgen ab 8:00 Uhr", "ab Montag 8:00 Uhr";
        None when no opening hours are set at all (then no time can be promised)."""
        opening = self.next_opening(now)
        if opening is None:
            return None
        local_now = now.astimezone(self.zone)
        local = opening.astimezone(self.zone)
        clock = f"{local.hour}:{local.minute:02d} Uhr"
        days = (local.date() - local_now.date()).days
        if days == 0:
            return f"heute ab {clock}"
        if days == 1:
            return f"morgen ab {clock}"
        if days < 7:
            return f"ab {GERMAN_WEEKDAYS[local.weekday()]} {clock}"
        return f"ab {GERMAN_WEEKDAYS[local.weekday()]}, {local.day}.{local.month}., {clock}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "time_zone": self.time_zone,
            "weekly": {key: [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in self.weekly.get(key, ())]
                       for key in WEEKDAY_KEYS},
            "holidays": sorted(day.isoformat() for day in self.holidays),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "BusinessHours":
        """Validating constructor for stored or admin-entered hours; raises InvalidBusinessHours."""
        if not isinstance(data, dict):
            raise InvalidBusinessHours("business_hours", "Erwartet ein Objekt.")
        zone_name = data.get("time_zone", DEFAULT_TIME_ZONE)
        try:
            ZoneInfo(str(zone_name))
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidBusinessHours("time_zone", f"Unbekannte Zeitzone: {zone_name}") from None
        weekly_raw = data.get("weekly", {})
        if not isinstance(weekly_raw, dict) or set(weekly_raw) - set(WEEKDAY_KEYS):
            raise InvalidBusinessHours("weekly", f"Erlaubte Tage: {', '.join(WEEKDAY_KEYS)}.")
        weekly = {key: _parse_intervals(key, weekly_raw.get(key, [])) for key in WEEKDAY_KEYS}
        holidays_raw = data.get("holidays", [])
        if not isinstance(holidays_raw, list):
            raise InvalidBusinessHours("holidays", "Erwartet eine Liste von Daten (JJJJ-MM-TT).")
        try:
            holidays = frozenset(date.fromisoformat(str(day)) for day in holidays_raw)
        except ValueError:
            raise InvalidBusinessHours("holidays", "Datum im Format JJJJ-MM-TT erwartet.") from None
        return cls(weekly=weekly, time_zone=str(zone_name), holidays=holidays)


def _parse_intervals(day_key: str, raw: Any) -> tuple[Interval, ...]:
    if not isinstance(raw, list):
        raise InvalidBusinessHours(f"weekly.{day_key}", "Erwartet eine Liste von [von, bis].")
    intervals: list[Interval] = []
    for pair in raw:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise InvalidBusinessHours(f"weekly.{day_key}", "Jeder Eintrag ist [von, bis], z. B. [\"08:00\", \"20:00\"].")
        try:
            start, end = (time.fromisoformat(str(value)) for value in pair)
        except ValueError:
            raise InvalidBusinessHours(f"weekly.{day_key}", "Uhrzeit im Format HH:MM erwartet.") from None
        if start >= end:
            raise InvalidBusinessHours(f"weekly.{day_key}", "Der Beginn muss vor dem Ende liegen.")
        intervals.append((start, end))
    intervals.sort()
    for (_, first_end), (second_start, _) in zip(intervals, intervals[1:]):
        if second_start < first_end:
            raise InvalidBusinessHours(f"weekly.{day_key}", "Zeiträume dürfen sich nicht überschneiden.")
    return tuple(intervals)
