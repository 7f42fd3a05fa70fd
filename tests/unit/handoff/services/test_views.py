"""Read models as JSON: the same dicts `dataclasses.asdict` gave, without its deep copy."""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timezone

from handoff.services.views import ConversationView, MessageView, jsonable

AT = datetime(2026, 12, 5, 9, 30, tzinfo=timezone.utc)


def test_a_message_as_json_is_what_asdict_made_of_it():
    message = MessageView("m1", "c1", 3, "client-3", "outgoing", "bot", None, None, False, "Gern geschehen.",
                          {"buttons": [{"title": "Ja", "payload": "/affirm"}]}, "thank", 0.97, 0.05, "calm", AT)
    expected = jsonable(asdict(message)) | {"payload": {"buttons": [{"title": "Ja", "payload": "/affirm"}]},
                                           "buttons": [{"title": "Ja", "payload": "/affirm"}]}
    data = message.to_dict()
    assert data == expected and data["created_at"] == "2026-12-05T09:30:00+00:00"
    data["payload"]["extra"] = 1
    assert "extra" not in message.payload   # the caller's dict is its own


def test_a_conversation_as_json_is_what_asdict_made_of_it():
    conversation = ConversationView("c1", "widget", None, "bot", None, 0, None, None, None, None, AT, AT, 4,
                                    None, "de")
    assert conversation.to_dict() == jsonable(asdict(conversation))
