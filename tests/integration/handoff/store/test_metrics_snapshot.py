"""What /metrics reads from the database: queue, oldest wait, tickets by status, the outbox backlog, the live model."""
from datetime import datetime, timedelta, timezone

import pytest

from handoff.store.database import create_engine
from handoff.store.metrics import snapshot
from handoff.store.migrate import upgrade
from handoff.store.tables import conversations, mail_outbox, models, tickets
from tests.integration.handoff.conftest import BACKENDS

pytestmark = pytest.mark.integration
T0 = datetime(2025, 3, 12, 9, 0, tzinfo=timezone.utc)


def _conversation(name, status, waiting_since=None):
    return dict(id=name, token_hash="x" * 64, channel="widget", external_id=None, status=status, assignee_id=None,
                priority=0, waiting_since=waiting_since, created_at=T0, updated_at=T0, last_seq=0, locale="de")


def _ticket(number, status):
    values = dict(id=f"t{number}", conversation_id=None, number=number, kind="email", channel="email",
                  status=status, created_at=T0, updated_at=T0)
    return {key: value for key, value in values.items() if key in tickets.c}


def _mail(number, status):
    return dict(id=f"m{number}", purpose="answer", to_address="kunde@example.org", subject="Re", raw="…",
                message_id=f"<{number}@nordwind.test>", status=status, attempts=0, next_attempt_at=T0, created_at=T0)


@pytest.fixture
def own_database_url(request, tmp_path, postgres_databases) -> str:
    """A database of this test's own: the snapshot counts every row, and the session's shared PostgreSQL database
    holds other tests' tickets and conversations."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'metrics.db'}" if request.param == "sqlite" else postgres_databases.create()
    upgrade(url)
    return url


@pytest.mark.parametrize("own_database_url", BACKENDS, indirect=True)
async def test_snapshot_counts_what_is_waiting_now(own_database_url):
    engine = create_engine(own_database_url)
    try:
        await _check_snapshot(engine)
    finally:
        await engine.dispose()


async def _check_snapshot(engine) -> None:
    async with engine.begin() as conn:
        for statement, rows in (
            (conversations.insert(), [_conversation("q1", "queued", T0 - timedelta(minutes=7)),
                                      _conversation("q2", "queued", T0 - timedelta(minutes=2)),
                                      _conversation("b1", "bot")]),
            (tickets.insert(), [_ticket(1, "new"), _ticket(2, "open"), _ticket(3, "open"), _ticket(4, "solved")]),
            (mail_outbox.insert(), [_mail(1, "pending"), _mail(2, "sending"), _mail(3, "sent"), _mail(4, "failed")]),
            (models.insert(), [dict(id="m-live", path="/models/20250312-nordwind.tar.gz", created_at=T0,
                                    status="live", promoted_at=T0),
                               dict(id="m-old", path="/models/old.tar.gz", created_at=T0, status="previous",
                                    promoted_at=None)]),
        ):
            await conn.execute(statement, rows)
    async with engine.connect() as conn:
        state = await snapshot(conn)
    assert state.queued == 2 and state.oldest_waiting_since == T0 - timedelta(minutes=7)
    assert state.tickets_by_status == {"new": 1, "open": 2, "solved": 1}
    assert state.outbox_backlog == 2                       # pending + sending
    assert state.live_model == ("m-live", "20250312-nordwind.tar.gz")
