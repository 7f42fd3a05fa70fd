"""The pure report definitions: nearest-rank percentiles, business-hours durations, CSAT, ticket SLA."""
from datetime import date, datetime, timezone

import pytest

from handoff.domain.hours import BusinessHours
from handoff.domain.reports import business_seconds, change, csat_summary, frt_distribution, percentile

pytestmark = pytest.mark.unit


def utc(day, hour, minute=0, month=3):
    return datetime(2025, month, day, hour, minute, tzinfo=timezone.utc)


def test_nearest_rank_percentiles():
    assert percentile([], 50) is None
    assert percentile([7], 90) == 7
    # ten values: p50 is the 5th, p90 the 9th
    values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5]
    assert (percentile(values, 50), percentile(values, 90)) == (5, 9)
    # three values: p50 = ceil(1.5) = 2nd, p90 = ceil(2.7) = 3rd
    assert (percentile([30, 10, 20], 50), percentile([30, 10, 20], 90)) == (20, 30)


def test_business_seconds_count_only_open_hours():
    hours = BusinessHours()   # Mon–Fri 8–20, Sat 9–16, Sun closed (Berlin, UTC+1 in March)
    # Wednesday 10:00–10:30 local: all open.
    assert business_seconds(utc(12, 9), utc(12, 9, 30), hours) == 1800
    # Friday 19:30 local → Monday 08:30 local: 30 min Friday + 7 h Saturday + 0 Sunday + 30 min Monday.
    assert business_seconds(utc(14, 18, 30), utc(17, 7, 30), hours) == (30 + 7 * 60 + 30) * 60
    # Sunday only: nothing.
    assert business_seconds(utc(16, 9), utc(16, 15), hours) == 0
    # A holiday is closed all day.
    holiday = BusinessHours(holidays=frozenset({date(2025, 3, 12)}))
    assert business_seconds(utc(12, 9), utc(12, 9, 30), holiday) == 0
    assert business_seconds(utc(12, 10), utc(12, 9), hours) == 0
    # Across the clock change (Sunday 30 March): Friday 19:00 CET → Monday 09:00 CEST = 1 h + 7 h + 1 h.
    assert business_seconds(utc(28, 18), utc(31, 7), hours) == 9 * 3600


def test_csat_summary_and_the_first_response_buckets():
    summary = csat_summary([5, 4, 1, 3], surveys_sent=8, surveys_answered=4)
    assert summary.average == 13 / 4 and summary.satisfaction_score == 2 / 4 and summary.response_rate == 0.5
    assert summary.distribution == {1: 1, 2: 0, 3: 1, 4: 1, 5: 1}
    empty = csat_summary([], 0, 0)
    assert (empty.average, empty.satisfaction_score, empty.response_rate) == (None, None, None)
    counts = [row["count"] for row in frt_distribution([0, 59.9, 60, 899, 14400, 3 * 86400])]
    assert counts == [2, 1, 1, 0, 0, 0, 2]


def test_change_against_the_previous_period():
    assert change(12, 10) == pytest.approx(0.2)
    assert change(5, 0) is None and change(None, 3) is None


def test_sla_outcome_of_a_ticket():
    from handoff.domain.reports import target_met, ticket_overdue, ticket_sla_met

    now = utc(20, 12)
    assert target_met(None, utc(12, 9), now) is None                    # no target
    assert target_met(utc(12, 10), utc(12, 10), now) is True            # on the minute counts as met
    assert target_met(utc(12, 10), utc(12, 11), now) is False
    assert target_met(utc(12, 10), None, now) is False                  # due passed, nothing happened
    assert target_met(utc(25, 10), None, now) is None                   # still time
    assert ticket_sla_met(utc(12, 10), utc(12, 9), utc(13, 10), utc(13, 9), now) is True
    assert ticket_sla_met(utc(12, 10), utc(12, 9), utc(25, 10), None, now) is None
    assert ticket_sla_met(utc(12, 10), utc(12, 11), utc(25, 10), None, now) is False
    assert ticket_sla_met(None, None, None, None, now) is None
    assert ticket_overdue("open", utc(12, 10), None, None, None, now) is True
    assert ticket_overdue("pending", utc(12, 10), None, None, None, now) is False   # paused while pending
    assert ticket_overdue("new", utc(25, 10), None, None, None, now) is False
