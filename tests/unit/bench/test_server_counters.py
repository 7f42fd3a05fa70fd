"""Per-message work of the shared stores: the arithmetic over two snapshots."""
import pytest

from bench.server_counters import per_message

pytestmark = pytest.mark.unit


def test_each_counter_increase_is_divided_by_the_answered_messages():
    before = {"redis_commands": 100, "pg_transactions": 10}
    after = {"redis_commands": 160, "pg_transactions": 34}
    assert per_message(before, after, 12) == {"redis_commands_per_message": 5.0, "pg_transactions_per_message": 2.0}


def test_no_messages_gives_no_figures_rather_than_a_division_by_zero():
    assert per_message({"redis_commands": 1}, {"redis_commands": 9}, 0) == {}
