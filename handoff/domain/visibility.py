"""Which conversations an agent may follow live: the privacy rule of the console's realtime stream.

Agents see the conversations that need a person: waiting in the queue, or assigned to them. A conversation the
bot handles, or a colleague's, is none of their business while it lasts; its transcript is still there when it
comes to them (the handoff carries it). Supervisors may watch any conversation, but only by asking for it
explicitly, and that is logged (handoff/web/agent_socket.py).
"""
from __future__ import annotations

from handoff.domain.states import Status


def agent_may_follow(status: Status | str | None, assignee_id: str | None, agent_id: str) -> bool:
    if status == Status.QUEUED:
        return True
    return status == Status.AGENT and assignee_id == agent_id
