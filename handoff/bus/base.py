"""The realtime bus and agent presence, as interfaces; implementations are in-process or Redis.

Topics (docs/architecture.md): `conversation.<id>`, `queue`, `agent.<id>`. Payloads are JSON dicts with a `type`.
The bus only fans out what was committed to the database; losing a bus message never loses data, clients
catch up from the database (widget `after=<seq>`, console refetches the queue).
"""
from __future__ import annotations

from typing import Any, AsyncContextManager, AsyncIterator, Protocol, runtime_checkable

QUEUE_TOPIC = "queue"
TICKETS_TOPIC = "tickets"   # ticket inbox changes, for agents only (issue 14)
CONVERSATION_TOPIC_PREFIX = "conversation."
AGENT_TOPIC_PREFIX = "agent."

PRESENCE_ONLINE = "online"
PRESENCE_AWAY = "away"
PRESENCE_STATUSES = (PRESENCE_ONLINE, PRESENCE_AWAY)

Envelope = tuple[str, dict[str, Any]]


def conversation_topic(conversation_id: str) -> str:
    return f"{CONVERSATION_TOPIC_PREFIX}{conversation_id}"


def agent_topic(agent_id: str) -> str:
    return f"{AGENT_TOPIC_PREFIX}{agent_id}"


@runtime_checkable
class Bus(Protocol):
    async def publish(self, topic: str, payload: dict[str, Any]) -> None:
        """Send to every current subscriber of `topic`; never blocks on slow subscribers."""

    def subscribe(self, *topics: str) -> AsyncContextManager[AsyncIterator[Envelope]]:
        """`async with bus.subscribe("queue") as events: async for topic, payload in events: ...`"""

    async def close(self) -> None:
        """Stop delivering; open subscriptions end."""


@runtime_checkable
class Presence(Protocol):
    async def heartbeat(self, agent_id: str, status: str) -> None:
        """Mark the agent `online` or `away` for the presence TTL; call periodically while connected."""

    async def online_agents(self) -> set[str]:
        """Ids of agents whose last heartbeat said `online` and has not expired."""

    async def forget(self, agent_id: str) -> None:
        """The agent logged out or disconnected for good."""

    async def close(self) -> None:
        """Release connections."""
