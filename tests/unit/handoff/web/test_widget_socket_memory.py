"""A widget connection delivers each message once, and its memory of what it sent stays bounded."""
from types import SimpleNamespace

import pytest

from handoff.web.delivered import SEQS_KEPT
from handoff.web.widget_socket import WidgetSocket

pytestmark = pytest.mark.unit


class FakeWebSocket:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, text: str) -> None:
        self.sent.append(text)


async def test_each_event_once_and_a_bounded_memory_over_a_long_conversation():
    app = SimpleNamespace(service_context=lambda: None, settings=SimpleNamespace(max_message_chars=1000))
    ws = FakeWebSocket()
    socket = WidgetSocket(app, request=None, ws=ws, conversation_id="c1", status="bot")
    for seq in range(1, 2001):
        await socket.send_event({"seq": seq, "text": f"Nachricht {seq}"})
        await socket.send_event({"seq": seq, "text": f"Nachricht {seq}"})       # the bus delivers it too
        if seq > 5:
            await socket.send_event({"seq": seq - 5, "text": "schon gesendet"})  # a late duplicate
    assert len(ws.sent) == 2000
    assert len(socket.sent_seqs) <= SEQS_KEPT
