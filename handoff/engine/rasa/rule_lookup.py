"""RulePolicy's rule lookup over rules prepared once per key: the same answer as Rasa 3.6.21's, faster.

`RulePolicy._get_possible_keys` filters every rule against every state of the conversation (last first), and for
each check reads the rule back from its JSON key (`_rule_key_to_state`) and compares its features
(`_is_rule_applicable`, `_does_rule_match_state`): ~290 checks per message, the largest part of a bot turn's rule
prediction. Here each rule is parsed once into the comparisons those methods make, in their order, and the
filtering keeps Rasa's sequence of sets, so that `max(keys, key=len)` in `_find_action_from_rules` breaks ties
between rules of the same length exactly as before (tests/unit/handoff/engine/rasa/test_speedups.py compares both).
"""
from __future__ import annotations

from typing import Any

_INSTALLED_MARK = "_nordwind_rule_lookup"
KEPT_ANSWERS = 4096   # state histories whose possible rules are kept per policy (a few MB at most)

RuleChecks = tuple[tuple[bool, tuple[tuple[str, tuple[tuple[str, Any, int], ...]], ...]], ...]


def _rule_checks(rule_key: str) -> RuleChecks:
    """A rule's states, last first, as RulePolicy._is_rule_applicable reads them: (has a previous action, the
    features to compare per sub-state as (key, value, how)), with JSON lists turned back into tuples as there."""
    import json

    from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET

    prepared = []
    for rule_state in reversed(json.loads(rule_key)):
        sub_states = []
        for state_type, rule_sub_state in rule_state.items():
            features = []
            for key, value in rule_sub_state.items():
                if isinstance(value, list):
                    value = tuple(value)
                how = _NOT_SET if value == SHOULD_NOT_BE_SET else _EQUAL if value else _ANY
                features.append((key, value, how))
            sub_states.append((state_type, tuple(features)))
        prepared.append((bool(rule_state.get(PREVIOUS_ACTION)), tuple(sub_states)))
    return tuple(prepared)


_ANY, _EQUAL, _NOT_SET = 0, 1, 2


def _rule_matches(rule_sub_states: Any, conversation_state: dict[str, Any]) -> bool:
    """RulePolicy._does_rule_match_state over a prepared rule state."""
    from rasa.shared.core.constants import SHOULD_NOT_BE_SET

    for state_type, features in rule_sub_states:
        conversation_sub_state = conversation_state.get(state_type, {})
        for key, value, how in features:
            if how == _EQUAL:
                if conversation_sub_state.get(key) != value:
                    return False
            elif how == _NOT_SET:
                in_conversation = conversation_sub_state.get(key)
                if in_conversation and in_conversation != SHOULD_NOT_BE_SET:
                    return False
    return True


def install() -> None:
    """Idempotent; call after Rasa is imported (speedups.install does)."""
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.constants import PREVIOUS_ACTION

    if getattr(RulePolicy._get_possible_keys, _INSTALLED_MARK, False):
        return

    def _get_possible_keys(self: Any, lookup: dict[str, str], states: list[dict[str, Any]]) -> set[str]:
        # A rule of n states is checked against the last n states of the conversation only (Rasa goes on over
        # the whole history, but every state before the last n lets every rule through), so the answer depends
        # on the last `longest` states, and conversations pass through the same few states again and again:
        # asked once per such window and kept. Their repr (dicts of strings, numbers and tuples, built in Rasa's
        # fixed order) tells equal windows apart exactly.
        longest = _longest_rule(self, lookup)
        window = states[-longest:] if longest else []
        answers: dict[tuple[int, str], set[str]] = self.__dict__.setdefault("_nordwind_possible_keys", {})
        asked = (id(lookup), repr(window))
        possible_keys = answers.get(asked)
        if possible_keys is None:
            if len(answers) >= KEPT_ANSWERS:
                answers.clear()
            answers[asked] = possible_keys = _possible_keys(self, lookup, window)
        # Rasa builds the set anew for every earlier state, too, and a set's order depends on how it was built:
        # the same rebuilds (of the few keys left) keep its order, so that ties go the same way.
        for _ in range(len(states) - len(window)):
            possible_keys = set(key for key in possible_keys)   # as set(filter(...)): no size hint
        return possible_keys

    def _longest_rule(self: Any, lookup: dict[str, str]) -> int:
        longest: dict[int, int] = self.__dict__.setdefault("_nordwind_longest_rule", {})
        if id(lookup) not in longest:
            longest[id(lookup)] = max((len(_prepared(self, key)) for key in lookup), default=0)
        return longest[id(lookup)]

    def _prepared(self: Any, rule_key: str) -> RuleChecks:
        prepared: dict[str, Any] = self.__dict__.setdefault("_nordwind_rule_checks", {})
        rule = prepared.get(rule_key)
        if rule is None:
            rule = prepared[rule_key] = _rule_checks(rule_key)
        return rule

    def _possible_keys(self: Any, lookup: dict[str, str], states: list[dict[str, Any]]) -> set[str]:
        possible_keys = set(lookup.keys())
        for turn_index, state in enumerate(reversed(states)):
            has_previous_action = bool(state.get(PREVIOUS_ACTION))

            def applicable(rule_key: str) -> bool:
                rule = _prepared(self, rule_key)
                if turn_index >= len(rule):
                    return True
                rule_has_previous_action, rule_sub_states = rule[turn_index]
                if not rule_has_previous_action and not has_previous_action:
                    return True
                if not rule_has_previous_action or not has_previous_action:
                    return False
                return _rule_matches(rule_sub_states, state)

            # A new set per turn, as in Rasa: `max(keys, key=len)` then breaks ties in the same order.
            possible_keys = set(filter(applicable, possible_keys))
        return possible_keys

    setattr(_get_possible_keys, _INSTALLED_MARK, True)
    _get_possible_keys.__wrapped__ = RulePolicy._get_possible_keys  # type: ignore[attr-defined]
    RulePolicy._get_possible_keys = _get_possible_keys
