"""The seam between the conversation service and the bot: what every bot engine does, and what some can do.

The service only knows `BotEngine` (reply, close). Abilities that not every engine has are named here as
capabilities (`ModelSwap`, `TrackerDeletion`, `ResponseLookup`, `DomainView`, `ModelStatus`), and callers ask
for one with `capability(bot, ModelSwap)` instead of probing attributes. The app runs the bot in a child
process (`handoff.engine.process.BotProcess`, which has every capability); `handoff.engine.rasa.engine.RasaBotEngine`
is the Rasa agent itself. Tests use `tests.fakes.FakeBotEngine`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from bot.custom_messages import CUSTOM_EVENT_KEY, HUMAN_REQUEST_PAYLOAD

T = TypeVar("T")


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


# --- optional capabilities: what some engines can do beyond answering ------------------------------------------

@dataclass(frozen=True)
class DomainFacts:
    """What the live model knows: its intents and the texts of its responses (by response name)."""

    intents: tuple[str, ...] = ()
    responses: dict[str, tuple[str, ...]] = field(default_factory=dict)


@runtime_checkable
class ModelSwap(Protocol):
    async def swap_model(self, model_path: Path) -> str | None:
        """Load the model at model_path off the event loop, then answer with it; its model id."""


@runtime_checkable
class TrackerDeletion(Protocol):
    async def delete_tracker(self, sender_id: str) -> None:
        """Forget everything the bot keeps about one conversation (data deletion, retention)."""


@runtime_checkable
class ResponseLookup(Protocol):
    def responses(self, name: str) -> list[str]:
        """The text variations of one domain response, e.g. utter_ack_frustration; [] when unknown."""


@runtime_checkable
class DomainView(Protocol):
    def domain(self) -> DomainFacts:
        """The live model's domain facts (empty while no model is loaded)."""


@runtime_checkable
class ModelStatus(Protocol):
    """Engines that can be without a model (none found, bot process restarting) say so here."""

    model_loaded: bool
    model_id: str | None


def capability(bot: object, kind: type[T]) -> T | None:
    """`bot` as the capability `kind` (one of the protocols above) when it has it, else None."""
    return bot if isinstance(bot, kind) else None  # type: ignore[return-value]


def model_loaded(bot: object | None) -> bool:
    """Whether the bot can answer with a model; an engine without ModelStatus always has one."""
    if bot is None:
        return False
    status = capability(bot, ModelStatus)
    return True if status is None else bool(status.model_loaded)
