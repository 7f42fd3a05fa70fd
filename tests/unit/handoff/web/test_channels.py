from datetime import datetime, timezone

import pytest

from handoff.services.views import MessageView
from handoff.web.openapi import openapi_path
from handoff.web.rest_channel import rasa_message, undelivered_agent_messages
from handoff.web.socketio_channel import bot_uttered

pytestmark = pytest.mark.unit
NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)


def message(seq: int, message_type: str, sender_type: str, text: str | None, private: bool = False,
            buttons: list | None = None) -> MessageView:
    return MessageView(id=str(seq), conversation_id="c", seq=seq, client_id=None, message_type=message_type,
                       sender_type=sender_type, sender_id=None, sender_name=None, private=private, text=text,
                       payload={"buttons": buttons} if buttons else None, intent=None, confidence=None,
                       tone_score=None, tone_label=None, created_at=NOW)


def test_rest_delivers_agent_messages_written_since_the_previous_customer_message_only():
    transcript = [
        message(1, "incoming", "customer", "Hallo"),
        message(2, "outgoing", "bot", "Antwort"),
        message(3, "outgoing", "agent", "alt, schon zugestellt"),
        message(4, "incoming", "customer", "Mensch bitte"),
        message(5, "activity", "system", "Anna übernimmt"),
        message(6, "outgoing", "agent", "Hier ist Anna"),
        message(7, "outgoing", "agent", "intern", private=True),
        message(8, "incoming", "customer", "Danke"),
        message(9, "outgoing", "agent", "nach der Nachricht"),
    ]
    assert [m.text for m in undelivered_agent_messages(transcript, current_seq=8)] == ["Hier ist Anna"]


def test_rasa_shapes_leave_out_empty_keys_and_map_buttons():
    buttons = [{"title": "Ja", "payload": "/affirm"}]
    assert rasa_message("s1", message(2, "outgoing", "bot", "Frage?", buttons=buttons)) == {
        "recipient_id": "s1", "text": "Frage?", "buttons": buttons}
    assert rasa_message("s1", message(2, "outgoing", "bot", "Nur Text")) == {"recipient_id": "s1", "text": "Nur Text"}
    assert bot_uttered({"text": "Frage?", "buttons": buttons}) == {
        "text": "Frage?", "quick_replies": [{"content_type": "text", "title": "Ja", "payload": "/affirm"}]}
    assert bot_uttered({"text": "Hallo", "buttons": []}) == {"text": "Hallo"}


def test_openapi_paths_use_braces_for_parameters():
    assert openapi_path("api/agent/conversations/<conversation_id:str>/claim") == \
        "/api/agent/conversations/{conversation_id}/claim"
    assert openapi_path("") == "/"
