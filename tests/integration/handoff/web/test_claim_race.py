"""One owner at a time: two agents claim the same conversation at once, exactly one wins, the other gets 409."""
from __future__ import annotations

import asyncio

import pytest

from tests.integration.handoff.web.clients import frame_of, open_all_week, open_socket, start_customer
from tests.integration.handoff.web.conftest import create_agent, login_cookie
from tests.integration.handoff.web.lifecycle import cookie_header
from tests.integration.handoff.web.server import Api

pytestmark = pytest.mark.integration


async def test_concurrent_claims_have_one_winner(sqlite_server, admin_api):
    await open_all_week(admin_api)
    agents = [await login_cookie(sqlite_server.base, *await create_agent(admin_api)) for _ in range(2)]
    console = await open_socket(f"{sqlite_server.ws_base}/api/agent/ws", extra_headers=cookie_header(agents[0][0]))
    customer = Api(sqlite_server.base)
    try:
        await console.wait_for(frame_of("ready"))
        conversation_id, token = await start_customer(sqlite_server.base)
        customer.headers["Authorization"] = f"Bearer {token}"
        status, body, _ = await customer.request("POST", f"/api/widget/conversations/{conversation_id}/messages",
                                                 json={"client_id": "h1", "text": "Einen Mitarbeiter bitte"})
        assert status == 200, body
        await console.wait_for(lambda f: f.get("conversation_id") == conversation_id and f.get("status") == "queued")
        results = await asyncio.gather(*(api.request("POST", f"/api/agent/conversations/{conversation_id}/claim")
                                         for api, _ in agents))
        statuses = sorted(status for status, _, _ in results)
        assert statuses == [200, 409], results
        loser = next(body for status, body, _ in results if status == 409)
        assert loser["error"]["code"] == "already_claimed"
    finally:
        await console.close()
        await customer.close()
        for api, _ in agents:
            await api.close()
