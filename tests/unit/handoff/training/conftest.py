import pytest

from handoff.store.database import create_engine
from handoff.store.migrate import upgrade_async


@pytest.fixture
async def engine(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'handoff.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    yield engine
    await engine.dispose()
