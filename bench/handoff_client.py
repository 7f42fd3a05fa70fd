"""Load-generator side of the handoff benchmark: escalation → queue event at an agent, agent reply → customer.

Per sample: a new widget conversation sends the handoff trigger; the time until the agent's WebSocket shows the
conversation `queued` is the escalation latency. The agent claims it and replies over HTTP; the time until the
customer's WebSocket shows the agent's message is the agent-to-customer latency. Then the agent resolves it,
so the agent's capacity never runs out.
"""
from __future__ import annotations

import time
from typing import Any

import aiohttp

from bench.clients import AgentClient, WidgetConversation
from bench.conversations import AGENT_REPLY, HANDOFF_TRIGGER

QUEUED = "queued"
AGENT = "agent"
# Open all week, so that the benchmark never depends on the clock (the default hours close in the evening).
ALWAYS_OPEN = {"time_zone": "Europe/Berlin",
               "weekly": {day: [["00:00", "23:59"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
               "holidays": []}


async def one_handoff(session: aiohttp.ClientSession, agent: AgentClient, customer_url: str,
                      timeout: float) -> dict[str, float]:
    customer = await WidgetConversation.open(session, customer_url)
    try:
        conversation_id = customer.conversation_id
        queue_mark = agent.reader.mark()
        started = time.perf_counter()
        client_id, mark = await customer.send_text(HANDOFF_TRIGGER)
        acked, _ = await customer.reader.wait_for(
            lambda f: f.get("type") == "ack" and f.get("client_id") == client_id, mark, timeout)
        queued, _ = await agent.reader.wait_for(
            lambda f: f.get("topic") == "queue" and f.get("type") == "queue_changed"
            and f.get("conversation_id") == conversation_id and f.get("status") == QUEUED, queue_mark, timeout)
        # The customer's "queued" state frame comes from the same commit: the gap to the agent's frame is the
        # fan-out alone (negative when the agent's frame arrived first).
        customer_queued, _ = await customer.reader.wait_for(
            lambda f: f.get("type") == "state" and f.get("status") == QUEUED, mark, timeout)
        path = f"/api/agent/conversations/{conversation_id}"
        await agent.post(f"{path}/claim")
        reply_mark = customer.reader.mark()
        sent = time.perf_counter()
        await agent.post(f"{path}/messages", {"text": AGENT_REPLY})
        posted = time.perf_counter()
        delivered, _ = await customer.reader.wait_for(
            lambda f: f.get("type") == "event" and f["event"].get("sender_type") == AGENT, reply_mark, timeout)
        await agent.post(f"{path}/resolve")
        agent.reader.forget_before(agent.reader.mark())
        return {"escalation_ms": (queued - started) * 1000, "escalation_ack_ms": (acked - started) * 1000,
                "queue_after_ack_ms": (queued - acked) * 1000, "agent_reply_ms": (delivered - sent) * 1000,
                "agent_after_customer_state_ms": (queued - customer_queued) * 1000,
                "agent_post_ms": (posted - sent) * 1000}
    finally:
        await customer.close()


async def measure_handoffs(session: aiohttp.ClientSession, job: dict[str, Any]) -> dict[str, Any]:
    timeout = float(job.get("timeout", 30.0))
    agent = await AgentClient.connect(session, job["agent_url"], job["email"], job["password"], timeout)
    try:
        await agent.put("/api/admin/business-hours", ALWAYS_OPEN)
        for _ in range(int(job.get("warmup", 0))):
            await one_handoff(session, agent, job["customer_url"], timeout)
        samples = [await one_handoff(session, agent, job["customer_url"], timeout)
                   for _ in range(int(job["samples"]))]
    finally:
        await agent.close()
    return {key: [sample[key] for sample in samples] for key in samples[0]} if samples else {}
