"""The real app with LOG_FORMAT=json: every line one JSON object with the ids, one line per significant event, and
no customer text or e-mail address anywhere (issue 19, Logs)."""
from __future__ import annotations

import json

from tests.integration.handoff.web.clients import start_customer
from tests.integration.handoff.web.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.integration.handoff.web.server import Api, start_server

SECRET_TEXT = "Ich möchte einen Mitarbeiter sprechen, meine Adresse ist kundin.geheim@example.com"
FIELDS = {"time", "level", "logger", "event", "request_id", "conversation_id"}


async def test_json_lines_with_ids_and_events_and_no_personal_data(tmp_path) -> None:
    server = start_server(tmp_path, {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/logs.db",
                                     "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
                                     "LOG_FORMAT": "json", "LOG_LEVEL": "INFO", "ACCESS_LOG": "1"})
    try:
        conversation_id, token = await start_customer(server.base)
        api = Api(server.base)
        api.headers["Authorization"] = f"Bearer {token}"
        status, body, _ = await api.request("POST", f"/api/widget/conversations/{conversation_id}/messages",
                                            json={"text": SECRET_TEXT})
        await api.close()
        assert status == 200, body
    finally:
        server.stop()
    log = server.log()
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert lines and all(FIELDS <= set(line) for line in lines)
    assert "kundin.geheim@example.com" not in log and "Mitarbeiter sprechen" not in log
    handoffs = [line for line in lines if line["event"] == "handoff_requested"]
    assert len(handoffs) == 1
    assert handoffs[0]["conversation_id"] == conversation_id and handoffs[0]["level"] == "info"
    assert handoffs[0]["reasons"] == "customer_request"
    # ACCESS_LOG=1: one line per request, with its request id and, on conversation routes, the conversation id
    access = [line for line in lines if line["logger"] == "sanic.access"]
    message_request = [line for line in access if line["conversation_id"] == conversation_id]
    assert message_request and all(line["request_id"] for line in message_request)


async def test_access_log_is_off_by_default(tmp_path) -> None:
    server = start_server(tmp_path, {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/quiet.db",
                                     "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
                                     "LOG_FORMAT": "json", "LOG_LEVEL": "INFO"})
    try:
        await start_customer(server.base)
    finally:
        server.stop()
    lines = [json.loads(line) for line in server.log().splitlines() if line.strip()]
    assert lines and not [line for line in lines if line["logger"] == "sanic.access"]
