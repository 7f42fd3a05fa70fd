"""Report periods: local days of the business-hours zone, the period before, bounds, time-series buckets."""
from datetime import date, datetime, timezone

import pytest

from handoff.domain.report_periods import InvalidPeriod, bucket_of, buckets, parse_period

pytestmark = pytest.mark.unit
TODAY = date(2025, 3, 12)   # a Wednesday
ZONE = "Europe/Berlin"


def utc(day, hour, minute=0, month=3):
    return datetime(2025, month, day, hour, minute, tzinfo=timezone.utc)


def test_week_month_day_and_custom_periods():
    week = parse_period("week", None, None, None, TODAY, ZONE)
    assert (week.first_day, week.last_day, week.days) == (date(2025, 3, 10), date(2025, 3, 16), 7)
    assert week.start == datetime(2025, 3, 9, 23, 0, tzinfo=timezone.utc)
    month = parse_period("month", "2025-02-14", None, None, TODAY, ZONE)
    assert (month.first_day, month.last_day) == (date(2025, 2, 1), date(2025, 2, 28))
    assert month.previous().first_day == date(2025, 1, 1) and month.previous().last_day == date(2025, 1, 31)
    day = parse_period("day", None, None, None, TODAY, ZONE)
    assert day.granularity == "hour" and len(buckets(day)) == 24
    custom = parse_period("custom", None, "2025-01-01", "2025-12-31", TODAY, ZONE)
    assert custom.days == 365 and custom.granularity == "week"
    assert custom.previous().last_day == date(2024, 12, 31)


def test_the_last_day_of_a_period_ends_at_local_midnight_across_the_clock_change():
    # 30 March 2025: Berlin goes from UTC+1 to UTC+2; the day has 23 hours.
    day = parse_period("day", "2025-03-30", None, None, TODAY, ZONE)
    assert (day.end - day.start).total_seconds() == 23 * 3600


@pytest.mark.parametrize("kind, anchor, first, last, field, words", [
    ("custom", None, "2025-03-10", "2025-03-01", "to", "vor seinem Beginn"),
    ("custom", None, "2024-01-01", "2025-01-02", "to", "höchstens 366"),
    ("custom", None, None, "2025-01-02", "from", "Beginn und Ende"),
    ("year", None, None, None, "period", "day, week, month oder custom"),
    ("week", "12.03.2025", None, None, "date", "JJJJ-MM-TT"),
    ("week", "0001-01-01", None, None, "date", "zwischen 2000 und 2099"),
    ("custom", None, "2025-01-01", "9999-12-31", "to", "zwischen 2000 und 2099"),
])
def test_bad_periods_say_what_is_wrong(kind, anchor, first, last, field, words):
    with pytest.raises(InvalidPeriod) as error:
        parse_period(kind, anchor, first, last, TODAY, ZONE)
    assert error.value.field == field and words in error.value.message


def test_a_leap_year_is_the_longest_period():
    assert parse_period("custom", None, "2024-01-01", "2024-12-31", TODAY, ZONE).days == 366


def test_buckets_are_local_days_and_weeks():
    week = parse_period("week", "2025-03-12", None, None, TODAY, ZONE)
    # Sunday 23:30 UTC is Monday 00:30 in Berlin.
    assert bucket_of(utc(9, 23, 30), week) == "2025-03-10"
    long = parse_period("custom", None, "2025-01-01", "2025-06-30", TODAY, ZONE)
    assert bucket_of(utc(12, 10), long) == "2025-03-10" and buckets(long)[0] == "2024-12-30"
