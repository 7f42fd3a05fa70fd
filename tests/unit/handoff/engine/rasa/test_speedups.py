"""The faster Rasa internals give Rasa's own answers."""
from __future__ import annotations

import pytest

from handoff.engine.rasa import speedups as rasa_speedups

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


class Add:
    """A graph component adding its inputs and its configured constant."""

    def __init__(self, constant: int) -> None:
        self.constant = constant
        self.calls = 0

    @staticmethod
    def get_default_config():
        return {}

    @classmethod
    def create(cls, config, model_storage, resource, execution_context):
        return cls(config["constant"])

    def add(self, **numbers: int) -> int:
        self.calls += 1
        return sum(numbers.values()) + self.constant


def diamond_runner(tmp_path):
    """start → (left, right) → top; `other` hangs off start and is not needed for `top`."""
    from rasa.engine.graph import ExecutionContext, GraphSchema, SchemaNode
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    def node(needs, constant):
        return SchemaNode(needs=needs, uses=Add, constructor_name="create", fn="add", config={"constant": constant},
                          eager=True)

    schema = GraphSchema({
        "start": node({"given": "__input__"}, 1),
        "left": node({"a": "start"}, 10),
        "right": node({"b": "start"}, 100),
        "top": node({"a": "left", "b": "right"}, 1000),
        "other": node({"a": "start"}, 5),
    })
    return DaskGraphRunner(schema, LocalModelStorage(tmp_path), ExecutionContext(schema, "test"))


def test_graph_runs_each_needed_node_once_with_its_inputs(tmp_path):
    import dask

    runner = diamond_runner(tmp_path)
    # Rasa's own way: a dask graph of the minimal schema, run by dask's scheduler.
    graph = runner._build_dask_graph(runner._graph_schema.minimal_graph_schema(["top"]))
    graph["__input__"] = ("__input__", 2)
    assert dict(dask.get(graph, ["top"])) == {"top": 1116}   # start 3, left 13, right 103, top 13 + 103 + 1000
    assert runner.run(inputs={"__input__": 2}, targets=["top"]) == {"top": 1116}
    assert runner.run(inputs={"__input__": 2}, targets=["top", "other"]) == {"top": 1116, "other": 8}
    components = {name: node._component for name, node in runner._instantiated_nodes.items()}
    assert components["start"].calls == 3 and components["top"].calls == 3 and components["other"].calls == 1


def test_graph_input_named_like_a_node_is_refused_as_in_rasa(tmp_path):
    from rasa.engine.exceptions import GraphRunError

    with pytest.raises(GraphRunError, match="clashes with a node name"):
        diamond_runner(tmp_path).run(inputs={"__input__": "left"}, targets=["top"])


def _domain_and_tracker():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.from_yaml("""
version: "3.1"
intents: [greet, order_status]
slots:
  order_number:
    type: text
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: "Hallo"}]
""")
    tracker = DialogueStateTracker.from_events("c1", [
        ActionExecuted("action_listen"), UserUttered("Hallo", {"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet"), ActionExecuted("action_listen"),
        UserUttered("Wo ist NW-1?", {"name": "order_status", "confidence": 1.0}), SlotSet("order_number", "NW-1"),
    ], domain.slots)
    return domain, tracker


def test_dialogue_states_are_rasas_and_each_caller_gets_its_own_copy():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted

    domain, tracker = _domain_and_tracker()
    rasa_states = Domain.states_for_tracker_history.__wrapped__
    for flags in ((False, False), (True, False), (False, True)):
        expected = rasa_states(domain, tracker, *flags)
        first = domain.states_for_tracker_history(tracker, *flags)
        assert first == expected
        first[-1].clear()   # Rasa's featurizers edit the last state in place
        assert domain.states_for_tracker_history(tracker, *flags) == expected
    tracker.update(ActionExecuted("utter_greet"))   # a new event: new states, not the kept ones
    assert domain.states_for_tracker_history(tracker) == rasa_states(domain, tracker)
    assert len(domain.states_for_tracker_history(tracker)) == len(rasa_states(domain, tracker))


def test_action_answers_checked_event_by_event_get_the_full_schemas_verdict():
    full_check = RemoteAction._validate_action_result.__wrapped__
    action = RemoteAction("action_order_status", None)
    answers = [
        action_result([]), {}, {"responses": []},
        action_result([{"event": "slot", "name": "order_number", "value": "NW-1", "timestamp": None},
                       {"event": "active_loop", "name": "order_status_form"}, {"event": "followup", "name": "x"}]),
        action_result([{"event": "slot", "value": 1}]),              # slot without its required name
        action_result([{"event": "slot", "name": "x", "timestamp": True}]),   # a bool is not a number
        action_result([{"event": "no_such_event"}]), action_result([{"name": "x"}]), action_result(["slot"]),
        action_result([{"event": 7}]), {"events": "not a list"}, {"events": [], "responses": "not a list"},
        {"events": [], "responses": ["not an object"]},
    ]
    for answer in answers:
        try:
            expected = full_check(action, answer)
        except ValidationError:
            with pytest.raises(ValidationError, match="Failed to validate Action server response"):
                action._validate_action_result(answer)
        else:
            assert action._validate_action_result(answer) is expected is True


def test_rule_lookup_finds_rasas_rules_in_rasas_order():
    import json
    import random

    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.constants import SHOULD_NOT_BE_SET

    rasa_possible_keys = RulePolicy._get_possible_keys.__wrapped__
    randomly = random.Random(18)
    actions = ["action_listen", "utter_greet", "order_status_form", None]
    intents = ["greet", "order_status", "goodbye"]

    def state(in_rule: bool) -> dict:
        result = {}
        action = randomly.choice(actions)
        if action is not None:
            result["prev_action"] = {"action_name": action}
        if randomly.random() < 0.6:
            result["user"] = {"intent": randomly.choice(intents)}
            if randomly.random() < 0.3:
                result["user"]["entities"] = ["order_number"] if in_rule else ("order_number",)
        if randomly.random() < 0.4:
            result["slots"] = {"order_number": (1.0,) if not in_rule else
                               randomly.choice([[1.0], SHOULD_NOT_BE_SET])}
        if randomly.random() < 0.2:
            result["active_loop"] = {"name": randomly.choice(["order_status_form", SHOULD_NOT_BE_SET])}
        return result

    lookup = {json.dumps([state(True) for _ in range(randomly.randint(1, 4))]): "utter_x" for _ in range(400)}
    policy = RulePolicy.__new__(RulePolicy)   # the lookup is all the method reads
    matched = 0
    seen = []
    for _ in range(300):
        # Histories longer than any rule too (the answer is kept per window of the last states), and some seen
        # before, whole or as the end of a longer one (answered from what was kept).
        if seen and randomly.random() < 0.3:
            states = randomly.choice(seen)
            if randomly.random() < 0.5:
                states = [state(False) for _ in range(randomly.randint(1, 30))] + states
        else:
            states = [state(False) for _ in range(randomly.randint(1, 40))]
        seen.append(states)
        expected = rasa_possible_keys(policy, lookup, states)
        found = policy._get_possible_keys(lookup, states)
        assert list(found) == list(expected)   # the same keys, iterated in the same order
        matched += len(found)
    assert matched > 50


def test_slot_copies_are_what_copys_generic_path_makes():
    import copy

    from rasa.shared.core.slots import AnySlot, BooleanSlot, CategoricalSlot, FloatSlot, ListSlot, TextSlot

    slots = [TextSlot("order_number", [], initial_value="NW-1"), FloatSlot("amount", [], max_value=500.0),
             CategoricalSlot("channel", [], values=["widget", "rest"]), AnySlot("escalation", []),
             BooleanSlot("asked", []), ListSlot("topics", [], initial_value=["a"])]
    for slot in slots:
        generic = copy._reconstruct(slot, None, *slot.__reduce_ex__(4))   # what copy.copy did without __copy__
        duplicate = copy.copy(slot)
        assert type(duplicate) is type(slot) and duplicate is not slot
        assert duplicate.__dict__ == generic.__dict__ == slot.__dict__
        assert all(duplicate.__dict__[name] is value for name, value in slot.__dict__.items())   # shallow, as before
        duplicate.value = "changed"
        assert slot.value != "changed"


def test_a_slot_class_with_its_own_state_hooks_keeps_the_generic_copy():
    import copy

    from rasa.shared.core.slots import TextSlot

    class Remembering(TextSlot):
        def __getstate__(self):
            return {**self.__dict__, "copied": True}

    duplicate = copy.copy(Remembering("note", []))
    assert duplicate.__dict__["copied"] is True
