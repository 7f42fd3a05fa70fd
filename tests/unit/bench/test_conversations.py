"""The benchmark's German conversations use real demo orders and never ask for a person."""
import pytest

from bench.conversations import HANDOFF_TRIGGER, TEMPLATES, conversations, demo_order_numbers, turn_count

pytestmark = pytest.mark.unit


def test_order_numbers_come_from_the_demo_order_store():
    numbers = demo_order_numbers()
    assert numbers and all(number.startswith("NW-") for number in numbers)


def test_templates_are_filled_round_robin_and_repeated_to_the_count():
    items = conversations(["NW-000001", "NW-000002"], count=len(TEMPLATES) + 1)
    assert len(items) == len(TEMPLATES) + 1
    assert items[0] == tuple(turn.replace("{order}", "NW-000001") for turn in TEMPLATES[0])
    assert items[-1][0] == TEMPLATES[0][0]
    assert not any("{order}" in turn for conversation in items for turn in conversation)
    assert turn_count(items) == sum(len(c) for c in items)


def test_conversations_are_multi_turn_and_never_the_handoff_trigger():
    items = conversations(demo_order_numbers())
    assert all(len(conversation) >= 3 for conversation in items)
    assert HANDOFF_TRIGGER not in {turn for conversation in items for turn in conversation}


def test_an_empty_order_list_is_refused():
    with pytest.raises(ValueError):
        conversations([])
