"""The faster Rasa internals give Rasa's own answers."""
from __future__ import annotations

import pytest

from handoff import rasa_speedups

rasa_events = pytest.importorskip("rasa.shared.core.events")
from jsonschema import ValidationError  # noqa: E402
from rasa.core.actions.action import RemoteAction  # noqa: E402
from rasa.shared.utils.common import all_subclasses  # noqa: E402

Event = rasa_events.Event


def rasa_resolve(type_name: str, default=None):
    """Rasa 3.6.21's lookup, written out: the first non-abstract subclass with that type name."""
    for cls in all_subclasses(Event):
        if cls.type_name == type_name:
            return cls
    if type_name == "topic":
        return None
    if default is not None:
        return default
    raise ValueError(type_name)


@pytest.fixture(scope="module", autouse=True)
def installed():
    rasa_speedups.install()
    rasa_speedups.install()   # idempotent: a second call must not wrap the wrapper


def test_every_event_type_resolves_to_rasas_class():
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in sorted(names):
        assert Event.resolve_by_type(name) is rasa_resolve(name)
        assert Event.resolve_by_type(name) is rasa_resolve(name)   # second call from the memory


def test_unknown_event_type_still_raises_or_gives_the_default():
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=rasa_events.UserUttered) is rasa_events.UserUttered
    assert Event.resolve_by_type("topic") is None


def test_events_round_trip_through_json_as_before():
    events = [rasa_events.UserUttered("Hallo", {"name": "greet", "confidence": 0.9}),
              rasa_events.ActionExecuted("utter_greet"), rasa_events.SlotSet("order_number", "NW-482913"),
              rasa_events.ActiveLoop("order_status_form")]
    assert rasa_events.deserialise_events([e.as_dict() for e in events]) == events


def action_result(events):
    return {"events": events, "responses": [{"text": "Hallo", "template": None}]}


def test_valid_action_answer_passes_and_invalid_one_fails_with_rasas_message():
    action = RemoteAction("action_order_status", None)
    assert action._validate_action_result(action_result([{"event": "slot", "name": "x", "value": 1}])) is True
    for invalid in ({"events": "not a list"}, action_result([{"event": 7}])):
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result(invalid)
