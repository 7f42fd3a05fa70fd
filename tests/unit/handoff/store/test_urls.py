import pytest

from handoff.store.urls import DatabaseUrlError, async_database_url

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("given, expected", [
    ("sqlite:///var/handoff.db", "sqlite+aiosqlite:///var/handoff.db"),
    ("sqlite+aiosqlite:////tmp/x.db", "sqlite+aiosqlite:////tmp/x.db"),
    ("sqlite://", "sqlite+aiosqlite://"),
    ("postgresql://nw:geheim@db.example:5432/nordwind", "postgresql+asyncpg://nw:geheim@db.example:5432/nordwind"),
    ("postgres://nw@db/nordwind", "postgresql+asyncpg://nw@db/nordwind"),
    ("postgresql+asyncpg://nw@db/nordwind?ssl=require", "postgresql+asyncpg://nw@db/nordwind?ssl=require"),
])
def test_written_urls_get_their_async_driver(given, expected):
    assert async_database_url(given) == expected


@pytest.mark.parametrize("given, says", [
    ("mysql://nw@db/nordwind", "sqlite:// or postgresql://"),
    ("var/handoff.db", "sqlite:// or postgresql://"),
    ("postgresql+psycopg2://nw@db/nordwind", "postgresql+asyncpg"),
    ("sqlite+pysqlite:///x.db", "sqlite+aiosqlite"),
])
def test_unusable_urls_are_refused_with_what_works(given, says):
    with pytest.raises(DatabaseUrlError, match=says.replace("+", r"\+")):
        async_database_url(given)


def test_refusal_never_echoes_a_password():
    with pytest.raises(DatabaseUrlError) as refused:
        async_database_url("mysql://nw:geheim@db/nordwind")
    assert "geheim" not in str(refused.value)
