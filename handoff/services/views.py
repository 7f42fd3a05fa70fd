"""Read models the use cases return: frozen, JSON-ready via `to_dict()`."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Mapping


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def shallow_fields(view: Any) -> dict[str, Any]:
    """A dataclass's fields as they are: `asdict` without its deep copy, for views of plain values (it walked
    every message's payload on each turn, only for the caller to replace it)."""
    return {name: getattr(view, name) for name in view.__dataclass_fields__}


def jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """A view's fields with datetimes as ISO strings (every read model's `to_dict()`)."""
    return {key: iso(value) if isinstance(value, datetime) else value for key, value in data.items()}


@dataclass(frozen=True)
class ConversationView:
    id: str
    channel: str
    external_id: str | None
    status: str
    assignee_id: str | None
    priority: int
    waiting_since: datetime | None
    assigned_at: datetime | None
    first_reply_at: datetime | None
    resolved_at: datetime | None
    created_at: datetime
    updated_at: datetime
    last_seq: int
    customer_email: str | None
    locale: str

    def to_dict(self) -> dict[str, Any]:
        return jsonable(shallow_fields(self))


@dataclass(frozen=True)
class MessageView:
    id: str
    conversation_id: str
    seq: int
    client_id: str | None
    message_type: str          # incoming | outgoing | activity
    sender_type: str           # customer | bot | agent | system
    sender_id: str | None
    sender_name: str | None
    private: bool
    text: str | None
    payload: Mapping[str, Any] | None
    intent: str | None
    confidence: float | None
    tone_score: float | None
    tone_label: str | None
    created_at: datetime

    @property
    def buttons(self) -> list[dict[str, str]]:
        return list((self.payload or {}).get("buttons", []))

    def to_dict(self) -> dict[str, Any]:
        """Everything, for agents and exports."""
        data = jsonable(shallow_fields(self))
        data["payload"] = dict(self.payload) if self.payload is not None else None
        data["buttons"] = self.buttons
        return data

    def to_public(self) -> dict[str, Any]:
        """The widget `<message>` of docs/architecture.md: nothing internal (no intent, tone, ids of agents)."""
        return {
            "seq": self.seq,
            "message_type": self.message_type,
            "sender_type": self.sender_type,
            "sender_name": self.sender_name,
            "text": self.text,
            "buttons": self.buttons,
            "created_at": iso(self.created_at),
        }


@dataclass(frozen=True)
class QueueItem:
    conversation_id: str
    channel: str
    priority: int
    waiting_since: datetime | None
    waiting_seconds: int
    reasons: list[dict[str, Any]]
    rolling_tone: float | None
    summary: dict[str, Any]
    first_customer_message: str | None
    position: int

    def to_dict(self) -> dict[str, Any]:
        return jsonable(asdict(self))


@dataclass(frozen=True)
class AgentView:
    id: str
    email: str
    display_name: str
    role: str                  # agent | trainer | admin
    active: bool
    capacity: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TicketView:
    id: str
    conversation_id: str
    kind: str                  # follow_up | problem_report
    email: str | None
    note: str | None
    category: str | None
    status: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return jsonable(asdict(self))


@dataclass(frozen=True)
class CannedReply:
    id: str
    shortcut: str
    title: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Login:
    agent: AgentView
    session_token: str
    csrf_token: str
    expires_at: datetime = field(compare=False)

    def __iter__(self):  # allows `agent, token, csrf = await login(...)`
        return iter((self.agent, self.session_token, self.csrf_token))
