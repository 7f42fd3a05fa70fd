"""Presence with two app instances sharing PostgreSQL and Redis: the status an agent chose holds on every instance.

The agent has a console open on each instance (two tabs behind a load balancer). Before presence became a service
over the shared store, instance B's heartbeat announced "online" again seconds after the agent chose "away" on A,
and customers were queued for an agent who had stepped away.
"""
from __future__ import annotations

import asyncio
import uuid
from typing import Iterator

import pytest

from tests.integration.handoff.web.clients import (
    customer_socket, frame_of, open_all_week, open_socket, start_customer,
)
from tests.integration.handoff.web.conftest import (
    ADMIN_EMAIL, ADMIN_PASSWORD, TEST_RATE_LIMIT, TEST_REDIS_URL, create_agent, login_cookie, make_admin_api,
)
from tests.integration.handoff.web.lifecycle import cookie_header
from tests.integration.handoff.web.server import RunningServer, start_server
from tests.integration.handoff.web.test_two_instances import private_database  # noqa: F401  (fixture)

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]
HEARTBEAT_SECONDS = 0.3
# Several heartbeats of each instance.
SETTLE_SECONDS = 2.0


@pytest.fixture(scope="module")
def instances(module_tmp, private_database) -> Iterator[tuple[RunningServer, RunningServer]]:  # noqa: F811
    environment = {"DATABASE_URL": private_database, "REDIS_URL": TEST_REDIS_URL, "ADMIN_EMAIL": ADMIN_EMAIL,
                   "ADMIN_PASSWORD": ADMIN_PASSWORD, "RATE_LIMIT_PER_MINUTE": str(TEST_RATE_LIMIT),
                   "PRESENCE_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
                   # Presence keys of their own: other suites' agents on the same Redis must not look online here.
                   "REDIS_NAMESPACE": f"presence-test-{uuid.uuid4().hex[:8]}"}
    first = start_server(module_tmp, environment)
    second = start_server(module_tmp, environment)
    yield first, second
    first.stop()
    second.stop()


# Before the clean-up of a closing console was shielded (agent_socket.py), this failed now and then: Sanic cancelled
# the handler twice and the forget was skipped, so the agent stayed "present" for the 60 s TTL.
async def test_presence_ends_when_the_last_console_closes(instances):
    first, second = instances
    admin = await make_admin_api(second)
    await open_all_week(admin)
    email, password = await create_agent(admin)
    api, _ = await login_cookie(first.base, email, password)
    console = await open_socket(f"{first.ws_base}/api/agent/ws", extra_headers=cookie_header(api))
    try:
        await console.wait_for(frame_of("ready"))
        await console.close()
        await asyncio.sleep(SETTLE_SECONDS)
        conversation_id, token = await start_customer(second.base)
        customer = await customer_socket(second.ws_base, conversation_id, token)
        await customer.send({"type": "message", "client_id": "p1", "text": "Bitte einen Mitarbeiter"})
        await customer.wait_for(frame_of("state", status="ticket"))
        await customer.close()
    finally:
        await api.close()
        await admin.close()


async def test_presence_chosen_on_one_instance_holds_on_the_other(instances):
    first, second = instances
    admin = await make_admin_api(first)
    await open_all_week(admin)
    email, password = await create_agent(admin)
    on_first, _ = await login_cookie(first.base, email, password)
    on_second, _ = await login_cookie(second.base, email, password)
    consoles = [await open_socket(f"{server.ws_base}/api/agent/ws", extra_headers=cookie_header(api))
                for server, api in ((first, on_first), (second, on_second))]
    customer = None
    try:
        for console in consoles:
            await console.wait_for(frame_of("ready"))
        status, body, _ = await on_first.request("PUT", "/api/agent/status", json={"status": "away"})
        assert status == 200, body
        await asyncio.sleep(SETTLE_SECONDS)

        status, me, _ = await on_second.request("GET", "/api/agent/me")
        assert status == 200 and me["status"] == "away"
        # The only agent stepped away: a customer asking for a person is told so (ticket), not queued.
        conversation_id, token = await start_customer(second.base)
        customer = await customer_socket(second.ws_base, conversation_id, token)
        await customer.send({"type": "message", "client_id": "p1", "text": "Bitte einen Mitarbeiter"})
        await customer.wait_for(frame_of("state", status="ticket"))

        # Back online on the other instance: the next customer is queued.
        await consoles[1].send({"type": "status", "status": "online"})
        await asyncio.sleep(SETTLE_SECONDS)
        status, me, _ = await on_first.request("GET", "/api/agent/me")
        assert me["status"] == "online"
        second_id, second_token = await start_customer(first.base)
        await customer.close()
        customer = await customer_socket(first.ws_base, second_id, second_token)
        await customer.send({"type": "message", "client_id": "p2", "text": "Bitte einen Mitarbeiter"})
        await customer.wait_for(frame_of("state", status="queued"))
    finally:
        if customer is not None:
            await customer.close()
        for console in consoles:
            await console.close()
        for api in (on_first, on_second, admin):
            await api.close()
