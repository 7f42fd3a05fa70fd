"""Faster equivalents of two Rasa 3.6 internals that cost more per message than the model itself.

Both give the same results as Rasa's own code (Rasa is pinned to 3.6.21, requirements/rasa.txt); figures are in
docs/performance.md.

- Custom-action answers: `RemoteAction._validate_action_result` calls `jsonschema.validate(result, schema)`,
  which checks the large events schema itself and builds a new validator on every answer: 35 ms per action
  on the benchmark machine, 0.4 ms with a validator built once. An invalid answer still goes through Rasa's own
  method, so its log message and verdict stay Rasa's.
- Tracker events: every tracker read from a store deserialises its events, and `Event.resolve_by_type` walks
  every Event subclass recursively for each event (117,000 calls for 100 messages, ~9 ms per message).
  The answer for a type name never changes once Rasa is imported, so it is kept after the first lookup.
"""
from __future__ import annotations

from typing import Any

_INSTALLED_MARK = "_nordwind_speedup"


def _installed(function: Any) -> bool:
    return bool(getattr(function, _INSTALLED_MARK, False))


def _mark(function: Any) -> Any:
    setattr(function, _INSTALLED_MARK, True)
    return function


def _check_action_answers_with_a_prebuilt_validator() -> None:
    from jsonschema import ValidationError, validators
    from rasa.core.actions.action import RemoteAction

    if _installed(RemoteAction._validate_action_result):
        return
    schema = RemoteAction.action_response_format_spec()
    validator = validators.validator_for(schema)(schema)
    rasa_check = RemoteAction._validate_action_result

    @_mark
    def validate_with_prebuilt_validator(self: Any, result: dict[str, Any]) -> bool:
        try:
            validator.validate(result)
        except ValidationError:
            return rasa_check(self, result)
        return True

    RemoteAction._validate_action_result = validate_with_prebuilt_validator


def _remember_event_types() -> None:
    from rasa.shared.core.events import Event

    if _installed(Event.resolve_by_type):
        return
    rasa_lookup = Event.resolve_by_type
    known: dict[str, Any] = {}

    @_mark
    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        event_class = known.get(type_name)
        if event_class is None:
            event_class = rasa_lookup(type_name, default)   # raises for an unknown name, as before
            if event_class is not None and event_class is not default:
                known[type_name] = event_class
        return event_class

    Event.resolve_by_type = staticmethod(resolve_by_type)


def install() -> None:
    """Idempotent; call after Rasa is imported (it imports TensorFlow, so never at module import time)."""
    _check_action_answers_with_a_prebuilt_validator()
    _remember_event_types()
