"""Due times (SLA) of tickets: per kind, counted in business hours on the shop's calendar, holidays included.

Pure. Targets are business minutes: "4 hours" set on Friday 18:00 with hours 8–20 falls due Monday 10:00. A
data-protection request gets the legal month by default (Art. 12(3) GDPR, counted like §§ 187/188 BGB: the end of
the day with the same number in the next month, or that month's last day), which runs on the calendar and is not
paused. Time spent pending (waiting for the customer) does not count: leaving pending moves the business-hour due
times on by the business minutes spent waiting (`shift_after_pause`).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from handoff.domain.hours import BusinessHours
from handoff.domain.ticket_states import DUE_WATCHED
from handoff.domain.ticket_words import KIND_DATA_PROTECTION, KIND_LABELS_DE, TICKET_KINDS

# How far ahead a due time is looked for; a schedule with no hours at all gives no due time rather than a loop.
MAX_SEARCH_DAYS = 800
MAX_TARGET_MINUTES = 60 * 24 * 90           # 90 business days of 24 h: anything longer is a typo
DEFAULT_CLOSE_AFTER_DAYS = 7
MAX_CLOSE_AFTER_DAYS = 365
DEFAULT_SOON_MINUTES = 60                   # "bald fällig": due within this many (wall-clock) minutes

DUE_OVERDUE, DUE_SOON, DUE_OK = "overdue", "soon", "ok"


class InvalidSla(ValueError):
    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        self.message = message
        super().__init__(f"{field_name}: {message}")


@dataclass(frozen=True)
class SlaPolicy:
    first_response_minutes: int | None = None   # business minutes until the first answer; None: no target
    solution_minutes: int | None = None         # business minutes until solved; None: no target
    legal_month: bool = False                   # solution due by the legal month (calendar), not business time

    def to_dict(self) -> dict[str, Any]:
        return {"first_response_minutes": self.first_response_minutes, "solution_minutes": self.solution_minutes,
                "legal_month": self.legal_month}


def _default_policies() -> dict[str, SlaPolicy]:
    standard = SlaPolicy(first_response_minutes=4 * 60, solution_minutes=24 * 60)
    policies = {kind: standard for kind in TICKET_KINDS}
    policies[KIND_DATA_PROTECTION] = SlaPolicy(first_response_minutes=8 * 60, legal_month=True)
    return policies


@dataclass(frozen=True)
class SlaSettings:
    policies: dict[str, SlaPolicy] = field(default_factory=_default_policies)
    close_after_days: int = DEFAULT_CLOSE_AFTER_DAYS   # solved → closed after this many days without reply

    def policy_for(self, kind: str) -> SlaPolicy:
        return self.policies.get(kind) or SlaPolicy()

    def to_dict(self) -> dict[str, Any]:
        return {"close_after_days": self.close_after_days,
                "policies": {kind: self.policy_for(kind).to_dict() for kind in TICKET_KINDS},
                "kind_labels": dict(KIND_LABELS_DE)}

    @classmethod
    def from_dict(cls, data: Any) -> "SlaSettings":
        """Validating constructor for stored or admin-entered settings; raises InvalidSla (German message)."""
        if not isinstance(data, dict):
            raise InvalidSla("sla", "Erwartet ein Objekt.")
        close_after = data.get("close_after_days", DEFAULT_CLOSE_AFTER_DAYS)
        if isinstance(close_after, bool) or not isinstance(close_after, int) \
                or not 1 <= close_after <= MAX_CLOSE_AFTER_DAYS:
            raise InvalidSla("close_after_days",
                             f"Tage bis zum Schließen: ganze Zahl von 1 bis {MAX_CLOSE_AFTER_DAYS}.")
        raw = data.get("policies", {})
        if not isinstance(raw, dict):
            raise InvalidSla("policies", "Erwartet ein Objekt je Ticketart.")
        unknown = set(raw) - set(TICKET_KINDS)
        if unknown:
            raise InvalidSla("policies", f"Unbekannte Ticketart: {sorted(unknown)[0]}.")
        policies = _default_policies()
        for kind, value in raw.items():
            policies[kind] = _policy(kind, value)
        return cls(policies=policies, close_after_days=close_after)


def _minutes(kind: str, name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TARGET_MINUTES:
        raise InvalidSla(f"policies.{kind}.{name}",
                         f"{KIND_LABELS_DE[kind]}: Minuten als ganze Zahl von 1 bis {MAX_TARGET_MINUTES}, oder leer.")
    return value


def _policy(kind: str, value: Any) -> SlaPolicy:
    if not isinstance(value, dict):
        raise InvalidSla(f"policies.{kind}", "Erwartet ein Objekt.")
    legal_month = value.get("legal_month", False)
    if not isinstance(legal_month, bool):
        raise InvalidSla(f"policies.{kind}.legal_month", "Ja oder nein erwartet.")
    return SlaPolicy(first_response_minutes=_minutes(kind, "first_response_minutes",
                                                     value.get("first_response_minutes")),
                     solution_minutes=_minutes(kind, "solution_minutes", value.get("solution_minutes")),
                     legal_month=legal_month)


# --- Business-time arithmetic. ---

def _open_spans(hours: BusinessHours, day: date) -> list[tuple[datetime, datetime]]:
    zone = hours.zone
    return [(datetime.combine(day, start, tzinfo=zone), datetime.combine(day, end, tzinfo=zone))
            for start, end in sorted(hours._intervals_on(day))]   # noqa: SLF001 - the calendar's own rule


def add_business_minutes(hours: BusinessHours, start: datetime, minutes: float) -> datetime | None:
    """The moment `minutes` of open time after `start` have passed; None when the calendar never opens."""
    remaining = timedelta(minutes=minutes)
    local = start.astimezone(hours.zone)
    if remaining <= timedelta(0):
        return start
    for offset in range(MAX_SEARCH_DAYS):
        for span_start, span_end in _open_spans(hours, local.date() + timedelta(days=offset)):
            begin = max(span_start, local)
            if begin >= span_end:
                continue
            available = span_end - begin
            if remaining <= available:
                return (begin + remaining).astimezone(start.tzinfo)
            remaining -= available
    return None


def business_minutes_between(hours: BusinessHours, start: datetime, end: datetime) -> float:
    """Open minutes in [start, end): how much business time a pause took."""
    if end <= start:
        return 0.0
    zone = hours.zone
    first, last = start.astimezone(zone), end.astimezone(zone)
    total = timedelta(0)
    for offset in range(min((last.date() - first.date()).days + 1, MAX_SEARCH_DAYS)):
        for span_start, span_end in _open_spans(hours, first.date() + timedelta(days=offset)):
            overlap = min(span_end, last) - max(span_start, first)
            if overlap > timedelta(0):
                total += overlap
    return total.total_seconds() / 60


def legal_month_end(hours: BusinessHours, start: datetime) -> datetime:
    """End of the day with the same number one month later (or that month's last day), in the shop's zone."""
    local = start.astimezone(hours.zone)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    day = min(local.day, calendar.monthrange(year, month)[1])
    return datetime.combine(date(year, month, day), time(23, 59, 59), tzinfo=hours.zone).astimezone(start.tzinfo)


@dataclass(frozen=True)
class DueTimes:
    first_response_due_at: datetime | None
    solution_due_at: datetime | None


def due_times(policy: SlaPolicy, hours: BusinessHours, created_at: datetime) -> DueTimes:
    first = (add_business_minutes(hours, created_at, policy.first_response_minutes)
             if policy.first_response_minutes else None)
    if policy.legal_month:
        solution = legal_month_end(hours, created_at)
    elif policy.solution_minutes:
        solution = add_business_minutes(hours, created_at, policy.solution_minutes)
    else:
        solution = None
    return DueTimes(first, solution)


def shift_after_pause(hours: BusinessHours, due: datetime | None, paused_from: datetime,
                      paused_until: datetime) -> datetime | None:
    """A business-hour due time moved on by the business minutes of a pause (pending does not count)."""
    if due is None:
        return None
    paused = business_minutes_between(hours, paused_from, paused_until)
    return add_business_minutes(hours, due, paused) if paused else due


def next_due(status: str, first_response_at: datetime | None, first_response_due_at: datetime | None,
             solution_due_at: datetime | None) -> datetime | None:
    """The due time that counts now: none outside new/open; the first response only until it was given."""
    if status not in DUE_WATCHED:
        return None
    candidates = [solution_due_at]
    if first_response_at is None:
        candidates.append(first_response_due_at)
    present = [value for value in candidates if value is not None]
    return min(present) if present else None


def due_state(now: datetime, due: datetime | None, soon_minutes: int = DEFAULT_SOON_MINUTES) -> str | None:
    if due is None:
        return None
    if now >= due:
        return DUE_OVERDUE
    if due - now <= timedelta(minutes=soon_minutes):
        return DUE_SOON
    return DUE_OK


__all__ = ["SlaPolicy", "SlaSettings", "InvalidSla", "DueTimes", "due_times", "add_business_minutes",
           "business_minutes_between", "legal_month_end", "shift_after_pause", "next_due", "due_state",
           "DUE_OVERDUE", "DUE_SOON", "DUE_OK"]
