"""DATABASE_URL as people write it, turned into the async driver URL the store needs, or a clear refusal.

`sqlite:///var/handoff.db` and `postgresql://user@host/db` are what most people (and most hosting dashboards)
write; SQLAlchemy would pick the blocking drivers for those and fail deep inside start-up with a traceback.
"""
from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}
# Heroku-style URLs say "postgres"; SQLAlchemy 1.4 only knows "postgresql".
BACKEND_ALIASES = {"postgres": "postgresql"}


class DatabaseUrlError(ValueError):
    pass


def async_database_url(url: str) -> str:
    """The same database with its async driver; raises DatabaseUrlError saying what is wrong and what works."""
    scheme, separator, rest = url.partition("://")
    backend, _, driver = scheme.partition("+")
    backend = BACKEND_ALIASES.get(backend, backend)
    if not separator or backend not in ASYNC_DRIVERS:
        raise DatabaseUrlError(f"must start with sqlite:// or postgresql:// (got {_scheme_of(url)!r})")
    wanted = ASYNC_DRIVERS[backend]
    if driver and driver != wanted:
        raise DatabaseUrlError(f"uses the driver {driver!r}; the service needs {backend}+{wanted}://")
    normalised = f"{backend}+{wanted}://{rest}"
    try:
        make_url(normalised)
    except ArgumentError as error:
        raise DatabaseUrlError(f"is not a database URL ({error})") from None
    return normalised


def _scheme_of(url: str) -> str:
    # Never echo the whole URL: it may hold a password.
    return url.partition("://")[0] if "://" in url else url[:12]
