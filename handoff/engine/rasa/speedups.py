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
- Graph runs: `DaskGraphRunner.run` derives the minimal schema and builds a dask graph on every call (two to four
  calls per message), then lets dask's scheduler call the nodes; ~7 ms of a ~21 ms parse was this overhead. The
  same nodes are called with the same inputs in a dependency order worked out once per set of targets.
- Action answers are checked event by event against the one alternative of the events schema that can match (the
  `oneOf` alternatives differ in the constant `event` name), instead of all 23 for each event; an answer that does
  not pass so goes through the full check, so every verdict and message stays the full schema's.
- Rule lookup: RulePolicy's, over rules prepared once per key (`rule_lookup.py`).
- Slot copies: every new tracker copies the domain's slots with copy.copy, whose generic path (__reduce_ex__,
  copyreg, _reconstruct) does for a slot what `Slot.__copy__` here does directly: a new instance with the same
  attributes (classes with their own copy or pickle hooks keep the generic path).
- Dialogue states: every policy asks `Domain.states_for_tracker_history` for the states of the same tracker
  (the rule policy several times), and each answer replays the whole conversation into a fresh tracker per event.
  The states depend only on the domain, the tracker's events and the arguments, so the last few answers are
  kept, keyed by those (the events by their number and the last one), and each caller gets its own copy
  (Rasa's featurizers edit the last state in place).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from handoff.engine.rasa import rule_lookup

STATES_KEPT = 8

_INSTALLED_MARK = "_nordwind_speedup"
_EVENT_BY_EVENT_MARK = "_nordwind_event_by_event"


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


def _events_by_name(event_schema: dict[str, Any]) -> dict[str, Any] | None:
    """Per event name, a validator of the events schema with only the `oneOf` alternatives naming that event (None
    when an alternative does not name its event as a constant: then every answer takes the full check)."""
    from jsonschema import validators

    groups: dict[str, list[Any]] = {}
    for alternative in event_schema.get("oneOf", ()):
        name = alternative.get("properties", {}).get("event", {}).get("const")
        if not isinstance(name, str):
            return None
        groups.setdefault(name, []).append(alternative)
    common = {key: value for key, value in event_schema.items() if key != "oneOf"}
    return {name: validators.validator_for(event_schema)({**common, "oneOf": alternatives})
            for name, alternatives in groups.items()}


def _check_action_answers_event_by_event() -> None:
    """Equivalence: an event can only satisfy the alternatives whose constant is its own `event` name, so `oneOf`
    over all of them holds exactly when it holds over those. The answer's other parts are checked by the answer
    schema with the events' items left out. Anything unexpected (an unknown name, not a dict) takes the full check."""
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction._validate_action_result, _EVENT_BY_EVENT_MARK, False):
        return
    schema = RemoteAction.action_response_format_spec()
    events_schema = schema.get("properties", {}).get("events", {})
    by_name = _events_by_name(events_schema.get("items", {}))
    outline = {**schema, "properties": {**schema["properties"],
                                        "events": {key: value for key, value in events_schema.items()
                                                   if key != "items"}}}
    outline_validator = validators.validator_for(outline)(outline)
    full_check = RemoteAction._validate_action_result   # the prebuilt validator of the whole answer, then Rasa's

    @_mark
    def validate_event_by_event(self: Any, result: dict[str, Any]) -> bool:
        events = result.get("events", []) if type(result) is dict else None
        if by_name is None or type(events) is not list or not outline_validator.is_valid(result):
            return full_check(self, result)
        for event in events:
            name = event.get("event") if type(event) is dict else None
            validator = by_name.get(name) if type(name) is str else None
            if validator is None or not validator.is_valid(event):
                return full_check(self, result)
        return True

    setattr(validate_event_by_event, _EVENT_BY_EVENT_MARK, True)
    validate_event_by_event.__wrapped__ = full_check  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = validate_event_by_event


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


def _dependency_order(schema: Any, targets: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """(node, the names its inputs come from) for every node the targets need, each after its inputs."""
    order: list[tuple[str, tuple[str, ...]]] = []
    placed: set[str] = set()

    def place(name: str) -> None:
        if name in placed or name not in schema.nodes:   # placed already, or an input placeholder
            return
        placed.add(name)
        needs = tuple(schema.nodes[name].needs.values())
        for need in needs:
            place(need)
        order.append((name, needs))

    for target in targets:
        place(target)
    return order


def _run_graphs_in_dependency_order() -> None:
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    if _installed(DaskGraphRunner.run):
        return

    @_mark
    def run(self: Any, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> dict[str, Any]:
        run_targets = list(targets if targets else self._graph_schema.target_names)
        orders = self.__dict__.setdefault("_nordwind_orders", {})
        order = orders.get(tuple(run_targets))
        if order is None:
            order = orders[tuple(run_targets)] = _dependency_order(self._graph_schema, run_targets)
        # As in Rasa's dask graph: an input is the pair (name, value), a node returns (name, output).
        results: dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(f"Input value '{value}' clashes with a node name. Make sure that none of the "
                                    f"input names passed to the `run` method are the same as node names in the "
                                    f"graph schema.")
            results[name] = (name, value)
        try:
            for name, needs in order:
                results[name] = self._instantiated_nodes[name](*(results.get(need, need) for need in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(results[target] for target in run_targets)

    DaskGraphRunner.run = run


def _plain_copy_is_enough(cls: type) -> bool:
    """Whether copy.copy of a `cls` instance comes down to a new instance with the same __dict__ entries: no copy or
    pickle hooks, no __slots__ with names, nothing registered in copyreg (then copy.copy's generic path does just
    that: `cls.__new__(cls)` and `__dict__.update`)."""
    import copyreg

    hooks = ("__copy__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__")
    for klass in cls.__mro__:
        if klass is object:
            continue
        if any(hook in vars(klass) and not _installed(vars(klass)[hook]) for hook in hooks):
            return False
        if vars(klass).get("__slots__"):
            return False
    return cls not in copyreg.dispatch_table and "__dict__" in dir(cls)


def _copy_slots_directly() -> None:
    """Every new tracker copies each slot of the domain (copy.copy); Rasa makes ~10 trackers per message, and the
    generic copy path (__reduce_ex__, copyreg, _reconstruct) cost ~6% of a bot turn. Same result, done directly."""
    import copy

    from rasa.shared.core.slots import Slot

    if _installed(vars(Slot).get("__copy__")):
        return
    plain: dict[type, bool] = {}

    @_mark
    def __copy__(self: Any) -> Any:
        cls = type(self)
        fits = plain.get(cls)
        if fits is None:
            fits = plain[cls] = _plain_copy_is_enough(cls)
        if not fits:
            return copy._reconstruct(self, None, *self.__reduce_ex__(4))  # copy.copy's own generic path
        duplicate = cls.__new__(cls)
        duplicate.__dict__.update(self.__dict__)
        return duplicate

    Slot.__copy__ = __copy__


def _copy_states(states: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # A state maps sub-state names to dicts of features whose values are immutable (strings, tuples, floats).
    return [{name: dict(features) for name, features in state.items()} for state in states]


def _share_tracker_states() -> None:
    from rasa.shared.core.domain import Domain

    if _installed(Domain.states_for_tracker_history):
        return
    rasa_states = Domain.states_for_tracker_history
    local = threading.local()

    @_mark
    def states_for_tracker_history(self: Any, tracker: Any, omit_unset_slots: bool = False,
                                   ignore_rule_only_turns: bool = False, rule_only_data: Any = None) -> Any:
        events = tracker.events
        last = events[-1] if events else None
        key = (id(self), id(tracker), len(events), id(last), omit_unset_slots, ignore_rule_only_turns,
               id(rule_only_data))
        kept: OrderedDict[tuple[Any, ...], tuple[Any, ...]] = local.__dict__.setdefault("kept", OrderedDict())
        entry = kept.get(key)
        if entry is None:
            states = rasa_states(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
            # The entry holds the objects its key names by id, so no id is reused while it is kept. The caller gets
            # Rasa's fresh answer, the entry a copy (with the policies of config.yml no two callers share a key:
            # one copy per call, not two).
            kept[key] = (_copy_states(states), self, tracker, last, rule_only_data)
            while len(kept) > STATES_KEPT:
                kept.popitem(last=False)
            return states
        return _copy_states(entry[0])

    states_for_tracker_history.__wrapped__ = rasa_states  # type: ignore[attr-defined]
    Domain.states_for_tracker_history = states_for_tracker_history


def install() -> None:
    """Idempotent; call after Rasa is imported (it imports TensorFlow, so never at module import time)."""
    _check_action_answers_with_a_prebuilt_validator()
    _check_action_answers_event_by_event()   # after: its full check is the prebuilt validator's
    _remember_event_types()
    rule_lookup.install()
    _copy_slots_directly()
    _run_graphs_in_dependency_order()
    _share_tracker_states()
