"""Service fixtures: a migrated temporary SQLite file, the in-process bus and presence, the fake bot, a clock."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from handoff.bus.in_process import InProcessBus, InProcessPresence
from handoff.services.context import ServiceContext
from handoff.store.database import create_engine
from handoff.store.migrate import upgrade_async
from tests.fakes import FakeBotEngine

# A Wednesday, 10:00 in Berlin: inside the default business hours.
OPEN_TIME = datetime(2025, 3, 12, 9, 0, tzinfo=timezone.utc)
# A Sunday, 12:00 in Berlin: closed.
CLOSED_TIME = datetime(2025, 3, 16, 11, 0, tzinfo=timezone.utc)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(OPEN_TIME)


@pytest.fixture
def bot() -> FakeBotEngine:
    return FakeBotEngine()


@pytest.fixture
async def engine(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'handoff.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def ctx(engine, bot, clock) -> ServiceContext:
    bus = InProcessBus()
    context = ServiceContext(db=engine, bus=bus, presence=InProcessPresence(), bot=bot, clock=clock)
    yield context
    await bus.close()
