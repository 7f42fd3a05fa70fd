"""The conversation suite against the real trained model, through the real service (also in `make eval`).

Every conversation must pass: there is no list of allowed failures. A failure prints the conversation's
transcript with what the customer saw, so the cause is visible in the test output.
"""
from __future__ import annotations

import pytest

from tests.conversations.runner import (
    KINDS, SuiteError, _conversation, load_suite, print_report, run_suite,
)

MIN_CONVERSATIONS = 80


@pytest.mark.unit
def test_the_suite_is_large_and_covers_every_kind() -> None:
    conversations = load_suite()

    assert len(conversations) >= MIN_CONVERSATIONS
    assert {conversation.kind for conversation in conversations} == set(KINDS)
    assert all(len(conversation.turns) >= 2 for conversation in conversations)


@pytest.mark.unit
@pytest.mark.parametrize("entry, message", [
    ({"name": "x", "kind": "closing", "turns": [{"say": "Hallo", "intent": "greet"}], "end": "bot"},
     "at least two customer messages"),
    ({"name": "x", "kind": "closing", "turns": [{"say": "a", "intent": "greet"}, {"say": "b"}], "end": "bot"},
     "states no intent"),
    ({"name": "x", "kind": "nonsense", "turns": [], "end": "bot"}, "kind must be one of"),
    ({"name": "x", "kind": "closing", "turns": [], "end": "gone"}, "end must be one of"),
    ({"name": "x", "kind": "closing", "turns": [], "end": "bot", "hours": "night"}, "hours must be one of"),
    ({"name": "x", "kind": "closing", "end": "bot", "turns": [{"say": "a", "intent": "greet", "ack": "yes"},
                                                                {"say": "b", "intent": "greet"}]}, "ack must be"),
])
def test_malformed_conversations_are_refused_with_a_clear_message(entry: dict, message: str) -> None:
    with pytest.raises(SuiteError, match=message):
        _conversation(entry, "file.yml")


@pytest.mark.integration
@pytest.mark.model
async def test_every_conversation_ends_as_stated(rasa_agent, tmp_path, capsys) -> None:
    outcomes = await run_suite(rasa_agent, load_suite(), tmp_path)

    failed = [outcome for outcome in outcomes if not outcome.passed]
    if failed:
        print_report(outcomes)
    assert not failed, f"{len(failed)} of {len(outcomes)} conversations failed:\n{capsys.readouterr().out}"
