"""What /openapi.json promises beyond each route's own declaration (found by schemathesis, docs/reliability.md)."""
from __future__ import annotations

import pytest

from handoff.settings import Settings
from handoff.web.app import create_app
from handoff.web.openapi import build_document

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def paths() -> dict:
    return build_document(create_app(Settings.from_env({})))["paths"]


def test_websocket_routes_document_the_refused_handshake(paths):
    for path in ("/api/widget/ws", "/api/agent/ws"):
        assert {"400", "426"} <= paths[path]["get"]["responses"].keys(), path


def test_every_operation_with_a_body_documents_malformed_and_too_large(paths):
    with_body = [operation for item in paths.values() for operation in item.values() if "requestBody" in operation]
    assert with_body
    for operation in with_body:
        assert {"400", "413"} <= operation["responses"].keys(), operation["operationId"]


def test_socketio_errors_are_plain_text(paths):
    for operation in paths["/socket.io"].values():
        assert list(operation["responses"]["400"]["content"]) == ["text/plain"]


def test_fields_that_can_be_null_are_nullable(paths):
    conversation = paths["/api/agent/conversations/{conversation_id}/resolve"]["post"]["responses"]["200"]
    fields = conversation["content"]["application/json"]["schema"]["properties"]["conversation"]["properties"]
    assert fields["waiting_since"]["nullable"] and fields["assignee_id"]["nullable"]


def test_trainer_operations_document_their_body_and_status(paths):
    annotate = paths["/api/trainer/annotations"]["post"]
    assert annotate["requestBody"]["content"]["application/json"]["schema"]["required"] == ["message_id", "action"]
    assert "201" in annotate["responses"] and "200" not in annotate["responses"]
    assert "202" in paths["/api/trainer/training"]["post"]["responses"]


def test_presence_status_is_an_enum(paths):
    schema = paths["/api/agent/status"]["put"]["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["status"]["enum"] == ["online", "away"]
