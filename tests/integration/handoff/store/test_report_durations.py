"""The duration percentiles of a period (handoff/store/reports.py, handoff_durations): PostgreSQL takes them with
percentile_disc, SQLite with handoff/domain/reports.py percentile; both must be the nearest rank for any number of
values, and the first-response distribution must be frt_distribution's."""
import random
from datetime import date, datetime, timedelta, timezone

import pytest

from handoff.domain.reports import frt_distribution, percentile
from handoff.store.database import create_engine
from handoff.store.migrate import upgrade
from handoff.store.reports import handoff_durations
from handoff.store.tables import conversations, handoffs, report_handoffs
from tests.integration.handoff.conftest import BACKENDS

pytestmark = pytest.mark.integration
T0 = datetime(2025, 3, 12, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def own_database_url(request, tmp_path, postgres_databases) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'durations.db'}" if request.param == "sqlite" else postgres_databases.create()
    upgrade(url)
    return url


def _rows(count, rng):
    """`count` handoffs, one a minute, with durations (some missing) and FRT values on every bucket border."""
    borders = [0, 59.9, 60, 299, 300, 900, 1799, 1800, 3600, 14399, 14400, 90000]
    facts = []
    for n in range(count):
        queue = None if n % 4 == 3 else float(rng.randint(1, 5000))
        first = borders[n % len(borders)] if n % 5 != 4 else None
        facts.append(dict(handoff_id=f"h{count}-{n}", conversation_id="c", requested_at=T0 + timedelta(minutes=n),
                          requested_day=date(2025, 3, 12), reasons="tone", queue_seconds=queue,
                          queue_business_seconds=None if queue is None else queue / 2, first_response_seconds=first,
                          first_response_business_seconds=None if first is None else first / 3,
                          resolution_seconds=float(n), resolution_business_seconds=float(count - n), abandoned=0,
                          queued=1, after_hours_ticket=0, no_agent_ticket=0))
    return facts


@pytest.mark.parametrize("own_database_url", BACKENDS, indirect=True)
async def test_percentiles_are_the_nearest_rank_on_both_databases(own_database_url):
    rng = random.Random(19)
    engine = create_engine(own_database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(conversations.insert().values(
                id="c", token_hash="x" * 64, channel="widget", status="resolved", priority=0, created_at=T0,
                updated_at=T0, last_seq=0, locale="de"))
        for count in (1, 2, 3, 7, 10, 30, 61):
            facts = _rows(count, rng)
            async with engine.begin() as conn:
                await conn.execute(report_handoffs.delete())
                await conn.execute(handoffs.delete())
                await conn.execute(handoffs.insert(), [dict(
                    id=row["handoff_id"], conversation_id="c", requested_at=row["requested_at"], reasons=[],
                    summary={}) for row in facts])
                await conn.execute(report_handoffs.insert(), facts)
            async with engine.connect() as conn:
                found = await handoff_durations(conn, T0, T0 + timedelta(days=1))
            for name in ("queue", "first_response", "resolution"):
                wall = [row[f"{name}_seconds"] for row in facts if row[f"{name}_seconds"] is not None]
                business = [row[f"{name}_business_seconds"] for row in facts if row[f"{name}_seconds"] is not None]
                stats = found.stats[name]
                assert (stats.count, stats.p50_seconds, stats.p90_seconds, stats.p50_business_seconds,
                        stats.p90_business_seconds) == (len(wall), percentile(wall, 50), percentile(wall, 90),
                                                        percentile(business, 50), percentile(business, 90)), (name, count)
            first = [row["first_response_seconds"] for row in facts if row["first_response_seconds"] is not None]
            assert found.first_response_buckets == frt_distribution(first), count
    finally:
        await engine.dispose()
