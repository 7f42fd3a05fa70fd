"""Ticket events reach agents only: the `tickets` topic and the owner's own topic, never a conversation's."""
import pytest

from handoff.bus.base import TICKETS_TOPIC, agent_topic
from handoff.domain.events import TicketChanged, TicketCreated, TicketReminderDue
from handoff.services.publishing import envelopes

pytestmark = pytest.mark.unit
EVENTS = [
    TicketCreated("conv-1", ticket_id="t1", kind="follow_up", number=7, status="new"),
    TicketChanged("conv-1", ticket_id="t1", number=7, status="open", owner_id="anna", change="claimed"),
    TicketChanged("conv-1", ticket_id="t1", number=7, status="open", owner_id="anna", change="customer_replied",
                  previous_owner_id="anna"),
    TicketChanged("", ticket_id="t2", number=8, status="solved", owner_id=None, change="solved"),
    TicketReminderDue("conv-1", ticket_id="t1", number=7, owner_id="anna"),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: f"{type(e).__name__}-{getattr(e, 'change', '')}")
def test_ticket_events_go_to_agents_only(event):
    topics = [topic for topic, _ in envelopes(event)]
    assert TICKETS_TOPIC in topics
    assert set(topics) <= {TICKETS_TOPIC, agent_topic("anna")}
    for _, payload in envelopes(event):
        assert payload["type"].startswith("ticket_") and payload["ticket_id"]


def test_the_owner_hears_of_a_new_assignment_and_of_the_customer_s_reply_but_not_of_every_change():
    assigned, replied = EVENTS[1], EVENTS[2]
    assert (agent_topic("anna"), "ticket_changed") in [(t, p["type"]) for t, p in envelopes(assigned)]
    assert agent_topic("anna") in [t for t, _ in envelopes(replied)]
    own_note = TicketChanged("c", ticket_id="t1", number=7, status="open", owner_id="anna", change="note",
                             previous_owner_id="anna")
    assert [t for t, _ in envelopes(own_note)] == [TICKETS_TOPIC]
