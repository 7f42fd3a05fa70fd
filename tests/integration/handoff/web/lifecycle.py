"""The whole journey of one conversation over real HTTP and WebSockets, shared by the SQLite and PostgreSQL runs."""
from __future__ import annotations

import asyncio
import uuid

from tests.integration.handoff.web.clients import (
    customer_socket,
    event_with_text,
    frame_of,
    open_all_week,
    open_socket,
    start_customer,
)
from tests.integration.handoff.web.conftest import create_agent, login_cookie
from tests.integration.handoff.web.server import Api, RunningServer


def cookie_header(api: Api) -> dict[str, str]:
    cookies = api.session.cookie_jar.filter_cookies(api.base)
    return {"Cookie": "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())}


async def run_lifecycle(customer_server: RunningServer, agent_server: RunningServer, admin: Api) -> None:
    await open_all_week(admin)
    email, password = await create_agent(admin)
    agent_api, agent_id = await login_cookie(agent_server.base, email, password)
    agent_ws = await open_socket(f"{agent_server.ws_base}/api/agent/ws", extra_headers=cookie_header(agent_api))
    customer_ws = None
    try:
        await agent_ws.wait_for(frame_of("ready"))
        conversation_id, token = await start_customer(customer_server.base)
        customer_ws = await customer_socket(customer_server.ws_base, conversation_id, token)
        await customer_ws.wait_for(frame_of("state", status="bot"))

        # The bot answers first.
        await customer_ws.send({"type": "message", "client_id": "c1", "text": "Hallo"})
        ack = await customer_ws.wait_for(frame_of("ack", client_id="c1"))
        assert ack["seq"] >= 1
        await customer_ws.wait_for(event_with_text("Antwort auf: Hallo", "bot"))

        # The customer asks for a person: queued, and the agent sees it in the queue.
        await customer_ws.send({"type": "message", "client_id": "c2", "text": "Bitte einen Mitarbeiter"})
        await customer_ws.wait_for(frame_of("state", status="queued"))
        await agent_ws.wait_for(lambda f: f.get("topic") == "queue" and f.get("conversation_id") == conversation_id)
        status, queue, _ = await agent_api.request("GET", "/api/agent/queue")
        assert status == 200 and conversation_id in [item["conversation_id"] for item in queue["queue"]]

        # The agent claims and subscribes; the customer learns that a person is there.
        status, body, _ = await agent_api.request("POST", f"/api/agent/conversations/{conversation_id}/claim")
        assert status == 200, body
        assert body["conversation"]["status"] == "agent" and body["conversation"]["assignee_id"] == agent_id
        await customer_ws.wait_for(frame_of("state", status="agent"))
        await agent_ws.send({"type": "subscribe", "conversation_id": conversation_id})
        await agent_ws.wait_for(frame_of("subscribed", conversation_id=conversation_id))

        # They chat both ways, live.
        status, body, _ = await agent_api.request("POST", f"/api/agent/conversations/{conversation_id}/messages",
                                                  json={"text": "Guten Tag, ich helfe Ihnen gern.",
                                                        "client_id": "a1"})
        assert status == 201, body
        await customer_ws.wait_for(event_with_text("ich helfe Ihnen gern", "agent"))
        await customer_ws.send({"type": "message", "client_id": "c3", "text": "Mein Paket ist beschädigt"})
        await agent_ws.wait_for(lambda f: f.get("type") == "message" and f.get("conversation_id") == conversation_id
                                and (f.get("message") or {}).get("text") == "Mein Paket ist beschädigt")
        status, detail, _ = await agent_api.request("GET", f"/api/agent/conversations/{conversation_id}")
        assert status == 200, detail
        assert "Antwort auf: Mein Paket ist beschädigt" not in str(detail), "the bot must stay silent with an agent"

        # A private note never reaches the customer.
        status, _, _ = await agent_api.request("POST", f"/api/agent/conversations/{conversation_id}/notes",
                                               json={"text": "Intern: Kulanz prüfen " + uuid.uuid4().hex})
        assert status == 201

        # Hand back: the bot answers again.
        status, body, _ = await agent_api.request("POST", f"/api/agent/conversations/{conversation_id}/handback")
        assert status == 200 and body["conversation"]["status"] == "bot", body
        await customer_ws.wait_for(frame_of("state", status="bot"))
        await customer_ws.send({"type": "message", "client_id": "c4", "text": "Noch eine Frage"})
        await customer_ws.wait_for(event_with_text("Antwort auf: Noch eine Frage", "bot"))

        # Resolve, then the customer's rating is stored.
        status, body, _ = await agent_api.request("POST", f"/api/agent/conversations/{conversation_id}/resolve")
        assert status == 200 and body["conversation"]["status"] == "resolved", body
        await customer_ws.wait_for(frame_of("state", status="resolved"))
        await customer_ws.send({"type": "csat", "rating": 5, "comment": "Sehr hilfreich"})
        await asyncio.sleep(0.3)
        assert not [f for f in customer_ws.frames if f.get("type") == "error"], customer_ws.frames
        status, exported, _ = await admin.request("GET", f"/api/admin/conversations/{conversation_id}/export")
        assert status == 200, exported
        assert "Sehr hilfreich" in str(exported) and "5" in str(exported)
        assert all("Kulanz" not in (event.get("text") or "") for event in customer_ws.events())
    finally:
        if customer_ws is not None:
            await customer_ws.close()
        await agent_ws.close()
        await agent_api.close()
