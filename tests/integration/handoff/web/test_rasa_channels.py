"""Rasa's REST and socket.io channel protocols: the bot answers, and after a handoff the agent's words arrive."""
from __future__ import annotations

import asyncio
import uuid

import pytest
import socketio

from tests.integration.handoff.web.clients import open_all_week, open_socket, frame_of
from tests.integration.handoff.web.conftest import create_agent, login_cookie
from tests.integration.handoff.web.lifecycle import cookie_header
from tests.integration.handoff.web.server import Api

pytestmark = pytest.mark.integration
REPLY_TIMEOUT_SECONDS = 10.0


async def online_agent(server, admin):
    """An agent with the console open (presence online), so that a handoff queues instead of making a ticket."""
    await open_all_week(admin)
    email, password = await create_agent(admin)
    api, _ = await login_cookie(server.base, email, password)
    console = await open_socket(f"{server.ws_base}/api/agent/ws", extra_headers=cookie_header(api))
    await console.wait_for(frame_of("ready"))
    return api, console


async def test_rest_channel_answers_like_rasa_and_delivers_the_agents_reply(sqlite_server, admin_api):
    api, console = await online_agent(sqlite_server, admin_api)
    rest = Api(sqlite_server.base)
    sender = f"rest-{uuid.uuid4().hex[:8]}"
    try:
        status, body, _ = await rest.request("POST", "/webhooks/rest/webhook", json={"sender": sender, "message": "Hallo"})
        assert status == 200
        assert body == [{"recipient_id": sender, "text": "Antwort auf: Hallo"}]

        status, body, _ = await rest.request("POST", "/webhooks/rest/webhook",
                                             json={"sender": sender, "message": "Ich will einen Mitarbeiter"})
        assert status == 200 and any("Kollegin" in m.get("text", "") for m in body), body
        queued = await console.wait_for(lambda f: f.get("topic") == "queue" and f.get("status") == "queued")
        conversation_id = queued["conversation_id"]
        status, _, _ = await api.request("POST", f"/api/agent/conversations/{conversation_id}/claim")
        assert status == 200
        status, _, _ = await api.request("POST", f"/api/agent/conversations/{conversation_id}/messages",
                                         json={"text": "Hier ist Anna vom Kundenservice."})
        assert status == 201

        status, body, _ = await rest.request("POST", "/webhooks/rest/webhook",
                                             json={"sender": sender, "message": "Danke, Anna"})
        assert status == 200
        assert body == [{"recipient_id": sender, "text": "Hier ist Anna vom Kundenservice."}], body
        status, body, _ = await rest.request("POST", "/webhooks/rest/webhook",
                                             json={"sender": sender, "message": "Noch da?"})
        assert status == 200 and body == [], "with an agent the bot stays silent and nothing is delivered twice"
    finally:
        await rest.close()
        await console.close()
        await api.close()


async def test_socketio_channel_answers_like_rasa_and_emits_the_agents_reply(sqlite_server, admin_api):
    api, console = await online_agent(sqlite_server, admin_api)
    client = socketio.AsyncClient()
    received: asyncio.Queue = asyncio.Queue()
    confirmed: asyncio.Queue = asyncio.Queue()
    client.on("bot_uttered", lambda data: received.put_nowait(data))
    client.on("session_confirm", lambda data: confirmed.put_nowait(data))
    session_id = uuid.uuid4().hex
    try:
        # Polling only: this python-engineio client's websocket transport needs a newer aiohttp than Rasa pins;
        # the server's websocket transport is covered by the raw engine.io test below.
        await client.connect(sqlite_server.base, socketio_path="/socket.io", transports=["polling"])
        await client.emit("session_request", {"session_id": session_id})
        assert await asyncio.wait_for(confirmed.get(), REPLY_TIMEOUT_SECONDS) == session_id

        await client.emit("user_uttered", {"message": "Hallo", "session_id": session_id})
        assert await asyncio.wait_for(received.get(), REPLY_TIMEOUT_SECONDS) == {"text": "Antwort auf: Hallo"}

        await client.emit("user_uttered", {"message": "Bitte einen Menschen", "session_id": session_id})
        queued = await console.wait_for(lambda f: f.get("topic") == "queue" and f.get("status") == "queued")
        status, _, _ = await api.request("POST", f"/api/agent/conversations/{queued['conversation_id']}/claim")
        assert status == 200
        status, _, _ = await api.request("POST", f"/api/agent/conversations/{queued['conversation_id']}/messages",
                                         json={"text": "Guten Tag, hier ist Jonas."})
        assert status == 201
        texts = []
        while "Guten Tag, hier ist Jonas." not in texts:
            texts.append((await asyncio.wait_for(received.get(), REPLY_TIMEOUT_SECONDS)).get("text"))
        assert texts.count("Guten Tag, hier ist Jonas.") == 1
    finally:
        # abort: a polite polling disconnect waits for the pending long-poll (up to the 25 s ping interval).
        await client.eio.disconnect(abort=True)
        await console.close()
        await api.close()


async def test_socketio_websocket_transport_speaks_the_rasa_events(sqlite_server):
    """rasa-webchat connects with the websocket transport; engine.io v4 framing by hand (4=message, 2=event)."""
    import json

    import websockets

    session_id = uuid.uuid4().hex
    async with websockets.connect(f"{sqlite_server.ws_base}/socket.io/?EIO=4&transport=websocket") as ws:
        assert (await ws.recv()).startswith("0{")          # engine.io open
        await ws.send("40")                                  # socket.io connect, default namespace
        assert (await ws.recv()).startswith("40")
        await ws.send("42" + json.dumps(["session_request", {"session_id": session_id}]))
        assert json.loads((await ws.recv())[2:]) == ["session_confirm", session_id]
        await ws.send("42" + json.dumps(["user_uttered", {"message": "Hallo", "session_id": session_id}]))
        frame = await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT_SECONDS)
        assert json.loads(frame[2:]) == ["bot_uttered", {"text": "Antwort auf: Hallo"}]
