"""In-memory fakes for unit and service tests (the real ones are exercised by integration tests)."""
from __future__ import annotations

from typing import Any

from bot.custom_messages import CUSTOM_EVENT_KEY, EVENT_HANDOFF_REQUESTED
from handoff.engine.contract import BotMessage, BotReply, BotUnavailable

HUMAN_WORDS = ("mitarbeiter", "mensch", "agent")


class FakeBotEngine:
    """Answers every message with a fixed German sentence; hands off when asked for a person.

    `fail=True` makes it raise BotUnavailable, to test the service's honest fallback.
    """

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.received: list[tuple[str, str]] = []

    async def reply(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None) -> BotReply:
        self.received.append((sender_id, text))
        if self.fail:
            raise BotUnavailable("fake bot is down")
        if any(word in text.lower() for word in HUMAN_WORDS):
            return BotReply(
                messages=(
                    BotMessage(text="Ich hole eine Kollegin oder einen Kollegen dazu."),
                    BotMessage(custom={
                        CUSTOM_EVENT_KEY: EVENT_HANDOFF_REQUESTED,
                        "reasons": [{"code": "customer_request", "value": 1.0, "detail": "Kunde bat um einen Menschen"}],
                        "summary": {"topics": ["request_human"], "slots": {}, "last_customer_messages": [text]},
                    }),
                ),
                intent="request_human",
                confidence=0.99,
                tone={"score": 0.1, "label": "calm", "cues": []},
            )
        return BotReply(
            messages=(BotMessage(text=f"Antwort auf: {text}"),),
            intent="greet",
            confidence=0.9,
            tone={"score": 0.05, "label": "calm", "cues": []},
        )

    async def close(self) -> None:
        return None


def _refuse_to_unpickle() -> None:
    raise ValueError("garbled on the way")


class Garbled:
    """Pickles fine in the bot process and cannot be read back in the web process: a garbled frame."""

    def __reduce__(self):
        return _refuse_to_unpickle, ()


class ProcessFakeEngine(FakeBotEngine):
    """FakeBotEngine for the bot process tests (it runs in the child): slow, failing, swappable on request."""

    SLOW, BROKEN, GARBLED = "bitte langsam", "bitte kaputt", "bitte unlesbar"
    model_loaded = True

    def __init__(self, model_path: str) -> None:
        super().__init__()
        self.model_id = model_path
        self.forgotten: list[str] = []

    async def reply(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None) -> BotReply:
        import asyncio
        import os

        if text == self.SLOW:
            await asyncio.sleep(30)
        if text == self.BROKEN:
            raise BotUnavailable("fake action failed")
        if text == "pid":
            return BotReply(messages=(BotMessage(text=str(os.getpid())),))
        if text == self.GARBLED:
            return Garbled()  # type: ignore[return-value]
        if text == "vergessen?":
            return BotReply(messages=(BotMessage(text=",".join(self.forgotten)),))
        return await super().reply(sender_id, text, metadata)

    async def swap_model(self, model_path: Any) -> str:
        self.model_id = str(model_path)
        return self.model_id

    async def delete_tracker(self, sender_id: str) -> None:
        self.forgotten.append(sender_id)


class NoModelEngine:
    model_loaded = False
    model_id = None
    reason = "no model at missing.tar.gz"

    async def reply(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None) -> BotReply:
        raise BotUnavailable(self.reason)

    async def close(self) -> None:
        return None


async def fake_engine_factory(settings: Any) -> Any:
    """handoff.engine.process factory: a ProcessFakeEngine, or none when the model path is called 'missing'."""
    if str(settings.model_path).startswith("missing"):
        return NoModelEngine()
    return ProcessFakeEngine(str(settings.model_path))
