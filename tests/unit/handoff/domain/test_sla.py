"""Due-time arithmetic in business hours: nights, weekends, holidays, pauses, the legal month."""
from datetime import date, datetime, timezone

import pytest

from handoff.domain.hours import BusinessHours
from handoff.domain.sla import (
    DUE_OK, DUE_OVERDUE, DUE_SOON, InvalidSla, SlaPolicy, SlaSettings, add_business_minutes,
    business_minutes_between, due_state, due_times, legal_month_end, next_due, shift_after_pause,
)
from handoff.domain.ticket_words import KIND_DATA_PROTECTION, KIND_FOLLOW_UP
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
# Default week: Mon–Fri 8–20, Sat 9–16, Sun closed. 2025-03-12 is a Wednesday.
HOURS = BusinessHours()
EASTER = BusinessHours(holidays=frozenset({date(2025, 4, 18), date(2025, 4, 21)}))   # Good Friday, Easter Monday


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def test_within_one_day():
    assert add_business_minutes(HOURS, berlin(2025, 3, 12, 10, 0), 120) == berlin(2025, 3, 12, 12, 0)


def test_over_night_counts_only_open_time():
    # Wednesday 19:00 + 4 h: 1 h today, 3 h from Thursday 8:00.
    assert add_business_minutes(HOURS, berlin(2025, 3, 12, 19, 0), 240) == berlin(2025, 3, 13, 11, 0)


def test_created_at_night_starts_counting_at_opening():
    assert add_business_minutes(HOURS, berlin(2025, 3, 12, 23, 30), 60) == berlin(2025, 3, 13, 9, 0)


def test_over_the_weekend_saturday_short_and_sunday_closed():
    # Friday 18:00 + 12 h: 2 h Friday, 7 h Saturday (9–16), Sunday closed, 3 h Monday → 11:00.
    assert add_business_minutes(HOURS, berlin(2025, 3, 14, 18, 0), 12 * 60) == berlin(2025, 3, 17, 11, 0)


def test_holidays_are_skipped():
    # Thursday before Easter 19:00 + 4 h: 1 h Thursday, Good Friday closed, 3 h Saturday (9–12).
    assert add_business_minutes(EASTER, berlin(2025, 4, 17, 19, 0), 240) == berlin(2025, 4, 19, 12, 0)
    # Saturday 15:00 + 2 h: 1 h Saturday, Sunday closed, Easter Monday closed, 1 h Tuesday → 9:00.
    assert add_business_minutes(EASTER, berlin(2025, 4, 19, 15, 0), 120) == berlin(2025, 4, 22, 9, 0)


def test_daylight_saving_change_keeps_the_local_clock():
    # The clocks go forward on Sunday 2025-03-30 (closed); Saturday 15:00 + 2 h → Monday 9:00 local time.
    due = add_business_minutes(HOURS, berlin(2025, 3, 29, 15, 0), 120)
    assert due.astimezone(BERLIN).replace(tzinfo=None) == datetime(2025, 3, 31, 9, 0)


def test_a_calendar_without_hours_gives_no_due_time():
    assert add_business_minutes(BusinessHours(weekly={}), berlin(2025, 3, 12, 10, 0), 60) is None


def test_business_minutes_between_counts_open_time_only():
    assert business_minutes_between(HOURS, berlin(2025, 3, 14, 19, 0), berlin(2025, 3, 17, 9, 0)) == 60 + 7 * 60 + 60
    assert business_minutes_between(HOURS, berlin(2025, 3, 15, 17, 0), berlin(2025, 3, 16, 23, 0)) == 0


def test_pending_time_moves_the_due_time_by_its_business_minutes():
    due = berlin(2025, 3, 12, 14, 0)
    # Pending from Wednesday 10:00 to Thursday 10:00: 10 h + 2 h = 12 business hours.
    moved = shift_after_pause(HOURS, due, berlin(2025, 3, 12, 10, 0), berlin(2025, 3, 13, 10, 0))
    assert moved == berlin(2025, 3, 13, 14, 0)
    # Pending over the night only: nothing to move.
    assert shift_after_pause(HOURS, due, berlin(2025, 3, 12, 21, 0), berlin(2025, 3, 13, 7, 0)) == due


@pytest.mark.parametrize(("start", "end"), [
    (berlin(2025, 3, 12, 10, 0), berlin(2025, 4, 12, 23, 59, 59)),
    (berlin(2025, 1, 31, 10, 0), berlin(2025, 2, 28, 23, 59, 59)),    # no 31 February: the month's last day
    (berlin(2025, 12, 15, 10, 0), berlin(2026, 1, 15, 23, 59, 59)),
])
def test_the_legal_month(start, end):
    assert legal_month_end(HOURS, start) == end


def test_data_protection_gets_the_legal_month_by_default():
    settings = SlaSettings()
    created = berlin(2025, 3, 12, 10, 0)
    times = due_times(settings.policy_for(KIND_DATA_PROTECTION), HOURS, created)
    assert times.solution_due_at == berlin(2025, 4, 12, 23, 59, 59)
    follow_up = due_times(settings.policy_for(KIND_FOLLOW_UP), HOURS, created)
    assert follow_up.first_response_due_at == berlin(2025, 3, 12, 14, 0)


def test_next_due_and_state():
    now = datetime(2025, 3, 12, 9, 0, tzinfo=timezone.utc)
    first, solution = berlin(2025, 3, 12, 10, 30), berlin(2025, 3, 13, 10, 0)
    assert next_due("new", None, first, solution) == first
    assert next_due("open", now, first, solution) == solution       # first response given
    assert next_due("pending", None, first, solution) is None        # pending does not count
    assert next_due("solved", None, first, solution) is None
    assert due_state(now, first) == DUE_SOON                         # 30 minutes ahead
    assert due_state(now, solution) == DUE_OK
    assert due_state(now, berlin(2025, 3, 12, 9, 59)) == DUE_OVERDUE
    assert due_state(now, None) is None


@pytest.mark.parametrize("bad", [
    {"close_after_days": 0}, {"close_after_days": "7"}, {"policies": {"nope": {}}},
    {"policies": {"complaint": {"first_response_minutes": -5}}},
    {"policies": {"complaint": {"solution_minutes": 1.5}}},
    {"policies": {"complaint": {"legal_month": "ja"}}}, [],
])
def test_bad_sla_settings_are_refused_in_german(bad):
    with pytest.raises(InvalidSla) as refused:
        SlaSettings.from_dict(bad)
    assert refused.value.message


def test_settings_round_trip():
    settings = SlaSettings.from_dict({"close_after_days": 3,
                                      "policies": {"complaint": {"first_response_minutes": 60, "solution_minutes": None}}})
    again = SlaSettings.from_dict(settings.to_dict())
    assert again == settings
    assert again.policy_for("complaint") == SlaPolicy(first_response_minutes=60)
