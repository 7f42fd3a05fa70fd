import pytest

from handoff.domain.waiting import estimate_wait_minutes, handling_minutes, position_phrase, wait_phrase

pytestmark = pytest.mark.unit


def test_nobody_online_means_no_estimate():
    assert estimate_wait_minutes(1, 0, 5.0) is None
    assert "nicht abschätzen" in wait_phrase(None)


@pytest.mark.parametrize(("position", "agents", "minutes", "expected"), [
    (1, 1, 5.0, 5), (2, 1, 5.0, 10), (2, 2, 5.0, 5), (3, 2, 5.0, 10), (1, 3, 0.2, 1),
])
def test_estimate_rounds_up_per_round_of_agents(position, agents, minutes, expected):
    assert estimate_wait_minutes(position, agents, minutes) == expected


def test_handling_minutes_needs_enough_samples_and_uses_median():
    assert handling_minutes([60.0, 120.0], default_minutes=6.0) == 6.0
    assert handling_minutes([60.0, 120.0, 180.0, 3600.0], default_minutes=6.0) == pytest.approx(2.5)


def test_phrases_are_german_and_coarse_for_long_waits():
    assert wait_phrase(1) == "Die Wartezeit beträgt voraussichtlich etwa eine Minute."
    assert wait_phrase(7) == "Die Wartezeit beträgt voraussichtlich etwa 7 Minuten."
    assert wait_phrase(23) == "Die Wartezeit beträgt voraussichtlich bis zu 25 Minuten."
    assert "über eine Stunde" in wait_phrase(90)
    assert position_phrase(1) == "Sie sind als Nächstes an der Reihe."
    assert position_phrase(2) == "Vor Ihnen wartet noch eine Person."
    assert position_phrase(4) == "Vor Ihnen warten noch 3 Personen."
