"""Widget protocol details: refusals of a `message` frame name its client_id and say whether a resend can help;
the `state` frame names the agent; a reconnecting client's resend of an answered message is not answered twice."""
from __future__ import annotations

import asyncio

import pytest

from tests.integration.handoff.web.clients import (
    customer_socket, event_with_text, frame_of, open_all_week, open_socket, start_customer,
)
from tests.integration.handoff.web.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, create_agent, login_cookie
from tests.integration.handoff.web.lifecycle import cookie_header
from tests.integration.handoff.web.server import start_server

pytestmark = pytest.mark.integration


async def test_refusals_of_a_message_frame_carry_its_client_id(sqlite_server):
    conversation_id, token = await start_customer(sqlite_server.base)
    socket = await customer_socket(sqlite_server.ws_base, conversation_id, token)
    await socket.wait_for(frame_of("state"))
    for frame, code in (({"type": "message", "client_id": "leer", "text": "   "}, "invalid"),
                        ({"type": "message", "client_id": "lang", "text": "x" * 2001}, "too_large"),
                        ({"type": "message", "client_id": "fehlt"}, "invalid")):
        socket.frames.clear()
        await socket.send(frame)
        error = await socket.wait_for(frame_of("error"))
        assert (error["code"], error["client_id"], error["retryable"]) == (code, frame["client_id"], False), error
        assert "retry_after" not in error
    socket.frames.clear()
    await socket.send({"type": "message", "text": "ohne Kennung"})
    error = await socket.wait_for(frame_of("error"))
    assert error["code"] == "invalid" and "client_id" not in error
    socket.frames.clear()
    await socket.send({"type": "tanzen"})
    assert "client_id" not in await socket.wait_for(frame_of("error"))
    await socket.close()


async def test_a_rate_limited_message_is_retryable_with_retry_after(tmp_path):
    server = start_server(tmp_path, {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/limited.db",
                                     "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
                                     "RATE_LIMIT_PER_MINUTE": "2"})
    try:
        conversation_id, token = await start_customer(server.base)
        socket = await customer_socket(server.ws_base, conversation_id, token)
        await socket.wait_for(frame_of("state"))
        for number in range(3):
            await socket.send({"type": "message", "client_id": f"m{number}", "text": f"Nachricht {number}"})
        error = await socket.wait_for(frame_of("error", client_id="m2"))
        assert error["code"] == "rate_limited" and error["retryable"] is True and error["retry_after"] >= 1
        assert not [f for f in socket.frames if f.get("type") == "ack" and f.get("client_id") == "m2"]
        await socket.close()
    finally:
        server.stop()


async def test_state_frame_names_the_agent_who_took_over(sqlite_server, admin_api):
    await open_all_week(admin_api)
    email, password = await create_agent(admin_api)
    agent_api, _ = await login_cookie(sqlite_server.base, email, password)
    agent_ws = await open_socket(f"{sqlite_server.ws_base}/api/agent/ws", extra_headers=cookie_header(agent_api))
    try:
        await agent_ws.wait_for(frame_of("ready"))
        conversation_id, token = await start_customer(sqlite_server.base)
        socket = await customer_socket(sqlite_server.ws_base, conversation_id, token)
        bot_state = await socket.wait_for(frame_of("state", status="bot"))
        assert "agent_name" not in bot_state
        await socket.send({"type": "message", "client_id": "c1", "text": "Bitte einen Mitarbeiter"})
        await socket.wait_for(frame_of("state", status="queued"))
        status, body, _ = await agent_api.request("POST", f"/api/agent/conversations/{conversation_id}/claim")
        assert status == 200, body
        state = await socket.wait_for(frame_of("state", status="agent"))
        assert state["agent_name"] == "Test Agent"
        await socket.close()
        # A reconnect gets the name in its first state frame too.
        again = await customer_socket(sqlite_server.ws_base, conversation_id, token, after=10_000)
        assert (await again.wait_for(frame_of("state")))["agent_name"] == "Test Agent"
        await again.close()
    finally:
        await agent_ws.close()
        await agent_api.close()


async def test_resend_of_an_answered_message_after_reconnect_is_not_answered_again(sqlite_server):
    conversation_id, token = await start_customer(sqlite_server.base)
    socket = await customer_socket(sqlite_server.ws_base, conversation_id, token)
    await socket.send({"type": "message", "client_id": "c1", "text": "Hallo Resend"})
    await socket.wait_for(event_with_text("Antwort auf: Hallo Resend", "bot"))
    await socket.close()
    again = await customer_socket(sqlite_server.ws_base, conversation_id, token)
    await again.send({"type": "message", "client_id": "c1", "text": "Hallo Resend"})
    await again.wait_for(frame_of("ack", client_id="c1"))
    await asyncio.sleep(0.5)   # routing runs after the ack: give a wrong second answer time to arrive
    answers = [e for e in again.events() if e["sender_type"] == "bot"]
    assert [e["text"] for e in answers] == ["Antwort auf: Hallo Resend"]   # the replay only, no second answer
    await again.close()
