"""POST /api/trainer/annotations/group: trainers only, a list of message ids, clear 422s for bad input."""
from __future__ import annotations

import pytest

from tests.integration.handoff.web.conftest import create_agent, login_cookie

pytestmark = pytest.mark.integration
GROUP = "/api/trainer/annotations/group"


@pytest.mark.parametrize("body, field", [
    ({"action": "dismiss"}, "message_ids"),
    ({"message_ids": [], "action": "dismiss"}, "message_ids"),
    ({"message_ids": "abc", "action": "dismiss"}, "message_ids"),
    ({"message_ids": [1, 2], "action": "dismiss"}, "message_ids"),
    ({"message_ids": ["x" * 65], "action": "dismiss"}, "message_ids"),
    ({"message_ids": ["a"] * 2001, "action": "dismiss"}, "message_ids"),
    ({"message_ids": ["a"], "action": "shout"}, "action"),
    ({"message_ids": ["a"]}, "action"),
])
async def test_bad_group_annotations_are_a_clear_422(sqlite_server, admin_api, body, field):
    email, password = await create_agent(admin_api, role="trainer")
    trainer, _ = await login_cookie(sqlite_server.base, email, password)
    try:
        status, answer, _ = await trainer.request("POST", GROUP, json=body)
        assert (status, answer["error"]["field"]) == (422, field), answer
    finally:
        await trainer.close()


async def test_unknown_members_are_404_and_agents_are_kept_out(sqlite_server, admin_api):
    status, answer, _ = await admin_api.request("POST", GROUP, json={"message_ids": ["nope"], "action": "dismiss"})
    assert status == 404, answer
    email, password = await create_agent(admin_api, role="agent")
    agent, _ = await login_cookie(sqlite_server.base, email, password)
    try:
        status, _, _ = await agent.request("POST", GROUP, json={"message_ids": ["nope"], "action": "dismiss"})
        assert status == 403
    finally:
        await agent.close()
