import asyncio
import logging

import pytest
from sqlalchemy import func, select

from handoff.services.retention import purge_expired, run_retention_schedule
from handoff.services import conversations, customer
from handoff.services.context import ServiceContext
from handoff.store.database import create_engine
from handoff.store.tables import conversations as conversation_table, csat, handoffs, messages, tickets
from tests.fakes import FakeBotEngine
from tests.unit.handoff.services.scenarios import conversation_in_every_table

pytestmark = pytest.mark.unit

RETENTION_DAYS = 90


class TrackerKeepingBot(FakeBotEngine):
    """The fake bot plus a tracker store: records which trackers were deleted."""

    def __init__(self) -> None:
        super().__init__()
        self.deleted_trackers: list[str] = []

    async def delete_tracker(self, sender_id: str) -> None:
        self.deleted_trackers.append(sender_id)


@pytest.fixture
def bot() -> TrackerKeepingBot:
    return TrackerKeepingBot()


async def _rows(ctx: ServiceContext, conversation_id: str) -> dict[str, int]:
    async with ctx.db.connect() as conn:
        counts = {}
        for name, table, column in (("conversation", conversation_table, conversation_table.c.id),
                                    ("messages", messages, messages.c.conversation_id),
                                    ("handoffs", handoffs, handoffs.c.conversation_id),
                                    ("tickets", tickets, tickets.c.conversation_id),
                                    ("csat", csat, csat.c.conversation_id)):
            counts[name] = (await conn.execute(select(func.count()).select_from(table)
                                               .where(column == conversation_id))).scalar_one()
        return counts


async def test_conversations_older_than_the_retention_are_deleted_completely_newer_ones_kept(ctx, clock, bot):
    old = await conversation_in_every_table(ctx)
    assert all(count > 0 for count in (await _rows(ctx, old)).values())
    clock.advance(days=RETENTION_DAYS - 10)
    recent = await conversation_in_every_table(ctx)
    clock.advance(days=11)  # old is now 91 days untouched, recent 11 days

    result = await purge_expired(ctx, RETENTION_DAYS)

    assert result.deleted == 1 and result.trackers_deleted == 1
    assert bot.deleted_trackers == [old]
    assert set((await _rows(ctx, old)).values()) == {0}
    assert all(count > 0 for count in (await _rows(ctx, recent)).values())


async def test_a_conversation_written_to_recently_is_kept_however_old_it_is(ctx, clock):
    conversation, _ = await conversations.start_conversation(ctx, "widget")
    clock.advance(days=RETENTION_DAYS - 1)
    await customer.customer_writes(ctx, conversation.id, "spaet", "Ich bin noch da")
    clock.advance(days=2)
    assert (await purge_expired(ctx, RETENTION_DAYS)).deleted == 0
    clock.advance(days=RETENTION_DAYS)
    assert (await purge_expired(ctx, RETENTION_DAYS)).deleted == 1


async def test_two_instances_purging_at_once_delete_each_conversation_once(ctx, clock):
    for _ in range(5):
        await conversations.start_conversation(ctx, "widget")
    clock.advance(days=RETENTION_DAYS + 1)
    first, second = await asyncio.gather(purge_expired(ctx, RETENTION_DAYS), purge_expired(ctx, RETENTION_DAYS))
    assert first.deleted + second.deleted == 5


async def test_the_schedule_purges_repeatedly_and_survives_a_failing_run(ctx, clock, tmp_path, caplog):
    await conversations.start_conversation(ctx, "widget")
    clock.advance(days=RETENTION_DAYS + 1)
    schedule = asyncio.create_task(run_retention_schedule(ctx, RETENTION_DAYS, interval_seconds=0.01))
    try:
        for _ in range(100):
            async with ctx.db.connect() as conn:
                if (await conn.execute(select(func.count()).select_from(conversation_table))).scalar_one() == 0:
                    break
            await asyncio.sleep(0.02)
        else:
            pytest.fail("the schedule did not purge")
    finally:
        schedule.cancel()
        await asyncio.gather(schedule, return_exceptions=True)

    # A database without tables (as when it is unreachable): each run fails, logs, and the next one comes.
    broken_engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'leer.db'}")
    broken = ServiceContext(db=broken_engine, bus=ctx.bus, presence=ctx.presence, bot=ctx.bot, clock=clock)
    caplog.set_level(logging.WARNING, logger="handoff.services.retention")
    schedule = asyncio.create_task(run_retention_schedule(broken, RETENTION_DAYS, interval_seconds=0.01))
    await asyncio.sleep(0.2)
    assert not schedule.done()
    schedule.cancel()
    await asyncio.gather(schedule, return_exceptions=True)
    await broken_engine.dispose()
    assert len([r for r in caplog.records if "retention run failed" in r.message]) >= 2
