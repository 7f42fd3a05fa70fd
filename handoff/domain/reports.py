"""Report definitions (docs/reports.md): rates, percentiles, business-hours durations, CSAT, ticket SLA. Pure.

The period itself (day, week, month, custom; buckets) is handoff/domain/report_periods.py.

Every figure a supervisor reads is defined here once, in words in docs/reports.md and as a function here; the
store only counts rows, the service only puts counts and durations through these functions.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Sequence

from handoff.domain.hours import BusinessHours

# First-response-time distribution, wall-clock seconds; each bucket holds [lower, upper).
FRT_BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("< 1 Min.", 0, 60), ("1–5 Min.", 60, 300), ("5–15 Min.", 300, 900), ("15–30 Min.", 900, 1800),
    ("30–60 Min.", 1800, 3600), ("1–4 Std.", 3600, 14400), ("≥ 4 Std.", 14400, math.inf),
)
SATISFIED_RATINGS = (4, 5)
RATINGS = (1, 2, 3, 4, 5)


def rate(part: int, whole: int) -> float | None:
    """part / whole, None when there is nothing to divide (shown as "–", never as 0 %)."""
    return part / whole if whole else None


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest rank: the smallest value with at least p % of all values at or below it. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def business_seconds(start: datetime, end: datetime, hours: BusinessHours) -> float:
    """Seconds of [start, end) that fall inside business hours (weekly intervals minus holidays), local time."""
    if end <= start:
        return 0.0
    zone = hours.zone
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    total = 0.0
    day = local_start.date()
    while day <= local_end.date():
        if day not in hours.holidays:
            for opens, closes in hours.weekly.get(_weekday_key(day), ()):
                # Compared in UTC: a wall-clock difference would be off by an hour across a clock change.
                window_start = datetime.combine(day, opens, tzinfo=zone).astimezone(timezone.utc)
                window_end = datetime.combine(day, closes, tzinfo=zone).astimezone(timezone.utc)
                overlap = min(window_end, end) - max(window_start, start)
                total += max(0.0, overlap.total_seconds())
        day += timedelta(days=1)
    return total


def _weekday_key(day: date) -> str:
    from handoff.domain.hours import WEEKDAY_KEYS

    return WEEKDAY_KEYS[day.weekday()]


@dataclass(frozen=True)
class DurationStats:
    count: int
    p50_seconds: float | None
    p90_seconds: float | None
    p50_business_seconds: float | None
    p90_business_seconds: float | None

    def to_dict(self) -> dict[str, float | int | None]:
        return {"count": self.count, "p50_seconds": self.p50_seconds, "p90_seconds": self.p90_seconds,
                "p50_business_seconds": self.p50_business_seconds,
                "p90_business_seconds": self.p90_business_seconds}


def duration_stats(spans: Iterable[tuple[datetime, datetime]], hours: BusinessHours) -> DurationStats:
    """p50/p90 of (end - start), once in wall-clock seconds and once in business-hours seconds."""
    spans = [(start, end) for start, end in spans if end >= start]
    wall = [(end - start).total_seconds() for start, end in spans]
    business = [business_seconds(start, end, hours) for start, end in spans]
    return DurationStats(len(spans), percentile(wall, 50), percentile(wall, 90),
                         percentile(business, 50), percentile(business, 90))


def seconds_stats(wall: Sequence[float], business: Sequence[float]) -> DurationStats:
    """duration_stats over durations already measured (the report facts): the same spans, wall-clock and in
    business hours, in the same order."""
    return DurationStats(len(wall), percentile(wall, 50), percentile(wall, 90), percentile(business, 50),
                         percentile(business, 90))


def frt_distribution(seconds: Iterable[float]) -> list[dict[str, object]]:
    counts = [0] * len(FRT_BUCKETS)
    for value in seconds:
        for index, (_label, lower, upper) in enumerate(FRT_BUCKETS):
            if lower <= value < upper:
                counts[index] += 1
                break
    return [{"bucket": label, "count": count} for (label, _l, _u), count in zip(FRT_BUCKETS, counts)]


@dataclass(frozen=True)
class CsatSummary:
    ratings: int
    average: float | None
    distribution: dict[int, int]
    satisfaction_score: float | None    # share of ratings 4 or 5
    surveys_sent: int
    surveys_answered: int
    response_rate: float | None         # surveys answered / surveys sent, same cohort of surveys

    def to_dict(self) -> dict[str, object]:
        return {"ratings": self.ratings, "average": self.average,
                "distribution": {str(k): v for k, v in self.distribution.items()},
                "satisfaction_score": self.satisfaction_score, "surveys_sent": self.surveys_sent,
                "surveys_answered": self.surveys_answered, "response_rate": self.response_rate}


def csat_summary(ratings: Sequence[int], surveys_sent: int, surveys_answered: int) -> CsatSummary:
    distribution = {value: 0 for value in RATINGS}
    for value in ratings:
        distribution[value] += 1
    satisfied = sum(distribution[value] for value in SATISFIED_RATINGS)
    average = sum(ratings) / len(ratings) if ratings else None
    return CsatSummary(len(ratings), average, distribution, rate(satisfied, len(ratings)), surveys_sent,
                       surveys_answered, rate(surveys_answered, surveys_sent))


def change(current: float | None, previous: float | None) -> float | None:
    """Relative change against the previous period (0.25 = +25 %); None when there is no base to compare with."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous


# --- Tickets: SLA outcome of one ticket (docs/reports.md, "Tickets"). ---
OPEN_TICKET_STATUSES = ("new", "open")       # due times run (pending pauses them; solved/closed/merged are done)


def target_met(due: datetime | None, done: datetime | None, now: datetime) -> bool | None:
    """One SLA target: True met, False missed, None not decided yet (or no target)."""
    if due is None:
        return None
    if done is not None:
        return done <= due
    return False if due < now else None


def ticket_sla_met(first_due: datetime | None, first_done: datetime | None, solution_due: datetime | None,
                   solution_done: datetime | None, now: datetime) -> bool | None:
    """A ticket met its SLA when every target it has was met; missed as soon as one was missed; None while a
    target is still open (or it has none): such tickets are left out of the share."""
    outcomes = [target_met(first_due, first_done, now), target_met(solution_due, solution_done, now)]
    if False in outcomes:
        return False
    targets = sum(1 for due in (first_due, solution_due) if due is not None)
    if targets and outcomes.count(True) == targets:
        return True
    return None


def ticket_overdue(status: str, first_due: datetime | None, first_done: datetime | None,
                   solution_due: datetime | None, solution_done: datetime | None, now: datetime) -> bool:
    """Still being worked on (new or open) and a due time has passed without its event."""
    if status not in OPEN_TICKET_STATUSES:
        return False
    return (first_due is not None and first_done is None and first_due < now) or \
        (solution_due is not None and solution_done is None and solution_due < now)
