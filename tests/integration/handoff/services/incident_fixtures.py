"""Shared by the incident and goodwill tests: people with roles, customers reporting a problem to a scripted bot."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import text

from bot.custom_messages import CUSTOM_EVENT_KEY, EVENT_PROBLEM_REPORTED
from handoff.engine.contract import BotMessage, BotReply
from handoff.services import conversations, customer
from handoff.services.context import ServiceContext
from handoff.store import accounts

RECORDED = "Danke für den Hinweis, ich habe die Störung an unser Technik-Team weitergegeben."


async def insert_person(ctx: ServiceContext, role: str, name: str | None = None) -> str:
    agent_id = str(uuid.uuid4())
    async with ctx.db.begin() as conn:
        await accounts.insert_agent(conn, {
            "id": agent_id, "email": f"{agent_id}@nordwind.example", "display_name": name or role.capitalize(),
            "password_hash": "unused", "role": role, "active": True, "capacity": 50, "failed_logins": 0,
            "created_at": datetime.now(timezone.utc)})
    return agent_id


class ReportingBot:
    """Answers every message as the bot answers a problem report: the service event, then the confirmation."""

    def __init__(self, category: str = "report_outage") -> None:
        self.category = category

    async def reply(self, sender_id, text, metadata=None):
        return BotReply(messages=(
            BotMessage(custom={CUSTOM_EVENT_KEY: EVENT_PROBLEM_REPORTED, "category": self.category,
                               "description": text}),
            BotMessage(text=RECORDED)))

    async def close(self):
        return None


async def report(ctx: ServiceContext, text: str, category: str = "report_outage") -> str:
    """A new customer reports `text`; returns their conversation id."""
    ctx.bot = ReportingBot(category)
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    await customer.customer_writes(ctx, conversation.id, "c1", text)
    return conversation.id


async def bot_texts(ctx: ServiceContext, conversation_id: str) -> list[str]:
    return [m.text or "" for m in await conversations.transcript(ctx, conversation_id)
            if m.sender_type in ("bot", "agent")]


async def start_clean(ctx: ServiceContext) -> None:
    """PostgreSQL's test database lives for the whole session: earlier tests' reports, incidents and grants would
    count here (SQLite gets a new file per test). Only this area's rows and reports are removed."""
    async with ctx.db.begin() as conn:
        for statement in ("DELETE FROM incident_reports", "DELETE FROM incidents", "DELETE FROM goodwill_grants",
                          "DELETE FROM settings WHERE key IN ('incident_grouping', 'goodwill_limits')",
                          "DELETE FROM ticket_articles WHERE ticket_id IN "
                          "(SELECT id FROM tickets WHERE category IS NOT NULL)",
                          "DELETE FROM tickets WHERE category IS NOT NULL"):
            await conn.execute(text(statement))
