"""The seam between the conversation service and the bot.

The service only knows `BotEngine`; `RasaBotEngine` (handoff/rasa_engine.py) is the real one, hosting the Rasa
agent in-process. Tests use `tests.fakes.FakeBotEngine`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

# Custom payload keys the bot uses to talk to the service (docs/architecture.md, "Custom payloads").
CUSTOM_EVENT_KEY = "event"
EVENT_HANDOFF_REQUESTED = "handoff_requested"
EVENT_PROBLEM_REPORTED = "problem_reported"
# The order number given after a problem report: added to that report (ticket), not looked up as a status.
EVENT_PROBLEM_ORDER_NOTED = "problem_order_noted"
# The payload of every "talk to a person" button (the request_human intent).
HUMAN_REQUEST_PAYLOAD = "/request_human"


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class BotMessage:
    """One bot utterance. `custom` carries a service event instead of chat text when it has CUSTOM_EVENT_KEY."""

    text: str | None = None
    buttons: tuple[Button, ...] = ()
    custom: dict[str, Any] | None = None

    @property
    def offers_a_person(self) -> bool:
        return any(button.payload == HUMAN_REQUEST_PAYLOAD for button in self.buttons)

    @property
    def service_event(self) -> str | None:
        if self.custom and isinstance(self.custom.get(CUSTOM_EVENT_KEY), str):
            return self.custom[CUSTOM_EVENT_KEY]
        return None


@dataclass(frozen=True)
class BotReply:
    """What the bot answered to one customer message, plus what it understood of it."""

    messages: tuple[BotMessage, ...] = ()
    intent: str | None = None
    confidence: float | None = None
    tone: dict[str, Any] | None = None          # {"score", "label", "cues"}
    escalation: dict[str, Any] | None = None    # slot `escalation`, see docs/architecture.md
    slots: dict[str, Any] = field(default_factory=dict)


class BotUnavailable(Exception):
    """The bot cannot answer now (model not loaded, action server down, timeout)."""


@runtime_checkable
class BotEngine(Protocol):
    async def reply(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None) -> BotReply:
        """Handle one customer message; raise BotUnavailable when no honest answer can be produced."""

    async def close(self) -> None:
        """Release resources (models, pools)."""
