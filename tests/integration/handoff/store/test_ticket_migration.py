"""Revision 0004 on tickets stored before it: numbered, 'open' → 'new', complaints recognised, the customer's note
as first article, and the counter continues after them."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from handoff.store.database import create_engine
from handoff.store.migrate import upgrade_async
from handoff.store import tickets as store
from tests.integration.handoff.conftest import BACKENDS

pytestmark = pytest.mark.integration
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("fresh_database_url", BACKENDS, indirect=True)
async def test_existing_tickets_migrate_sensibly(fresh_database_url):
    await upgrade_async(fresh_database_url, "0003")
    engine = create_engine(fresh_database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO conversations (id, token_hash, channel, status, priority, created_at, updated_at, "
                "last_seq, locale) VALUES ('c1', 'h', 'widget', 'ticket', 0, :t, :t, 0, 'de')"), {"t": T0})
            for ticket_id, kind, category, note, minutes in (
                    ("t-late", "follow_up", None, "Bitte Rückruf", 5),
                    ("t-early", "problem_report", "complaint", "Bote unfreundlich", 1)):
                await conn.execute(text(
                    "INSERT INTO tickets (id, conversation_id, kind, email, note, category, status, created_at) "
                    "VALUES (:id, 'c1', :kind, 'k@example.org', :note, :category, 'open', :t)"),
                    {"id": ticket_id, "kind": kind, "note": note, "category": category,
                     "t": T0.replace(minute=minutes)})
        await upgrade_async(fresh_database_url)
        async with engine.begin() as conn:
            early = await store.get_ticket(conn, "t-early")
            late = await store.get_ticket(conn, "t-late")
            assert (early["number"], late["number"]) == (1, 2)
            assert early["status"] == late["status"] == "new"
            assert (early["kind"], late["kind"]) == ("complaint", "follow_up")
            assert early["summary"] == "Bote unfreundlich" and early["updated_at"] == early["created_at"]
            assert early["first_response_due_at"] is None
            assert [a["text"] for a in await store.articles_of(conn, "t-late")] == ["Bitte Rückruf"]
            assert await store.allocate_number(conn) == 3
    finally:
        await engine.dispose()
