"""Agents see only what is theirs, on a real agent socket: a conversation the bot handles never streams to the
console, a queued one does, and a supervisor may watch a bot conversation only by asking for it."""
from __future__ import annotations

import asyncio

import pytest

from tests.integration.handoff.web.clients import (
    FrameSocket, customer_socket, event_with_text, frame_of, open_all_week, open_socket, start_customer,
)
from tests.integration.handoff.web.conftest import create_agent, login_cookie
from tests.integration.handoff.web.lifecycle import cookie_header

pytestmark = pytest.mark.integration
# Long enough for a frame published with the bot's answer to reach the agent socket if it were sent at all.
SETTLE_SECONDS = 0.5


def content_of(socket: FrameSocket, conversation_id: str) -> list[dict]:
    return [f for f in socket.frames if f.get("conversation_id") == conversation_id
            and f.get("type") in ("message", "note", "typing")]


async def chat_with_bot(customer: FrameSocket, client_id: str, text: str) -> None:
    await customer.send({"type": "message", "client_id": client_id, "text": text})
    await customer.wait_for(event_with_text(f"Antwort auf: {text}", "bot"))


async def console(server, admin_api, role: str = "agent") -> tuple[FrameSocket, object]:
    email, password = await create_agent(admin_api, role=role)
    api, _ = await login_cookie(server.base, email, password)
    socket = await open_socket(f"{server.ws_base}/api/agent/ws", extra_headers=cookie_header(api))
    await socket.wait_for(frame_of("ready"))
    return socket, api


async def test_a_bot_conversation_never_reaches_an_agent_and_a_queued_one_does(sqlite_server, admin_api):
    await open_all_week(admin_api)
    agent_ws, agent_api = await console(sqlite_server, admin_api)
    conversation_id, token = await start_customer(sqlite_server.base)
    customer = await customer_socket(sqlite_server.ws_base, conversation_id, token)
    try:
        await chat_with_bot(customer, "b1", "Wie lange dauert der Versand?")
        await chat_with_bot(customer, "b2", "Und nach Österreich?")
        # Even an explicit subscription does not stream a bot conversation to an agent.
        await agent_ws.send({"type": "subscribe", "conversation_id": conversation_id})
        await agent_ws.wait_for(frame_of("subscribed", conversation_id=conversation_id))
        await chat_with_bot(customer, "b3", "Kann ich mit PayPal zahlen?")
        await asyncio.sleep(SETTLE_SECONDS)
        assert content_of(agent_ws, conversation_id) == []
        assert not [f for f in agent_ws.frames if f.get("topic") == "queue" and f.get("type") == "message"]

        # Handed off: now the conversation needs a person, and its messages reach the console.
        await customer.send({"type": "message", "client_id": "h1", "text": "Bitte einen Mitarbeiter"})
        await customer.wait_for(frame_of("state", status="queued"))
        await agent_ws.wait_for(frame_of("state", conversation_id=conversation_id, status="queued"))
        await customer.send({"type": "message", "client_id": "h2", "text": "Ich warte auf Sie"})
        frame = await agent_ws.wait_for(lambda f: f.get("type") == "message" and f.get("conversation_id")
                                        == conversation_id and f["message"]["sender_type"] == "customer")
        assert frame["message"]["text"] == "Ich warte auf Sie"
        assert frame["topic"] == f"conversation.{conversation_id}"
    finally:
        await customer.close()
        await agent_ws.close()
        await agent_api.close()


async def test_a_colleagues_conversation_stops_streaming_once_claimed(sqlite_server, admin_api):
    await open_all_week(admin_api)
    watcher_ws, watcher_api = await console(sqlite_server, admin_api)
    colleague_ws, colleague_api = await console(sqlite_server, admin_api)
    conversation_id, token = await start_customer(sqlite_server.base)
    customer = await customer_socket(sqlite_server.ws_base, conversation_id, token)
    try:
        await customer.send({"type": "message", "client_id": "h1", "text": "Bitte einen Mitarbeiter"})
        await customer.wait_for(frame_of("state", status="queued"))
        await watcher_ws.send({"type": "subscribe", "conversation_id": conversation_id})
        await watcher_ws.wait_for(frame_of("subscribed", conversation_id=conversation_id))
        status, body, _ = await colleague_api.request("POST", f"/api/agent/conversations/{conversation_id}/claim")
        assert status == 200, body
        await watcher_ws.wait_for(frame_of("state", conversation_id=conversation_id, status="agent"))
        await customer.send({"type": "message", "client_id": "c1", "text": "Meine Adresse ist geheim"})
        await customer.wait_for(frame_of("ack", client_id="c1"))
        await asyncio.sleep(SETTLE_SECONDS)
        assert "Meine Adresse ist geheim" not in str(content_of(watcher_ws, conversation_id))
    finally:
        await customer.close()
        await watcher_ws.close()
        await watcher_api.close()
        await colleague_ws.close()
        await colleague_api.close()


async def test_only_a_supervisor_may_watch_a_bot_conversation(sqlite_server, admin_api):
    agent_ws, agent_api = await console(sqlite_server, admin_api)
    supervisor_ws, supervisor_api = await console(sqlite_server, admin_api, role="supervisor")
    conversation_id, token = await start_customer(sqlite_server.base)
    customer = await customer_socket(sqlite_server.ws_base, conversation_id, token)
    try:
        await agent_ws.send({"type": "subscribe", "conversation_id": conversation_id, "watch": True})
        refused = await agent_ws.wait_for(frame_of("error"))
        assert refused["code"] == "forbidden"
        await supervisor_ws.send({"type": "subscribe", "conversation_id": conversation_id, "watch": True})
        subscribed = await supervisor_ws.wait_for(frame_of("subscribed", conversation_id=conversation_id))
        assert subscribed["watching"] is True
        await chat_with_bot(customer, "w1", "Wo ist meine Bestellung?")
        await supervisor_ws.wait_for(lambda f: f.get("type") == "message" and f.get("conversation_id")
                                     == conversation_id and f["message"]["sender_type"] == "bot")
        assert content_of(agent_ws, conversation_id) == []
    finally:
        await customer.close()
        await agent_ws.close()
        await supervisor_ws.close()
        await agent_api.close()
        await supervisor_api.close()
