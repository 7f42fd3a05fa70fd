"""What one conversation contributes to the reports (handoff/domain/report_facts.py), worked out by hand."""
from datetime import date, datetime, timezone

import pytest

from handoff.domain.hours import BusinessHours
from handoff.domain.report_facts import (
    ConversationRecord, CustomerMessage, HandoffRecord, conversation_facts, day_totals, handoff_facts,
    hours_fingerprint, straddling_topics,
)

pytestmark = pytest.mark.unit

HOURS = BusinessHours()   # Mon–Fri 8–20, Sat 9–16, Sun closed (Berlin, UTC+1 in March)


def utc(day, hour, minute=0):
    return datetime(2025, 3, day, hour, minute, tzinfo=timezone.utc)


def said(at, intent=None, confidence=0.9, tone="calm", to_bot=True, routed=True):
    return CustomerMessage(at, intent, confidence, tone, at if to_bot else None, at if routed else None)


def handoff(requested, claimed=None, ended=None, outcome=None, codes=("tone",)):
    return HandoffRecord("h", requested, [{"code": code, "value": 1.0} for code in codes], claimed, ended, outcome)


def test_bot_outcome_of_one_conversation():
    contained = ConversationRecord("c", "widget", utc(12, 9), [said(utc(12, 9))])
    facts = conversation_facts(contained, HOURS.zone)
    assert (facts.bot_engaged, facts.handed_off, facts.contained, facts.pending) == (True, False, True, False)
    # An agent's reply, a ticket or a handoff each end containment; a message the bot never saw is not engaged.
    assert not conversation_facts(ConversationRecord("c", "widget", utc(12, 9), [said(utc(12, 9))],
                                                     agent_replies=[utc(12, 10)]), HOURS.zone).contained
    assert not conversation_facts(ConversationRecord("c", "widget", utc(12, 9), [said(utc(12, 9))],
                                                     has_ticket=True), HOURS.zone).contained
    unseen = conversation_facts(ConversationRecord("c", "email", utc(12, 9), [said(utc(12, 9), to_bot=False)]),
                                HOURS.zone)
    assert (unseen.bot_engaged, unseen.contained) == (False, False)
    # Sunday 23:30 UTC is Monday 00:30 in Berlin: the local day counts.
    late = conversation_facts(ConversationRecord("c", "widget", utc(9, 23, 30),
                                                 [said(utc(9, 23, 30)), said(utc(11, 8))]), HOURS.zone)
    assert (late.first_customer_day, late.last_customer_day) == (date(2025, 3, 10), date(2025, 3, 11))


def test_pending_while_a_message_is_unrouted_or_a_handoff_open():
    assert conversation_facts(ConversationRecord("c", "widget", utc(12, 9), [said(utc(12, 9), routed=False)]),
                              HOURS.zone).pending
    open_handoff = ConversationRecord("c", "widget", utc(12, 9), [said(utc(12, 9))], handoffs=[handoff(utc(12, 9))])
    facts = conversation_facts(open_handoff, HOURS.zone)
    assert facts.pending and facts.handed_off and facts.last_handoff_at == utc(12, 9)


def test_handoff_durations_in_wall_clock_and_business_hours():
    # Friday 19:50 local, claimed Saturday 09:20, first public reply 09:30, handed back 10:00 (the fixture's c4).
    request = handoff(utc(14, 18, 50), claimed=utc(15, 8, 20), ended=utc(15, 9), outcome="handed_back",
                      codes=("tone", "fallbacks", "tone"))
    facts = handoff_facts(request, "c4", [utc(14, 12), utc(15, 8, 30), utc(15, 9, 30)], HOURS)
    assert facts.reasons == ["fallbacks", "tone"]
    assert (facts.queue_seconds, facts.queue_business_seconds) == (48600, 1800)
    # The reply before the request and the one after its end are not its first response.
    assert (facts.first_response_seconds, facts.first_response_business_seconds) == (49200, 2400)
    assert (facts.resolution_seconds, facts.resolution_business_seconds) == (51000, 4200)
    assert (facts.abandoned, facts.queued, facts.after_hours_ticket, facts.no_agent_ticket) == (False, True,
                                                                                                  False, False)
    assert facts.requested_day == date(2025, 3, 14)


def test_abandoned_waits_and_tickets_at_once():
    gave_up = handoff_facts(handoff(utc(13, 10), ended=utc(13, 10, 30), outcome="resolved"), "c", [], HOURS)
    assert (gave_up.abandoned, gave_up.queued, gave_up.resolution_seconds) == (True, True, None)
    # Sunday: closed, a ticket at once; it never reached the live queue.
    sunday = handoff_facts(handoff(utc(16, 11), ended=utc(16, 11), outcome="ticket"), "c", [], HOURS)
    assert (sunday.abandoned, sunday.queued, sunday.after_hours_ticket, sunday.no_agent_ticket) == (
        False, False, True, False)
    # Wednesday, open but nobody free: counted apart.
    nobody = handoff_facts(handoff(utc(12, 11), ended=utc(12, 11), outcome="ticket"), "c", [], HOURS)
    assert (nobody.after_hours_ticket, nobody.no_agent_ticket) == (False, True)


def test_day_totals_count_a_topic_once_on_the_day_it_first_came_up():
    # order_status on Monday (not understood: 0.5) and again on Tuesday, returns on Tuesday; handed off Monday
    # 09:00: at or after order_status's first message, before returns came up.
    record = ConversationRecord("c", "widget", utc(10, 8), [
        said(utc(10, 8), "order_status", 0.5, "frustrated"), said(utc(11, 8), "order_status"),
        said(utc(11, 8, 30), "returns", tone="abusive"), said(utc(11, 8, 40), None, None, None)],
        handoffs=[handoff(utc(10, 9))])
    totals = day_totals(record, HOURS.zone, record.last_handoff_at)
    monday, tuesday = date(2025, 3, 10), date(2025, 3, 11)
    first = totals[(monday, "widget", "order_status")]
    assert (first.messages, first.not_understood, first.tones["frustrated"], first.conversations,
            first.handed_off) == (1, 1, 1, 1, 1)
    again = totals[(tuesday, "widget", "order_status")]
    assert (again.messages, again.conversations) == (1, 0)
    returns = totals[(tuesday, "widget", "returns")]
    assert (returns.messages, returns.tones["abusive"], returns.conversations, returns.handed_off) == (1, 1, 1, 0)
    assert totals[(tuesday, "widget", "")].messages == 1
    only_tuesday = day_totals(record, HOURS.zone, record.last_handoff_at, days={tuesday})
    assert {key[0] for key in only_tuesday} == {tuesday}


def test_topics_raised_before_the_period_and_again_in_it():
    messages = [("order_status", utc(9, 10)), ("order_status", utc(11, 8)), ("returns", utc(11, 9)),
                ("greet", utc(9, 9))]
    # The period starts on the 10th: order_status came up before and again inside (first inside: 11th 08:00);
    # returns only inside (the day totals count it); greet only before.
    assert straddling_topics(messages, utc(11, 8), utc(10, 0), utc(17, 0)) == {"order_status": (1, 1)}
    assert straddling_topics(messages, utc(10, 12), utc(10, 0), utc(17, 0)) == {"order_status": (1, 0)}
    assert straddling_topics(messages, None, utc(10, 0), utc(11, 0)) == {}


def test_the_fingerprint_changes_with_the_hours():
    assert hours_fingerprint(BusinessHours()) == hours_fingerprint(BusinessHours())
    assert hours_fingerprint(BusinessHours(time_zone="Europe/London")) != hours_fingerprint(BusinessHours())
    assert hours_fingerprint(BusinessHours(holidays=frozenset({date(2025, 3, 12)}))) != \
        hours_fingerprint(BusinessHours())
