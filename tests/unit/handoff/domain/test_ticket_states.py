"""The ticket transition table: every allowed transition, and every other pair refused with a German message."""
import pytest

from handoff.domain.ticket_states import (
    TICKET_TRANSITIONS, InvalidTicketTransition, TicketStatus as S, TicketTrigger as T, can_ticket_transition,
    next_ticket_status, ticket_sources_of,
)

EXPECTED = {
    (S.NEW, T.CLAIMED): S.OPEN, (S.OPEN, T.CLAIMED): S.OPEN, (S.PENDING, T.CLAIMED): S.PENDING,
    (S.NEW, T.ASSIGNED): S.OPEN, (S.OPEN, T.ASSIGNED): S.OPEN, (S.PENDING, T.ASSIGNED): S.PENDING,
    (S.NEW, T.ANSWERED): S.OPEN, (S.OPEN, T.ANSWERED): S.OPEN, (S.PENDING, T.ANSWERED): S.PENDING,
    (S.NEW, T.SET_PENDING): S.PENDING, (S.OPEN, T.SET_PENDING): S.PENDING, (S.PENDING, T.SET_PENDING): S.PENDING,
    (S.PENDING, T.REMINDER_DUE): S.OPEN,
    (S.NEW, T.SOLVED): S.SOLVED, (S.OPEN, T.SOLVED): S.SOLVED, (S.PENDING, T.SOLVED): S.SOLVED,
    (S.PENDING, T.REOPENED): S.OPEN, (S.SOLVED, T.REOPENED): S.OPEN,
    (S.NEW, T.CUSTOMER_REPLIED): S.NEW, (S.OPEN, T.CUSTOMER_REPLIED): S.OPEN,
    (S.PENDING, T.CUSTOMER_REPLIED): S.OPEN, (S.SOLVED, T.CUSTOMER_REPLIED): S.OPEN,
    (S.SOLVED, T.AUTO_CLOSED): S.CLOSED,
    (S.NEW, T.MERGED): S.MERGED, (S.OPEN, T.MERGED): S.MERGED, (S.PENDING, T.MERGED): S.MERGED,
    (S.SOLVED, T.MERGED): S.MERGED,
}
ALL_PAIRS = [(status, trigger) for status in S for trigger in T]


def test_the_table_is_exactly_the_documented_one():
    assert TICKET_TRANSITIONS == EXPECTED


@pytest.mark.parametrize(("status", "trigger"), ALL_PAIRS, ids=lambda value: str(value))
def test_every_pair_is_allowed_or_refused_in_german(status, trigger):
    if (status, trigger) in EXPECTED:
        assert next_ticket_status(status, trigger) == EXPECTED[(status, trigger)]
        assert can_ticket_transition(status.value, trigger.value)
    else:
        with pytest.raises(InvalidTicketTransition) as refused:
            next_ticket_status(status, trigger)
        assert str(refused.value).startswith("Im Status „")
        assert not can_ticket_transition(status, trigger)


def test_closed_and_merged_are_final():
    for final in (S.CLOSED, S.MERGED):
        assert not any(can_ticket_transition(final, trigger) for trigger in T)


def test_unknown_words_are_refused_not_crashing():
    assert not can_ticket_transition("archived", "claimed")
    assert not can_ticket_transition("new", "teleported")


def test_sources_build_the_conditional_updates():
    assert ticket_sources_of(T.AUTO_CLOSED) == {S.SOLVED}
    assert ticket_sources_of(T.CLAIMED) == {S.NEW, S.OPEN, S.PENDING}
