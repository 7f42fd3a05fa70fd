from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from handoff.domain.hours import BusinessHours, InvalidBusinessHours

pytestmark = pytest.mark.unit
BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(("moment", "open_"), [
    (berlin(2025, 3, 12, 7, 59), False),   # Wednesday before opening
    (berlin(2025, 3, 12, 8, 0), True),
    (berlin(2025, 3, 12, 19, 59), True),
    (berlin(2025, 3, 12, 20, 0), False),
    (berlin(2025, 3, 15, 9, 30), True),    # Saturday
    (berlin(2025, 3, 15, 16, 0), False),
    (berlin(2025, 3, 16, 12, 0), False),   # Sunday
])
def test_default_schedule(moment, open_):
    assert BusinessHours().is_open(moment) is open_


def test_is_open_uses_the_shop_time_zone_not_utc():
    # 07:30 UTC on a summer Wednesday is 09:30 in Berlin.
    assert BusinessHours().is_open(datetime(2025, 7, 9, 7, 30, tzinfo=timezone.utc))


def test_next_opening_and_phrase_over_the_weekend():
    hours = BusinessHours()
    saturday_evening = berlin(2025, 3, 15, 17, 0)
    assert hours.next_opening(saturday_evening) == berlin(2025, 3, 17, 8, 0)
    assert hours.opening_phrase(saturday_evening) == "ab Montag 8:00 Uhr"


def test_phrase_today_and_tomorrow():
    hours = BusinessHours()
    assert hours.opening_phrase(berlin(2025, 3, 12, 6, 0)) == "heute ab 8:00 Uhr"
    assert hours.opening_phrase(berlin(2025, 3, 14, 21, 0)) == "morgen ab 9:00 Uhr"


def test_holidays_are_closed_and_skipped():
    hours = BusinessHours(holidays=frozenset({date(2025, 4, 18), date(2025, 4, 21)}))
    assert not hours.is_open(berlin(2025, 4, 18, 10, 0))
    # Thursday evening before Good Friday: next is Saturday 9:00.
    assert hours.next_opening(berlin(2025, 4, 17, 21, 0)) == berlin(2025, 4, 19, 9, 0)


def test_round_trip_and_validation():
    hours = BusinessHours()
    assert BusinessHours.from_dict(hours.to_dict()) == hours
    with pytest.raises(InvalidBusinessHours) as error:
        BusinessHours.from_dict({"weekly": {"mon": [["20:00", "08:00"]]}})
    assert error.value.field == "weekly.mon"
    with pytest.raises(InvalidBusinessHours):
        BusinessHours.from_dict({"time_zone": "Mars/Olympus"})
    with pytest.raises(InvalidBusinessHours):
        BusinessHours.from_dict({"weekly": {"mon": [["08:00", "12:00"], ["11:00", "13:00"]]}})
    with pytest.raises(InvalidBusinessHours):
        BusinessHours.from_dict({"holidays": ["24.12.2025"]})


def test_never_open_schedule_has_no_opening():
    closed = BusinessHours.from_dict({"weekly": {}})
    assert closed.next_opening(berlin(2025, 3, 12, 10, 0)) is None
    assert closed.opening_phrase(berlin(2025, 3, 12, 10, 0)) is None
