import pytest

from handoff.domain.states import (
    TRANSITIONS, InvalidTransition, Status, Trigger, can_transition, next_status, routes_to_bot, sources_of,
)

pytestmark = pytest.mark.unit

ALLOWED = [
    ("bot", "handoff_requested", "queued"),
    ("queued", "claimed", "agent"),
    ("queued", "no_agent_available", "ticket"),
    ("agent", "transferred", "queued"),
    ("agent", "handed_back", "bot"),
    ("agent", "resolved", "resolved"),
    ("queued", "resolved", "resolved"),
    ("bot", "resolved", "resolved"),
    ("ticket", "resolved", "resolved"),
    ("ticket", "handoff_requested", "queued"),
    ("resolved", "customer_wrote", "bot"),
]


@pytest.mark.parametrize(("current", "trigger", "expected"), ALLOWED)
def test_every_allowed_transition(current, trigger, expected):
    assert next_status(current, trigger) == Status(expected)


def test_table_has_exactly_the_documented_transitions():
    assert {(c.value, t.value, n.value) for (c, t), n in TRANSITIONS.items()} == set(ALLOWED)


@pytest.mark.parametrize(("current", "trigger"), [
    ("bot", "claimed"), ("agent", "claimed"), ("resolved", "claimed"), ("queued", "handoff_requested"),
    ("agent", "handoff_requested"), ("resolved", "resolved"), ("bot", "handed_back"), ("queued", "handed_back"),
    ("bot", "customer_wrote"), ("ticket", "claimed"), ("bot", "no_agent_available"), ("queued", "transferred"),
])
def test_forbidden_transitions_raise_with_from_and_trigger(current, trigger):
    with pytest.raises(InvalidTransition) as error:
        next_status(current, trigger)
    assert current in str(error.value) and trigger in str(error.value)
    assert not can_transition(current, trigger)


def test_unknown_names_are_invalid_transitions_not_value_errors():
    with pytest.raises(InvalidTransition):
        next_status("sleeping", "claimed")
    with pytest.raises(InvalidTransition):
        next_status("bot", "teleported")


def test_routing_by_state():
    assert [s.value for s in Status if routes_to_bot(s)] == ["bot", "ticket"]


def test_sources_of_resolved_are_all_open_states():
    assert sources_of(Trigger.RESOLVED) == {Status.BOT, Status.QUEUED, Status.AGENT, Status.TICKET}
